import type { BuildRecord, Phase } from '../types.ts';
import { clip, ITEM_CHARS, plural } from './wording.ts';

/** What to do after a failure, by phase. */
const WHAT_TO_DO: Record<Phase | 'queue', string> = {
  fetch: 'check the error (GITHUB_TOKEN access, the repository and branch in the sources file, or GitHub being down), then rebuild.',
  transform: 'a document could not be converted: fix the one the error names and push, or report the bug; then rebuild.',
  build: 'the site generator failed: open the build details for its output, fix the page it names and push, then rebuild.',
  deploy: 'check free disk space and write permission on DATA_DIR, then rebuild.',
  notify: 'check the notification settings (DINGTALK_*, SMTP_URL, MAIL_*).',
  queue: 'the build could not run in time: check that the server (or the builder function) is running and healthy, then rebuild.',
};

const list = (ids: string[]) => (ids.length <= 3 ? ids.join(', ') : `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more`);

/**
 * The outcome in words: a headline, then what is stale or missing and what the site still serves, and
 * for a failure the phase and what to do.
 */
export function describeOutcome(b: BuildRecord): { outcome: string; headline: string; notes: string[] } {
  const notes: string[] = [];
  const stale = b.sources.filter((s) => s.state === 'stale').map((s) => s.id);
  const failed = b.sources.filter((s) => s.state === 'failed').map((s) => s.id);
  if (b.state === 'skipped')
    return { outcome: 'skipped', headline: `Docs build ${b.id} was skipped${b.reason ? `: ${clip(b.reason, ITEM_CHARS)}` : '.'}`, notes };
  if (b.state === 'superseded') {
    const by = b.supersededBy ? `newer build ${b.supersededBy}` : 'a newer build';
    return { outcome: 'superseded', headline: `Docs build ${b.id} was not built on its own: ${by} carries its changes.`, notes };
  }
  if (b.state === 'failed') {
    const phase = b.error?.phase;
    const where = !phase ? '' : phase === 'queue' ? ' before it could run (queue)' : ` in the ${phase} phase`;
    const tries = b.attempts > 1 ? ` after ${b.attempts} attempts` : '';
    notes.push('The site still serves the previous release.');
    notes.push(`What to do: ${WHAT_TO_DO[phase ?? 'queue']}`);
    return { outcome: 'failed', headline: `Docs build ${b.id} failed${where}${tries}.`, notes };
  }
  if (b.state === 'degraded' || stale.length || failed.length) {
    const parts = [stale.length ? `${plural(stale.length, 'source')} stale` : '', failed.length ? `${plural(failed.length, 'source')} missing` : ''].filter(
      Boolean,
    );
    if (stale.length)
      notes.push(
        `${list(stale)} ${stale.length === 1 ? 'is' : 'are'} stale: fetching failed, so the site still serves ${stale.length === 1 ? 'its' : 'their'} last good copy.`,
      );
    if (failed.length)
      notes.push(
        `${list(failed)} could not be fetched and had no good copy: ${failed.length === 1 ? 'its pages are' : 'their pages are'} missing from the site.`,
      );
    notes.push(
      'What to do: check the errors below (GITHUB_TOKEN access, a renamed repository or branch, GitHub being down); the next push or a rebuild tries again.',
    );
    return { outcome: 'degraded', headline: `Docs build ${b.id} is live but degraded: ${parts.join(', ') || 'some sources could not be fetched'}.`, notes };
  }
  return { outcome: b.state, headline: `Docs build ${b.id} ${b.state === 'succeeded' ? 'succeeded' : `is ${b.state}`}.`, notes };
}
