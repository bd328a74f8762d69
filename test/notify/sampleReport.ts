import type { BuildRecord, BuildReport } from '../../functions/core/types.ts';

/** A realistic finished build: a push to acme/docs rebuilt two sources. */
export function sampleReport(build: Partial<BuildRecord> = {}): BuildReport {
  return {
    siteUrl: 'https://docs.example.com',
    buildUrl: 'https://docs.example.com/_builds/b-20240501-0007',
    build: {
      id: 'b-20240501-0007',
      state: 'succeeded',
      trigger: {
        kind: 'push',
        repo: 'acme/docs',
        ref: 'refs/heads/main',
        sha: '3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345',
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
          sha: '3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345',
          pages: 42,
          diagnostics: [
            { source: 'fc', file: 'docs/command/deploy.md', line: 12, kind: 'broken-link', message: 'link to ./missing.md points to no page' },
            { source: 'fc', file: 'docs/index.md', kind: 'front-matter', message: 'title is missing; used the first heading' },
          ],
        },
        { id: 'cli', state: 'built', sha: 'a1b2c3d4e5f6', pages: 1, diagnostics: [] },
      ],
      pages: { total: 43, added: 2, removed: 1, changed: 5 },
      ...build,
    },
  };
}
