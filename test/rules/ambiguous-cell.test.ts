import assert from 'node:assert/strict';
import { it } from 'node:test';
import rule from '../../src/check/rules/ambiguous-cell.ts';
import { check } from '../../src/check/engine.ts';
import { parseFixture, SEEDS } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [{ name: 'seed 000', input: { fixture: SEEDS.pipes } }, { name: 'seed 001', input: { fixture: SEEDS.tabs } }],
  invalid: [{ name: 'seed 003: one 0 for two 收费 cells', input: { fixture: SEEDS.blankLines }, findings: [{ keys: ['t2.fees.change', 't2.fees.prev'], fault: 'reading', line: 121 }] }],
});

it('ambiguous-cell: seed 004 lists “272720” with every candidate, grouped by source row', () => {
  const found = check(parseFixture(SEEDS.squashed), {}, [rule]);
  const run = found.find((f) => f.keys.includes('t2.normative.made'))!;
  assert.deepEqual(run.keys, ['t2.normative.made', 't2.normative.published', 't2.normative.total']);
  assert.deepEqual(run.candidates!['t2.normative.total'], ['0', '20', '720', '2720', '72720', '272720', null]);
  assert.equal(run.positions[0]!.line, 27);
  assert.ok(found.length >= 20);
});
