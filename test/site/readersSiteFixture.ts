/**
 * The readers' site of readersSite.test.ts, built once by the real pipeline (`scripts/start.ts` as
 * `npm start` runs it) from three sources: two repositories on a fake GitHub (real git, a token configured
 * so the fetch step asks GraphQL for each file's last commit) — acme/widgets with `docs/zh/…` +
 * `docs/en/…`, acme/gadgets with `readme.md` + `readme_en.md` — and a local folder, `handbook`.
 *
 * UPDATE_SCREENSHOTS=1 (`update`) needs a Chinese font on the machine (Debian: fonts-noto-cjk) and makes
 * sure SCREENSHOTS exists.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright';
import { startFakeGitHub, type FakeGitHub } from '../support/fakeGitHub.ts';
import { launchBrowser } from '../support/launchBrowser.ts';
import { startServerProcess, waitForLatestBuild, type ServerProcess } from '../support/startServerProcess.ts';
import { openWatchedPage, type WatchedPage } from '../support/watchedPage.ts';

const TOKEN = 'ghp_readersSiteToken0123456789';
/** Where UPDATE_SCREENSHOTS=1 writes {landing,chinese-page,search}.png (1280×800) for the README. */
export const SCREENSHOTS = new URL('./screenshots/', import.meta.url).pathname;
/** The commit dates of acme/widgets and acme/gadgets. */
export const WIDGETS_DATE = '2024-03-15T10:20:30Z';
export const GADGETS_DATE = '2024-06-01T08:00:00Z';
const author = (date: string) => ({ name: 'Docs Writer', email: 'writer@example.com', login: 'writer', date });

const widgetsDocs = (): Record<string, string> => ({
  'docs/zh/readme.md': '# 小部件概览\n\n小部件让部署变得简单。先阅读[安装指南](install.md)，或直接跳到[准备工作](install.md#准备工作)。\n',
  'docs/zh/install.md': `${[
    '---\ntitle: 安装指南\nposition: 1\n---',
    '按照下面的步骤安装小部件。',
    '## 准备工作',
    '| 参数 | 说明 |\n|---|---|\n| region | 部署地域 |\n| timeout | 超时时间 |',
    '## 安装命令',
    '```bash\nnpm install widgets --save\n```',
    '返回[概览](readme.md)。',
  ].join('\n\n')}\n`,
  'docs/zh/xss.md': `${[
    '# 安全测试',
    'This page tries to run scripts.',
    '<script>window.__xss = "script"</script>',
    '<img src="data:," onerror="window.__xss = \'onerror\'" alt="pixel">',
    "[javascript link](javascript:window.__xss='md-link')",
    '<a href="javascript:window.__xss=\'html-link\'">html javascript link</a>',
  ].join('\n\n')}\n`,
  'docs/en/readme.md': '# Widgets overview\n\nWidgets make deploying simple. Read the [installation guide](install.md).\n',
  'docs/en/install.md':
    '---\ntitle: Installation guide\nposition: 1\n---\n\nFollow these steps to install widgets.\n\n## Preparation\n\nCheck your region before the quokka install.\n',
});
/** `web`: the GitHub web host (the fake's, as GITHUB_API_URL points there): links to it become internal. */
const gadgetsDocs = (web: string): Record<string, string> => ({
  'docs/readme.md': `# 小工具\n\n小工具依赖小部件：见[小部件的准备工作](${web}/acme/widgets/blob/main/docs/zh/install.md#准备工作)。\n`,
  'docs/readme_en.md': `# Gadgets\n\nGadgets depend on widgets: see [preparing widgets](${web}/acme/widgets/blob/main/docs/en/install.md#preparation).\n`,
  'docs/usage.md': '---\ntitle: 使用小工具\n---\n\n调用 `gadget run` 即可。\n',
});

export interface ReadersSite {
  /** The server's URL, e.g. http://127.0.0.1:4321 (no trailing slash). */
  base: string;
  /** The fake GitHub's web host (no trailing slash). */
  ghWeb: string;
  browser: Browser;
  /** UPDATE_SCREENSHOTS=1: the tests also write screenshots to SCREENSHOTS. */
  update: boolean;
  /** A 1280×800 page at `path` (not yet percent-encoded) that records its problems. */
  open(path: string): Promise<WatchedPage>;
  /** Stop the browser, the server (printing its output when READERS_DEBUG is set) and the fake GitHub. */
  close(): Promise<void>;
}

/** Start the fake GitHub and the server, wait for the first build (it must succeed), launch Chromium. */
export async function startReadersSite(env: NodeJS.ProcessEnv = process.env): Promise<ReadersSite> {
  const dir = mkdtempSync(join(tmpdir(), 'readers-site-'));
  let gh: FakeGitHub | undefined;
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    if (server) {
      if (env.READERS_DEBUG) console.log(server.output());
      await server.stop();
    }
    await gh?.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    gh = await startFakeGitHub({ token: TOKEN });
    const ghWeb = gh.url.replace(/\/+$/, '');
    await gh.createRepo('acme', 'widgets', {});
    await gh.commit('acme', 'widgets', { files: widgetsDocs(), message: 'docs: widgets', author: author(WIDGETS_DATE) });
    await gh.createRepo('acme', 'gadgets', {});
    await gh.commit('acme', 'gadgets', { files: gadgetsDocs(ghWeb), message: 'docs: gadgets', author: author(GADGETS_DATE) });
    mkdirSync(join(dir, 'handbook'));
    writeFileSync(
      join(dir, 'handbook', 'readme.md'),
      `# 团队手册\n\nThe team handbook lives in a local folder. 本地文件夹里的手册。\n\nSee the [widgets](${ghWeb}/acme/widgets/blob/main/docs/zh/readme.md).\n`,
    );
    writeFileSync(join(dir, 'handbook', 'onboarding.md'), '# 入职\n\nWelcome aboard. 欢迎加入。\n\n[回到手册](readme.md)\n');
    writeFileSync(
      join(dir, 'sources.yaml'),
      'sources:\n  - id: widgets\n    title: 小部件 Widgets\n    description: 部署小部件。\n    repo: acme/widgets\n  - id: gadgets\n    title: Gadgets\n    repo: acme/gadgets\n  - id: handbook\n    title: 团队手册\n    path: handbook\n',
    );
    server = await startServerProcess({
      DATA_DIR: join(dir, 'data'),
      SOURCES_FILE: join(dir, 'sources.yaml'),
      GITHUB_API_URL: gh.url,
      GITHUB_TOKEN: TOKEN,
      GITHUB_WEBHOOK_SECRET: 'whsec-readers-0123456789',
      REBUILD_TOKEN: 'rebuild-readers-42',
      NOTIFY_ON: 'none',
      PUBLIC_URL: 'https://docs.example.com',
    });
    const base = server.url;
    const build = await waitForLatestBuild(base, 120_000);
    assert.equal(build.state, 'succeeded', JSON.stringify(build.error ?? build));
    const started: Browser = (browser = await launchBrowser());
    const update = env.UPDATE_SCREENSHOTS === '1';
    if (update) {
      assert.ok(hasChineseFont(), 'UPDATE_SCREENSHOTS=1 needs a Chinese font: apt-get install fonts-noto-cjk');
      mkdirSync(SCREENSHOTS, { recursive: true });
    }
    const open = (path: string): Promise<WatchedPage> =>
      openWatchedPage(started, `${base}${encodeURI(path)}`, { viewport: { width: 1280, height: 800 }, timeout: 15_000 });
    return { base, ghWeb, browser: started, update, open, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Without a CJK font Chromium draws Chinese as empty boxes: useless pictures for the README. */
function hasChineseFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return true; // no fontconfig to ask: trust the machine
  }
}
