/**
 * `pull_request` deliveries (PR previews, see PREVIEWS.md): check the payload's parts a preview needs,
 * then decide — a PreviewTrigger (`open` or `close`) when a source tracks the PR's base repository and
 * branch and the settings allow it, else a skip with a reason a human can act on. Whether the PR
 * touches docs is not in the payload: the fetch step finds out (no docs change = the live pages).
 */
import type { PreviewSettings } from '../config/previewSettings.ts';
import type { DeliveryDecision } from '../queue/BuildQueue.ts';
import type { PreviewTrigger, PullRequestInfo, SourceConfig } from '../types.ts';

/** Why Function Compute (and any DEPLOY_TARGET other than local) skips pull_request deliveries. */
export const PREVIEWS_NEED_LOCAL = 'PR previews need the local server (DEPLOY_TARGET=local)';

const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const OPEN = new Set(['opened', 'reopened', 'synchronize', 'ready_for_review']);

/** The checked payload: the action, and the pull request (headRepo '' when the fork was deleted). */
export interface PullRequestFields {
  action: string;
  pr: PullRequestInfo;
  /** The base repository's default branch (a source without `ref` tracks it). */
  defaultBranch?: string;
  /** The payload says the base repository is private. */
  private?: true;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** `owner/name` as GitHub allows them (checked: these land in reasons, pages and messages). */
const REPO = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
const fit = (v: unknown, re: RegExp): string | undefined => (typeof v === 'string' && re.test(v) ? v : undefined);
/** A branch name: git allows up to 255 bytes, never control characters. */
const BRANCH = /^[^\x00-\x1f\x7f]{1,255}$/;

/** The parts of a `pull_request` payload a preview needs, or a message naming what is missing or wrong. */
export function pullRequestFields(payload: unknown): PullRequestFields | string {
  const p = obj(payload);
  const pr = obj(p?.pull_request);
  const head = obj(pr?.head);
  const base = obj(pr?.base);
  const action = fit(p?.action, /^[a-z_]{1,50}$/);
  const number = pr?.number ?? p?.number;
  const repo = fit(obj(base?.repo)?.full_name, REPO) ?? fit(obj(p?.repository)?.full_name, REPO);
  const headRepoGiven = obj(head?.repo)?.full_name;
  const missing = [
    !action && 'action',
    !(typeof number === 'number' && Number.isInteger(number) && number > 0) && 'pull_request.number (a positive integer)',
    !repo && 'pull_request.base.repo.full_name (owner/name)',
    !fit(base?.ref, BRANCH) && 'pull_request.base.ref',
    !fit(head?.ref, BRANCH) && 'pull_request.head.ref',
    !(typeof head?.sha === 'string' && COMMIT_SHA.test(head.sha)) && 'pull_request.head.sha (a commit sha)',
    !/^https?:\/\/\S{1,500}$/.test(String(pr?.html_url ?? '')) && 'pull_request.html_url',
    headRepoGiven !== undefined && !fit(headRepoGiven, REPO) && 'pull_request.head.repo.full_name (owner/name)',
  ].filter((m): m is string => typeof m === 'string');
  if (missing.length) return `malformed pull_request payload: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing or not valid`;
  // GitHub sends `head.repo: null` once the fork is deleted.
  const headRepo = typeof headRepoGiven === 'string' ? headRepoGiven : '';
  const fields: PullRequestFields = {
    action: action!,
    pr: {
      repo: repo!,
      number: number as number,
      title: typeof pr!.title === 'string' ? pr!.title.slice(0, 300) : '',
      url: pr!.html_url as string,
      author: fit(obj(pr!.user)?.login, /^[A-Za-z0-9[\]-]{1,60}$/) ?? fit(obj(p!.sender)?.login, /^[A-Za-z0-9[\]-]{1,60}$/) ?? 'unknown',
      headSha: head!.sha as string,
      headRef: head!.ref as string,
      headRepo,
      baseRef: base!.ref as string,
      draft: pr!.draft === true,
      fork: headRepo !== '' && headRepo.toLowerCase() !== repo!.toLowerCase(),
    },
  };
  const def = str(obj(base!.repo)?.default_branch) ?? str(obj(p!.repository)?.default_branch);
  if (def) fields.defaultBranch = def;
  if (obj(base!.repo)?.private === true || obj(p!.repository)?.private === true) fields.private = true;
  return fields;
}

/**
 * Decide what a pull request delivery means. `unavailable`: why this deployment cannot preview at
 * all (Function Compute): every delivery is skipped with it. A `close` goes through whatever the
 * draft/fork settings say (removing a preview that may exist is cheap and safe).
 */
export function decidePullRequest(
  fields: PullRequestFields,
  delivery: string,
  sources: readonly SourceConfig[],
  settings: PreviewSettings,
  unavailable?: string,
): DeliveryDecision {
  const { pr, action } = fields;
  const name = `${pr.repo}#${pr.number}`;
  const kind = OPEN.has(action) ? 'open' : action === 'closed' ? 'close' : undefined;
  if (!kind) return { skip: `pull_request action "${action}" does not change a preview (${name})` };
  const forRepo = sources.filter((s) => s.repo && `${s.repo.owner}/${s.repo.name}`.toLowerCase() === pr.repo.toLowerCase());
  const tracked = forRepo.filter((s) => (s.ref ?? fields.defaultBranch) === pr.baseRef);
  const trigger: PreviewTrigger = {
    kind: 'preview',
    delivery,
    action: kind,
    sources: tracked.map((s) => s.id),
    pr,
    ...(fields.private ? { private: true } : {}),
  };
  if (unavailable) return { skip: unavailable, trigger };
  if (!settings.enabled) return { skip: 'PR previews are off (PREVIEWS=off)', trigger };
  if (forRepo.length === 0) return { skip: `repository ${pr.repo} is not in the sources file`, trigger };
  if (tracked.length === 0) {
    const wanted = [...new Set(forRepo.map((s) => s.ref ?? fields.defaultBranch ?? '(default branch)'))].join(', ');
    return { skip: `${name} targets branch ${pr.baseRef}, which is not tracked for ${pr.repo} (tracked: ${wanted})`, trigger };
  }
  if (kind === 'close') return { trigger };
  if (pr.headRepo === '') return { skip: `the head repository of ${name} was deleted: nothing to preview`, trigger };
  if (pr.draft && !settings.drafts) {
    return { skip: `${name} is a draft: previewed once marked ready for review (or set PREVIEW_DRAFTS=true)`, trigger };
  }
  if (pr.fork && !settings.forks) return { skip: `${name} comes from the fork ${pr.headRepo}: set PREVIEW_FORKS=true to preview forks`, trigger };
  return { trigger };
}
