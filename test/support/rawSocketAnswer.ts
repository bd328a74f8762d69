/**
 * Raw bytes written to a TCP socket (see rawHttp.ts `rawSocket`), with the answer read back as a
 * RawAnswer: the status, the body (parsed when it is JSON), or the status line / "(connection closed,
 * no answer)" when there is no body.
 */
import { rawSocket, type RawAnswer } from './rawHttp.ts';

/** Write `bytes` to `url`'s host and port; `halfClose` waits 5 s instead of 10 s for an answer. */
export async function rawSocketAnswer(url: string, bytes: string, halfClose = false): Promise<RawAnswer> {
  const r = await rawSocket(url, bytes, halfClose ? 5000 : 10_000);
  const body = r.text.split('\r\n\r\n').slice(1).join('\r\n\r\n');
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return {
    status: r.status,
    headers: {},
    text: body || r.text.split('\r\n')[0] || '(connection closed, no answer)',
    bytes: Buffer.from(body),
    ...(json ? { json } : {}),
  };
}
