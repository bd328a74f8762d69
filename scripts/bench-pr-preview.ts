/**
 * PR preview benchmark, end to end: `npm run bench:pr-preview -- --pages 2000 [--previews 5] [--keep]`.
 * The fake GitHub (real git repositories on 127.0.0.1) holds N synthetic pages over 20 repositories
 * (scripts/bench-build/syntheticSources.ts, the pages of bench:build); the server runs as `npm start`
 * runs it (scripts/start.ts, a child process) and builds them live. Then `--previews` times: commit a
 * one-page edit to a pull request's branch, send the signed `pull_request` delivery (opened, then
 * synchronize) and poll the preview's host over HTTP until it serves the new text. Prints, per preview
 * and as the median: delivery sent → preview serving the edit, the build's phases, pages rendered, and
 * the fake GitHub's requests the preview cost, commit statuses apart (goal: ≤ 3 others per preview).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pageSlug } from '../functions/core/pageSlug.ts';
import { startFakeGitHub } from '../test/support/fakeGitHub.ts';
import { rawRequest } from '../test/support/rawHttp.ts';
import { postDelivery, pullRequestPayload, signedDelivery } from '../test/support/signedDelivery.ts';
import { fakeGitHubServerEnv, startServerProcess, waitForBuild, waitForLatestBuild } from '../test/support/startServerProcess.ts';
import { editedFile, syntheticSources } from './bench-build/syntheticSources.ts';

const { values } = parseArgs({
  options: { pages: { type: 'string', default: '2000' }, previews: { type: 'string', default: '5' }, keep: { type: 'boolean' } },
});
const pageCount = Number(values.pages);
const previews = Number(values.previews);
if (!(pageCount > 0) || !(previews > 0)) throw new Error('--pages and --previews must be positive numbers');

const TOKEN = 'ghp_benchPrPreview0123456789';
const SECRET = 'whsec-bench-pr-preview';
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dir = mkdtempSync(join(tmpdir(), 'bench-pr-preview-'));
const gh = await startFakeGitHub({ token: TOKEN });
let server: Awaited<ReturnType<typeof startServerProcess>> | undefined;
console.log(`bench:pr-preview ${pageCount} synthetic pages, ${previews} preview(s), in ${dir}; load average ${load()}`);
try {
  const synthetic = syntheticSources(pageCount);
  for (const f of synthetic) await gh.createRepo(f.source.repo!.owner, f.source.repo!.name, Object.fromEntries(f.files.map((x) => [x.path, x.content])));
  writeFileSync(
    join(dir, 'sources.yaml'),
    JSON.stringify({ sources: synthetic.map(({ source: x }) => ({ ...x, repo: `${x.repo!.owner}/${x.repo!.name}` })) }, null, 1),
  );
  server = await startServerProcess({ ...fakeGitHubServerEnv(dir, gh.url, TOKEN, SECRET), RECONCILE_EVERY: '0' });
  const liveStarted = performance.now();
  const live = await waitForLatestBuild(server.url, 1_800_000);
  if (live.state !== 'succeeded') throw new Error(`the live build ${live.state}: ${JSON.stringify(live.error)}`);
  console.log(`live build: ${live.pages?.total} pages, ${s(performance.now() - liveStarted)} after the server listened (${JSON.stringify(live.phases)})`);

  // The PR edits one page of the largest source; every round commits a new text of the same page.
  const target = [...synthetic].sort((a, b) => b.files.length - a.files.length)[0]!;
  const { owner, name } = target.source.repo!;
  const page = target.files[1]!;
  const url = `/${pageSlug(target.source.id, target.source.paths ?? ['.'], page.path)}/`;
  const port = new URL(server.url).port;
  const rows: Array<{ ms: number; rendered: number; statuses: number; other: string[]; phases: Record<string, number> }> = [];
  let number = 0;
  let before = '';
  for (let k = 1; k <= previews; k++) {
    const marker = `bench-preview-${k}`;
    await gh.commit(owner, name, { branch: 'bench-edit', files: { [page.path]: editedFile(page, marker).content }, message: `docs: edit ${k}` });
    if (k === 1) number = await gh.openPullRequest(owner, name, { head: 'bench-edit', title: 'Bench: a one-page edit' });
    const pr = await gh.pullRequest(owner, name, number);
    const delivery = await signedDelivery(SECRET, 'pull_request', pullRequestPayload(k === 1 ? 'opened' : 'synchronize', pr, { before }));
    const host = `${target.source.id}-pr-${number}.preview.localhost:${port}`;
    const from = gh.requests.length;

    const started = performance.now();
    const ack = await postDelivery(`${server.url}/webhook`, delivery);
    if (ack.status !== 202 || !ack.body?.id) throw new Error(`delivery ${k}: ${ack.status} ${JSON.stringify(ack.body)}`);
    let ms = 0;
    for (const deadline = Date.now() + 300_000; !ms && Date.now() < deadline; ) {
      const got = await rawRequest(`${server.url}${url}`, { method: 'GET', headers: { host } });
      if (got.status === 200 && got.text.includes(marker)) ms = performance.now() - started;
      else {
        if (process.env.BENCH_DEBUG) console.log(got.status, got.text.slice(0, 200));
        await sleep(25);
      }
    }
    const build = await waitForBuild(server.url, ack.body.id);
    if (!ms || build.state !== 'succeeded') throw new Error(`preview ${k} never served the edit (build ${build.state}: ${JSON.stringify(build.error)})`);
    // Its commit status is set after the build, in the background: wait for the final one.
    for (let i = 0; i < 200 && gh.statuses.of(owner, name, pr.head.sha).at(-1)?.state === 'pending'; i++) await sleep(50);
    const spent = gh.requests.slice(from);
    const statuses = spent.filter((r) => /\/statuses\//.test(r.path)).length;
    const other = spent.filter((r) => !/\/statuses\//.test(r.path)).map((r) => `${r.method} ${r.path.replace(/\?.*/, '')} ${r.status}`);
    rows.push({ ms, rendered: build.preview?.rendered ?? -1, statuses, other, phases: build.phases });
    console.log(
      `preview ${k} (${k === 1 ? 'opened' : 'synchronize'}): serving the edit ${s(ms)} after the delivery; ${build.preview?.rendered} page(s) rendered; ` +
        `phases ${JSON.stringify(build.phases)}; GitHub: ${statuses} status update(s) + ${other.length} other [${other.join(', ')}]; load ${load()}`,
    );
    before = pr.head.sha;
  }
  const over = rows.filter((r) => r.other.length > 3).length;
  console.log(`\nMedian of ${rows.length} preview(s) of a one-page change at ${live.pages?.total} pages (load average ${load()}):`);
  console.log(`  delivery sent → preview serving the edit  ${s(median(rows.map((r) => r.ms)))}  (each: ${rows.map((r) => s(r.ms)).join(', ')})`);
  for (const phase of ['fetch', 'transform', 'build', 'deploy']) console.log(`  ${phase.padEnd(41)} ${s(median(rows.map((r) => r.phases[phase] ?? 0)))}`);
  console.log(`  pages rendered                            ${median(rows.map((r) => r.rendered))}`);
  console.log(`  GitHub requests: status updates           ${median(rows.map((r) => r.statuses))}`);
  console.log(`  GitHub requests: everything else          ${median(rows.map((r) => r.other.length))}  ${over ? `✗ ${over} preview(s) above` : '✓'} goal ≤ 3`);
  if (over) process.exitCode = 1;
} catch (err) {
  console.error(server?.output() ?? '');
  throw err;
} finally {
  await server?.stop();
  await gh.close();
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
}
