/**
 * The render fuzzer's worker process (started by scripts/fuzz-render.ts with `fork`): runs cases
 * `<from>` … `<to> - 1` of `<seed>` (argv) through fuzzCases and reports over IPC:
 *   { type: 'ready', astroMs }            the site is built, cases begin
 *   { type: 'start', id }                 about to run case `id`
 *   { type: 'case', result, base64, page } its result, and its bytes when it was not simply rendered
 *   { type: 'done' }                      all done
 * A case that hangs or exhausts the memory never reports back: the supervisor records it.
 */
import { fuzzCases } from './fuzz-render/fuzzRender.ts';

const [seed, from, to] = process.argv.slice(2).map(Number) as [number, number, number];
const send = (message: unknown): Promise<void> => new Promise((done) => process.send!(message, () => done()));
const sent: Array<Promise<void>> = [];
await fuzzCases({
  seed,
  from,
  to,
  onReady: (astroMs) => void sent.push(send({ type: 'ready', astroMs })),
  onStart: (id) => void sent.push(send({ type: 'start', id })),
  onCase: (c, result) =>
    void sent.push(send({ type: 'case', result, ...(result.outcome !== 'rendered' ? { base64: Buffer.from(c.bytes).toString('base64'), page: c.page } : {}) })),
});
await Promise.all(sent);
await send({ type: 'done' });
process.disconnect();
