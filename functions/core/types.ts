/**
 * Plain data shared by every part of the pipeline. No behaviour lives here.
 */
import type { PreviewPublished, PreviewTrigger } from './previewTypes.ts';

export type { PreviewPublished, PreviewTrigger, PullRequestInfo } from './previewTypes.ts';

/** One entry of the sources file, validated and normalised (see loadSources.ts). */
export interface SourceConfig {
  /** URL slug: pages live at `/<id>/<path>/`. */
  id: string;
  title: string;
  description?: string;
  /** A GitHub repository, `owner/name`, or undefined for a local folder. */
  repo?: { owner: string; name: string };
  /** Branch to track; undefined = the repository's default branch. */
  ref?: string;
  /** Docs folders relative to the repo (or local folder) root; `.` is the root. */
  paths: string[];
  /** Absolute path of a local folder source. */
  localPath?: string;
  /** How files map to languages (see pagePlace in pageSlug.ts); undefined = `{ layout: 'auto', default: 'zh-CN' }`. */
  languages?: LanguageSettings;
  /**
   * Base URLs where this source's pages were published before, e.g. `https://serverless-devs.com/fc/`;
   * links to `<base><path>` (or with `/en/` after the host, for English) become links to this site.
   */
  publishedUrls?: string[];
  /** People told about this source's problems besides the site's operators (sources file `owners:`). */
  owners?: SourceOwners;
  /** Sources file `versions:` (GitHub sources): other branches and tags published beside the tracked branch. */
  versions?: VersionsConfig;
  /** Set on the sources a versioned source expands into, latest included (see versions/expandVersions.ts). */
  version?: SourceVersion;
}

/** Which versions of a source are published (sources file `versions:`, validated). */
export interface VersionsConfig {
  /** Name of the tracked branch's version (at the source's own URLs), default `latest`. */
  latest: string;
  /** Branch name patterns (`*` matches anything), e.g. `release-*`. */
  branches: string[];
  /** Tag name patterns, e.g. `v*`. */
  tags: string[];
  /** How many of the matching tags, and of the matching branches, are published: the newest by version order. */
  newest: number;
}

/** One published version of a versioned source. */
export interface SourceVersion {
  /** The configured source's id; the latest version keeps it, the others are `<base>/<slug of name>`. */
  base: string;
  /** The version's name as readers see it: `latest` (VersionsConfig.latest), a tag or a branch. */
  name: string;
  latest: boolean;
  /** What an old version is built from (its name is the ref). */
  kind?: 'branch' | 'tag';
}

/** A source's owners: each gets reports about that source only (see notify/ownerReport.ts). */
export interface SourceOwners {
  /** Mail addresses (sent through SMTP_URL / MAIL_FROM). */
  mail: string[];
  /**
   * DingTalk: `atMobiles` are @-mentioned (on the site's robot, or on `url` when given); `url` + `secret`
   * (+ `keyword`) is the owners' own robot.
   */
  dingtalk?: { atMobiles: string[]; url?: string; secret?: string; keyword?: string };
  /** `problems`: failures, staleness, broken links; `changes`: also every build that changed the source. */
  notify: 'problems' | 'changes';
}

/** A page language: Chinese (the site's default) or English. */
export type Lang = 'zh-CN' | 'en';

/** Per-source language layout (sources file key `languages`). */
export interface LanguageSettings {
  /**
   * `folders`: a `zh/`, `zh-cn/`, `en/`, `en-us/`… folder names the language; `suffix`: `readme_en.md`,
   * `README_zh.md`…; `auto`: both; `none`: every file is in the default language.
   */
  layout: 'auto' | 'folders' | 'suffix' | 'none';
  /** Language of files with no language marker. */
  default: Lang;
  /**
   * The site's languages (sources file `site`), set on every source when the file has it: the first
   * is at `/` (its pages have no language prefix), the other at `/en/` or `/zh/` (languagePrefix);
   * pages in other languages are left out. Absent: Chinese at `/`, English at `/en/`.
   */
  site?: import('./config/siteLanguages.ts').SiteLanguages;
}

/** One markdown file read from a source, before any transformation. */
export interface SourceFile {
  /** Path relative to the repository (or local folder) root, POSIX separators. */
  path: string;
  content: Uint8Array;
  /** The last commit that touched this file on the tracked branch ("last updated" on the page). */
  lastCommit?: { sha: string; date: string; author?: string };
}

/**
 * What a push (or several coalesced pushes) changed in one repository, from the push payloads.
 * `complete: false` when the lists cannot be trusted (more commits than the payload lists, a forced
 * push, or lists cut to keep the job small): the fetch step then asks GitHub (compare API or tree).
 */
export interface PushChanges {
  before: string;
  after: string;
  added: string[];
  modified: string[];
  removed: string[];
  complete: boolean;
  forced: boolean;
  /** When each changed path was last committed, and by whom (from the payload's commits). */
  commits?: Array<{ id: string; timestamp: string; author?: string; paths: string[] }>;
}

/** What the fetch step returns for one source. */
export interface FetchedSource {
  source: SourceConfig;
  /** Commit the files were read at (local folders: a content digest). */
  sha: string;
  /** Branch actually read (the default branch when the source names none). */
  ref: string;
  /** Markdown files under the source's docs paths. */
  files: SourceFile[];
  /** Files left out on purpose (symlinks, submodules, over the size limit), with the reason. */
  skipped?: Array<{ path: string; reason: string }>;
  /** Whether GitHub says the repository is private (undefined: not known from this fetch). */
  private?: boolean;
  /** Files git saw renamed since the last good copy (the compare API's `previous_filename`): new path → old path. */
  renames?: Record<string, string>;
}

/** A problem found in one document: reported, never thrown. */
export interface Diagnostic {
  source: string;
  file: string;
  line?: number;
  /** `render`: the site's renderer refused the page's content; it is shown as text. */
  kind: 'broken-link' | 'front-matter' | 'html' | 'duplicate-page' | 'encoding' | 'render' | 'other';
  message: string;
  /** Broken links into another source: that source, the link as written, and what is missing there. */
  target?: { source: string; url: string; reason: 'file' | 'anchor' };
}

/** A link of one source that this build broke by removing a page or heading of another source. */
export interface InboundBreak {
  from: { source: string; file: string; line?: number };
  to: { source: string; url: string };
  because: 'page removed' | 'anchor removed';
}

/** A page ready for the site generator. */
export interface Page {
  source: string;
  /** URL path without slashes at either end, e.g. `fc/command/deploy`; `fc` for the source's index. */
  slug: string;
  /** The original file, relative to the repo root. */
  file: string;
  title: string;
  /** Markdown body (front matter is written by the build step from the fields here). */
  body: string;
  description?: string;
  /** Sidebar order (front matter `position`). */
  order?: number;
  /** Sidebar group (front matter `category`, Serverless Devs convention). */
  category?: string;
  /** Old URLs of this page (front matter `aliases`, site paths such as `/fc/old/page/`): they redirect here. */
  aliases?: string[];
  /** Page language; undefined = the site's default. Slugs of the language not at `/` start with `en/` or `zh/`. */
  lang?: Lang;
  /** Same value on a page and its translation (e.g. `fc/command/deploy`), for the language switch. */
  translationKey?: string;
  /** Source file's last commit, for "last updated". */
  lastUpdated?: string;
  /** URL of the file in its repository on its branch, for "edit this page". */
  editUrl?: string;
}

/**
 * `degraded`: deployed, but at least one source was served from its last good copy (or left out).
 * `superseded`: never built on its own; a newer build carried its changes (`supersededBy`).
 */
export type BuildState = 'queued' | 'running' | 'succeeded' | 'degraded' | 'failed' | 'skipped' | 'superseded';

/** States a build never leaves. */
export const FINAL_STATES: ReadonlySet<BuildState> = new Set(['succeeded', 'degraded', 'failed', 'skipped', 'superseded']);
export type Phase = 'fetch' | 'transform' | 'build' | 'deploy' | 'notify';

export type Trigger =
  | {
      kind: 'push';
      repo: string;
      ref: string;
      sha: string;
      pusher: string;
      delivery: string;
      changes?: PushChanges /** Recorded when the payload says the repository is private. */;
      private?: true;
    }
  | { kind: 'manual'; sources?: string[]; full: boolean; requestedBy?: string }
  | { kind: 'reconcile'; sources: ReconciledSource[] }
  | PreviewTrigger;

/** A source a reconcile sweep found behind its branch (a push never delivered): from the live commit to the head. */
export interface ReconciledSource {
  id: string;
  repo: string;
  ref: string;
  from: string;
  to: string;
  /** The commits caught up, oldest first (at most 250, from the compare API), and how many in all. */
  commits?: Array<{ sha: string; message: string; author?: string; date?: string }>;
  totalCommits?: number;
}

/** What one or more triggers ask a build to do, merged (bounded by the number of repositories). */
export interface BuildRequest {
  pushes: Array<{ repo: string; ref: string; sha: string; pushers: string[]; deliveries: number; changes?: PushChanges }>;
  /** Manual rebuilds: `sources` undefined = all sources. */
  manual?: { full: boolean; sources?: string[]; requestedBy: string[] };
  /** Sources reconcile sweeps found behind their branch (merged per source: first `from`, last `to`). */
  reconciled?: ReconciledSource[];
}

export interface SourceOutcome {
  id: string;
  /** built: fresh or unchanged copy; stale: fetching failed, served from its last good copy; failed: left out. */
  state: 'built' | 'stale' | 'failed';
  sha?: string;
  /** The sha the previous release showed, when it differs (what changed: previousSha → sha). */
  previousSha?: string;
  /** Whether this build fetched the source (false: reused its snapshot untouched). */
  fetched?: boolean;
  /** For stale sources: when the copy being served was fetched. */
  staleSince?: string;
  /** Pusher(s) of the commits this build brought in for this source. */
  authors?: string[];
  /** The source is a private GitHub repository (as last seen from GitHub). */
  private?: boolean;
  pages: number;
  diagnostics: Diagnostic[];
  error?: string;
}

export interface BuildRecord {
  id: string;
  state: BuildState;
  trigger: Trigger;
  /** Why a build was skipped. */
  reason?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  attempts: number;
  /**
   * Attempts cut short by the process stopping (a restart, a crash, kill -9). The first
   * MAX_FREE_INTERRUPTIONS of them do not count as attempts; more (a crash loop) do.
   */
  interruptions?: number;
  /** Milliseconds spent in each phase of the last attempt. */
  phases: Partial<Record<Phase, number>>;
  sources: SourceOutcome[];
  pages?: { total: number; added: number; removed: number; changed: number };
  error?: { phase: Phase | 'queue'; message: string };
  release?: string;
  /** Older builds merged into this one while it waited (coalescing): how many, and the latest ids. */
  carried?: { count: number; ids: string[] };
  /** Everything this build was asked for, its own trigger and the carried ones merged. */
  request?: BuildRequest;
  /** When the first of the builds this one carries was queued (coalescing caps the wait from there). */
  queuedSince?: number;
  /** For a superseded build: the build that carried its changes. */
  supersededBy?: string;
  /** Links in unchanged-by-them sources that broke because this build changed the source they point into. */
  inboundBroken?: InboundBreak[];
  /** Preview builds (trigger kind `preview`): where the preview is (or that it was removed). */
  preview?: PreviewPublished;
  /** Preview builds: the GitHub commit status set on the PR head for this build, or why none could be set. */
  commitStatus?: CommitStatusNote;
}

/** What became of a preview build's commit status (context `docs-sync/preview`; preview/createCommitStatusReporter.ts). */
export interface CommitStatusNote {
  /** The state and description set on GitHub. */
  state?: 'pending' | 'success' | 'failure' | 'error';
  description?: string;
  /** Why no status was set, e.g. the token may not write statuses (names the permission needed). */
  problem?: string;
}

/** What the notifiers are told when a build reaches its final state. */
export interface BuildReport {
  build: BuildRecord;
  siteUrl: string;
  buildUrl: string;
}
