/**
 * A DingTalk custom-robot webhook on 127.0.0.1 that checks what DingTalk checks — access_token, the 加签
 * timestamp (±1 hour) and HMAC-SHA256 signature, the message fields of `text`, `markdown` and
 * `actionCard` messages, the custom keyword, 20 messages a minute — and answers like DingTalk does:
 * always HTTP 200 with `{ errcode, errmsg }`.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DingTalkMessage {
  msgtype: string;
  title?: string;
  text: string;
  /** actionCard: `'0'` buttons stacked, `'1'` side by side. */
  btnOrientation?: string;
  /** actionCard buttons (a single-button card gives one, from singleTitle/singleURL). */
  btns?: Array<{ title: string; actionURL: string }>;
  body: unknown;
  query: Record<string, string>;
}

export interface DingTalkStandIn {
  /** Full webhook URL including `?access_token=`. */
  url: string;
  /** Accepted messages, in order. */
  messages: DingTalkMessage[];
  /** Every answer given, accepted or not. */
  answers: Array<{ errcode: number; errmsg: string }>;
  close(): Promise<void>;
}

const MORE = ', more: [https://open.dingtalk.com/document/robots/custom-robot-access]';

export async function startDingTalkStandIn({
  secret,
  keyword,
  accessToken,
  now = Date.now,
}: {
  secret?: string;
  keyword?: string;
  accessToken: string;
  /** The robot's clock, for the timestamp check and the rate limit. */
  now?: () => number;
}): Promise<DingTalkStandIn> {
  const messages: DingTalkMessage[] = [];
  const answers: DingTalkStandIn['answers'] = [];
  const sent: number[] = [];
  let blockedUntil = 0;

  function check(query: URLSearchParams, rawBody: string): { errcode: number; errmsg: string; message?: DingTalkMessage } {
    const token = query.get('access_token');
    if (!token) return { errcode: 300001, errmsg: 'access_token is empty' };
    if (token !== accessToken) return { errcode: 300001, errmsg: 'token is not exist' };
    const t = now();
    if (secret !== undefined) {
      const timestamp = query.get('timestamp') ?? '';
      const sign = query.get('sign') ?? '';
      if (!/^\d+$/.test(timestamp) || Math.abs(t - Number(timestamp)) > 3_600_000) return { errcode: 310000, errmsg: `invalid timestamp${MORE}` };
      const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
      if (sign !== expected) return { errcode: 310000, errmsg: `sign not match${MORE}` };
    }
    let body: {
      msgtype?: unknown;
      markdown?: { title?: unknown; text?: unknown };
      text?: { content?: unknown };
      actionCard?: { title?: unknown; text?: unknown; btnOrientation?: unknown; btns?: unknown; singleTitle?: unknown; singleURL?: unknown };
    };
    try {
      body = JSON.parse(rawBody) as typeof body;
    } catch {
      return { errcode: 40035, errmsg: '缺少参数 json' };
    }
    const q = Object.fromEntries(query);
    let message: DingTalkMessage;
    if (body.msgtype === 'markdown' && typeof body.markdown?.text === 'string' && typeof body.markdown.title === 'string') {
      message = { msgtype: 'markdown', title: body.markdown.title, text: body.markdown.text, body, query: q };
    } else if (body.msgtype === 'text' && typeof body.text?.content === 'string') {
      message = { msgtype: 'text', text: body.text.content, body, query: q };
    } else if (body.msgtype === 'actionCard') {
      const card = body.actionCard;
      if (!card || typeof card.title !== 'string' || typeof card.text !== 'string')
        return { errcode: 40035, errmsg: '缺少参数 actionCard.title or actionCard.text' };
      const orientation = card.btnOrientation === undefined ? undefined : String(card.btnOrientation);
      if (orientation !== undefined && orientation !== '0' && orientation !== '1') return { errcode: 40035, errmsg: 'btnOrientation must be "0" or "1"' };
      let btns: Array<{ title: string; actionURL: string }>;
      if (typeof card.singleTitle === 'string' && card.singleTitle !== '' && typeof card.singleURL === 'string' && card.singleURL !== '') {
        btns = [{ title: card.singleTitle, actionURL: card.singleURL }];
      } else if (Array.isArray(card.btns) && card.btns.length > 0) {
        const ok = card.btns.every((b: unknown) => {
          const btn = b as { title?: unknown; actionURL?: unknown } | null;
          return typeof btn?.title === 'string' && btn.title !== '' && typeof btn.actionURL === 'string' && URL.canParse(btn.actionURL);
        });
        if (!ok) return { errcode: 40035, errmsg: '缺少参数 btns[].title or btns[].actionURL' };
        btns = card.btns as typeof btns;
      } else {
        return { errcode: 40035, errmsg: '缺少参数 singleTitle/singleURL or btns' };
      }
      message = { msgtype: 'actionCard', title: card.title, text: card.text, btns, body, query: q };
      if (orientation !== undefined) message.btnOrientation = orientation;
    } else {
      return { errcode: 40035, errmsg: '缺少参数 msgtype or content' };
    }
    if (Buffer.byteLength(message.text) > 20_000) return { errcode: 460101, errmsg: 'message too long, exceed 20000 bytes' };
    if (keyword !== undefined && !message.text.includes(keyword) && !(message.title ?? '').includes(keyword))
      return { errcode: 310000, errmsg: `keywords not in content${MORE}` };
    while (sent.length > 0 && (sent[0] ?? 0) <= t - 60_000) sent.shift();
    if (t < blockedUntil || sent.length >= 20) {
      blockedUntil = Math.max(blockedUntil, t + 600_000);
      return { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' };
    }
    sent.push(t);
    return { errcode: 0, errmsg: 'ok', message };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      const answer =
        req.method !== 'POST' || u.pathname !== '/robot/send'
          ? { errcode: 404, errmsg: 'not found' }
          : check(u.searchParams, Buffer.concat(chunks).toString('utf8'));
      if (answer.message) messages.push(answer.message);
      answers.push({ errcode: answer.errcode, errmsg: answer.errmsg });
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify({ errcode: answer.errcode, errmsg: answer.errmsg }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/robot/send?access_token=${encodeURIComponent(accessToken)}`,
    messages,
    answers,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
