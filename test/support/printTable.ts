import type { TestContext } from 'node:test';

/** One line of a printed table: a kind of input and what became of it. */
export interface Row {
  kind: string;
  status: number;
  outcome: string;
  ok: boolean;
}

/** Print a table of kinds and outcomes into the test output (CI shows it). */
export function printTable(t: TestContext, title: string, rows: Row[]): void {
  const w = Math.min(60, Math.max(...rows.map((r) => r.kind.length)));
  t.diagnostic(`${title}: ${rows.length} kinds, ${rows.filter((r) => r.ok).length} as expected`);
  for (const r of rows) {
    t.diagnostic(
      `${r.ok ? 'ok  ' : 'FAIL'} ${r.kind.replace(/\n/g, '\\n').padEnd(w).slice(0, w)} ${r.status ? String(r.status).padEnd(4) : ''}${r.outcome.replace(/\n/g, '\\n')}`,
    );
  }
}
