/** The sender and the figures of the webhook load run (`test/faults/load.test.ts`). */
import { type Agent, request as httpRequest } from 'node:http';
import { getJson } from './siteFixture.ts';

export interface Sent {
  guid: string;
  status: number;
  ms: number;
  id?: string;
  duplicate?: boolean;
  error?: string;
}

/** POSTs signed push deliveries to `<url>/webhook` over a keep-alive agent, recording every answer and how many are in flight. */
export class PushSender {
  readonly sent: Sent[] = [];
  inFlight = 0;
  peakInFlight = 0;
  readonly url: string;
  readonly agent: Agent;

  constructor(url: string, agent: Agent) {
    this.url = url;
    this.agent = agent;
  }

  readonly post = (guid: string, body: string, signature: string, duplicate: boolean): Promise<void> => {
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    const t0 = performance.now();
    return new Promise<void>((resolve) => {
      const req = httpRequest(
        `${this.url}/webhook`,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-github-event': 'push',
            'x-github-delivery': guid,
            'x-hub-signature-256': signature,
            'user-agent': 'GitHub-Hookshot/load',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const entry: Sent = { guid, status: res.statusCode ?? 0, ms: performance.now() - t0, ...(duplicate ? { duplicate } : {}) };
            try {
              const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: string };
              if (parsed.id) entry.id = parsed.id;
            } catch {
              entry.error = 'answer is not JSON';
            }
            this.sent.push(entry);
            this.inFlight--;
            resolve();
          });
        },
      );
      req.on('error', (err) => {
        this.sent.push({ guid, status: 0, ms: performance.now() - t0, error: err.message, ...(duplicate ? { duplicate } : {}) });
        this.inFlight--;
        resolve();
      });
      req.end(body);
    });
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function firstBuildId(url: string): Promise<string | undefined> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
    const builds = (await getJson(`${url}/builds`).catch(() => ({ builds: [] }))).builds as any[];
    if (builds[0]) return builds[0].id;
  }
  return undefined;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}

export function countBy(xs: Array<string | number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[String(x)] = (out[String(x)] ?? 0) + 1;
  return out;
}
