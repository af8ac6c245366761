/**
 * The fuzzer's child (scripts/fuzz.ts): reads each input it is sent as `gongkai check` does and
 * answers how it went. A ReadError or ParseError is a clean refusal; anything else is a crash.
 */
import { check } from '../src/check/engine.ts';
import { ParseError } from '../src/extract/extract.ts';
import { parseAsync } from '../src/index.ts';
import { ReadError } from '../src/read/text.ts';

// No handler of its own for unhandled rejections: as in the CLI, one that gongkai does not
// catch ends the process, which the fuzzer reports as a crash.
process.on('message', async (m: { bytes: Uint8Array; name: string }) => {
  try {
    const report = await parseAsync(m.bytes, { name: m.name, partial: true });
    check(report);
    // let a stray rejection of this input surface before the answer
    await new Promise((resolve) => setTimeout(resolve, 0));
    process.send!({ kind: 'ok', message: '' });
  } catch (e) {
    const clean = (e instanceof ReadError || e instanceof ParseError) && !/internal error/i.test(e.message);
    process.send!({ kind: clean ? 'refused' : 'crash', message: clean ? e.message : `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? e}` });
  }
});
