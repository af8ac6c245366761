/**
 * Findings a reviewer can trust, with every rule on: blank is not zero, one finding per defect
 * (grouped places, one wrong cell named once), and the true publisher errors of real reports
 * still found, once each.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check } from '../src/check/engine.ts';
import { formatSarif } from '../src/format/findings.ts';
import { RULES } from '../src/check/rules/index.ts';
import { parse, parseAsync } from '../src/index.ts';
import { readFixture, SEEDS } from './helpers.ts';
import { T3_ROWS } from '../src/schema/editions.ts';
import type { Report } from '../src/types.ts';

const rules = (fs: ReturnType<typeof check>) => fs.map((f) => f.ruleId);

/**
 * Seed 000 (2019) as read, with 272 applications granted to people, and its 总计 column left
 * blank on every result row (as printed by a 2019 report that fills only the applicant columns).
 */
function blankTotalColumn(): Report {
  const r = parse(readFixture(SEEDS.pipes), { name: SEEDS.pipes });
  const set = (key: string, value: string | null) => {
    const c = r.cells[key]!;
    r.cells[key] = { ...c, value, raw: value ?? '', shown: value === null ? 'blank' : 'number' };
  };
  for (const k of ['t3.new.natural', 't3.new.total', 't3.granted.natural', 't3.results_total.natural', 't3.results_total.total']) set(k, '272');
  for (const row of T3_ROWS['2019'].filter((x) => x.result)) set(`t3.${row.id}.total`, null);
  return r;
}

describe('blank is not zero', () => {
  it('a 2019 report leaving its 总计 column blank on the result rows: one missing-cell finding, no arithmetic', () => {
    const found = check(blankTotalColumn());
    // (the seed's own findings aside, and its narrative, which says none were received)
    assert.deepEqual(rules(found).filter((r) => !['t2-decisions-as-items', 'non-government-link', 'narrative-mismatch'].includes(r)), ['missing-cell'], found.map((f) => f.message).join('\n'));
    assert.ok(!found.some((x) => x.ruleId.startsWith('t3-')), 'no identity is checked over the blank totals');
    const f = found.find((x) => x.ruleId === 'missing-cell')!;
    assert.match(f.message, /^表三“总计”列 19 行留空（总计留空不按 0 计，不据此核算勾稽关系）（共 19 处）$/);
    assert.equal(f.instances!.length, 19);
    assert.equal(f.keys.length, 19);
    assert.ok(f.instances!.some((p) => p.message.endsWith('（一）予以公开·总计（各项之和为 272）')), 'says what the blank total\'s parts add up to');
    assert.ok(!found.some((x) => /印出 0/.test(x.message)), 'never “printed 0” for a blank');
  });
});

describe('one finding per defect', () => {
  it('seed 003: the spam phrase once (4 places), the （七）总计 row once (t3-balance folded in), no narrative echo of it', () => {
    const found = check(parse(readFixture(SEEDS.blankLines), { name: SEEDS.blankLines }));
    assert.deepEqual(rules(found).sort(), ['ambiguous-cell', 'injected-content', 't3-results-total']);
    const spam = found.find((f) => f.ruleId === 'injected-content')!;
    assert.equal(spam.positions.length, 4);
    const total = found.find((f) => f.ruleId === 't3-results-total')!;
    assert.match(total.message, /“自然人”列 印出 1，应为 0；“法律服务机构”列 印出 2，应为 0；“总计”列 印出 3，应为 0（共 3 处）；按各项之和改正后，表三勾稽关系.*也成立，为同一错误，不另列$/);
    assert.equal(total.instances!.length, 6, 'the three results-total places and the three balance places');
    assert.ok(total.keys.includes('t3.carry_next.total'));
  });

  it('a balance broken by another cell than （七）总计 stays its own finding', () => {
    const text = readFixture(SEEDS.pipes).toString('utf8').replace(/^四、结转下年度继续办理 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \|$/m, '四、结转下年度继续办理 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |');
    const found = check(parse(text, { name: 'carry.txt' }));
    assert.deepEqual(rules(found).filter((r) => r.startsWith('t3')), ['t3-balance']);
    assert.match(found.find((f) => f.ruleId === 't3-balance')!.message, /“自然人”列 印出 4，应为 0；“总计”列 印出 4，应为 0（共 2 处）/);
  });

  it('（七）总计 printing 20 where its result rows add up to 26: t3-results-total, once', () => {
    const text = readFixture(SEEDS.pipes).toString('utf8')
      .replace(/^(三、本年度办理结果 \| \(一\)予以公开) \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \|/m, '$1 | 20 | 0 | 0 | 0 | 0 | 0 | 20 |')
      .replace(/^(\(四\)无法提供 \| 1\.本机关不掌握相关政府信息) \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \|/m, '$1 | 6 | 0 | 0 | 0 | 0 | 0 | 6 |')
      .replace(/^(一、本年新收政府信息公开申请数量) \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \|/m, '$1 | 20 | 0 | 0 | 0 | 0 | 0 | 20 |')
      .replace(/^(\(七\)总计) \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \| 0 \|/m, '$1 | 20 | 0 | 0 | 0 | 0 | 0 | 20 |');
    const found = check(parse(text, { name: 'twenty.txt' }));
    const t3 = found.filter((f) => f.ruleId.startsWith('t3'));
    assert.equal(t3.length, 1, t3.map((f) => f.message).join('\n'));
    assert.equal(t3[0]!.ruleId, 't3-results-total');
    assert.match(t3[0]!.message, /“自然人”列 印出 20，应为 26；“总计”列 印出 20，应为 26（共 2 处）/);
  });

  it('洪泽区 2023 (real PDF): 表四 总计 0 beside 10 + 1 and 5 — t4-total, once, naming both groups', async () => {
    const found = check(await parseAsync(readFixture('corpus/hongze-district-gov-2023.pdf'), { name: 'hongze-2023.pdf' }));
    assert.deepEqual(rules(found), ['t4-total']);
    assert.match(found[0]!.message, /^表四总计与四项结果之和不符：“行政复议” 印出 0，应为 11；“行政诉讼·复议后起诉” 印出 0，应为 5（共 2 处）$/);
    assert.deepEqual(found[0]!.instances!.map((p) => [p.actual, p.expected]), [['0', '11'], ['0', '5']]);
  });

  it('洪泽区 2024 (real PDF): no finding (the office\'s 17 of the government\'s 95 is not a mismatch)', async () => {
    assert.deepEqual(check(await parseAsync(readFixture('corpus/hongze-district-gov-2024.pdf'), { name: 'hongze-2024.pdf' })), []);
  });

  it('SARIF keeps every place of a grouped finding', () => {
    const report = parse(readFixture(SEEDS.blankLines), { name: SEEDS.blankLines });
    const sarif = JSON.parse(formatSarif([{ file: SEEDS.blankLines, findings: check(report) }], RULES, '0.1.0', 'zh'));
    const spam = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'injected-content');
    assert.equal(1 + (spam.relatedLocations?.length ?? 0), 4);
  });
});
