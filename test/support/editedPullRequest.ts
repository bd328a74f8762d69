/**
 * A stand-in for the pull request fetch step of PR previews (the real one reads the PR's files from
 * GitHub): the source's live snapshot with the PR head's changes applied, and a preview trigger for it.
 */
import type { FetchPullRequestStep } from '../../functions/core/pipeline/runPreviewBuild.ts';
import { loadSnapshot } from '../../functions/core/pipeline/snapshots.ts';
import type { PreviewTrigger } from '../../functions/core/types.ts';

/** What a PR head changes in its source: path → new text (null: removed), and renames (new path → old path). */
export interface PullRequestHead {
  sha: string;
  files: Record<string, string | null>;
  renames?: Record<string, string>;
}

/** A fetch step that answers with the live snapshot of the trigger's first source, changed as `head()` says. */
export function editedPullRequest(head: () => PullRequestHead): FetchPullRequestStep {
  return async (trigger, ctx) => {
    const { files: changes, renames } = head();
    const live = await loadSnapshot(ctx.dataDir, ctx.sources.find((s) => s.id === trigger.sources[0])!);
    if (!live) throw new Error(`no live snapshot of ${trigger.sources[0]}`);
    const files = live.files.filter((f) => !(f.path in changes) && !Object.values(renames ?? {}).includes(f.path));
    for (const [path, text] of Object.entries(changes)) if (text !== null) files.push({ path, content: Buffer.from(text) });
    return { fetched: [{ ...live, sha: trigger.pr.headSha, files, ...(renames ? { renames } : {}) }], requests: 0 };
  };
}

/** A preview trigger for pull request #`number` of `repo`, tracked by source `source`. */
export function previewTrigger(action: 'open' | 'close', source: string, repo: string, number: number, headSha: string, title = 'A change'): PreviewTrigger {
  return {
    kind: 'preview',
    delivery: `d-${headSha.slice(0, 7)}-${action}`,
    action,
    sources: [source],
    pr: {
      repo,
      number,
      title,
      url: `https://github.com/${repo}/pull/${number}`,
      author: 'carol',
      headSha,
      headRef: 'change',
      headRepo: repo,
      baseRef: 'main',
      draft: false,
      fork: false,
    },
  };
}
