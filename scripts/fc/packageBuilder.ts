/**
 * The builder function's code package: the repository's layout (functions/, site/, package.json,
 * the sources file and its local folders), the production node_modules as package-lock.json lists
 * them (no dev packages, no npm "node" package with its second Node and C headers, no .bin links,
 * no C/C++ sources or headers) and exactly one Node binary at node/bin/node: the one the tests ran.
 */
import { copyFileSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const SKIP_FILE = /\.(h|hh|hpp|c|cc|cpp|gyp|gypi)$/i;
const SKIP_SITE = new Set(['node_modules', '.astro', 'dist']);

/** Hard-link (same disk) or copy one file. */
function place(src: string, dest: string): void {
  mkdirSync(dirname(dest), { recursive: true });
  try {
    linkSync(src, dest);
  } catch {
    copyFileSync(src, dest);
  }
}

function copyTree(src: string, dest: string, skip: (rel: string, isDir: boolean) => boolean, rel = ''): void {
  for (const name of readdirSync(join(src, rel))) {
    const r = rel ? `${rel}/${name}` : name;
    const st = lstatSync(join(src, r));
    if (skip(r, st.isDirectory())) continue;
    if (st.isDirectory()) copyTree(src, dest, skip, r);
    else if (st.isSymbolicLink()) {
      mkdirSync(dirname(join(dest, r)), { recursive: true });
      symlinkSync(readlinkSync(join(src, r)), join(dest, r));
    } else if (st.isFile()) place(join(src, r), join(dest, r));
  }
}

export interface BuilderPackage {
  packages: number;
  node: string;
}

export function packageBuilder({
  root,
  outDir,
  sourcesFile,
  localFolders,
  nodeBinary,
}: {
  root: string;
  outDir: string;
  sourcesFile: string;
  localFolders: string[];
  nodeBinary: string;
}): BuilderPackage {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const inRepo = (p: string) => {
    const r = relative(root, p);
    if (r.startsWith('..') || r === '')
      throw new Error(`${p} is outside the repository: put the sources file and its local folders inside it so the builder package can carry them`);
    return r.split(sep).join('/');
  };
  copyTree(root, outDir, (r, isDir) => {
    if (r === 'functions' || r === 'site' || r.startsWith('functions/')) return false;
    if (r.startsWith('site/')) return SKIP_SITE.has(r.split('/')[1]!) && r.split('/').length === 2 && isDir;
    return true;
  });
  place(join(root, 'package.json'), join(outDir, 'package.json'));
  for (const p of [sourcesFile, ...localFolders]) {
    const r = inRepo(p);
    if (lstatSync(p).isDirectory()) copyTree(root, outDir, (x) => !(x === r || x.startsWith(`${r}/`) || r.startsWith(`${x}/`)));
    else place(p, join(outDir, r));
  }

  // Production packages: every package-lock entry not marked dev, present on this machine (optional
  // platform packages for other systems are not), except npm's "node" (the binary comes separately).
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const all = new Map(Object.entries(lock.packages).filter(([k]) => k.startsWith('node_modules/')));
  const wanted = (key: string) => !all.get(key)!.dev && key !== 'node_modules/node' && !key.startsWith('node_modules/node/');
  let packages = 0;
  for (const key of all.keys()) {
    if (!wanted(key)) continue;
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(join(root, key));
    } catch {
      continue; // an optional package for another platform
    }
    if (!st.isDirectory()) continue;
    packages++;
    // The package's own files; its nested node_modules are lock entries of their own.
    copyTree(
      join(root, key),
      join(outDir, key),
      (r, isDir) => (isDir && (r === 'node_modules' || r.endsWith('/node_modules'))) || (!isDir && SKIP_FILE.test(r)),
    );
  }
  const node = join(outDir, 'node', 'bin', 'node');
  mkdirSync(dirname(node), { recursive: true });
  copyFileSync(nodeBinary, node);
  return { packages, node };
}
