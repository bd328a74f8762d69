/**
 * The paths an FC instance sees, mapped onto this machine: /code is the function's code package
 * (the folder s.yaml's `code:` names), /opt holds its layers, /tmp is the instance's own disk. The
 * official Node.js 22 layer becomes /opt/nodejs22/bin/node → this machine's Node 22.
 */
import { mkdirSync, symlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface FcPaths {
  code: string;
  opt: string;
  tmp: string;
  /** Rewrite /code/…, /opt/… and /tmp/… inside a command, an argument or a PATH-like value. */
  map(value: string): string;
}

/** Lay out the layers a function names (only FC's official NodejsNN layers are known here). */
export function fcPaths({ code, instanceRoot, layers = [] }: { code: string; instanceRoot: string; layers?: string[] }): FcPaths {
  const opt = join(instanceRoot, 'opt');
  const tmp = join(instanceRoot, 'tmp');
  mkdirSync(opt, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  for (const arn of layers) {
    const m = /^acs:fc:[a-z0-9-]+:official:layers\/Nodejs(\d+)\/versions\/\d+$/.exec(arn);
    if (!m) throw new Error(`the FC emulator knows only FC's official Node.js layers, not ${arn}`);
    if (Number(m[1]) !== Number(process.versions.node.split('.')[0])) throw new Error(`layer ${arn} needs Node ${m[1]}; this machine runs ${process.version}`);
    const bin = join(opt, `nodejs${m[1]}`, 'bin');
    mkdirSync(bin, { recursive: true });
    if (!existsSync(join(bin, 'node'))) symlinkSync(process.execPath, join(bin, 'node'));
  }
  const map = (value: string) =>
    value.replace(/(^|[:\s=])\/(code|opt|tmp)(?=\/|$|:)/g, (_, lead: string, root: string) => `${lead}${root === 'code' ? code : root === 'opt' ? opt : tmp}`);
  return { code, opt, tmp, map };
}
