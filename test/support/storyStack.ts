/**
 * Everything the whole-story scenario (test/fc/wholeStory.test.ts) runs against, over real HTTP on
 * 127.0.0.1: both built FC packages on the FC emulator configured only through s.yaml's ${env()}
 * (the deployer's shell) — the site and build records on the OSS stand-in, GitHub faked with real
 * git repositories, DingTalk and SMTP stand-ins — plus the scenario's verbs: push, follow a build,
 * read the website.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOssObjects } from '../../functions/core/deploy/oss/createOssObjects.ts';
import type { BuildRecord } from '../../functions/core/types.ts';
import { createOssBuildStore } from '../../functions/fc/createOssBuildStore.ts';
import { packageFunctions, ROOT } from '../../scripts/package-fc.ts';
import { startDingTalkStandIn, type DingTalkStandIn } from './dingTalkStandIn.ts';
import { startFakeGitHub, type FakeGitHub } from './fakeGitHub.ts';
import { startFcEmulator, type FcEmulator } from './fcEmulator/startFcEmulator.ts';
import type { OssAccount } from './ossStandIn/verifyOssV4.ts';
import { type OssStandIn, startOssStandIn } from './ossStandIn/startOssStandIn.ts';
import { postDelivery, pushPayload, signedDelivery, type PushCommitSpec } from './signedDelivery.ts';
import { startSmtpStandIn, type SmtpStandIn } from './smtpStandIn.ts';

export const STORY_SECRETS = {
  webhook: 'whsec-story-4d2a',
  github: 'ghp_storyToken0123456789',
  dingtalk: 'SECstory-dingtalk-91',
  smtpPass: 'story-smtp-pass-55',
};
export const WEBHOOK = 'docs-sync-webhook';
export const BUILDER = 'docs-sync-builder';
const BUCKET = 'docs-story-site';

export interface Ack {
  status: number;
  body: any;
  guid: string;
  /** The delivery's size. */
  bytes: number;
}

export interface StoryStack {
  fc: FcEmulator;
  gh: FakeGitHub;
  oss: OssStandIn;
  ding: DingTalkStandIn;
  smtp: SmtpStandIn;
  /** Current head commit of each repository. */
  heads: Map<string, string>;
  /** The build records in the bucket, read with the builder role's credentials. */
  record(id: string): Promise<BuildRecord | undefined>;
  /** Commit `files` to acme/`repo` and deliver the push, signed, to the webhook function's HTTP trigger. */
  push(repo: string, files: Record<string, string>): Promise<Ack>;
  /** Deliver the push of commits `shas` already in acme/`repo` (each changing `paths(i)`). */
  pushPrepared(repo: string, shas: string[], paths: (i: number) => string[]): Promise<Ack>;
  /** A page as the OSS website endpoint serves it to readers. */
  page(path: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export async function startStoryStack(repos: string[], options: { leaseTtlMs: number }): Promise<StoryStack> {
  const dir = mkdtempSync(join(tmpdir(), 'fc-story-'));
  const heads = new Map<string, string>();
  writeFileSync(join(dir, 'sources.yaml'), `sources:\n${repos.map((r) => `  - id: ${r}\n    title: ${r}\n    repo: acme/${r}\n`).join('')}`);
  // The two code packages exactly as `npm run package:fc` writes them; the webhook's carries sources.json.
  await packageFunctions({ outRoot: join(dir, 'pkg'), sourcesFile: join(dir, 'sources.yaml'), builder: false });
  await packageFunctions({ outRoot: join(dir, 'pkg'), webhook: false });
  // The builder package carries site/sources.yaml (s.yaml's default SOURCES_FILE), as if the deployer
  // had listed these repositories there. Unlinked first: the package may hard-link the repository's file.
  const builderSources = join(dir, 'pkg/dist/fc/builder/site/sources.yaml');
  rmSync(builderSources, { force: true });
  copyFileSync(join(dir, 'sources.yaml'), builderSources);
  const gh = await startFakeGitHub({ token: STORY_SECRETS.github });
  for (const r of repos) heads.set(r, await gh.createRepo('acme', r, { 'docs/readme.md': `# ${r}\n\n${r} before any push.\n` }));
  // OSS knows the functions' role credentials once the emulator has issued them (checked per request).
  const accounts: Record<string, OssAccount> = {};
  const oss = await startOssStandIn({ bucket: BUCKET, accounts });
  const ding = await startDingTalkStandIn({ secret: STORY_SECRETS.dingtalk, accessToken: 'story' });
  const smtp = await startSmtpStandIn({ user: 'mailer', pass: STORY_SECRETS.smtpPass });
  const fc = await startFcEmulator({
    sYaml: join(ROOT, 's.yaml'),
    codeRoot: join(dir, 'pkg'),
    // Only what a deployer sets in the shell before `s deploy`: s.yaml decides each function's variables.
    deployEnv: {
      GITHUB_WEBHOOK_SECRET: STORY_SECRETS.webhook,
      GITHUB_TOKEN: STORY_SECRETS.github,
      GITHUB_API_URL: gh.url,
      PUBLIC_URL: oss.websiteUrl,
      OSS_BUCKET: BUCKET,
      OSS_REGION: 'cn-hangzhou',
      OSS_ENDPOINT: oss.url,
      DINGTALK_WEBHOOK_URL: ding.url,
      DINGTALK_SECRET: STORY_SECRETS.dingtalk,
      SMTP_URL: smtp.url,
      MAIL_FROM: 'docs-sync@example.com',
      MAIL_TO: 'writers@example.com',
    },
    // Test settings: a short build lease, so a killed builder's lease is taken over in seconds.
    functionEnv: { [BUILDER]: { BUILD_LEASE_TTL_MS: String(options.leaseTtlMs) } },
    backoffMs: 200,
    // The webhook's 2 s quiet period (x-fc-async-delay) as 0.5 s.
    asyncDelayScale: 0.25,
  });
  for (const c of Object.values(fc.credentials)) accounts[c.accessKeyId] = { secret: c.accessKeySecret, securityToken: c.securityToken };
  const builderKey = fc.credentials[BUILDER]!;
  const store = createOssBuildStore(createOssObjects({ kind: 'oss', bucket: BUCKET, region: 'cn-hangzhou', endpoint: oss.url }, () => builderKey));

  const deliver = async (repo: string, commits: PushCommitSpec[]): Promise<Ack> => {
    const before = heads.get(repo)!;
    const sha = commits.at(-1)!.id!;
    heads.set(repo, sha);
    const d = await signedDelivery(STORY_SECRETS.webhook, 'push', pushPayload(`acme/${repo}`, 'main', { sha, before, pusher: 'alice', commits }));
    return { ...(await postDelivery(`${fc.triggerUrls[WEBHOOK]}/webhook`, d)), guid: d.guid, bytes: Buffer.byteLength(d.body) };
  };
  return {
    fc,
    gh,
    oss,
    ding,
    smtp,
    heads,
    record: (id) => store.get(id),
    async push(repo, files) {
      const sha = await gh.commit('acme', repo, { files, message: 'docs: update' });
      return deliver(repo, [{ id: sha, modified: Object.keys(files) }]);
    },
    pushPrepared: (repo, shas, paths) =>
      deliver(
        repo,
        shas.map((id, i) => ({ id, modified: paths(i) })),
      ),
    async page(path) {
      const res = await fetch(`${oss.websiteUrl}${path}`);
      return { status: res.status, text: await res.text() };
    },
    async close() {
      await fc.close();
      await Promise.all([gh.close(), oss.close(), ding.close(), smtp.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
