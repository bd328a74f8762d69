/**
 * Plain data of PR previews (issue "Previews and checks"): the trigger a `pull_request` delivery
 * queues, the pull request it names, and where a preview build published its site. Re-exported by
 * types.ts, where the rest of the pipeline's data lives.
 */
/**
 * A pull request to preview (issue "Previews and checks"): from a `pull_request` delivery on a repository
 * a source tracks, whose base branch is the tracked branch. `close` removes the preview instead.
 * Preview builds never coalesce with live builds; a newer one for the same PR supersedes a waiting one.
 */
export interface PreviewTrigger {
  kind: 'preview';
  delivery: string;
  action: 'open' | 'close';
  /** Ids of the sources that track the PR's base repository and branch (their pages come from the PR head). */
  sources: string[];
  pr: PullRequestInfo;
  /** Recorded when the payload says the base repository is private (the status pages protect it). */
  private?: true;
}

/** The parts of a pull request a preview needs (from the `pull_request` payload, checked). */
export interface PullRequestInfo {
  /** Base repository, `owner/name` (statuses are set there). */
  repo: string;
  number: number;
  title: string;
  /** The PR's page on GitHub. */
  url: string;
  author: string;
  /** The commit previewed, and where it lives (`headRepo` differs from `repo` for a fork). */
  headSha: string;
  headRef: string;
  headRepo: string;
  baseRef: string;
  draft: boolean;
  fork: boolean;
}

/** Where a preview build published its site (BuildRecord.preview). */
export interface PreviewPublished {
  /** Stable key of the PR's preview, `<first source id>-pr-<number>` (folder and host label). */
  key: string;
  /** The preview's URL (the status's target). */
  url: string;
  /** Set when this build removed the preview (PR closed, or expired). */
  removed?: true;
  /** Pages the site builder rendered for it (the others were taken from the live build). */
  rendered?: number;
  /** GitHub REST requests its fetch spent. */
  requests?: number;
}
