/**
 * `npm run rollback -- [release]`: switch the site under DATA_DIR to a kept release, atomically.
 * Without a release: the newest one older than the current. `--list` shows the kept releases.
 * With DEPLOY_TARGET=oss: the same for the OSS bucket (server-side copies, CDN refreshed if set).
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../functions/core/config/ConfigError.ts';
import { loadConfig } from '../functions/core/config/loadConfig.ts';
import { listReleases } from '../functions/core/deploy/deployRelease.ts';
import { rollback } from '../functions/core/deploy/rollback.ts';
import { rollbackOssFromConfig } from '../functions/core/deploy/oss/rollbackOss.ts';

try {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { list: { type: 'boolean', default: false }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log(
      'usage: npm run rollback -- [release]   switch to a kept release (default: the one before the current)\n       npm run rollback -- --list      list the kept releases',
    );
    process.exit(0);
  }
  const config = loadConfig();
  const { dataDir } = config;
  if (config.deploy.kind === 'oss') {
    const lines = await rollbackOssFromConfig(config.deploy, values.list ? 'list' : positionals[0]);
    console.log(lines.join('\n'));
    process.exit(0);
  }
  if (values.list) {
    const releases = await listReleases(dataDir);
    if (!releases.length) console.log(`No releases under ${dataDir}.`);
    for (const r of releases) console.log(`${r.current ? '*' : ' '} ${r.release}  (activated ${r.activatedAt.toISOString()})`);
    process.exit(0);
  }
  const result = await rollback(dataDir, positionals[0]);
  console.log(`The site now serves release ${result.release}${result.previous ? ` (was ${result.previous})` : ''}.`);
} catch (err) {
  console.error(`rollback: ${err instanceof ConfigError ? err.message : (err as Error).message}`);
  process.exit(err instanceof ConfigError ? 2 : 1);
}
