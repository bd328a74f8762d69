/**
 * Bad HTTP input battery against the real server (`scripts/start.ts` as a child process). Every kind of
 * bad delivery GitHub (or anyone else) could send — signatures, headers, bodies, events, refs. For each:
 * the answer is clear, the process stays up, nothing is queued for refused input, and the site is
 * unchanged for refused input. Prints a table of kind → outcome. (Bad repository content: badContent.test.ts.)
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { badHttpCases } from '../support/badHttpCases.ts';
import { printTable, type Row } from '../support/printTable.ts';
import { getJson, type SiteFixture } from '../support/siteFixture.ts';
import { startBadInputSite } from '../support/startBadInputSite.ts';

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

describe('bad HTTP input: every kind gets a clear answer, the process stays up, nothing is queued, the site is unaffected', () => {
  let site: SiteFixture;
  let url: string;
  const rows: Row[] = [];

  before(async () => {
    site = await startBadInputSite();
    url = site.server.url;
  });

  after(async () => {
    await site?.close();
  });

  /** What must not change when input is refused: builds, the ledger, the release, a page. */
  async function state(): Promise<{ builds: any[]; guids: Set<string>; rejected: number; release: string | undefined; page: string }> {
    const builds = (await getJson(`${url}/builds?limit=500`)).builds as any[];
    const ledger = await getJson(`${url}/deliveries`);
    const release = ((await getJson(`${url}/releases`)).releases as any[]).find((r) => r.current)?.release;
    const page = await (await fetch(`${url}/widgets/`)).text();
    return { builds, guids: new Set((ledger.deliveries as any[]).map((d) => d.guid)), rejected: (ledger.rejected ?? []).length, release, page: digest(page) };
  }

  it('answers each bad delivery clearly, stays up, queues nothing and leaves the site as it was', async (t) => {
    const baseline = await state();
    assert.ok(baseline.release, 'a release is live before the battery');
    const all = badHttpCases(site);
    assert.ok(all.length >= 30, `${all.length} kinds`);
    const failures: string[] = [];
    for (const c of all) {
      const before = await state();
      const answer = await c.send();
      const body = answer.json ?? {};
      const said =
        answer.status === 0 && !answer.text
          ? `(no answer${answer.socketError ? `: ${answer.socketError}` : ''})`
          : String(body.error ?? body.reason ?? (answer.json ? JSON.stringify(answer.json) : (answer.text.split('\n')[0] ?? '')))
              .replace(/\s+/g, ' ')
              .slice(0, 90);
      const problems: string[] = [];
      const statuses = Array.isArray(c.status) ? c.status : [c.status];
      if (!statuses.includes(answer.status)) problems.push(`status ${answer.status}, expected ${statuses.join(' or ')}`);
      if (c.says && !c.says.test(JSON.stringify(body))) problems.push(`answer ${JSON.stringify(said)} does not match ${c.says}`);
      if (c.expect === 'refused' && answer.status < 500 && answer.json && !body.error) problems.push('a refusal without an "error" saying why');
      const health = await fetch(`${url}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      if (health !== 200 || site.server.child.exitCode !== null) problems.push(`server not healthy afterwards (healthz ${health})`);
      const now = await state();
      const fresh = now.builds.filter((b) => !before.builds.some((o: any) => o.id === b.id));
      const queued = fresh.filter((b) => b.state !== 'skipped');
      if (queued.length) problems.push(`queued ${queued.length} build(s): ${queued.map((b) => b.state).join(',')}`);
      if ((c.expect === 'refused' || c.expect === 'no answer') && fresh.length) problems.push(`${fresh.length} build record(s) written for refused input`);
      const newGuids = [...now.guids].filter((g) => !before.guids.has(g));
      if ((c.expect === 'refused' || c.expect === 'no answer' || c.expect === 'duplicate') && newGuids.length)
        problems.push(`ledger gained ${newGuids.length} delivery(ies)`);
      if ((c.expect === 'skipped' || c.expect === 'ping' || c.expect === 'passed') && newGuids.length !== 1)
        problems.push(`ledger gained ${newGuids.length} deliveries, expected 1`);
      if (now.release !== baseline.release) problems.push(`release changed ${baseline.release} → ${now.release}`);
      if (now.page !== baseline.page) problems.push('the page /widgets/ changed');
      const outcome = c.expect === 'refused' && now.rejected > before.rejected ? `${said} (in ledger "rejected")` : said;
      rows.push({ kind: `${c.group}: ${c.kind}`, status: answer.status, outcome, ok: problems.length === 0 });
      if (problems.length) failures.push(`${c.group}: ${c.kind}: ${problems.join('; ')}`);
    }
    printTable(t, 'HTTP bad-input battery (kind → answer)', rows);
    assert.deepEqual(failures, [], failures.join('\n'));
  });
});
