/** CDN refresh after an OSS deploy, against the CDN stand-in (ACS3 signature checked): URLs, limits, refusals. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cdnUrls, createCdnRefresher } from '../../functions/core/deploy/oss/refreshCdn.ts';
import { type CdnStandIn, startCdnApiStandIn } from '../support/cdnApiStandIn.ts';

const KEY = { id: 'LTAI-cdn', secret: 'cdn-secret-0123456789' };

describe('CDN refresh', () => {
  let cdn: CdnStandIn;
  before(async () => {
    cdn = await startCdnApiStandIn({ [KEY.id]: { secret: KEY.secret } });
  });
  after(() => cdn?.close());
  const refresher = (secret = KEY.secret) =>
    createCdnRefresher({ domain: 'docs.example.com', endpoint: cdn.url, credentials: () => ({ accessKeyId: KEY.id, accessKeySecret: secret }) });

  it('refreshes a folder page under both of its URLs, percent-encoded', () => {
    assert.deepEqual(cdnUrls('docs.example.com', ['index.html', 'fc/命令/index.html', '_astro/a.css']), [
      'https://docs.example.com/',
      'https://docs.example.com/_astro/a.css',
      'https://docs.example.com/fc/%E5%91%BD%E4%BB%A4/',
      'https://docs.example.com/fc/%E5%91%BD%E4%BB%A4/index.html',
      'https://docs.example.com/index.html',
    ]);
  });

  it('sends up to 1,000 URLs in one signed call; more refresh the site as one directory', async () => {
    const few = await refresher()(['guide/index.html']);
    assert.equal(few.objectType, 'File');
    assert.deepEqual(cdn.refreshes.at(-1), { objectType: 'File', urls: ['https://docs.example.com/guide/', 'https://docs.example.com/guide/index.html'] });
    const many = Array.from({ length: 600 }, (_, i) => `p${i}/index.html`);
    const big = await refresher()(many);
    assert.deepEqual([big.objectType, big.urls], ['Directory', ['https://docs.example.com/']]);
    assert.deepEqual(cdn.refreshes.at(-1), { objectType: 'Directory', urls: ['https://docs.example.com/'] });
  });

  it('a wrong secret is refused by the API (SignatureDoesNotMatch)', async () => {
    await assert.rejects(refresher('wrong')(['index.html']), /SignatureDoesNotMatch/);
    assert.equal(cdn.requests.at(-1)!.code, 'SignatureDoesNotMatch');
  });
});
