/**
 * The fuzzer (scripts/fuzz.ts) kept in the suite: every crasher it has found reads, or is refused
 * with a reason, as a regression fixture; and a short run over mutations of every format finds
 * no crash and no hang. `npm run fuzz -- --seconds N --seed S` runs it longer.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fuzz, Runner } from '../scripts/fuzz.ts';
import { fixture } from './helpers.ts';

const SECONDS = Number(process.env.GONGKAI_FUZZ_SECONDS ?? 45);

describe('the fuzzer', () => {
  it('every crasher it found is now read or refused with a reason', async () => {
    const runner = new Runner({ timeoutMs: 20_000, memoryMb: 1024 });
    try {
      for (const f of readdirSync(fixture('fuzz'))) {
        const o = await runner.run(new Uint8Array(readFileSync(fixture(`fuzz/${f}`))), f);
        assert.ok(o.kind === 'ok' || o.kind === 'refused', `${f}: ${o.kind}: ${o.message}`);
      }
    } finally {
      runner.stop();
    }
  });

  it(`finds no crash and no hang in ${SECONDS} s of mutated inputs of every format`, { timeout: (SECONDS + 120) * 1000 }, async (t) => {
    // a fixed seed: the same inputs on every run (how many depends on the machine's speed)
    const r = await fuzz({ seconds: SECONDS, seed: Number(process.env.GONGKAI_FUZZ_SEED ?? 1) });
    t.diagnostic(`${r.inputs} inputs: ${[...r.tried].map(([f, k]) => `${f} ${k}`).join(', ')}`);
    assert.deepEqual(r.found.map((f) => `${f.outcome.kind}: ${f.name}: ${f.outcome.message}`), []);
    assert.ok(r.tried.size >= 6, 'every format was tried');
  });
});
