import { createHmac } from 'node:crypto';
import { createRateLimiter } from './createRateLimiter.ts';
import { clipBytes, formatReport, MAX_MARKDOWN_BYTES } from './formatReport.ts';
import type { Notifier, NotifyReport } from './Notifier.ts';
import { redact } from './redact.ts';

export interface DingTalkOptions {
  /** The robot's webhook, `https://oapi.dingtalk.com/robot/send?access_token=…`. */
  url: string;
  /** The robot's 加签 secret (`SEC…`); messages are signed when set. */
  secret?: string;
  /** The robot's custom keyword; added to every message that lacks it. */
  keyword?: string;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** DingTalk allows 20 messages a minute per robot, then blocks it for 10 minutes. */
  maxPerMinute?: number;
  /** Name in results and logs (default `dingtalk`), e.g. for a source owners' own robot. */
  name?: string;
  /** Where the URL, secret and keyword are set, for the fixes errors suggest (default: the DINGTALK_* variables). */
  settings?: RobotSettings;
  timeoutMs?: number;
  /**
   * Send an `actionCard` with buttons "Open build" (and "Rebuild" when the report has a signed rebuild
   * link) instead of plain markdown. Default: when the build page is on a public address; buttons to
   * localhost (PUBLIC_URL unset) would be useless on a phone, so those reports stay markdown.
   */
  actionCard?: boolean;
}

/** Names of the settings a robot's URL, secret and keyword come from. */
export interface RobotSettings {
  url: string;
  secret: string;
  keyword: string;
}

const ENV_SETTINGS: RobotSettings = { url: 'DINGTALK_WEBHOOK_URL', secret: 'DINGTALK_SECRET', keyword: 'DINGTALK_KEYWORD' };

/** Slightly longer than a minute, so the robot never hits DingTalk's limit even with some clock skew. */
const WINDOW_MS = 61_000;

/** `&timestamp=…&sign=…` as DingTalk's 加签 documents it: base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)). */
export function signDingTalkUrl(url: string, secret: string, timestamp: number): string {
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestamp));
  u.searchParams.set('sign', sign);
  return u.toString();
}

/** Whether a URL can be opened from someone else's device (not localhost or a loopback address). */
export function isPublicUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return false;
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return !(host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1' || host === '0.0.0.0');
}

/**
 * The robot's JSON body: an action card with buttons, or markdown. A report for a source's owners that
 * names mobiles is markdown (DingTalk @-mentions only in text and markdown messages), with `@<mobile>`
 * in the text and `at.atMobiles`, as DingTalk requires both.
 */
function messageBody(report: NotifyReport, title: string, text: string, actionCard: boolean | undefined): string {
  const mobiles = report.audience?.atMobiles ?? [];
  if (mobiles.length) {
    const at = mobiles.map((m) => `@${m}`).join(' ');
    return JSON.stringify({ msgtype: 'markdown', markdown: { title, text: `${text}\n\n${at}` }, at: { atMobiles: mobiles, isAtAll: false } });
  }
  if (!(actionCard ?? isPublicUrl(report.buildUrl))) return JSON.stringify({ msgtype: 'markdown', markdown: { title, text } });
  const btns = [{ title: 'Open build', actionURL: report.buildUrl }];
  if (report.rebuildUrl) btns.push({ title: 'Rebuild', actionURL: report.rebuildUrl });
  return JSON.stringify({ msgtype: 'actionCard', actionCard: { title, text, btnOrientation: '1', btns } });
}

function hintFor(errcode: number, errmsg: string, n: RobotSettings): string {
  if (errcode === 310000) {
    if (/sign|签名/i.test(errmsg)) return `check ${n.secret} (the robot's 加签 secret, starting with SEC)`;
    if (/keyword|关键词|关键字/i.test(errmsg)) return `set ${n.keyword} to one of the robot's custom keywords`;
    if (/timestamp|时间戳/i.test(errmsg)) return "check this machine's clock (DingTalk allows 1 hour of drift)";
    if (/\bip\b|IP/i.test(errmsg)) return "add this server's IP address to the robot's IP allow-list";
    return `check the robot's security settings against ${n.secret} and ${n.keyword}`;
  }
  if (errcode === 300001 || errcode === 300005 || /token/i.test(errmsg)) return `check the access_token in ${n.url} (the robot may have been removed)`;
  if (errcode === 130101) return 'the robot sent over 20 messages a minute and is blocked for 10 minutes';
  return 'see https://open.dingtalk.com/document/ for this error code';
}

/** Sends build reports to a DingTalk group through a custom robot: an action card with buttons, or markdown. */
export function createDingTalkNotifier({
  url,
  secret,
  keyword,
  fetch = globalThis.fetch,
  now = Date.now,
  sleep,
  maxPerMinute = 20,
  timeoutMs = 15_000,
  actionCard,
  name = 'dingtalk',
  settings = ENV_SETTINGS,
}: DingTalkOptions): Notifier {
  const secrets = [secret, URL.canParse(url) ? (new URL(url).searchParams.get('access_token') ?? undefined) : undefined];
  const clean = (text: string) => redact(text, secrets);
  const where = clean(URL.canParse(url) ? new URL(url).toString() : url);
  const limiter = createRateLimiter({ max: maxPerMinute, windowMs: WINDOW_MS, now, ...(sleep ? { sleep } : {}) });

  async function send(report: NotifyReport): Promise<void> {
    if (!URL.canParse(url)) throw new Error(`${settings.url} is not a URL (${where}); copy it from the robot's settings.`);
    const { title, markdown } = formatReport(report);
    let text = markdown;
    // The markdown stays under 18 KB, so the keyword line fits under DingTalk's 20 KB without cutting the links.
    if (keyword && !text.includes(keyword)) text = `${clipBytes(text, MAX_MARKDOWN_BYTES + 1000 - Buffer.byteLength(keyword))}\n\n${keyword}`;
    const body = messageBody(report, keyword && !title.includes(keyword) ? `${keyword} ${title}` : title, text, actionCard);

    await limiter.take();
    const target = secret ? signDingTalkUrl(url, secret, now()) : url;
    let res: Response;
    try {
      res = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json;charset=utf-8' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const cause = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      throw new Error(clean(`Could not reach the DingTalk webhook ${where}: ${cause} — check ${settings.url} and the network.`));
    }
    const raw = await res.text().catch(() => '');
    if (!res.ok) throw new Error(clean(`DingTalk answered HTTP ${res.status} at ${where}: ${raw.slice(0, 300)} — check ${settings.url}.`));
    let answer: { errcode?: unknown; errmsg?: unknown };
    try {
      answer = JSON.parse(raw) as typeof answer;
    } catch {
      throw new Error(clean(`DingTalk answered with something other than JSON at ${where}: ${raw.slice(0, 300)} — check ${settings.url}.`));
    }
    const errcode = Number(answer.errcode ?? 0);
    if (errcode !== 0) {
      // DingTalk appends `, more: [doc link]` to its messages; the hint below is more useful.
      const errmsg = String(answer.errmsg ?? '').replace(/,?\s*more:\s*\[[^\]]*\]\s*$/, '');
      throw new Error(clean(`DingTalk refused the message: errcode ${errcode} ${errmsg} — ${hintFor(errcode, errmsg, settings)}. Webhook: ${where}`));
    }
  }

  return { name, send };
}
