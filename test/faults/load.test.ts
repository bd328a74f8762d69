/**
 * Load run: 10,000 signed push deliveries (plus 1 % redeliveries) at 200/s over up to 50 keep-alive
 * connections, against the real server (`scripts/start.ts`, a child process) with its builder on and
 * a small real source whose branch moves every few seconds. Coalescing must fold the pushes into a
 * handful of builds. Checks: nothing lost (every 202's delivery is in the ledger with a final outcome
 * once drained), no answer ≥ 500, the queue drains, and the server's memory stays flat (RSS sampled
 * from /proc every second). Prints the figures. LOAD_DELIVERIES / LOAD_RATE override the 10,000 / 200.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { mb, sampleMemory, type MemorySampler } from '../support/processMemory.ts';
import { countBy, firstBuildId, median, PushSender } from '../support/pushLoad.ts';
import { pushPayload } from '../support/signedDelivery.ts';
import { getJson, REPO, startSiteFixture, type SiteFixture } from '../support/siteFixture.ts';
import { waitForBuild } from '../support/startServerProcess.ts';

const DELIVERIES = Number(process.env.LOAD_DELIVERIES ?? 10_000);
const RATE = Number(process.env.LOAD_RATE ?? 200);
const CONNECTIONS = 50;
const DUPLICATE_EVERY = 100;
const COMMIT_EVERY_MS = 4000;
const MAX_GROWTH = 150 * 1024 * 1024;
/** Keep the file within CI's budget (≤ 3 min): stop sending after this long, wait at most this long to drain. */
const SEND_BUDGET_MS = Number(process.env.LOAD_SEND_BUDGET_MS ?? 100_000);
const DRAIN_BUDGET_MS = 45_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`load: ${DELIVERIES} signed pushes at ${RATE}/s over ≤ ${CONNECTIONS} connections, builder on`, () => {
  let site: SiteFixture;
  let memory: MemorySampler;

  before(async () => {
    site = await startSiteFixture({ files: { 'docs/readme.md': '# Widgets\n\nLoad run, start.\n', 'docs/guide.md': '# Guide\n\nA second page.\n' } });
    const first = await waitForBuild(site.server.url, (await firstBuildId(site.server.url))!);
    assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
  });

  after(async () => {
    memory?.stop();
    await site?.close();
  });

  it('loses nothing, answers no 5xx, drains, and keeps its memory flat', async (t) => {
    const url = site.server.url;
    memory = sampleMemory(site.server.child.pid!, 1000);
    memory.phase('idle');
    await sleep(3000);

    // The branch moves while deliveries arrive: real commits, each push names the head it saw.
    let head = { sha: site.head, before: site.head, text: 'Load run, start.' };
    let commits = 0;
    let committing = true;
    const committer = (async () => {
      while (committing) {
        await sleep(COMMIT_EVERY_MS);
        if (!committing) break;
        const text = `Load run, commit ${++commits} (${randomUUID().slice(0, 8)}).`;
        const before = site.head;
        const sha = await site.commit({ 'docs/readme.md': `# Widgets\n\n${text}\n` }, { message: `load ${commits}` });
        head = { sha, before, text };
      }
    })();

    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const sender = new PushSender(url, agent);
    const { sent, post } = sender;
    const bodies: Array<{ guid: string; body: string; signature: string }> = [];
    let waitedForConnection = 0;

    memory.phase('load');
    const pending: Array<Promise<void>> = [];
    const started = performance.now();
    let unique = 0;
    let redelivered = 0;
    let stoppedEarly = false;
    for (let i = 0; unique < DELIVERIES; i++) {
      if (performance.now() - started > SEND_BUDGET_MS) {
        stoppedEarly = true;
        break;
      }
      const due = started + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      while (sender.inFlight >= CONNECTIONS) {
        waitedForConnection++;
        await sleep(1);
      }
      if (unique >= DELIVERIES * 0.9 || performance.now() - started > SEND_BUDGET_MS * 0.9) committing = false;
      if (redelivered < Math.floor(unique / DUPLICATE_EVERY) && bodies.length) {
        redelivered++;
        const again = bodies[Math.floor(bodies.length / 2)]!; // a redelivery of an earlier, answered push
        pending.push(post(again.guid, again.body, again.signature, true));
        continue;
      }
      const guid = randomUUID();
      const body = JSON.stringify(
        pushPayload(REPO.full, 'main', { sha: head.sha, before: head.before, pusher: `dev${unique % 7}`, commits: [{ modified: ['docs/readme.md'] }] }),
      );
      const signature = `sha256=${createHmac('sha256', site.secret).update(body).digest('hex')}`;
      const keep = unique % DUPLICATE_EVERY === 0;
      unique++;
      // Redeliveries repeat a delivery already answered (GitHub redelivers after the fact).
      pending.push(post(guid, body, signature, false).then(() => void (keep && bodies.push({ guid, body, signature }))));
    }
    await Promise.all(pending);
    const sendMs = performance.now() - started;
    committing = false;
    await committer;
    agent.destroy();

    // Drain: wait until the newest builds are final; sample the settled server; then read the whole ledger
    // (a 10,000-row answer costs memory of its own, so it is sampled apart as "verify").
    memory.phase('drain');
    const drainStart = performance.now();
    let ledger: any[] = [];
    let ledgerMs = 0;
    let drainMs = 0;
    for (const deadline = Date.now() + DRAIN_BUDGET_MS; Date.now() < deadline; ) {
      const newest = (await getJson(`${url}/builds?limit=20`)).builds as any[];
      if (newest.some((b) => b.state === 'queued' || b.state === 'running')) {
        await sleep(500);
        continue;
      }
      if (!drainMs) {
        drainMs = performance.now() - drainStart;
        memory.phase('end');
        await sleep(3000);
        memory.phase('verify');
      }
      const asked = performance.now();
      ledger = (await getJson(`${url}/deliveries?limit=${DELIVERIES + 100}`)).deliveries as any[];
      ledgerMs = performance.now() - asked;
      if (!ledger.some((d) => d.outcome === 'queued' || d.outcome === 'building')) break;
      await sleep(1000);
    }
    if (!drainMs) drainMs = performance.now() - drainStart;
    memory.sample();
    memory.stop();

    // Figures.
    const firsts = sent.filter((s) => !s.duplicate);
    const accepted = firsts.filter((s) => s.status === 202);
    const dups = sent.filter((s) => s.duplicate);
    const fiveXX = sent.filter((s) => s.status >= 500);
    const errors = sent.filter((s) => s.status === 0);
    const byGuid = new Map(ledger.map((d) => [d.guid, d]));
    const lost = accepted.filter((s) => !byGuid.has(s.guid));
    const notBuilt = accepted.filter((s) => byGuid.get(s.guid) && byGuid.get(s.guid).outcome !== 'built');
    const carriers = new Map<string, number>();
    let superseded = 0;
    for (const s of accepted) {
      const d = byGuid.get(s.guid);
      if (!d) continue;
      if (d.builtIn) superseded++;
      const carrier = d.builtIn ?? d.buildId;
      carriers.set(carrier, (carriers.get(carrier) ?? 0) + 1);
    }
    const runs = await Promise.all([...carriers.keys()].map((id) => getJson(`${url}/builds/${id}`)));
    const lat = sent.map((s) => s.ms).sort((a, b) => a - b);
    const pct = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!.toFixed(1) : '-');
    const samples = memory.samples;
    const startRss = median(samples.filter((s) => s.phase === 'idle').map((s) => s.rss));
    const peak = Math.max(...samples.filter((s) => s.phase !== 'verify').map((s) => s.rss));
    const verifyPeak = Math.max(0, ...samples.filter((s) => s.phase === 'verify').map((s) => s.rss));
    const endRss = median(samples.filter((s) => s.phase === 'end').map((s) => s.rss));
    const loadSamples = samples.filter((s) => s.phase === 'load');
    const midSample = median(loadSamples.slice(Math.floor(loadSamples.length / 3), Math.ceil((2 * loadSamples.length) / 3)).map((s) => s.rss));
    const page = await (await fetch(`${url}/widgets/`)).text();
    const state = (await getJson(`${url}/builds?limit=500`)).builds as any[];

    t.diagnostic(
      `sent ${sent.length} (${firsts.length} deliveries + ${dups.length} redeliveries) in ${(sendMs / 1000).toFixed(1)} s = ${(sent.length / (sendMs / 1000)).toFixed(0)}/s (offered ${RATE}/s)${stoppedEarly ? `; STOPPED after the ${SEND_BUDGET_MS / 1000} s budget, ${DELIVERIES - firsts.length} deliveries never sent` : ''}; peak ${sender.peakInFlight} in flight; ${waitedForConnection} waits for a free connection`,
    );
    t.diagnostic(
      `accepted 202: ${accepted.length}; other first answers: ${JSON.stringify(countBy(firsts.filter((s) => s.status !== 202).map((s) => s.status)))}; redeliveries answered 200 duplicate: ${dups.filter((s) => s.status === 200).length}/${dups.length}`,
    );
    t.diagnostic(
      `5xx: ${fiveXX.length}; connection errors: ${errors.length}${errors[0] ? ` (${errors[0].error})` : ''}; ack latency p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms`,
    );
    t.diagnostic(
      `ledger: ${ledger.length} deliveries listed (GET /deliveries?limit= took ${ledgerMs.toFixed(0)} ms); lost ${lost.length}; not built ${notBuilt.length}${notBuilt[0] ? ` (e.g. ${byGuid.get(notBuilt[0].guid).outcome})` : ''}; outcomes ${JSON.stringify(countBy(accepted.map((s) => byGuid.get(s.guid)?.outcome ?? 'missing')))}`,
    );
    t.diagnostic(
      `builds run: ${carriers.size} (${runs.map((b) => `${b.id.slice(-8)} ${b.state} carried ${carriers.get(b.id)} in ${b.phases ? Object.values(b.phases as Record<string, number>).reduce((a, c) => a + c, 0) : '?'} ms`).join('; ')})`,
    );
    t.diagnostic(
      `superseded: ${superseded}; commits pushed during the run: ${commits}; time to drain after the last answer: ${(drainMs / 1000).toFixed(1)} s (builds final)`,
    );
    t.diagnostic(
      `server RSS: start ${mb(startRss)}, mid-load (median of the middle third) ${mb(midSample)}, peak ${mb(peak)}, end ${mb(endRss)} (${samples.length} samples; growth to peak ${mb(peak - startRss)}); while answering the 10,000-row ledger ${mb(verifyPeak)}`,
    );
    t.diagnostic(
      `RSS by 5 s: ${samples
        .filter((_, i) => i % 5 === 0)
        .map((s) => `${(s.t / 1000).toFixed(0)}s:${(s.rss / 1048576).toFixed(0)}`)
        .join(' ')}`,
    );

    assert.equal(fiveXX.length, 0, 'no answer ≥ 500');
    assert.equal(errors.length, 0, 'no connection error');
    assert.equal(accepted.length, firsts.length, `every delivery sent was accepted: ${JSON.stringify(countBy(firsts.map((s) => s.status)))}`);
    assert.equal(dups.filter((s) => s.status === 200).length, dups.length, 'every redelivery answered as a duplicate');
    assert.equal(lost.length, 0, 'every accepted delivery is in the ledger');
    assert.equal(notBuilt.length, 0, 'every accepted delivery ended built');
    assert.ok(
      runs.every((b) => b.state === 'succeeded'),
      'every build that ran succeeded',
    );
    assert.ok(!state.some((b) => b.state === 'queued' || b.state === 'running'), 'the queue drained');
    assert.match(page, new RegExp(head.text.replace(/[.()]/g, '\\$&')), 'the site shows the last commit');
    assert.ok(peak - startRss < MAX_GROWTH, `RSS grew ${mb(peak - startRss)} (limit ${mb(MAX_GROWTH)})`);
    // Flat, not climbing: the end is not above the mid-load level by more than the growth up to mid-load (plus 32 MB of noise).
    assert.ok(
      endRss <= midSample + Math.max(0, midSample - startRss) + 32 * 1024 * 1024,
      `RSS still climbing: start ${mb(startRss)}, mid ${mb(midSample)}, end ${mb(endRss)}`,
    );
    assert.equal(
      firsts.length,
      DELIVERIES,
      `all ${DELIVERIES} deliveries sent within ${SEND_BUDGET_MS / 1000} s at ≤ ${CONNECTIONS} connections: the server answered ${(sent.length / (sendMs / 1000)).toFixed(0)}/s of the ${RATE}/s offered (ack p50 ${pct(50)} ms)`,
    );
  });
});
