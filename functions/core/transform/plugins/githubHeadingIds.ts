import GithubSlugger from 'github-slugger';
import type { Heading, Nodes, Root } from 'mdast';
import type { VFile } from 'vfile';
import { headingText } from '../outline.ts';
import { transformData } from '../transformData.ts';

/**
 * Record the id GitHub gives each heading of the file as written (before the title H1 is taken out
 * or anything is changed): the ids authors use in `#anchor` links. Stored in `file.data.githubIds`.
 */
export default function githubHeadingIds() {
  return (tree: Root, file: VFile): void => {
    const data = transformData(file);
    const slugger = new GithubSlugger();
    const ids = new Map<Heading, string>();
    const walk = (n: Nodes): void => {
      if (n.type === 'heading') ids.set(n, slugger.slug(headingText(n, 'github')));
      else if ('children' in n) for (const c of n.children) walk(c);
    };
    walk(tree);
    data.githubIds = ids;
  };
}
