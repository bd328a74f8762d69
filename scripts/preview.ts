/**
 * `npm run preview -- <folder> [--as <source id>] [--sources file] [--data-dir DIR | --site URL] [--port N]`: an
 * author's live preview (functions/preview/startPreview.ts). This file only parses, prints and stops.
 */
import { ConfigError } from '../functions/core/config/ConfigError.ts';
import { parsePreviewArgs } from '../functions/preview/parsePreviewArgs.ts';
import { SiteReadError } from '../functions/preview/readSiteSnapshots.ts';
import { startPreview } from '../functions/preview/startPreview.ts';

const time = () => new Date().toISOString().slice(11, 19);

try {
  const options = parsePreviewArgs(process.argv.slice(2), process.env);
  const preview = await startPreview({ ...options, log: (line) => console.log(`${time()} ${line}`) });
  console.log(
    [
      '',
      `docs-sync preview of ${options.folder}`,
      `  Preview: ${preview.pageUrl}`,
      `  Others:  ${options.dataDir ? `the live site's last good copies in ${options.dataDir} (read only)` : options.site ? `the pages ${options.site} publishes (read at start)` : "none (give --data-dir or --site to include the live site's other sources)"}`,
      `  Work:    ${preview.workDir}`,
      'Building… every save rebuilds and reloads the page. Ctrl+C stops.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    preview.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`preview cannot start: ${err.message}`);
    process.exit(2);
  }
  if (err instanceof SiteReadError) {
    console.error(`preview cannot start: ${err.message}`);
    process.exit(2);
  }
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error('preview cannot start: the port is in use. Give another one with --port N (0: any free port).');
    process.exit(2);
  }
  throw err;
}
