import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { BuildRecord, Trigger } from '../types.ts';
import { newBuildId } from './newBuildId.ts';
import type { AcceptResult, DeliveryDecision, DeliveryInfo, QueueOptions } from './queueTypes.ts';
import { type DeliveryRow, listDeliveries, listRejections, recordRejection, type RejectionRow } from './deliveryLedger.ts';
import { COALESCE_RULES, type CoalesceRules, coalesceGroup, coalescedStart, foldRequests } from './coalesce.ts';
import { requeueInterrupted } from './requeueInterrupted.ts';

export type { DeliveryRow, RejectionRow } from './deliveryLedger.ts';
export { MAX_FREE_INTERRUPTIONS } from './requeueInterrupted.ts';
export { newBuildId } from './newBuildId.ts';
export type { AcceptResult, DeliveryDecision, DeliveryInfo, QueueOptions } from './queueTypes.ts';

/**
 * The durable build queue with Function Compute's async semantics: at-least-once, bounded retries
 * with backoff, a maximum event age. Every state change is committed before the call returns.
 */
export class BuildQueue {
  readonly db: DatabaseSync;
  readonly maxAttempts: number;
  readonly retryDelaysMs: number[];
  readonly maxEventAgeMs: number;
  readonly rules: CoalesceRules;
  readonly now: () => number;
  readonly #stmt: Record<string, StatementSync>;

  constructor(db: DatabaseSync, options: QueueOptions = {}) {
    this.db = db;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.retryDelaysMs = options.retryDelaysMs ?? [10_000, 60_000, 300_000];
    this.maxEventAgeMs = options.maxEventAgeMs ?? 24 * 3600_000;
    this.rules = { quietMs: options.coalesceWindowMs ?? COALESCE_RULES.quietMs, maxWaitMs: options.maxCoalesceWaitMs ?? COALESCE_RULES.maxWaitMs };
    this.now = options.now ?? Date.now;
    this.#stmt = {
      insertBuild: db.prepare('INSERT INTO builds (id, state, record, run_after, expires_at) VALUES (?, ?, ?, ?, ?)'),
      updateBuild: db.prepare('UPDATE builds SET state = ?, record = ?, run_after = ? WHERE id = ?'),
      getBuild: db.prepare('SELECT record, carrier FROM builds WHERE id = ?'),
      setCarrier: db.prepare('UPDATE builds SET carrier = ? WHERE id = ?'),
      carriedBy: db.prepare('SELECT record FROM builds WHERE carrier = ? ORDER BY seq DESC'),
      getCarrier: db.prepare('SELECT carrier FROM builds WHERE id = ?'),
      queued: db.prepare("SELECT record, run_after FROM builds WHERE state = 'queued' ORDER BY seq"),
      nextQueued: db.prepare("SELECT record, expires_at FROM builds WHERE state = 'queued' AND run_after <= ? ORDER BY seq LIMIT 1"),
      nextRunAt: db.prepare("SELECT MIN(run_after) AS t FROM builds WHERE state = 'queued'"),
      running: db.prepare("SELECT record FROM builds WHERE state = 'running'"),
      list: db.prepare('SELECT record, carrier FROM builds ORDER BY seq DESC LIMIT ?'),
      getDelivery: db.prepare('SELECT outcome, build_id FROM deliveries WHERE guid = ?'),
      insertDelivery: db.prepare('INSERT INTO deliveries (guid, event, received_at, outcome, reason, build_id, repo, ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      countDuplicate: db.prepare('UPDATE deliveries SET duplicates = duplicates + 1 WHERE guid = ?'),
    } as Record<string, StatementSync>;
  }

  #s(name: string): StatementSync {
    return this.#stmt[name]!;
  }

  #newRecord(trigger: Trigger, state: 'queued' | 'skipped', reason?: string): BuildRecord {
    const now = this.now();
    const record: BuildRecord = { id: newBuildId(now), state, trigger, createdAt: new Date(now).toISOString(), attempts: 0, phases: {}, sources: [] };
    let runAfter = state === 'queued' ? coalescedStart(trigger.kind, now, undefined, this.rules) : now;
    if (reason !== undefined) {
      record.reason = reason;
      record.finishedAt = record.createdAt;
    }
    if (state === 'queued') {
      // Coalesce: builds still waiting to start, of the same group (live, or one PR's previews), are
      // carried by this one (the shared rules in coalesce.ts).
      const group = coalesceGroup(trigger);
      const waiting = (this.#s('queued').all() as Array<{ record: string; run_after: number }>)
        .map((row) => ({ runAfter: row.run_after, build: JSON.parse(row.record) as BuildRecord }))
        .filter((w) => coalesceGroup(w.build.trigger) === group);
      const olds = waiting.map((w) => w.build);
      const fold = foldRequests([...olds, record], record.id);
      if (waiting.length) {
        const earliest = Math.min(...waiting.map((w) => w.runAfter));
        runAfter = coalescedStart(trigger.kind, now, { earliest, since: fold.since }, this.rules);
        record.queuedSince = fold.since;
      }
      // A preview's request is its trigger (what the PR head is); live requests merge pushes and rebuilds.
      if (trigger.kind !== 'preview') record.request = fold.request;
      if (fold.carried) record.carried = fold.carried;
      this.#insert(record, runAfter, now);
      for (const old of olds) {
        old.state = 'superseded';
        old.finishedAt = new Date(now).toISOString();
        delete old.carried;
        delete old.request;
        this.save(old);
        // The old build points at its successor; reads follow the chain to the final carrier (O(1) writes per push).
        this.#s('setCarrier').run(record.id, old.id);
      }
      return record;
    }
    this.#insert(record, runAfter, now);
    return record;
  }

  #insert(record: BuildRecord, runAfter: number, now: number): void {
    for (let tries = 0; ; tries++) {
      try {
        this.#s('insertBuild').run(record.id, record.state, JSON.stringify(record), runAfter, now + this.maxEventAgeMs);
        return;
      } catch (err) {
        // Ids are random within a second: on the rare clash, draw another.
        if (tries >= 5 || !/UNIQUE/.test((err as Error).message)) throw err;
        record.id = newBuildId(now);
      }
    }
  }

  #transaction<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** Queue a build (manual rebuilds; pushes go through acceptDelivery). Durable on return. */
  enqueue(trigger: Trigger): BuildRecord {
    return this.#transaction(() => this.#newRecord(trigger, 'queued'));
  }

  /**
   * Record a webhook delivery and, unless skipped, its build, in one transaction. A delivery id
   * seen before is reported as a duplicate and nothing new is written.
   */
  acceptDelivery(delivery: DeliveryInfo, decision: DeliveryDecision): AcceptResult {
    return this.#transaction((): AcceptResult => {
      const seen = this.#s('getDelivery').get(delivery.guid) as { outcome: string; build_id: string | null } | undefined;
      if (seen) {
        this.#s('countDuplicate').run(delivery.guid);
        return seen.build_id ? { duplicate: true, outcome: seen.outcome, buildId: seen.build_id } : { duplicate: true, outcome: seen.outcome };
      }
      let build: BuildRecord | undefined;
      if ('skip' in decision) {
        if (decision.trigger) build = this.#newRecord(decision.trigger, 'skipped', decision.skip);
      } else {
        build = this.#newRecord(decision.trigger, 'queued');
      }
      const outcome = 'skip' in decision ? 'skipped' : 'queued';
      const reason = 'skip' in decision ? decision.skip : null;
      this.#s('insertDelivery').run(
        delivery.guid,
        delivery.event,
        new Date(this.now()).toISOString(),
        outcome,
        reason,
        build?.id ?? null,
        delivery.repo ?? null,
        delivery.ref ?? null,
      );
      const result: AcceptResult = { duplicate: false };
      if (build) result.build = build;
      if ('skip' in decision) result.skipped = decision.skip;
      return result;
    });
  }

  /** After a crash: builds left `running` go back to the queue (requeueInterrupted). Returns how many. */
  recoverInterrupted(): number {
    const rows = this.#s('running').all() as Array<{ record: string }>;
    for (const row of rows) {
      const record = requeueInterrupted(JSON.parse(row.record) as BuildRecord);
      this.#s('updateBuild').run('queued', JSON.stringify(record), this.now(), record.id);
    }
    return rows.length;
  }

  /**
   * Take the oldest due build and mark it running. A build past its maximum event age is returned
   * already failed (`expired: true`) so the caller can report it.
   */
  claim(): { build: BuildRecord; expired: boolean } | undefined {
    const now = this.now();
    const row = this.#s('nextQueued').get(now) as { record: string; expires_at: number } | undefined;
    if (!row) return undefined;
    const build = JSON.parse(row.record) as BuildRecord;
    if (now >= row.expires_at) {
      build.state = 'failed';
      build.finishedAt = new Date(now).toISOString();
      build.error = {
        phase: 'queue',
        message: `gave up: not built within the maximum event age (${Math.round(this.maxEventAgeMs / 60000)} min) after ${build.attempts} attempt(s)${build.error ? `; last error: ${build.error.message}` : ''}`,
      };
      this.save(build);
      return { build, expired: true };
    }
    build.state = 'running';
    build.attempts += 1;
    build.startedAt = new Date(now).toISOString();
    this.save(build);
    return { build, expired: false };
  }

  /** Persist a record as it is (progress, or a final state). */
  save(build: BuildRecord, runAfter = this.now()): void {
    this.#s('updateBuild').run(build.state, JSON.stringify(build), runAfter, build.id);
  }

  /**
   * A failed attempt: queue it again after the backoff, or give up after maxAttempts.
   * Returns true when another attempt is scheduled.
   */
  retryOrFail(build: BuildRecord): boolean {
    if (build.attempts >= this.maxAttempts) {
      build.state = 'failed';
      build.finishedAt = new Date(this.now()).toISOString();
      this.save(build);
      return false;
    }
    const delay = this.retryDelaysMs[Math.min(build.attempts - 1, this.retryDelaysMs.length - 1)] ?? 0;
    build.state = 'queued';
    this.save(build, this.now() + delay);
    return true;
  }

  /** The builds `id` superseded when it was queued (those pointing at it directly), newest first. */
  supersededBy(id: string): BuildRecord[] {
    return (this.#s('carriedBy').all(id) as Array<{ record: string }>).map((row) => ({
      ...(JSON.parse(row.record) as BuildRecord),
      supersededBy: this.finalId(id)!,
    }));
  }

  get(id: string): BuildRecord | undefined {
    const row = this.#s('getBuild').get(id) as { record: string; carrier: string | null } | undefined;
    if (!row) return undefined;
    const build = JSON.parse(row.record) as BuildRecord;
    if (row.carrier) build.supersededBy = this.finalId(row.carrier)!;
    return build;
  }

  list(limit = 50): BuildRecord[] {
    const memo = new Map<string, string>();
    return (this.#s('list').all(limit) as Array<{ record: string; carrier: string | null }>).map((r) => {
      const build = JSON.parse(r.record) as BuildRecord;
      if (r.carrier) build.supersededBy = this.finalId(r.carrier, memo)!;
      return build;
    });
  }

  /** The delivery ledger: what became of each delivery, and the refused ones. */
  listDeliveries(limit = 100): DeliveryRow[] {
    const memo = new Map<string, string>();
    const records = new Map<string, BuildRecord | undefined>();
    return listDeliveries(this.db, limit, (id) => {
      const final = this.finalId(id, memo);
      if (!final) return undefined;
      if (!records.has(final)) records.set(final, this.get(final));
      return records.get(final);
    });
  }

  listRejections(limit = 100): RejectionRow[] {
    return listRejections(this.db, limit);
  }

  recordRejection(rejection: { guid?: string; event?: string; status: number; reason: string }): void {
    recordRejection(this.db, rejection, this.now());
  }

  /** The build that finally carries `id`: itself, or the end of its `supersededBy` chain. */
  carrierOf(id: string): BuildRecord | undefined {
    const final = this.finalId(id);
    return final ? this.get(final) : undefined;
  }

  /** The id at the end of `id`'s chain of successors (itself when it was not superseded). */
  finalId(id: string, memo?: Map<string, string>): string | undefined {
    const seen: string[] = [];
    let cur = id;
    for (;;) {
      const hit = memo?.get(cur);
      if (hit) {
        cur = hit;
        break;
      }
      const row = this.#s('getCarrier').get(cur) as { carrier: string | null } | undefined;
      if (!row) return undefined;
      if (!row.carrier) break;
      seen.push(cur);
      cur = row.carrier;
    }
    if (memo) for (const s of seen) memo.set(s, cur);
    return cur;
  }

  /** When the next queued build becomes due (ms epoch), or undefined when none is queued. */
  nextRunAt(): number | undefined {
    const row = this.#s('nextRunAt').get() as { t: number | null } | undefined;
    return row?.t ?? undefined;
  }
}
