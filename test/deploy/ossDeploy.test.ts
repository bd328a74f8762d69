/**
 * DEPLOY_TARGET=oss end to end on real builds of the fixture site: the pipeline's deploy step signs
 * with ali-oss (V4) against the OSS stand-in, which checks every signature independently and serves
 * the bucket as static website hosting; CDN refreshes go to a CDN stand-in checking ACS3.
 */
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';
import { createOssObjects } from '../../functions/core/deploy/oss/createOssObjects.ts';
import { rollbackOss, rollbackOssFromConfig } from '../../functions/core/deploy/oss/rollbackOss.ts';
import { listSiteFiles, tierOf } from '../../functions/core/deploy/oss/siteFiles.ts';
import { createHash } from 'node:crypto';
import { createBuildSteps } from '../../functions/core/pipeline/createBuildSteps.ts';
import { createWebhookFunction } from '../../functions/webhook/createWebhookFunction.ts';
import type { BuildSteps } from '../../functions/core/pipeline/runBuild.ts';
import { type CdnStandIn, startCdnApiStandIn } from '../support/cdnApiStandIn.ts';
import { type OssLogEntry, type OssStandIn, startOssStandIn } from '../support/ossStandIn/startOssStandIn.ts';
import { buildOssSites, EDITED_TEXT, type OssSites, REMOVED_SLUG } from './ossSites.ts';

const KEY = { id: 'STS.oss-deployer', secret: 'oss-secret-value-0123456789', token: 'sts-token-value-abcdef' };
const credentials = () => ({ accessKeyId: KEY.id, accessKeySecret: KEY.secret, securityToken: KEY.token });

describe('deploy target oss', () => {
  let sites: OssSites;
  let oss: OssStandIn;
  let cdn: CdnStandIn;
  const stepsList: BuildSteps[] = [];
  const logLines: string[] = [];
  before(async () => {
    sites = await buildOssSites();
    oss = await startOssStandIn({ bucket: 'docs-site', accounts: { [KEY.id]: { secret: KEY.secret, securityToken: KEY.token } } });
    cdn = await startCdnApiStandIn({ [KEY.id]: { secret: KEY.secret, securityToken: KEY.token } });
  });
  after(async () => {
    for (const s of stepsList) await s.close?.();
    await oss?.close();
    await cdn?.close();
    await rm(sites.root, { recursive: true, force: true });
  });

  /** The production deploy step, configured from the environment as a user would. */
  const deployStep = (withCdn: boolean) => {
    const env = {
      DEPLOY_TARGET: 'oss',
      OSS_BUCKET: 'docs-site',
      OSS_REGION: 'cn-hangzhou',
      OSS_ENDPOINT: oss.url,
      ...(withCdn ? { CDN_DOMAIN: 'docs.example.com', CDN_ENDPOINT: cdn.url } : {}),
    };
    const steps = createBuildSteps(loadConfig({ env, cwd: sites.root }), { ossCredentials: credentials, log: (l) => logLines.push(l) });
    stepsList.push(steps);
    return async (site: string, id: string) => {
      const from = oss.log.length;
      const { release } = await steps.deployRelease({ dataDir: sites.root, builtDir: await sites.copy(site), id });
      return { release, requests: oss.log.slice(from) };
    };
  };
  const page = async (path: string) => {
    const r = await fetch(`${oss.websiteUrl}${path}`, { redirect: 'manual' });
    return {
      status: r.status,
      type: r.headers.get('content-type'),
      cache: r.headers.get('cache-control'),
      location: r.headers.get('location'),
      text: await r.text(),
    };
  };
  /** Every page the website serves, with every script, style sheet and search file it links to. */
  const assertPagesComplete = async () => {
    const checked = new Map<string, number>();
    const htmlKeys = [...oss.bucket.objects.keys()].filter((k) => k.endsWith('.html') && !k.startsWith('_docs-sync/'));
    for (const key of htmlKeys) {
      const html = (await page(`/${encodeURI(key)}`)).text;
      for (const m of html.matchAll(/(?:href|src)="(\/(?:_astro|pagefind)\/[^"?#]+)"/g)) {
        const ref = m[1]!;
        if (!checked.has(ref)) checked.set(ref, (await page(ref)).status);
        assert.equal(checked.get(ref), 200, `${key} links to ${ref}, which is missing`);
      }
    }
    assert.ok(checked.size > 3, 'pages link to assets');
  };
  const puts = (log: OssLogEntry[]) => log.filter((e) => e.op === 'PutObject' && e.key.startsWith('_docs-sync/objects/'));
  const copies = (log: OssLogEntry[]) => log.filter((e) => e.op === 'CopyObject').map((e) => e.key);

  it('publishes a built site that the website endpoint serves: folders, Chinese slugs, 404 page, cache headers', async () => {
    const { release, requests } = await deployStep(false)(sites.A, 'b1');
    assert.equal(release, 'b1');
    assert.ok(puts(requests).length > 50, 'every file uploaded once into the content store');
    const home = await page('/');
    assert.equal(home.status, 200);
    assert.match(home.text, /Fixture Docs/);
    const quick = await page('/fc/quick-start/');
    assert.match(quick.text, /Start here\./);
    assert.equal(quick.type, 'text/html; charset=utf-8');
    assert.equal(quick.cache, 'no-cache');
    assert.equal((await page(`/${encodeURI('fc/命令/部署')}/`)).status, 200);
    assert.deepEqual([(await page('/fc/quick-start')).status, (await page('/fc/quick-start')).location], [302, '/fc/quick-start/'], 'SupportSubDir redirect');
    const missing = await page('/no/such/page/');
    assert.equal(missing.status, 404);
    assert.match(missing.text, /<html/i, "the site's own 404.html");
    const css = [...oss.bucket.objects.keys()].find((k) => k.startsWith('_astro/') && k.endsWith('.css'))!;
    const asset = await page(`/${css}`);
    assert.equal(asset.cache, 'public, max-age=31536000, immutable');
    assert.equal(asset.type, 'text/css; charset=utf-8');
    assert.equal((await page('/_docs-sync/current.json')).status, 403, 'bookkeeping objects are private');
    assert.deepEqual(oss.bucket.website, { index: 'index.html', supportSubDir: true, error: '404.html' });
    await assertPagesComplete();
  });

  it('a one-page edit uploads only that page and its search files; assets before pages; CDN refreshes exactly those URLs', async () => {
    const { requests } = await deployStep(true)(sites.B, 'b2');
    const uploadedPaths = copies(requests);
    assert.deepEqual(
      uploadedPaths.filter((k) => k.endsWith('.html')),
      ['fc/quick-start/index.html'],
      'only the edited page',
    );
    // Besides the page: its search shard, and the machine-readable copies of its text (its index.md, llms*.txt).
    const besides = (k: string) => k.startsWith('pagefind/shard/fc/') || ['fc/quick-start/index.md', 'llms.txt', 'llms-full.txt'].includes(k);
    assert.ok(
      uploadedPaths.every((k) => k.endsWith('.html') || besides(k)),
      `only the fc search shard and the page's markdown besides: ${uploadedPaths.join(', ')}`,
    );
    assert.ok(puts(requests).length <= uploadedPaths.length);
    const lastAsset = Math.max(...requests.filter((e) => e.op === 'CopyObject' && tierOf(e.key) < 2).map((e) => e.seq));
    const firstPage = Math.min(...requests.filter((e) => e.op === 'CopyObject' && tierOf(e.key) === 2).map((e) => e.seq));
    assert.ok(lastAsset < firstPage, 'every asset is in place before the page that uses it');
    assert.match((await page('/fc/quick-start/')).text, new RegExp(EDITED_TEXT));
    assert.equal(cdn.refreshes.length, 1);
    assert.equal(cdn.refreshes[0]!.objectType, 'File');
    assert.ok(cdn.refreshes[0]!.urls.includes('https://docs.example.com/fc/quick-start/'));
    assert.ok(cdn.refreshes[0]!.urls.includes('https://docs.example.com/fc/quick-start/index.html'));
    assert.ok(!cdn.refreshes[0]!.urls.some((u) => u.includes('/oss/')), 'unchanged URLs are not refreshed');
    await assertPagesComplete();
  });

  it('a rebuild that changes nothing uploads nothing and keeps the release', async () => {
    const { release, requests } = await deployStep(true)(sites.B, 'b3');
    assert.equal(release, 'b2');
    assert.deepEqual(
      requests.filter((e) => e.method !== 'GET' && e.method !== 'HEAD'),
      [],
      'no write of any kind',
    );
    assert.equal(cdn.refreshes.length, 1, 'nothing to refresh');
  });

  it('a removed page is deleted after every upload; without CDN_DOMAIN no CDN call', async () => {
    const cdnCalls = cdn.requests.length;
    const { requests } = await deployStep(false)(sites.C, 'b4');
    const deletes = requests.filter((e) => e.op === 'DeleteMultipleObjects' && e.deleted?.includes(`${REMOVED_SLUG}/index.html`));
    assert.equal(deletes.length, 1);
    const lastCopy = Math.max(...requests.filter((e) => e.op === 'CopyObject').map((e) => e.seq));
    assert.ok(deletes[0]!.seq > lastCopy, 'deletions come last');
    assert.equal((await page(`/${REMOVED_SLUG}/`)).status, 404);
    assert.equal(cdn.requests.length, cdnCalls);
  });

  it('rolls back to the previous release from the content store, without uploading', async () => {
    const objects = createOssObjects({ kind: 'oss', bucket: 'docs-site', region: 'cn-hangzhou', endpoint: oss.url }, credentials);
    const from = oss.log.length;
    const result = await rollbackOss(objects);
    assert.deepEqual([result.release, result.previous], ['b2', 'b4']);
    assert.equal((await page(`/${REMOVED_SLUG}/`)).status, 200, 'the removed page is back');
    assert.deepEqual(puts(oss.log.slice(from)), [], 'server-side copies only');
    await rollbackOss(objects, 'b1');
    assert.match((await page('/fc/quick-start/')).text, /Start here\./);
    assert.doesNotMatch((await page('/fc/quick-start/')).text, new RegExp(EDITED_TEXT));
    await assert.rejects(rollbackOss(objects, 'nope'), /Release "nope" is not kept in oss:\/\/docs-site; known releases: b1, b2, b4/);
    // npm run rollback -- --list with DEPLOY_TARGET=oss (credentials from the environment).
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: KEY.id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: KEY.secret, ALIBABA_CLOUD_SECURITY_TOKEN: KEY.token };
    assert.deepEqual(await rollbackOssFromConfig({ kind: 'oss', bucket: 'docs-site', region: 'cn-hangzhou', endpoint: oss.url }, 'list', env), [
      '  b4',
      '  b2',
      '* b1',
    ]);
    // The HTTP function on FC: GET /releases and POST /rollback act on the bucket with the request's credentials.
    const fn = createWebhookFunction({
      env: { DEPLOY_TARGET: 'oss', OSS_BUCKET: 'docs-site', OSS_REGION: 'cn-hangzhou', OSS_ENDPOINT: oss.url, REBUILD_TOKEN: 'rollback-token-42' },
      cwd: sites.root,
      log: () => {},
    });
    const fc = { 'x-fc-access-key-id': KEY.id, 'x-fc-access-key-secret': KEY.secret, 'x-fc-security-token': KEY.token };
    const listed = (await (await fn.handler(new Request('http://fc.local/releases', { headers: fc }))).json()) as {
      releases: Array<{ release: string; current: boolean }>;
    };
    assert.deepEqual(
      listed.releases.map((r) => [r.release, r.current]),
      [
        ['b4', false],
        ['b2', false],
        ['b1', true],
      ],
    );
    const post = (release: string) =>
      fn.handler(
        new Request('http://fc.local/rollback', {
          method: 'POST',
          headers: { ...fc, authorization: 'Bearer rollback-token-42', 'content-type': 'application/json' },
          body: JSON.stringify({ release }),
        }),
      );
    assert.equal((await post('b2')).status, 200);
    assert.match((await page('/fc/quick-start/')).text, new RegExp(EDITED_TEXT));
    assert.equal((await post('b1')).status, 200);
    assert.doesNotMatch((await page('/fc/quick-start/')).text, new RegExp(EDITED_TEXT));
  });

  it('deploys cut off mid-switch leave every page complete; the next deploy finishes them and the bucket is exactly the new site', async () => {
    const step = deployStep(false);
    const exactly = async (site: string) => {
      const expected = new Map((await listSiteFiles(site)).map((f) => [f.path, f.hash]));
      const live = new Map(
        [...oss.bucket.objects]
          .filter(([k]) => !k.startsWith('_docs-sync/'))
          .map(([k, o]) => [k, createHash('sha256').update(o.body).digest('hex').slice(0, 32)]),
      );
      assert.deepEqual(live, expected);
    };
    // A is live; a switch to C is cut off after its first copies (C's new search files), then one back to A too.
    oss.failAfter('CopyObject', 3);
    await assert.rejects(step(sites.C, 'b5'), /503 ServiceUnavailable/);
    oss.failAfter('CopyObject', 1);
    await assert.rejects(step(sites.A, 'b5b'), /503 ServiceUnavailable/);
    oss.recover();
    await assertPagesComplete();
    await step(sites.A, 'b6');
    await exactly(sites.A);
    const { requests } = await step(sites.C, 'b7');
    assert.deepEqual(puts(requests), [], 'content uploaded by the cut-off attempt is reused');
    await assertPagesComplete();
    await exactly(sites.C);
  });

  it('refuses a request signed with the wrong secret (SignatureDoesNotMatch), and the error names no secret', async () => {
    const wrong = createOssObjects(
      { kind: 'oss', bucket: 'docs-site', region: 'cn-hangzhou', endpoint: oss.url },
      () => ({ ...credentials(), accessKeySecret: 'not-the-secret' }),
      { retries: 0 },
    );
    const err = await wrong.put('index.html', Buffer.from('defaced'), {}).then(
      () => undefined,
      (e: Error) => e,
    );
    assert.ok(err);
    assert.match(err.message, /403 SignatureDoesNotMatch.*check ALIBABA_CLOUD_ACCESS_KEY_ID\/SECRET/);
    assert.doesNotMatch(err.message, /not-the-secret|oss-secret-value/);
    assert.equal(oss.log.at(-1)!.code, 'SignatureDoesNotMatch');
    assert.doesNotMatch((await page('/')).text, /defaced/);
  });
});
