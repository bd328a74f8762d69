import type { DatabaseSync } from 'node:sqlite';
import type { BuildRecord } from '../types.ts';

export interface DeliveryRow {
  guid: string;
  event: string;
  receivedAt: string;
  /** What became of it: skipped, queued, building, built, built (degraded), failed — after any supersession. */
  outcome: string;
  reason?: string;
  /** The build this delivery created. */
  buildId?: string;
  /** The build that finally carried it (differs from buildId when it was superseded). */
  builtIn?: string;
  /** How many times GitHub sent it again (answered as duplicates, never built twice). */
  duplicates?: number;
  repo?: string;
  ref?: string;
}

export interface RejectionRow {
  at: string;
  status: number;
  reason: string;
  guid?: string;
  event?: string;
}

/** Refused deliveries kept for the ledger; older ones are dropped (they come from anyone). */
const KEEP_REJECTIONS = 1000;
const OUTCOME: Record<string, string> = {
  queued: 'queued',
  running: 'building',
  succeeded: 'built',
  degraded: 'built (degraded)',
  failed: 'failed',
  skipped: 'skipped',
};

export function listDeliveries(db: DatabaseSync, limit: number, carrierOf: (id: string) => BuildRecord | undefined): DeliveryRow[] {
  const rows = db.prepare('SELECT * FROM deliveries ORDER BY received_at DESC, rowid DESC LIMIT ?').all(limit) as Array<Record<string, string | number | null>>;
  return rows.map((r) => {
    const row: DeliveryRow = { guid: String(r.guid), event: String(r.event), receivedAt: String(r.received_at), outcome: String(r.outcome) };
    if (r.reason) row.reason = String(r.reason);
    if (r.build_id) {
      row.buildId = String(r.build_id);
      const final = carrierOf(row.buildId);
      if (final) {
        row.outcome = OUTCOME[final.state] ?? final.state;
        if (final.id !== row.buildId) row.builtIn = final.id;
      }
    }
    if (Number(r.duplicates) > 0) row.duplicates = Number(r.duplicates);
    if (r.repo) row.repo = String(r.repo);
    if (r.ref) row.ref = String(r.ref);
    return row;
  });
}

export function recordRejection(db: DatabaseSync, r: { guid?: string; event?: string; status: number; reason: string }, now: number): void {
  const info = db
    .prepare('INSERT INTO rejections (at, status, reason, guid, event) VALUES (?, ?, ?, ?, ?)')
    .run(new Date(now).toISOString(), r.status, r.reason.slice(0, 300), r.guid ?? null, r.event ?? null);
  const id = Number(info.lastInsertRowid);
  if (id % 100 === 0) db.prepare('DELETE FROM rejections WHERE id <= ?').run(id - KEEP_REJECTIONS);
}

export function listRejections(db: DatabaseSync, limit: number): RejectionRow[] {
  const rows = db.prepare('SELECT * FROM rejections ORDER BY id DESC LIMIT ?').all(limit) as Array<Record<string, string | number | null>>;
  return rows.map((r) => ({
    at: String(r.at),
    status: Number(r.status),
    reason: String(r.reason),
    ...(r.guid ? { guid: String(r.guid) } : {}),
    ...(r.event ? { event: String(r.event) } : {}),
  }));
}
