/**
 * The OSS stand-in refuses what OSS refuses: requests whose signed parts were changed after signing
 * (a header, the path, the query), a body that does not match its Content-MD5, unsigned requests,
 * an STS request without its token; and answers with OSS's XML error body.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import OSS from 'ali-oss';
import { after, before, describe, it } from 'node:test';
import { type OssStandIn, startOssStandIn } from '../support/ossStandIn/startOssStandIn.ts';

const KEY = { id: 'STS.standin', secret: 'standin-secret', token: 'standin-token' };

describe('OSS stand-in', () => {
  let oss: OssStandIn;
  before(async () => {
    oss = await startOssStandIn({ bucket: 'docs-site', accounts: { [KEY.id]: { secret: KEY.secret, securityToken: KEY.token } } });
  });
  after(() => oss?.close());

  /** An ali-oss client whose signed request is changed by `tamper` on its way out (the SDK's urllib hook). */
  type Params = { headers: Record<string, string>; content?: Buffer };
  const client = (tamper?: (url: string, params: Params) => string) => {
    const options = {
      endpoint: oss.url,
      region: 'oss-cn-hangzhou',
      bucket: 'docs-site',
      accessKeyId: KEY.id,
      accessKeySecret: KEY.secret,
      stsToken: KEY.token,
      authorizationV4: true,
      refreshSTSToken: async () => ({ accessKeyId: KEY.id, accessKeySecret: KEY.secret, stsToken: KEY.token }),
    };
    if (!tamper) return new OSS(options as OSS.Options);
    // The SDK's own HTTP client (its `urllib` property), wrapped so the request changes after signing.
    const { urllib } = new OSS(options as OSS.Options) as unknown as { urllib: { request(url: string, params: Params): Promise<unknown> } };
    return new OSS({ ...options, urllib: { request: (url: string, params: Params) => urllib.request(tamper(url, params), params) } } as OSS.Options);
  };
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: { code?: string; status?: number }) => `${e.status} ${e.code}`,
    );

  it("accepts the SDK's V4 requests as they are", async () => {
    assert.equal(await codeOf(client().put('a.html', Buffer.from('<p>a</p>'))), 'ok');
    assert.equal(oss.bucket.objects.get('a.html')!.etag, `"${createHash('md5').update('<p>a</p>').digest('hex').toUpperCase()}"`);
  });

  it('refuses a request changed after signing: a signed header, the key, the query', async () => {
    assert.equal(
      await codeOf(
        client((url, p) => ((p.headers['x-oss-object-acl'] = 'public-read-write'), url)).put('b.html', Buffer.from('b'), {
          headers: { 'x-oss-object-acl': 'private' },
        }),
      ),
      '403 SignatureDoesNotMatch',
    );
    assert.equal(await codeOf(client((url) => url.replace('/c.html', '/index.html')).put('c.html', Buffer.from('c'))), '403 SignatureDoesNotMatch');
    assert.equal(await codeOf(client((url) => url.replace('prefix=a', 'prefix=_docs-sync')).listV2({ prefix: 'a' }, {})), '403 SignatureDoesNotMatch');
    assert.equal(oss.bucket.objects.has('index.html'), false);
  });

  it('refuses a body that does not match Content-MD5, a missing STS token, and no signature at all', async () => {
    assert.equal(await codeOf(client((url, p) => ((p.content = Buffer.from('tampered')), url)).put('d.html', Buffer.from('d'))), '400 BadDigest');
    assert.equal(await codeOf(client((url, p) => (delete p.headers['x-oss-security-token'], url)).put('e.html', Buffer.from('e'))), '403 InvalidSecurityToken');
    const anonymous = await fetch(`${oss.url}/docs-site/a.html`);
    assert.equal(anonymous.status, 403);
    assert.match(
      await anonymous.text(),
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>AccessDenied<\/Code><Message>[^<]+<\/Message><RequestId>[0-9A-F]{24}<\/RequestId>/,
    );
    assert.deepEqual([...oss.bucket.objects.keys()], ['a.html']);
  });
});
