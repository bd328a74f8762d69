/**
 * Issue 8's proof: the whole story on the FC emulator, each function run from its built package with
 * s.yaml's command and variables (only the deployer's ${env()} given), the site and build records on
 * the OSS stand-in. A signed push reaches the webhook function cold → 202 → FC's async queue → the
 * builder builds (real Astro) and uploads to OSS → the website endpoint serves the new text →
 * DingTalk (signature checked) and mail. Then a burst of 50 pushes over 10 repos (few builds, every
 * push live), a 2,048-commit push (job within budget, built via compare), a builder killed mid-build
 * (FC retries once the lease expired; the site never half-deployed) and a build failing every
 * attempt (the destination event fails it; notified once).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { JOB_BUDGET_BYTES } from '../../functions/fc/fitBuildJob.ts';
import { fastImportCommits } from '../support/fastImport.ts';
import { missingAssets } from '../support/missingAssets.ts';
import { pidsMentioning } from '../support/processTree.ts';
import { BUILDER, startStoryStack, STORY_SECRETS, type StoryStack, WEBHOOK } from '../support/storyStack.ts';

const REPOS = Array.from({ length: 10 }, (_, i) => `team${i}`);
// Long enough that the retried attempt's cold start (slow on a loaded machine) lands while the dead holder's lease still runs.
const LEASE_TTL_MS = 10_000;
const text = (repo: string, v: string) => `${repo} says ${v}.`;
const readme = (repo: string, v: string) => ({ 'docs/readme.md': `# ${repo}\n\n${text(repo, v)}\n` });

describe('the whole story on the FC emulator', () => {
  let s: StoryStack;
  before(async () => {
    s = await startStoryStack(REPOS, { leaseTtlMs: LEASE_TTL_MS });
  });
  after(async () => {
    await s?.close();
  });

  const messagesAbout = (id: string) => ({
    ding: s.ding.messages.filter((m) => m.text.includes(id)),
    mail: s.smtp.messages.filter((m) => `${m.subject}\n${m.text}`.includes(id)),
  });
  async function assertLive(repo: string, v: string) {
    const page = await s.page(`/${repo}/`);
    assert.equal(page.status, 200, `/${repo}/`);
    assert.ok(page.text.includes(text(repo, v)), `/${repo}/ serves "${text(repo, v)}"`);
  }

  it('signed push → webhook function (cold) → 202 → builder → OSS → website → DingTalk and mail', async () => {
    const webhook = s.fc.runners.get(WEBHOOK)!;
    assert.equal(webhook.starts.length, 0, 'no instance yet');
    const ack = await s.push('team0', readme('team0', 'hello from the first push — 你好'));
    assert.equal(ack.status, 202, JSON.stringify(ack.body));
    assert.equal(webhook.starts.length, 1, 'answered from a cold start');
    await s.fc.queue.settled();
    const task = s.fc.queue.tasks.get(`gh-${ack.guid}`)!;
    assert.equal(task.status, 'Succeeded', JSON.stringify(task.attempts));
    const build = (await s.record(ack.body.id))!;
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error));
    await assertLive('team0', 'hello from the first push — 你好');
    for (const r of REPOS.slice(1)) assert.ok((await s.page(`/${r}/`)).text.includes(`${r} before any push.`));
    // The webhook function reads the builder's record from the bucket.
    assert.equal((await (await fetch(`${s.fc.triggerUrls[WEBHOOK]}/builds/${ack.body.id}`)).json()).state, 'succeeded');
    const sent = messagesAbout(ack.body.id);
    assert.equal(sent.ding.length, 1, 'one DingTalk message');
    assert.ok(
      s.ding.answers.every((a) => a.errcode === 0),
      JSON.stringify(s.ding.answers),
    );
    assert.equal(sent.mail.length, 1, 'one mail');
    assert.deepEqual(await missingAssets(s.oss), []);
  });

  it('a burst of 50 pushes over 10 repositories: few builds, every push live', async (t) => {
    const ids: string[] = [];
    const start = Date.now();
    for (let i = 0; i < 50; i++) {
      const due = start + i * 100;
      if (Date.now() < due) await sleep(due - Date.now());
      const repo = REPOS[i % REPOS.length]!;
      const ack = await s.push(repo, readme(repo, `burst ${Math.floor(i / REPOS.length)}`));
      assert.equal(ack.status, 202, JSON.stringify(ack.body));
      ids.push(ack.body.id);
    }
    await s.fc.queue.settled();
    const records = await Promise.all(ids.map((id) => s.record(id)));
    const ran = records.filter((b) => b!.state !== 'superseded');
    t.diagnostic(`50 pushes → ${ran.length} builds (${ran.map((b) => `${b!.id} ${b!.state}`).join(', ')})`);
    for (const b of ran) assert.equal(b!.state, 'succeeded', JSON.stringify(b!.error));
    assert.ok(ran.length <= 10, `${ran.length} builds for 50 pushes`);
    for (const r of REPOS) await assertLive(r, 'burst 4');
    assert.deepEqual(await missingAssets(s.oss), []);
  });

  it('a 2,048-commit push: the job within budget, built via the compare API, live', async (t) => {
    const repo = 'team1';
    const files = (c: number) => ({ [`docs/big/page-${c % 8}.md`]: `# Page ${c % 8}\n\nBig push, commit ${c}.\n` });
    const shas = await fastImportCommits(
      s.gh.repo('acme', repo).dir,
      'main',
      s.heads.get(repo)!,
      Array.from({ length: 2048 }, (_, c) => ({ files: files(c) })),
    );
    const compares = s.gh.requests.filter((r) => r.path.includes('/compare/')).length;
    // The push of those commits: their head becomes the repository's, as `git push` would make it.
    const ack = await s.pushPrepared(repo, shas, (c) => Object.keys(files(c)));
    assert.equal(ack.status, 202, JSON.stringify(ack.body));
    await s.fc.queue.settled();
    const task = s.fc.queue.tasks.get(`gh-${ack.guid}`)!;
    const job = JSON.parse(task.payload.toString('utf8'));
    t.diagnostic(`delivery ${ack.bytes} bytes → job ${task.payload.length} bytes; dropped: ${job.incomplete?.dropped.join(', ') ?? 'nothing'}`);
    assert.ok(task.payload.length < JOB_BUDGET_BYTES, `${task.payload.length} bytes`);
    assert.equal(job.build.trigger.changes.complete, false);
    const build = (await s.record(ack.body.id))!;
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error));
    assert.ok(s.gh.requests.filter((r) => r.path.includes('/compare/')).length > compares, 'the builder asked the compare API');
    for (let p = 0; p < 8; p++) {
      const last = 2047 - ((2047 - p) % 8);
      assert.match((await s.page(`/${repo}/big/page-${p}/`)).text, new RegExp(`Big push, commit ${last}\\.`));
    }
  });

  it('a builder killed mid-build: FC retries once the lease expired, the site never half-deployed', async () => {
    const runner = s.fc.runners.get(BUILDER)!;
    const ack = await s.push('team2', readme('team2', 'after the crash'));
    assert.equal(ack.status, 202, JSON.stringify(ack.body));
    // Wait until the build phase (Astro) runs, then end the instance like FC losing its sandbox.
    let victim = runner.instance();
    for (const deadline = Date.now() + 60_000; !victim?.output().includes(`[${ack.body.id}] build…`); victim = runner.instance()) {
      assert.ok(Date.now() < deadline, 'the build phase never started');
      await sleep(50);
    }
    const starts = runner.starts.length;
    for (const pid of pidsMentioning(`FC_INSTANCE_ID=${victim.id}`)) process.kill(pid, 'SIGKILL');
    // Readers keep seeing a whole site while FC retries and the new instance waits out the lease.
    const broken: string[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        broken.push(...(await missingAssets(s.oss)));
        await sleep(200);
      }
    })();
    await s.fc.queue.settled();
    watching = false;
    await watch;
    const task = s.fc.queue.tasks.get(`gh-${ack.guid}`)!;
    assert.equal(task.status, 'Succeeded', JSON.stringify(task.attempts));
    assert.ok(task.attempts.length >= 2 && task.attempts[0]!.status >= 500, JSON.stringify(task.attempts.map((a) => a.status)));
    assert.ok(runner.starts.length > starts, 'a new instance (cold start)');
    assert.match(runner.instance()!.output(), new RegExp(`\\[${ack.body.id}\\] waiting for the build lease`));
    const build = (await s.record(ack.body.id))!;
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error));
    await assertLive('team2', 'after the crash');
    assert.deepEqual(broken, []);
    assert.equal(messagesAbout(ack.body.id).ding.length, 1);
  });

  it('a build that fails every attempt: the destination event marks it failed, notified once', async () => {
    // OSS refuses every copy into the site's own keys (pages and assets are uploaded content-addressed
    // under _docs-sync/, then copied in place): each attempt fails in deploy, build records still save.
    s.oss.failAfter('CopyObject', 0, /^(?!_docs-sync\/)/);
    try {
      const ack = await s.push('team3', readme('team3', 'never published'));
      assert.equal(ack.status, 202, JSON.stringify(ack.body));
      await s.fc.queue.settled();
      const task = s.fc.queue.tasks.get(`gh-${ack.guid}`)!;
      assert.equal(task.status, 'Failed');
      assert.equal(task.attempts.length, 4, 'the first attempt and maxAsyncRetryAttempts (3) retries');
      const build = (await s.record(ack.body.id))!;
      assert.equal(build.state, 'failed');
      assert.match(build.error!.message, /gave up after 4 attempt/);
      assert.equal((await (await fetch(`${s.fc.triggerUrls[WEBHOOK]}/builds/${ack.body.id}`)).json()).state, 'failed');
      const sent = messagesAbout(ack.body.id);
      assert.equal(sent.ding.length, 1, 'one DingTalk message');
      assert.match(sent.ding[0]!.text, /fail/i);
      assert.equal(sent.mail.length, 1, 'one mail');
      await assertLive('team3', 'burst 4');
      assert.deepEqual(await missingAssets(s.oss), []);
    } finally {
      s.oss.recover();
    }
  });

  it('never logs or sends a secret; DingTalk accepted every message', () => {
    const output = [...s.fc.runners.values()].map((r) => r.instance()?.output() ?? '').join('\n');
    const sent = [...s.ding.messages.map((m) => m.text), ...s.smtp.messages.map((m) => m.raw)].join('\n');
    for (const secret of Object.values(STORY_SECRETS))
      assert.ok(!output.includes(secret) && !sent.includes(secret), 'a secret in a function log or a notification');
    assert.ok(
      s.ding.answers.every((a) => a.errcode === 0),
      JSON.stringify(s.ding.answers),
    );
  });
});
