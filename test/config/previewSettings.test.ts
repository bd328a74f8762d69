/**
 * PREVIEW_URL and PREVIEW_RETENTION: defaults, friendly errors naming the variable and the fix, and
 * how a request's host is matched to a preview (the port is not compared; anything else is no preview).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { ConfigError } from '../../functions/core/config/ConfigError.ts';
import { loadConfig } from '../../functions/core/config/loadConfig.ts';
import { previewHosts } from '../../functions/core/http/previewHosts.ts';

it('reads PREVIEW_URL and PREVIEW_RETENTION with defaults, and names the variable and the fix when wrong', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'preview-settings-'));
  try {
    const defaults = loadConfig({ cwd, env: { PORT: '9090' } });
    assert.equal(defaults.previewUrl, 'http://{key}.preview.localhost:9090');
    assert.equal(defaults.previewRetentionMs, 14 * 86_400_000);
    const set = loadConfig({ cwd, env: { PREVIEW_URL: 'https://{key}.preview.docs.example.com/', PREVIEW_RETENTION: '3d' } });
    assert.equal(set.previewUrl, 'https://{key}.preview.docs.example.com');
    assert.equal(set.previewRetentionMs, 3 * 86_400_000);
    assert.equal(loadConfig({ cwd, env: { PREVIEW_RETENTION: '0' } }).previewRetentionMs, 0);
    const refused = (PREVIEW_URL: string, message: RegExp) =>
      assert.throws(
        () => loadConfig({ cwd, env: { PREVIEW_URL } }),
        (err: unknown) => err instanceof ConfigError && message.test(err.message),
        PREVIEW_URL,
      );
    refused('https://docs.example.com/previews/{key}/', /PREVIEW_URL: must name \{key\} once, in the host name/);
    refused('https://{key}.example.com/path', /PREVIEW_URL: must be a bare origin/);
    refused('ftp://{key}.example.com', /PREVIEW_URL: must be an http or https URL/);
    refused('not a url {key}', /PREVIEW_URL: must be a URL with \{key\} in its host name, e\.g\. https:\/\/\{key\}\.preview\.docs\.example\.com/);
    assert.throws(() => loadConfig({ cwd, env: { PREVIEW_RETENTION: 'two weeks' } }), /PREVIEW_RETENTION: must be a duration such as 7d or 14d/);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});

it('matches a request to a preview by its host name only', () => {
  const hosts = previewHosts('https://{key}.preview.docs.example.com');
  const key = (url: string) => hosts.keyOf(new Request(url));
  assert.equal(hosts.urlFor('fc-pr-12'), 'https://fc-pr-12.preview.docs.example.com');
  assert.equal(key('https://fc-pr-12.preview.docs.example.com/fc/x/'), 'fc-pr-12');
  assert.equal(key('http://FC-PR-12.preview.docs.example.com:8080/'), 'fc-pr-12', 'case and port do not matter');
  for (const other of [
    'https://docs.example.com/',
    'https://preview.docs.example.com/',
    'https://a.b.preview.docs.example.com/',
    'https://-x.preview.docs.example.com/',
    'https://fc-pr-12.preview.docs.example.com.evil.test/',
  ])
    assert.equal(key(other), undefined, other);
});
