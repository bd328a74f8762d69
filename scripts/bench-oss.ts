/**
 * OSS deploy benchmark: `npm run bench:oss -- --pages 2000`. Builds the synthetic site (as
 * bench:build does: transform worker, warm site builder), deploys it with DEPLOY_TARGET=oss's
 * deploy (ali-oss, V4 signatures) to the OSS stand-in on 127.0.0.1, then deploys a rebuild with no
 * change and a rebuild with one page's body edited, and prints for each deploy: files and bytes
 * uploaded (content, and every request body including manifests), requests by operation, wall time.
 * Goals (issue 8): one-page edit ≤ 1 MB uploaded, no-change rebuild 0.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSiteBuilder } from '../functions/core/build/createSiteBuilder.ts';
import { writeContent } from '../functions/core/build/writeContent.ts';
import { createOssObjects } from '../functions/core/deploy/oss/createOssObjects.ts';
import { deployToOss } from '../functions/core/deploy/oss/deployToOss.ts';
import { createTransformRunner } from '../functions/core/transform/createTransformRunner.ts';
import type { FetchedSource } from '../functions/core/types.ts';
import { startOssStandIn } from '../test/support/ossStandIn/startOssStandIn.ts';
import { editedFile, syntheticSources } from './bench-build/syntheticSources.ts';

const args = process.argv.slice(2);
const pageCount = Number(args[args.indexOf('--pages') + 1] ?? 2000) || 2000;
const META = { title: 'Bench docs', lang: 'zh-CN', url: 'https://docs.example.com' };
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

const base = await mkdtemp(join(tmpdir(), 'bench-oss-'));
const key = { id: 'STS.bench', secret: 'bench-secret', token: 'bench-token' };
const oss = await startOssStandIn({ bucket: 'bench-site', accounts: { [key.id]: { secret: key.secret, securityToken: key.token } } });
const objects = createOssObjects({ kind: 'oss', bucket: 'bench-site', region: 'cn-hangzhou', endpoint: oss.url }, () => ({
  accessKeyId: key.id,
  accessKeySecret: key.secret,
  securityToken: key.token,
}));
const transforms = createTransformRunner();
const builder = createSiteBuilder();
let fetched: FetchedSource[] = syntheticSources(pageCount);
const sources = fetched.map((f) => f.source);
const rows: string[][] = [];
let n = 0;

async function buildAndDeploy(label: string): Promise<void> {
  const id = `b${++n}`;
  const results = await transforms.transformAll(fetched);
  const contentDir = join(base, 'content');
  const outDir = join(base, `${id}-out`);
  await writeContent(
    contentDir,
    fetched.flatMap((f) => results.get(f.source.id)!.pages),
    sources,
    META,
  );
  await builder.build({ contentDir, outDir, cacheDir: join(base, 'cache') });
  const from = oss.log.length;
  const started = performance.now();
  const result = await deployToOss({ oss: objects, builtDir: outDir, id });
  const ms = performance.now() - started;
  const log = oss.log.slice(from);
  const ops = new Map<string, number>();
  for (const e of log) ops.set(e.op, (ops.get(e.op) ?? 0) + 1);
  const bodyBytes = log.filter((e) => e.method === 'PUT' || e.method === 'POST').reduce((s, e) => s + e.bytes, 0);
  const html = result.changed.filter((p) => p.endsWith('.html')).length;
  rows.push([
    label,
    String(result.uploaded.files),
    kb(result.uploaded.bytes),
    kb(bodyBytes),
    `${result.changed.length} (${html} HTML)`,
    String(result.removed.length),
    String(log.length),
    [...ops].map(([op, c]) => `${op} ${c}`).join(', '),
    `${(ms / 1000).toFixed(2)} s`,
  ]);
  console.log(`${label}: release ${result.release}, ${kb(bodyBytes)} uploaded in ${log.length} requests`);
}

try {
  await buildAndDeploy(`first deploy (${pageCount} pages)`);
  await buildAndDeploy('no-change rebuild');
  const target = fetched[0]!;
  const file = target.files[1]!;
  fetched = fetched.map((f) =>
    f.source.id === target.source.id ? { ...f, files: f.files.map((x) => (x.path === file.path ? editedFile(x, 'bench-oss') : x)) } : f,
  );
  await buildAndDeploy('one-page edit');
  console.log('');
  const head = ['deploy', 'files uploaded', 'content bytes', 'all request bodies', 'paths written', 'removed', 'requests', 'by operation', 'deploy time'];
  for (const row of rows) console.log(row.map((cell, i) => `${head[i]}: ${cell}`).join('\n  '));
} finally {
  await transforms.close();
  await builder.close();
  await oss.close();
  await rm(base, { recursive: true, force: true });
}
