/**
 * The product as a user runs it, for fault tests: a fake GitHub (real git repos) holding one tracked
 * repository `acme/widgets` (docs under `docs/`), a sources file, a DATA_DIR in a temp folder, and the
 * server started as `npm start` does (a real child process). Restartable after `kill -9`.
 *
 *   const site = await startSiteFixture({ files: { 'docs/readme.md': '# Widgets\n' } });
 *   await site.server.kill9(); await site.restart();
 *   await site.close();
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { startFakeGitHub, type FakeGitHub, type FileSpec } from './fakeGitHub.ts';
import { signedDelivery, pushPayload, type Delivery, type PushCommitSpec } from './signedDelivery.ts';
import { startServerProcess, type ServerProcess } from './startServerProcess.ts';

export const REPO = { owner: 'acme', name: 'widgets', full: 'acme/widgets' } as const;

export interface SiteFixture {
  dir: string;
  dataDir: string;
  gh: FakeGitHub;
  env: Record<string, string>;
  secret: string;
  rebuildToken: string;
  server: ServerProcess;
  /** Everything every server process printed, restarts included. */
  output(): string;
  /** Start the server again (after kill9/stop); `server` is replaced. */
  restart(): Promise<ServerProcess>;
  /** Commit to acme/widgets; returns the new sha (the previous head is `head` before the call). */
  commit(files: Record<string, FileSpec>, opts?: { delete?: string[]; message?: string }): Promise<string>;
  head: string;
  /** A signed push delivery of acme/widgets main from `before` to `sha`, listing `commits`. */
  push(sha: string, opts?: { before?: string; commits?: PushCommitSpec[]; guid?: string }): Promise<Delivery>;
  /** The release DATA_DIR/current points at (undefined before the first deploy). */
  currentRelease(): Promise<string | undefined>;
  close(): Promise<void>;
}

export async function startSiteFixture(options: { files: Record<string, FileSpec>; env?: Record<string, string>; sourcesYaml?: string }): Promise<SiteFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'faults-'));
  const token = 'ghp_faultsTokenValue0123456789';
  const secret = 'whsec-faults-0123456789';
  const rebuildToken = 'rebuild-faults-token-42';
  const gh = await startFakeGitHub({ token });
  let head = await gh.createRepo(REPO.owner, REPO.name, options.files);
  writeFileSync(join(dir, 'sources.yaml'), options.sourcesYaml ?? `sources:\n  - id: widgets\n    title: Widgets\n    repo: ${REPO.full}\n`);
  const env: Record<string, string> = {
    DATA_DIR: join(dir, 'data'),
    SOURCES_FILE: join(dir, 'sources.yaml'),
    GITHUB_API_URL: gh.url,
    GITHUB_TOKEN: token,
    GITHUB_WEBHOOK_SECRET: secret,
    REBUILD_TOKEN: rebuildToken,
    NOTIFY_ON: 'none',
    ...options.env,
  };
  const outputs: string[] = [];
  let server = await startServerProcess(env);
  const fixture: SiteFixture = {
    dir,
    dataDir: env.DATA_DIR!,
    gh,
    env,
    secret,
    rebuildToken,
    get server() {
      return server;
    },
    get head() {
      return head;
    },
    output: () => [...outputs, server.output()].join('\n----- restart -----\n'),
    async restart() {
      outputs.push(server.output());
      server = await startServerProcess(env);
      return server;
    },
    async commit(files, opts = {}) {
      head = await gh.commit(REPO.owner, REPO.name, { files, ...opts });
      return head;
    },
    push: (sha, opts = {}) =>
      signedDelivery(
        secret,
        'push',
        pushPayload(REPO.full, 'main', { sha, ...(opts.before ? { before: opts.before } : {}), ...(opts.commits ? { commits: opts.commits } : {}) }),
        opts.guid ? { guid: opts.guid } : {},
      ),
    async currentRelease() {
      const target = await readlink(join(env.DATA_DIR!, 'current')).catch(() => undefined);
      return target === undefined ? undefined : basename(target);
    },
    async close() {
      if (process.env.FAULTS_DEBUG) console.log(fixture.output());
      await server.stop().catch(() => {});
      await gh.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** GET a JSON endpoint of the server (throws on a non-2xx answer). */
export async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${await res.text()}`);
  return res.json();
}
