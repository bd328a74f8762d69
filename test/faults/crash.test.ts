/**
 * Crash safety: the real server (`scripts/start.ts`, a child process) is killed with SIGKILL at
 * random moments chosen by a seeded generator — right after a 202, while fetching, while building the
 * site, right after the deploy switched `current` — and restarted, round after round. Then the queue
 * drains and every accepted delivery must have ended built (itself or through the build that carried
 * it), the site must show the last commit's text, and `DATA_DIR/current` must have pointed at a
 * complete release at every restart. Replay a run with CRASH_SEED=<seed> (and CRASH_ROUNDS=<n>).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { commandOf, pidsMentioning } from '../support/processTree.ts';
import { rawRequest } from '../support/rawHttp.ts';
import { seededRandom } from '../support/seededRandom.ts';
import { getJson, startSiteFixture, type SiteFixture } from '../support/siteFixture.ts';
import { waitForBuild } from '../support/startServerProcess.ts';

const SEED = Number(process.env.CRASH_SEED ?? 20261121);
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 8);
const KILL_POINTS = ['right after the 202', 'during fetch', 'during the site build', 'right after the deploy switch', 'at a random moment'] as const;
type KillPoint = (typeof KILL_POINTS)[number];

interface Round {
  round: number;
  aim: KillPoint;
  pushes: number;
  /** The phase of the running build when the kill landed (from the server's log), or "idle". */
  landed: string;
  msAfter202: number;
  currentAtRestart: string;
  leftovers: string;
  orphans: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`crash safety: kill -9 at random moments (seed ${SEED}, ${ROUNDS} rounds) loses nothing and never breaks the site`, () => {
  let site: SiteFixture;
  const rng = seededRandom(SEED);
  const rounds: Round[] = [];
  const accepted: Array<{ guid: string; id: string; round: number }> = [];
  let lastText = '';

  before(async () => {
    site = await startSiteFixture({ files: { 'docs/readme.md': '# Widgets\n\nRound 0.\n', 'docs/guide.md': '# Guide\n\nStays.\n' } });
    const first = await waitForLatest(site.server.url);
    assert.equal(first.state, 'succeeded', JSON.stringify(first.error));
  });

  after(async () => {
    for (const pid of pidsMentioning(site?.dir ?? '/nonexistent')) killQuietly(pid);
    await site?.close();
  });

  /** Resolve when the server log (after `from`) matches `re`, or after `timeoutMs` (false). */
  async function logShows(from: number, re: RegExp, timeoutMs = 60_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (re.test(site.server.output().slice(from))) return true;
      if (site.server.child.exitCode !== null) return false;
      await sleep(5);
    }
    return false;
  }

  /** The phase the newest build in the log was in (its last "[id] phase…" line), or "idle". */
  function phaseIn(log: string): string {
    const lines = log.split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      const l = lines[i]!;
      if (/\] (succeeded|degraded|failed)\b| in \d+ ms$/.test(l)) return 'idle (build finished)';
      const m = /\[\S+\] (fetch|transform|build|deploy)…/.exec(l);
      if (m) return m[1]!;
      if (/\] attempt \d+ started/.test(l)) return 'queued → started';
    }
    return 'idle';
  }

  it('survives every kill and resumes', async () => {
    // Every kill point comes up (in a seeded order) before any repeats.
    const plan: KillPoint[] = [];
    while (plan.length < ROUNDS) plan.push(...shuffle([...KILL_POINTS], rng.next));
    for (let round = 1; round <= ROUNDS; round++) {
      const aim = plan[round - 1]!;
      // Aim inside the build by its measured length (the last finished build's phases), not a guess.
      const recent = ((await getJson(`${site.server.url}/builds?limit=20`)).builds as any[]).find((b) => b.state === 'succeeded' && b.phases?.build);
      const buildMs = Math.max(50, recent?.phases.build ?? 1000);
      const totalMs = Math.max(
        500,
        Object.values((recent?.phases ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0),
      );
      const pushes = rng.next() < 0.3 ? 2 : 1;
      const from = site.server.output().length;
      const currentBefore = await site.currentRelease();
      let acked = 0;
      for (let p = 0; p < pushes; p++) {
        lastText = `Round ${round}.${p} text ${rng.int(1e5, 1e6 - 1)}`;
        const before = site.head;
        const sha = await site.commit({ 'docs/readme.md': `# Widgets\n\n${lastText}\n` }, { message: `round ${round}.${p}` });
        const d = await site.push(sha, { before, commits: [{ modified: ['docs/readme.md'] }] });
        const ack = await rawRequest(`${site.server.url}/webhook`, { headers: d.headers, body: d.body });
        assert.equal(ack.status, 202, `round ${round}: ${ack.text}`);
        accepted.push({ guid: d.guid, id: ack.json.id, round });
        acked = performance.now();
      }

      if (aim === 'during fetch') await logShows(from, /\] fetch…/);
      else if (aim === 'during the site build') {
        if (await logShows(from, /\] build…/)) await sleep(Math.floor(rng.next() * buildMs * 0.8));
      } else if (aim === 'right after the deploy switch') {
        const deadline = Date.now() + 90_000;
        while (Date.now() < deadline && (await site.currentRelease()) === currentBefore && site.server.child.exitCode === null) await sleep(1);
      } else if (aim === 'at a random moment') await sleep(rng.int(0, 2000 + totalMs));
      const landed = phaseIn(site.server.output().slice(0, site.server.output().length));
      const msAfter202 = Math.round(performance.now() - acked);
      await site.server.kill9();

      // While it is down: `current` must point at a complete release.
      await sleep(300);
      const orphans = pidsMentioning(site.dir);
      for (const pid of orphans) killQuietly(pid);
      const current = await site.currentRelease();
      assert.ok(current, `round ${round}: DATA_DIR/current exists`);
      assert.ok(existsSync(join(site.dataDir, 'current', 'index.html')), `round ${round}: current (${current}) has index.html`);
      const leftovers = tempLeftovers(site.dataDir);
      await site.restart();
      assert.equal((await fetch(`${site.server.url}/healthz`)).status, 200);
      assert.equal((await fetch(`${site.server.url}/widgets/`)).status, 200, `round ${round}: the site is served right after the restart`);
      rounds.push({ round, aim, pushes, landed, msAfter202, currentAtRestart: current!, leftovers: leftovers.join(' ') || '-', orphans: orphans.length });
      if (orphans.length) console.log(`round ${round}: ${orphans.length} process(es) outlived the server: ${orphans.map(commandOf).join(' | ').slice(0, 200)}`);
    }
  });

  it('drains: every accepted delivery ended built, the site shows the last commit, current is complete', async (t) => {
    const url = site.server.url;
    const started = Date.now();
    const final = await drain(url, 150_000);
    const drainMs = Date.now() - started;
    const ledger = (await getJson(`${url}/deliveries`)).deliveries as any[];
    const rows: string[] = [];
    const problems: string[] = [];
    for (const a of accepted) {
      const row = ledger.find((d) => d.guid === a.guid);
      const build = await getJson(`${url}/builds/${a.id}`);
      const carrier = build.supersededBy ? await getJson(`${url}/builds/${build.supersededBy}`) : build;
      const ok = row?.outcome === 'built' && carrier.state === 'succeeded';
      if (!ok)
        problems.push(
          `round ${a.round} delivery ${a.guid}: ledger ${row?.outcome ?? 'missing'}, build ${build.id} ${build.state}${build.supersededBy ? ` → ${carrier.id} ${carrier.state}` : ''} ${carrier.error ? JSON.stringify(carrier.error).slice(0, 300) : ''}`,
        );
      rows.push(
        `round ${String(a.round).padStart(2)} ${a.guid.slice(0, 8)} build ${build.id} ${build.state.padEnd(10)} ${build.supersededBy ? `carried by ${carrier.id} ` : ''}→ ${row?.outcome ?? 'missing'} (attempts ${carrier.attempts})`,
      );
    }
    const page = await (await fetch(`${url}/widgets/`)).text();
    const releases = readdirSync(join(site.dataDir, 'releases'));

    t.diagnostic(`seed ${SEED}; ${ROUNDS} rounds; ${accepted.length} accepted deliveries; drained in ${drainMs} ms; builds by state: ${JSON.stringify(final)}`);
    t.diagnostic('round  aimed at                       pushes  landed in               ms after 202  current at restart         orphans  temp leftovers');
    for (const r of rounds) {
      t.diagnostic(
        `${String(r.round).padStart(5)}  ${r.aim.padEnd(30)} ${String(r.pushes).padStart(6)}  ${r.landed.padEnd(22)} ${String(r.msAfter202).padStart(12)}  ${r.currentAtRestart.padEnd(26)} ${String(r.orphans).padStart(7)}  ${r.leftovers}`,
      );
    }
    for (const r of rows) t.diagnostic(r);
    t.diagnostic(`releases kept: ${releases.join(' ')}; leftovers now: ${tempLeftovers(site.dataDir).join(' ') || '-'}`);
    const unfinished = ((await getJson(`${url}/builds?limit=500`)).builds as any[]).filter((b) => !['succeeded', 'superseded'].includes(b.state));
    for (const b of unfinished)
      t.diagnostic(`not built: ${b.id} ${b.state} attempts ${b.attempts}: ${JSON.stringify(b.error ?? b.reason ?? '').slice(0, 400)}`);

    assert.equal(final.queued ?? 0, 0, `the queue drained within 150 s: ${JSON.stringify(final)}`);
    assert.deepEqual(problems, [], problems.join('\n'));
    assert.match(page, new RegExp(lastText.replace(/\./g, '\\.')), 'the site shows the last commit');
    assert.ok(existsSync(join(site.dataDir, 'current', 'index.html')));
    for (const r of releases.filter((n) => !n.startsWith('.')))
      assert.ok(existsSync(join(site.dataDir, 'releases', r, 'index.html')), `release ${r} is complete`);
    assert.equal(final.queued ?? 0, 0);
    assert.equal(final.running ?? 0, 0);
  });
});

/** Wait until no build is queued or running (or `timeoutMs` passes); returns builds by state. */
async function drain(url: string, timeoutMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let counts: Record<string, number> = {};
  while (Date.now() < deadline) {
    const builds = (await getJson(`${url}/builds?limit=500`)).builds as any[];
    counts = {};
    for (const b of builds) counts[b.state] = (counts[b.state] ?? 0) + 1;
    if (!counts.queued && !counts.running) return counts;
    await sleep(500);
  }
  return counts;
}

async function waitForLatest(url: string): Promise<any> {
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    const builds = (await getJson(`${url}/builds`).catch(() => ({ builds: [] }))).builds as any[];
    if (builds[0]) return waitForBuild(url, builds[0].id);
    await sleep(250);
  }
  throw new Error('no first build');
}

/** Temporary names a crash can leave behind: `.current-*` links, hidden folders under releases/, work folders. */
function tempLeftovers(dataDir: string): string[] {
  const list = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
  return [
    ...list(dataDir).filter((n) => n.startsWith('.current-')),
    ...list(join(dataDir, 'releases'))
      .filter((n) => n.startsWith('.'))
      .map((n) => `releases/${n}`),
    ...list(join(dataDir, 'work')).map((n) => `work/${n}`),
  ];
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
