/**
 * `npm run preview -- <folder> --site URL` against a real built site served as static files over HTTP
 * (as an OSS bucket serves it: no docs-sync server code): the production pipeline builds a "live" site
 * with two sources, a static server serves its release, and a preview of the author's folder standing
 * in for one of them reads the other from the site's llms.txt / llms-full.txt. The other component's
 * page is in the preview, a link into it resolves, a link to a page it lacks is reported; a URL that is
 * no docs-sync site, or nobody answers at, gets an error naming it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadSources } from '../../functions/core/config/loadSources.ts';
import { saveSnapshot } from '../../functions/core/pipeline/snapshots.ts';
import { readSiteSnapshots } from '../../functions/preview/readSiteSnapshots.ts';
import { startPreview } from '../../functions/preview/startPreview.ts';
import { type BuiltSiteServer, serveBuiltSite } from '../support/serveBuiltSite.ts';

let dir: string;
let live: BuiltSiteServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'site-preview-'));
  writeFileSync(
    join(dir, 'sources.yaml'),
    'sources:\n  - id: docs\n    title: Docs\n    repo: acme/docs\n  - id: other\n    title: Other Component\n    repo: acme/other\n',
  );
  // The live site: "docs" from a snapshot, "other" from a folder, built by the production pipeline.
  const liveData = join(dir, 'live-data');
  const docs = loadSources(join(dir, 'sources.yaml')).find((s) => s.id === 'docs')!;
  await saveSnapshot(liveData, {
    source: docs,
    sha: 'abc1234',
    ref: 'main',
    files: [
      { path: 'docs/readme.md', content: Buffer.from('# Docs home\n\nThe live docs.\n') },
      { path: 'docs/old-page.md', content: Buffer.from('# Old page\n\nGone in the folder.\n') },
    ],
  });
  const otherFolder = join(dir, 'other');
  mkdirSync(join(otherFolder, 'guide'), { recursive: true });
  writeFileSync(join(otherFolder, 'readme.md'), '---\ntitle: Other home\n---\n\nSee [the setup](./guide/setup.md).\n');
  writeFileSync(join(otherFolder, 'guide', 'setup.md'), '# Setup guide\n\nInstall the other component from the live site.\n\n## Options\n\nSome.\n');
  const builder = await startPreview({
    folder: otherFolder,
    as: 'other',
    sourcesFile: join(dir, 'sources.yaml'),
    dataDir: liveData,
    port: 0,
    workDir: join(dir, 'live-work'),
    log: () => {},
  });
  const built = await builder.firstBuild;
  await builder.close();
  assert.equal(built.state, 'succeeded', JSON.stringify(built.error));
  live = await serveBuiltSite(join(dir, 'live-work', 'current'));
});

after(async () => {
  await live?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('--site: the other component comes from the served site; links into it resolve, a missing page is reported', { timeout: 300_000 }, async () => {
  const llms = await (await fetch(`${live.base}/llms.txt`)).text();
  assert.match(llms, /## Other Component/, 'the live site lists its components');
  const folder = join(dir, 'author');
  mkdirSync(folder);
  writeFileSync(join(folder, 'readme.md'), '# Author home\n\nRead [the setup](/other/guide/setup/#options) first. And [a missing one](/other/nope/).\n');
  const lines: string[] = [];
  let requests = 0;
  const countingFetch: typeof fetch = (input, init) => {
    requests++;
    return fetch(input, init);
  };
  const preview = await startPreview({
    folder,
    as: 'docs',
    site: live.base,
    port: 0,
    workDir: join(dir, 'work'),
    log: (l) => lines.push(l),
    fetch: countingFetch,
  });
  try {
    const build = await preview.firstBuild;
    assert.equal(build.state, 'succeeded', lines.join('\n'));
    assert.equal(requests, 2, 'llms.txt and llms-full.txt: the whole site in two requests');
    assert.ok(
      lines.some((l) => /^Reading 4 pages of 2 sources from http:\/\/127\.0\.0\.1:\d+\/llms-full\.txt/.test(l)),
      lines.join('\n'),
    );

    const setup = await fetch(new URL('/other/guide/setup/', preview.url));
    assert.equal(setup.status, 200, "the other component's page is in the preview");
    assert.match(await setup.text(), /Install the other component from the live site\./);
    const nav = await (await fetch(new URL('/other/', preview.url))).text();
    assert.match(nav, /Other Component/, "the component's title comes from the site");

    const home = await (await fetch(preview.pageUrl)).text();
    assert.match(home, /href="\/other\/guide\/setup\/#(user-content-)?options"/, 'the link into the other component resolves to its page');
    const own = build.sources.find((s) => s.id === 'docs')!.diagnostics;
    const broken = own.filter((d) => d.kind === 'broken-link').map((d) => d.message);
    assert.equal(broken.length, 1, broken.join('\n'));
    assert.match(broken[0]!, /\/other\/nope\/.*no page of source "other"/);
    assert.ok(
      lines.some((l) => /Pages that would move or go \(their live URLs would break\): \/docs\/old-page\//.test(l)),
      'the live page list comes from the site too',
    );
  } finally {
    await preview.close();
  }
});

test('--site: without llms-full.txt each page is read from its index.md, a few at a time, the same pages as one request gives', async () => {
  const whole = await readSiteSnapshots(live.base);
  let inFlight = 0;
  let most = 0;
  const urls: string[] = [];
  const noFullText: typeof fetch = async (input, init) => {
    const url = String(input);
    urls.push(url);
    if (url.endsWith('/llms-full.txt')) return new Response('gone', { status: 404 });
    most = Math.max(most, ++inFlight);
    try {
      return await fetch(input, init);
    } finally {
      inFlight--;
    }
  };
  const lines: string[] = [];
  const paged = await readSiteSnapshots(`${live.base}/`, { fetch: noFullText, concurrency: 2, log: (l) => lines.push(l) });
  assert.equal(urls.filter((u) => u.endsWith('/index.md')).length, 4, urls.join('\n'));
  assert.ok(most <= 2, `at most 2 requests in flight (saw ${most})`);
  assert.ok(lines.includes(`Reading 4 pages one by one (${live.base}<page>index.md)…`), lines.join('\n'));
  assert.deepEqual(paged.sources, whole.sources);
  assert.deepEqual(paged.pages, whole.pages);
  const files = (s: typeof whole) => [...s.fetched.values()].map((f) => [f.source.id, f.files.map((x) => [x.path, Buffer.from(x.content).toString()])]);
  assert.deepEqual(files(paged), files(whole));
  assert.deepEqual(Object.keys(whole.pages).sort(), ['docs', 'docs/old-page', 'other', 'other/guide/setup']);
});

test('--site: a URL that is no docs-sync site, or that nobody answers at, gets an error naming it', async (t) => {
  const plain = createServer((_req, res) => {
    res.statusCode = 404;
    res.end('not here');
  });
  await new Promise<void>((done) => plain.listen(0, '127.0.0.1', done));
  t.after(() => plain.close());
  const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  await assert.rejects(readSiteSnapshots(url), {
    message: `--site ${url}: not a docs-sync site: it has no ${url}/llms.txt (every docs-sync release publishes one).`,
  });
  const closed = createServer();
  await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
  const gone = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/docs/`;
  await new Promise<void>((done) => closed.close(() => done()));
  await assert.rejects(readSiteSnapshots(gone), (err: Error) => {
    assert.match(err.message, /^--site http:\/\/127\.0\.0\.1:\d+\/docs\/: cannot reach http:\/\/127\.0\.0\.1:\d+\/docs\/llms\.txt \(.*ECONNREFUSED.*\)/);
    return true;
  });
  // The command as authors run it: the message, no stack, exit code 2.
  const run = await promisify(execFile)(process.execPath, ['--disable-warning=ExperimentalWarning', 'scripts/preview.ts', dir, '--site', url, '--port', '0'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    timeout: 60_000,
  }).then(
    () => assert.fail('the preview started'),
    (err: { code: number; stderr: string }) => err,
  );
  assert.equal(run.code, 2, run.stderr);
  assert.equal(run.stderr, `preview cannot start: --site ${url}: not a docs-sync site: it has no ${url}/llms.txt (every docs-sync release publishes one).\n`);
});

test('--site: --as names a source the site lists', async () => {
  await assert.rejects(startPreview({ folder: dir, as: 'nope', site: `${live.base}/`, port: 0, workDir: join(dir, 'work-nope') }), {
    message: `preview command line is invalid:\n  - --as: no source "nope" in ${live.base}/llms.txt; pick one of: docs, other`,
  });
});
