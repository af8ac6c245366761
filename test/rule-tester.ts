/**
 * eslint-style rule tests: `valid` inputs give no finding of the rule, `invalid` inputs give
 * exactly the findings listed (each a subset of the finding's fields).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check } from '../src/check/engine.ts';
import type { Finding, Rule } from '../src/check/types.ts';
import { parseAsync } from '../src/index.ts';
import { readFixture } from './helpers.ts';

/** A fixture by name, or a constructed report's text. */
export type Input = { fixture: string } | { text: string };
export interface Case { name: string; input: Input }
export interface InvalidCase extends Case { findings: Array<Partial<Pick<Finding, 'message' | 'keys' | 'expected' | 'actual' | 'fault'>> & { line?: number; match?: RegExp; places?: number }> | number }

const load = (i: Input) => ('fixture' in i ? readFixture(i.fixture) : i.text);
/** Any fixture form the readers take (PDF, DOCX … are read asynchronously). */
const read = (i: Input) => parseAsync(load(i), { partial: true, ...('fixture' in i ? { name: i.fixture } : {}) });

export function ruleTester(rule: Rule, cases: { valid: Case[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    it('has its documentation', () => {
      assert.match(rule.meta.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      assert.ok(rule.meta.description && rule.meta.descriptionZh && rule.meta.docs.length > 80);
      assert.match(rule.meta.docs, /Not claimed: /, 'the docs say what the rule does not claim');
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, async () => {
        const found = check(await read(c.input), {}, [rule]);
        assert.deepEqual(found.map((f) => f.message), []);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, async () => {
        const found = check(await read(c.input), {}, [rule]);
        assert.ok(found.every((f) => f.ruleId === rule.meta.id && f.severity === rule.meta.severity && f.messageEn.length > 0));
        if (typeof c.findings === 'number') { assert.equal(found.length, c.findings, found.map((f) => f.message).join('\n')); return; }
        assert.equal(found.length, c.findings.length, found.map((f) => f.message).join('\n'));
        c.findings.forEach((want, i) => {
          const got = found[i]!;
          const { line, match, places, ...fields } = want;
          for (const [k, v] of Object.entries(fields)) assert.deepEqual(got[k as keyof Finding], v, `${k} of finding ${i}`);
          if (line !== undefined) assert.equal(got.positions[0]?.line, line, `line of finding ${i}`);
          if (match) assert.match(got.message, match);
          // a grouped finding: one defect in several places, each kept whole
          if (places !== undefined) {
            assert.equal(got.instances?.length, places, `places of finding ${i}`);
            for (const p of got.instances!) assert.ok(p.message && p.messageEn, 'each place has its own message');
          }
        });
      });
    }
  });
}
