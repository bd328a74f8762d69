/**
 * The commit status a finished preview build gets on its PR head (issue 10 item 2): the state and a
 * one-line description of at most 140 characters (GitHub's limit): pages added/changed/removed, broken
 * links in the PR's own pages, and the inbound links (other sources' links) the PR breaks, naming the
 * first. Inbound breakage fails the status with PREVIEW_INBOUND=fail, or is a warning with `warn`.
 * A failed build is `error` with its phase and message (secrets redacted). Pure: no I/O.
 */
import { redact } from '../notify/redact.ts';
import { clip, plural } from '../notify/wording.ts';
import type { BuildRecord, CommitStatusNote } from '../types.ts';

/** GitHub's limit on a status description. */
export const MAX_DESCRIPTION = 140;

export interface PreviewStatusOptions {
  /** PREVIEW_INBOUND: whether inbound links the PR breaks fail the status or only warn. */
  inbound: 'fail' | 'warn';
  /** Secret values never sent to GitHub (see secretsOf). */
  secrets?: ReadonlyArray<string | undefined>;
  /** The build's page, the target of an `error` status (no preview to open). */
  buildUrl?: (id: string) => string;
}

export type PreviewStatus = Required<Pick<CommitStatusNote, 'state' | 'description'>> & { target_url?: string };

const length = (s: string): number => [...s].length;

/** The status for a preview build in its final state; undefined when none is set (not a preview, a close, skipped). */
export function previewStatus(build: BuildRecord, options: PreviewStatusOptions): PreviewStatus | undefined {
  const t = build.trigger;
  if (t.kind !== 'preview' || t.action !== 'open') return undefined;
  if (build.state === 'failed') {
    const where = build.error ? `in ${build.error.phase}: ${build.error.message}` : 'without an error message';
    const target = options.buildUrl?.(build.id);
    return {
      state: 'error',
      description: clip(redact(`Preview failed ${where}`, options.secrets), MAX_DESCRIPTION),
      ...(target ? { target_url: target } : {}),
    };
  }
  if (build.state !== 'succeeded' && build.state !== 'degraded') return undefined;

  const p = build.pages;
  const pages = p ? `pages +${p.added} ~${p.changed} −${p.removed}` : 'pages unchanged';
  const own = build.sources.filter((s) => t.sources.includes(s.id)).flatMap((s) => s.diagnostics.filter((d) => d.kind === 'broken-link')).length;
  const links = own ? `${plural(own, 'broken link')} in its pages` : 'no broken links';
  const inbound = build.inboundBroken ?? [];
  const fail = inbound.length > 0 && options.inbound === 'fail';
  const compose = (example: string | undefined): string => {
    const more = inbound.length > 1 && example !== undefined ? `, +${inbound.length - 1} more` : '';
    const broken = `${plural(inbound.length, 'inbound link')} broken${example === undefined ? '' : `: ${example}${more}`}`;
    if (fail) return `${broken}; ${pages}; ${links}`;
    return `Preview ready: ${pages}; ${links}${inbound.length ? `; warning: ${broken}` : ''}`;
  };
  let description = compose(undefined);
  const first = inbound[0];
  if (first) {
    // Name the first broken link, cut to what the 140 characters leave (never below a readable stub).
    const example = `${first.from.source}/${first.from.file} → ${first.to.url}`;
    const spare = MAX_DESCRIPTION - length(compose(''));
    if (spare >= 16) description = compose(clip(example, Math.min(length(example), spare)));
  }
  return {
    state: fail ? 'failure' : 'success',
    description: clip(redact(description, options.secrets), MAX_DESCRIPTION),
    ...(build.preview?.url ? { target_url: build.preview.url } : {}),
  };
}
