/**
 * Versions (sources file `versions:`) without the network: the setting validated with the field and
 * the fix, version order (v1.10 after v1.9, a pre-release before its release), the expansion into one
 * source per version, which sources a push fetches (only its own version), and which pushes the webhook
 * accepts (tags and branches the patterns match, their deletion included).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../functions/core/config/ConfigError.ts';
import { parseSources } from '../../functions/core/config/loadSources.ts';
import { concernsOwners, narrowBuild } from '../../functions/core/notify/ownerReport.ts';
import { planFetch } from '../../functions/core/pipeline/planFetch.ts';
import { unknownSources } from '../../functions/core/rebuild/createRebuildHandler.ts';
import { updateRedirects } from '../../functions/core/redirects/updateRedirects.ts';
import { buildSiteIndex } from '../../functions/core/transform/siteIndex.ts';
import { transformSource } from '../../functions/core/transform/transformSource.ts';
import type { BuildRecord, FetchedSource, SourceConfig, Trigger } from '../../functions/core/types.ts';
import { expandVersions } from '../../functions/core/versions/expandVersions.ts';
import { commonPrefix, compareVersions, matchesPattern, versionSegment } from '../../functions/core/versions/versionOrder.ts';
import type { VersionTable } from '../../functions/core/versions/versionStore.ts';
import type { DeliveryDecision } from '../../functions/core/queue/BuildQueue.ts';
import { decidePush, pushFields } from '../../functions/core/webhook/decidePush.ts';
import { pushPayload } from '../support/signedDelivery.ts';

const parse = (source: Record<string, unknown>): SourceConfig[] =>
  parseSources({ sources: [{ id: 'gadgets', title: 'Gadgets', repo: 'acme/gadgets', ...source }] }, '/tmp', 'sources file', null);
const issues = (source: Record<string, unknown>): string[] => {
  try {
    parse(source);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.issues;
  }
  assert.fail('accepted');
};

describe('versions: the setting', () => {
  it('is normalised: patterns as lists, latest named, newest 5 by default', () => {
    assert.deepEqual(parse({ versions: { tags: 'v*' } })[0]!.versions, { latest: 'latest', branches: [], tags: ['v*'], newest: 5 });
    assert.deepEqual(parse({ versions: { latest: 'main', branches: ['release-*'], tags: ['v*', 'stable'], newest: 3 } })[0]!.versions, {
      latest: 'main',
      branches: ['release-*'],
      tags: ['v*', 'stable'],
      newest: 3,
    });
  });

  it('is refused with the field and the fix', () => {
    assert.match(issues({ versions: {} }).join('\n'), /^sources\.0\.versions: names no versions: add `tags: "v\*"`/m);
    assert.match(issues({ versions: { tags: 'v*', newest: 0 } }).join('\n'), /^sources\.0\.versions\.newest: must be from 1 to 20/m);
    assert.match(issues({ versions: { tags: 'v*', newest: 50 } }).join('\n'), /^sources\.0\.versions\.newest: must be at most 20/m);
    assert.match(issues({ versions: { tags: 'v 1' } }).join('\n'), /^sources\.0\.versions\.tags: must be a branch or tag name pattern/m);
    assert.match(
      issues({ versions: { tag: 'v*' } }).join('\n'),
      /^sources\.0\.versions: has unknown key\(s\) "tag": the keys are latest, branches, tags, newest/m,
    );
    assert.match(issues({ versions: 'v*' }).join('\n'), /^sources\.0\.versions: must be a map such as/m);
    const local = (() => {
      try {
        parseSources({ sources: [{ id: 'h', title: 'H', path: '.', versions: { tags: 'v*' } }] }, '/tmp', 'sources file', null);
      } catch (err) {
        return (err as ConfigError).issues.join('\n');
      }
      return '';
    })();
    assert.match(local, /^sources\.0\.versions: only applies to "repo" sources/m);
  });
});

describe('versions: order and patterns', () => {
  it('sorts numbers as numbers, a pre-release before its release', () => {
    const names = ['v1.9', 'v1.10', 'v2.0.0', 'v2.0.0-rc.1', 'v1.8', 'v2.0.0-rc.2', 'v10.0'];
    assert.deepEqual(
      [...names].sort((a, b) => compareVersions(b, a)),
      ['v10.0', 'v2.0.0', 'v2.0.0-rc.2', 'v2.0.0-rc.1', 'v1.10', 'v1.9', 'v1.8'],
    );
  });

  it('matches `*` patterns, lists by their common start, and makes URL segments', () => {
    assert.equal(matchesPattern('v1.2', ['v*']), true);
    assert.equal(matchesPattern('nightly', ['v*']), false);
    assert.equal(matchesPattern('release/1.x', ['release/*']), true);
    assert.equal(matchesPattern('v1x2', ['v1.2']), false, 'a dot is a dot');
    assert.equal(commonPrefix(['v1.*', 'v2.*']), 'v');
    assert.equal(commonPrefix(['release-*']), 'release-');
    assert.equal(versionSegment('Release/1.x'), 'release-1.x');
  });
});

const table: VersionTable = {
  gadgets: {
    key: '',
    checkedAt: '2026-01-01T00:00:00Z',
    refs: [
      { name: 'v1.10', kind: 'tag', sha: 'a'.repeat(40) },
      { name: 'release-1', kind: 'branch', sha: 'b'.repeat(40) },
    ],
  },
};
const sources = expandVersions(parse({ versions: { branches: ['release-*'], tags: 'v*' } }), table);
const build = (trigger: Trigger): BuildRecord => ({ id: 'b', state: 'queued', trigger, createdAt: '', attempts: 0, phases: {}, sources: [] });
const push = (ref: string): Trigger => ({ kind: 'push', repo: 'acme/gadgets', ref, sha: 'c'.repeat(40), pusher: 'p', delivery: 'd' });

describe('versions: one source per version, each push fetching its own', () => {
  it('expands into the latest at the source’s id and each version under it', () => {
    assert.deepEqual(
      sources.map((s) => [s.id, s.ref, s.version]),
      [
        ['gadgets', undefined, { base: 'gadgets', name: 'latest', latest: true }],
        ['gadgets/v1.10', 'v1.10', { base: 'gadgets', name: 'v1.10', latest: false, kind: 'tag' }],
        ['gadgets/release-1', 'release-1', { base: 'gadgets', name: 'release-1', latest: false, kind: 'branch' }],
      ],
    );
    assert.equal(
      sources.every((s) => s.versions === undefined),
      true,
    );
  });

  it('a push fetches only its version; a rebuild keeps the tags unless full', () => {
    const wanted = (t: Trigger) => [...planFetch(build(t), sources).wanted];
    assert.deepEqual(wanted(push('refs/heads/main')), ['gadgets']);
    assert.deepEqual(wanted(push('refs/tags/v1.10')), ['gadgets/v1.10']);
    assert.deepEqual(wanted(push('refs/heads/release-1')), ['gadgets/release-1']);
    assert.deepEqual(wanted(push('refs/tags/v0.1')), []);
    assert.deepEqual(wanted({ kind: 'manual', full: false }), ['gadgets', 'gadgets/release-1']);
    assert.deepEqual(wanted({ kind: 'manual', full: true }), ['gadgets', 'gadgets/v1.10', 'gadgets/release-1']);
    assert.deepEqual(wanted({ kind: 'manual', full: false, sources: ['gadgets/v1.10'] }), ['gadgets/v1.10']);
  });

  it('the webhook builds pushes, creations and deletions of matching tags and branches', () => {
    const configured = parse({ versions: { branches: ['release-*'], tags: 'v*' } });
    const skipOf = (d: DeliveryDecision): string | undefined => ('skip' in d ? d.skip : undefined);
    const decide = (payload: Record<string, unknown>, list = configured) => skipOf(decidePush(pushFields(payload)!, 'd', list));
    assert.equal(decide(pushPayload('acme/gadgets', 'main', { tag: 'v2.0', before: '0'.repeat(40), sha: 'c'.repeat(40) })), undefined);
    assert.equal(decide(pushPayload('acme/gadgets', 'main', { tag: 'v2.0', sha: '0'.repeat(40), deleted: true })), undefined);
    assert.equal(decide(pushPayload('acme/gadgets', 'release-2', { before: '0'.repeat(40), sha: 'c'.repeat(40) })), undefined);
    assert.match(decide(pushPayload('acme/gadgets', 'main', { tag: 'nightly', sha: 'c'.repeat(40) })) ?? '', /refs\/tags\/nightly is not a branch/);
    assert.match(
      decide(pushPayload('acme/gadgets', 'release-2', { before: 'd'.repeat(40), sha: 'c'.repeat(40), commits: [{ modified: ['src/a.ts'] }] })) ?? '',
      /no file under the docs folders of refs\/heads\/release-2 changed/,
    );
    const plain = parse({});
    assert.match(decide(pushPayload('acme/gadgets', 'main', { tag: 'v2.0', sha: 'c'.repeat(40) }), plain) ?? '', /is not a branch/);
  });
});

describe('versions: owners', () => {
  it('hear about their source’s old versions too', () => {
    const [configured] = parseSources(
      { sources: [{ id: 'gadgets', title: 'G', repo: 'acme/gadgets', versions: { tags: 'v*' }, owners: { mail: ['team@example.com'] } }] },
      '/tmp',
      'sources file',
      {},
    );
    const broken = { source: 'gadgets/v1.10', file: 'docs/a.md', kind: 'broken-link' as const, message: 'Broken link' };
    const record: BuildRecord = {
      ...build(push('refs/tags/v1.10')),
      state: 'succeeded',
      sources: [
        { id: 'gadgets', state: 'built', pages: 3, diagnostics: [] },
        { id: 'gadgets/v1.10', state: 'built', pages: 3, diagnostics: [broken] },
        { id: 'gadgetsx', state: 'failed', pages: 0, diagnostics: [] },
      ],
    };
    assert.equal(concernsOwners(record, configured!, [configured!]), true);
    assert.deepEqual(
      narrowBuild(record, configured!).sources.map((s) => s.id),
      ['gadgets', 'gadgets/v1.10'],
    );
    record.sources[1]!.diagnostics = [];
    assert.equal(concernsOwners(record, configured!, [configured!]), false);
  });
});

describe('versions: rebuilds', () => {
  it('may name a version of a versioned source', () => {
    const configured = parse({ versions: { tags: 'v*' } });
    assert.equal(unknownSources(['gadgets', 'gadgets/v1.10'], configured), undefined);
    assert.match(unknownSources(['gadgets/v1.10'], parse({})) ?? '', /unknown source\(s\): gadgets\/v1\.10/);
    assert.match(unknownSources(['gizmos/v1'], configured) ?? '', /unknown source\(s\): gizmos\/v1/);
  });
});

describe('versions: links', () => {
  it('relative links stay in their version; a GitHub link at a version’s tag goes to that version', () => {
    const file = (path: string, text: string) => ({ path, content: new TextEncoder().encode(text) });
    const fetchedOf = (s: SourceConfig, ref: string, text: string): FetchedSource => ({
      source: s,
      sha: 'a'.repeat(40),
      ref,
      files: [file('docs/readme.md', text), file('docs/install.md', '# Install\n')],
    });
    const [latest, old] = [sources[0]!, sources[1]!];
    const all = [
      fetchedOf(
        latest,
        'main',
        '# G\n\n[tagged](https://github.com/acme/gadgets/blob/v1.10/docs/install.md) [main](https://github.com/acme/gadgets/blob/main/docs/install.md)\n',
      ),
      fetchedOf(old, 'v1.10', '# G\n\n[here](install.md) [main](https://github.com/acme/gadgets/blob/main/docs/install.md)\n'),
    ];
    const siteIndex = buildSiteIndex(all);
    const body = (f: FetchedSource) => transformSource(f, { siteIndex }).pages.find((p) => p.file === 'docs/readme.md')!.body;
    assert.match(body(all[0]!), /\[tagged\]\(\/gadgets\/v1\.10\/install\/\) \[main\]\(\/gadgets\/install\/\)/);
    assert.match(body(all[1]!), /\[here\]\(\/gadgets\/v1\.10\/install\/\) \[main\]\(\/gadgets\/install\/\)/);
  });

  it('a site path inside an old version goes to that version’s page when it has one, else to the latest', () => {
    const file = (path: string, text: string) => ({ path, content: new TextEncoder().encode(text) });
    const [latest, old] = [sources[0]!, sources[1]!];
    const all: FetchedSource[] = [
      {
        source: latest,
        sha: 'a'.repeat(40),
        ref: 'main',
        files: [
          file('docs/readme.md', '# G\n\n[site](/gadgets/install/) [old](/gadgets/v1.10/install/)\n'),
          file('docs/install.md', '# Install\n'),
          file('docs/new.md', '# New\n'),
        ],
      },
      {
        source: old,
        sha: 'b'.repeat(40),
        ref: 'v1.10',
        files: [
          file('docs/readme.md', '# G\n\n[site](/gadgets/install/#top) [only-latest](/gadgets/new/)\n'),
          file('docs/install.md', '# Install\n\n## Top\n'),
        ],
      },
    ];
    const siteIndex = buildSiteIndex(all);
    const body = (f: FetchedSource) => transformSource(f, { siteIndex }).pages.find((p) => p.file === 'docs/readme.md')!.body;
    assert.match(body(all[0]!), /\[site\]\(\/gadgets\/install\/\)/, 'the latest is untouched');
    assert.deepEqual(transformSource(all[0]!, { siteIndex }).diagnostics, [], 'a link to an old version’s page (a dot in its URL) is found, not broken');
    assert.match(body(all[1]!), /\[site\]\(\/gadgets\/v1\.10\/install\/#top\) \[only-latest\]\(\/gadgets\/new\/\)/);
  });
});

describe('versions: a version no longer published', () => {
  it('its removed pages’ 404 offers the source’s index', () => {
    const page = (source: string, slug: string, title: string) => ({ source, slug, file: 'docs/a.md', title, body: `${title} body text here.` });
    const first = updateRedirects(undefined, [
      page('gadgets', 'gadgets/a', 'A'),
      page('gadgets/release-1', 'gadgets/release-1/a', 'A1'),
      page('gadgets/v1', 'gadgets/v1/a', 'A2'),
    ]);
    const next = updateRedirects(first.state, [page('gadgets', 'gadgets/a', 'A'), page('gadgets/release-1', 'gadgets/release-1/b', 'Other')]);
    assert.deepEqual(next.state.gone['/gadgets/v1/a/'], { title: 'A2', component: 'gadgets' }, 'v1 is gone: its source');
    assert.deepEqual(next.state.gone['/gadgets/release-1/a/'], { title: 'A1', component: 'gadgets/release-1' }, 'still published: its version');
  });
});
