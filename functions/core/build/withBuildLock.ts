import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Run `fn` holding `<dir>/lock`, so two processes never build into one cache folder at once (they
 * would replace each other's mirror). A lock left by a process that is gone is taken over; one held
 * by a live process is waited for, saying so once through `log`.
 */
export async function withBuildLock<T>(dir: string, fn: () => Promise<T>, log: (line: string) => void = () => {}): Promise<T> {
  await mkdir(dir, { recursive: true });
  const lock = join(dir, 'lock');
  let told = false;
  for (;;) {
    try {
      await writeFile(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
    if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
      // Gone: take it over (unless someone else just did).
      if (Number(await readFile(lock, 'utf8').catch(() => '')) === holder) await unlink(lock).catch(() => undefined);
      continue;
    }
    if (!told) log(`[site] waiting for process ${holder}, which is building into ${dir}`);
    told = true;
    await new Promise((done) => setTimeout(done, 250));
  }
  try {
    return await fn();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}
