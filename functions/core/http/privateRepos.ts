/**
 * Which of the configured repositories GitHub last said are private, read from the build records
 * (newest first): a push or pull_request payload's `repository.private` (recorded on the trigger
 * before the 202) and the per-source `private` a sync learnt from GitHub. The newest word per repository wins,
 * so a repository made public stops counting. Works on any store of records (local queue, FC's files).
 */
import type { BuildRecord, SourceConfig } from '../types.ts';

export function privateRepos(builds: readonly BuildRecord[], sources: readonly SourceConfig[]): string[] {
  const repoOf = new Map<string, string>();
  const names = new Map<string, string>();
  for (const s of sources) {
    if (!s.repo) continue;
    const name = `${s.repo.owner}/${s.repo.name}`;
    repoOf.set(s.id, name.toLowerCase());
    names.set(name.toLowerCase(), name);
  }
  const said = new Map<string, boolean>();
  const hear = (repo: string | undefined, value: boolean | undefined): void => {
    if (repo && value !== undefined && names.has(repo) && !said.has(repo)) said.set(repo, value);
  };
  for (const b of builds) {
    if (b.trigger.kind === 'push') hear(b.trigger.repo.toLowerCase(), b.trigger.private);
    if (b.trigger.kind === 'preview') hear(b.trigger.pr.repo.toLowerCase(), b.trigger.private);
    for (const s of b.sources) hear(repoOf.get(s.id), s.private);
  }
  return [...said]
    .filter(([, p]) => p)
    .map(([repo]) => names.get(repo)!)
    .sort();
}
