/**
 * Event, ref and repository cases of the bad-HTTP-input battery (badHttpCases.ts): events that do not
 * build, payloads of the wrong event, a repeated delivery id, tags, deleted and odd branches, untracked repositories.
 */
import { rawRequest } from './rawHttp.ts';
import { signedDelivery } from './signedDelivery.ts';
import type { BadHttpTools, Case } from './badHttpTools.ts';
import { REPO, type SiteFixture } from './siteFixture.ts';

/** Events, then refs and repositories. */
export function badHttpEventCases(site: SiteFixture, { url, post, signedPush, push }: BadHttpTools): Case[] {
  let dupGuid = '';
  return [
    // Events.
    {
      group: 'event',
      kind: 'unknown event "no_such_event"',
      expect: 'skipped',
      status: 202,
      says: /unknown event/,
      send: async () => post(await signedDelivery(site.secret, 'no_such_event', { zen: 'x' })),
    },
    {
      group: 'event',
      kind: 'ping',
      expect: 'ping',
      status: 200,
      send: async () => post(await signedDelivery(site.secret, 'ping', { zen: 'Keep it logically awesome.', hook_id: 1 })),
    },
    {
      group: 'event',
      kind: 'issues',
      expect: 'skipped',
      status: 202,
      says: /does not trigger builds/,
      send: async () => {
        const d = await signedDelivery(site.secret, 'issues', { action: 'opened', issue: { number: 1 }, repository: { full_name: REPO.full } });
        dupGuid = d.guid;
        return post(d);
      },
    },
    {
      group: 'event',
      kind: 'push event with an issues payload',
      expect: 'refused',
      status: 400,
      says: /malformed push payload/,
      send: () => signedPush({ action: 'opened', issue: { number: 1 } }),
    },
    {
      group: 'event',
      kind: 'pull_request event with an issues payload',
      expect: 'refused',
      status: 400,
      says: /malformed pull_request payload/,
      send: async () => post(await signedDelivery(site.secret, 'pull_request', { action: 'opened', issue: { number: 1 } })),
    },
    {
      group: 'event',
      kind: 'pull_request whose head sha is a path',
      expect: 'refused',
      status: 400,
      says: /pull_request\.head\.sha/,
      send: async () => {
        const repo = { full_name: REPO.full, default_branch: 'main' };
        const pr = {
          number: 1,
          html_url: `https://github.com/${REPO.full}/pull/1`,
          head: { ref: 'x', sha: '../../etc/passwd', repo },
          base: { ref: 'main', repo },
        };
        return post(await signedDelivery(site.secret, 'pull_request', { action: 'opened', number: 1, pull_request: pr, repository: repo }));
      },
    },
    {
      group: 'event',
      kind: 'same delivery id again',
      expect: 'duplicate',
      status: 200,
      send: async () => post(await signedDelivery(site.secret, 'issues', { action: 'opened' }, { guid: dupGuid })),
    },
    { group: 'event', kind: 'GET /webhook', expect: 'refused', status: 405, send: () => rawRequest(`${url}/webhook`, { method: 'GET' }) },

    // Refs and repositories.
    {
      group: 'ref',
      kind: 'tag refs/tags/v1.0',
      expect: 'skipped',
      status: 202,
      says: /not a branch/,
      send: () => signedPush({ ...push('main'), ref: 'refs/tags/v1.0' }),
    },
    {
      group: 'ref',
      kind: 'branch deleted',
      expect: 'skipped',
      status: 202,
      says: /deleted/,
      send: () => signedPush(push('main', { deleted: true, sha: '0'.repeat(40) })),
    },
    {
      group: 'ref',
      kind: 'refs/heads/ (empty branch name)',
      expect: 'skipped',
      status: 202,
      says: /not tracked/,
      send: () => signedPush({ ...push('main'), ref: 'refs/heads/' }),
    },
    { group: 'ref', kind: 'refs/heads/../main', expect: 'skipped', status: 202, says: /not tracked/, send: () => signedPush(push('../main')) },
    { group: 'ref', kind: 'refs/heads/main + newline', expect: 'skipped', status: 202, says: /not tracked/, send: () => signedPush(push('main\n')) },
    { group: 'ref', kind: 'refs/heads/MAIN (other case)', expect: 'skipped', status: 202, says: /not tracked/, send: () => signedPush(push('MAIN')) },
    {
      group: 'ref',
      kind: 'refs/heads/<script> and 300 chars',
      expect: 'skipped',
      status: 202,
      says: /not tracked/,
      send: () => signedPush(push(`<script>alert(1)</script>${'x'.repeat(300)}`)),
    },
    {
      group: 'ref',
      kind: 'ref is a number',
      expect: 'refused',
      status: 400,
      says: /malformed push payload/,
      send: () => signedPush({ ...push('main'), ref: 42 }),
    },
    {
      group: 'ref',
      kind: 'repository missing',
      expect: 'refused',
      status: 400,
      says: /malformed push payload/,
      send: () => {
        const p = push('main');
        delete p.repository;
        return signedPush(p);
      },
    },
    {
      group: 'ref',
      kind: 'untracked repository',
      expect: 'skipped',
      status: 202,
      says: /not in the sources file/,
      send: () => signedPush(push('main', {}, 'acme/other')),
    },
    { group: 'ref', kind: 'untracked branch "dev"', expect: 'skipped', status: 202, says: /not tracked/, send: () => signedPush(push('dev')) },
    {
      group: 'ref',
      kind: '"after" is not a commit sha',
      expect: 'refused',
      status: 400,
      says: /after/,
      send: () => signedPush(push('main', { sha: '../../etc/passwd' })),
    },
  ];
}
