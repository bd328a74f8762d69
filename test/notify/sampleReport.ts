import type { NotifyReport } from '../../functions/core/notify/Notifier.ts';
import type { BuildRecord } from '../../functions/core/types.ts';

export const OLD_SHA = '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567';
export const NEW_SHA = '3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345';

/** A realistic finished build: a push to acme/docs changed source fc; cli was reused untouched. */
export function sampleReport(build: Partial<BuildRecord> = {}, extra: Partial<NotifyReport> = {}): NotifyReport {
  return {
    siteUrl: 'https://docs.example.com',
    buildUrl: 'https://docs.example.com/_builds/b-20240501-0007',
    repoUrls: { fc: 'https://github.com/acme/docs' },
    build: {
      id: 'b-20240501-0007',
      state: 'succeeded',
      trigger: {
        kind: 'push',
        repo: 'acme/docs',
        ref: 'refs/heads/main',
        sha: NEW_SHA,
        pusher: 'alice',
        delivery: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      },
      createdAt: '2024-05-01T08:00:00.000Z',
      startedAt: '2024-05-01T08:00:01.000Z',
      finishedAt: '2024-05-01T08:01:24.000Z',
      attempts: 1,
      phases: { fetch: 1500, transform: 2300, build: 65_000, deploy: 6000 },
      sources: [
        {
          id: 'fc',
          state: 'built',
          sha: NEW_SHA,
          previousSha: OLD_SHA,
          fetched: true,
          authors: ['alice'],
          pages: 42,
          diagnostics: [
            { source: 'fc', file: 'docs/command/deploy.md', line: 12, kind: 'broken-link', message: 'link to ./missing.md points to no page' },
            { source: 'fc', file: 'docs/index.md', kind: 'front-matter', message: 'title is missing; used the first heading' },
          ],
        },
        { id: 'cli', state: 'built', sha: 'a1b2c3d4e5f6', fetched: false, pages: 1, diagnostics: [] },
      ],
      pages: { total: 43, added: 2, removed: 1, changed: 5 },
      ...build,
    },
    ...extra,
  };
}

/** A degraded build: fc changed (two pushes carried), s3 could not be fetched and is served stale. */
export function degradedBuild(): Partial<BuildRecord> {
  return {
    state: 'degraded',
    carried: { count: 2, ids: ['b-20240501-0005', 'b-20240501-0006'] },
    request: { pushes: [{ repo: 'acme/docs', ref: 'refs/heads/main', sha: NEW_SHA, pushers: ['alice', 'bob'], deliveries: 3 }] },
    sources: [
      {
        id: 'fc',
        state: 'built',
        sha: NEW_SHA,
        previousSha: OLD_SHA,
        fetched: true,
        authors: ['alice', 'bob'],
        pages: 42,
        diagnostics: [
          { source: 'fc', file: 'docs/command/deploy.md', line: 12, kind: 'broken-link', message: 'link to ./missing.md points to no page' },
          { source: 'fc', file: 'docs/command/remove.md', line: 3, kind: 'broken-link', message: 'link to ../gone.md points to no page' },
        ],
      },
      {
        id: 's3',
        state: 'stale',
        sha: '9e8d7c6b5a4f',
        staleSince: '2024-04-30T22:15:09.000Z',
        error: 'GitHub answered 502 Bad Gateway for acme/s3 (3 attempts) — GitHub may be down; try again later',
        pages: 17,
        diagnostics: [],
      },
      { id: 'cli', state: 'built', sha: 'a1b2c3d4e5f6', fetched: false, pages: 1, diagnostics: [] },
      { id: 'oss', state: 'built', sha: 'b2c3d4e5f6a1', fetched: false, pages: 9, diagnostics: [] },
    ],
    pages: { total: 69, added: 3, removed: 2, changed: 4 },
  };
}
