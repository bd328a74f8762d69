import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from './gitRepo.ts';

/**
 * Many commits at once on a bare repository's branch through `git fast-import` (one process, where
 * GitRepo.commit spawns several per commit): each commit writes its files on top of `parent`.
 * Returns the commit shas in order.
 */
export async function fastImportCommits(
  gitDir: string,
  branch: string,
  parent: string,
  commits: Array<{ files: Record<string, string>; message?: string; author?: string }>,
): Promise<string[]> {
  const work = await mkdtemp(join(tmpdir(), 'fast-import-'));
  try {
    const marks = join(work, 'marks');
    const chunks: Buffer[] = [];
    const data = (text: string) => {
      const bytes = Buffer.from(text, 'utf8');
      chunks.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n'));
    };
    let time = Math.floor(Date.now() / 1000) - commits.length;
    for (const [i, c] of commits.entries()) {
      const who = `${c.author ?? 'Docs Writer'} <writer@example.com> ${time++} +0000`;
      chunks.push(Buffer.from(`commit refs/heads/${branch}\nmark :${i + 1}\nauthor ${who}\ncommitter ${who}\n`));
      data(c.message ?? `docs: update ${i + 1}`);
      if (i === 0) chunks.push(Buffer.from(`from ${parent}\n`));
      for (const [path, content] of Object.entries(c.files)) {
        chunks.push(Buffer.from(`M 100644 inline ${path}\n`));
        data(content);
      }
    }
    await git(gitDir, ['fast-import', '--quiet', `--export-marks=${marks}`], { input: Buffer.concat(chunks) });
    const byMark = new Map(
      (await readFile(marks, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => line.split(' ') as [string, string]),
    );
    return commits.map((_, i) => byMark.get(`:${i + 1}`)!);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
