import { randomBytes } from 'node:crypto';

/** A sortable, readable build id that doubles as the release folder name: 20261121-070512-3f9a0c1d. */
export function newBuildId(now: number): string {
  const iso = new Date(now).toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${randomBytes(4).toString('hex')}`;
}
