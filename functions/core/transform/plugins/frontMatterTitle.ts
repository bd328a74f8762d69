import { posix } from 'node:path';
import type { Heading, Root } from 'mdast';
import type { VFile } from 'vfile';
import { parse as parseYaml } from 'yaml';
import { languageOfFolder, languageSuffix } from '../../pageSlug.ts';
import { plainText } from '../plainText.ts';
import { report, transformData, type DocsData, type PageMeta } from '../transformData.ts';

type Fields = Record<string, unknown>;

/** Parse the YAML front matter; problems become 'front-matter' diagnostics and yield no fields. */
function readFrontMatter(value: string, line: number, file: VFile): Fields {
  let data: unknown;
  try {
    data = parseYaml(value);
  } catch (error) {
    const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    report(file, 'front-matter', `Invalid YAML front matter (${detail}); it was ignored. Fix the YAML between the --- lines.`, line);
    return {};
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    report(file, 'front-matter', 'Front matter is not a YAML mapping (key: value lines); it was ignored.', line);
    return {};
  }
  return data as Fields;
}

/** Copy the Serverless Devs front matter fields (title, description, position, category) and `aliases` into `meta`. */
function applyFields(fields: Fields, meta: PageMeta, line: number, file: VFile): void {
  const text = (key: string): string | undefined => {
    const v = fields[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v).trim() || undefined;
    report(file, 'front-matter', `Front matter "${key}" should be text, not ${Array.isArray(v) ? 'a list' : 'a mapping'}; it was ignored.`, line);
    return undefined;
  };
  const title = text('title');
  if (title !== undefined) meta.title = title;
  const description = text('description');
  if (description !== undefined) meta.description = description;
  const category = text('category');
  if (category !== undefined) meta.category = category;
  const aliases = fields.aliases;
  if (aliases !== undefined && aliases !== null) {
    const list = typeof aliases === 'string' ? [aliases] : Array.isArray(aliases) ? aliases : undefined;
    if (list?.every((a) => typeof a === 'string')) meta.aliases = list.map((a) => a.trim()).filter(Boolean);
    else report(file, 'front-matter', 'Front matter "aliases" should be a list of site paths such as [/fc/old/page/]; it was ignored.', line);
  }
  const position = fields.position;
  if (position !== undefined && position !== null) {
    const n = typeof position === 'number' ? position : typeof position === 'string' && position.trim() !== '' ? Number(position) : NaN;
    if (Number.isFinite(n)) meta.order = n;
    else report(file, 'front-matter', `Front matter "position" should be a number, got ${JSON.stringify(position)}; it was ignored.`, line);
  }
}

/**
 * Title from the file name: `deploy.md` → `deploy` (`faq_en.md` → `faq`); a readme/index → its folder's
 * name, or the source title for the source's own page (`docs/readme.md`, `docs/zh/readme.md`).
 */
function titleFromFileName(docs: DocsData): string {
  const name = posix.basename(docs.file).replace(/\.(md|markdown)$/i, '');
  const place = docs.place;
  if (place?.translationKey === docs.source.id) return docs.source.title;
  const isIndex = place ? place.index : /^(readme|index)$/i.test(name);
  if (!isIndex) return place?.marker === 'suffix' ? (languageSuffix(name)?.name ?? name) : name;
  const dir =
    posix
      .dirname(docs.file)
      .split('/')
      .filter((s) => place?.marker !== 'folder' || languageOfFolder(s) === undefined)
      .join('/') || '.';
  if (dir === '.' || docs.paths.includes(dir)) return docs.source.title;
  return posix.basename(dir);
}

/**
 * Page title, description, order and category: from the front matter (Serverless Devs convention),
 * else the first H1 (removed from the body, since Starlight prints the title as the H1), else the
 * file name. The front matter node is removed from the body. A first-child H1 that repeats the
 * front-matter title is removed too, so the title is not shown twice. When a file has several
 * top-level H1s they are section headings (typical of readmes: `# Quick start`, `# Docs`…), so the
 * title comes from the file name and they all stay.
 */
export default function frontMatterTitle() {
  return (tree: Root, file: VFile): void => {
    const { docs, page } = transformData(file);
    const yamlIndex = tree.children.findIndex((n) => n.type === 'yaml');
    const yamlNode = tree.children[yamlIndex];
    if (yamlNode?.type === 'yaml') {
      const line = yamlNode.position?.start.line ?? 1;
      applyFields(readFrontMatter(yamlNode.value, line, file), page, line, file);
      tree.children.splice(yamlIndex, 1);
    }

    const isH1 = (n: Root['children'][number]): n is Heading => n.type === 'heading' && n.depth === 1;
    const h1Index = tree.children.findIndex(isH1);
    const h1 = tree.children[h1Index] as Heading | undefined;
    const h1Text = h1 ? plainText(h1) : '';
    const soleH1 = tree.children.filter(isH1).length === 1;
    if (page.title === undefined) {
      if (h1 && h1Text !== '' && soleH1) {
        page.title = h1Text;
        tree.children.splice(h1Index, 1);
      } else {
        page.title = titleFromFileName(docs);
      }
    } else if (h1Index === 0 && h1Text.toLowerCase() === page.title.toLowerCase()) {
      tree.children.splice(h1Index, 1);
    }
  };
}
