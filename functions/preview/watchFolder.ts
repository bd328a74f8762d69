/**
 * Watch the author's folder (recursively, fs.watch) and call `onChange` once a burst of saves has
 * settled (editors write a file in several steps). `.git` and `node_modules` are ignored.
 */
import { watch } from 'node:fs';

export interface FolderWatcher {
  close(): void;
}

const IGNORED = /(^|[/\\])(\.git|node_modules)([/\\]|$)/;

export function watchFolder(folder: string, onChange: (paths: string[]) => void, { debounceMs = 80 }: { debounceMs?: number } = {}): FolderWatcher {
  let timer: NodeJS.Timeout | undefined;
  let changed = new Set<string>();
  const watcher = watch(folder, { recursive: true }, (_event, name) => {
    const path = name === null ? '' : String(name);
    if (IGNORED.test(path)) return;
    changed.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const paths = [...changed];
      changed = new Set();
      onChange(paths);
    }, debounceMs);
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
