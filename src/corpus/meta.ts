/**
 * The rules that compare reports (run in `rules.ts` over a store): their ids, severities and
 * documentation, as data that `gongkai rules`, `check` and the web app list without loading a
 * store driver.
 */
import type { RuleMeta } from '../check/types.ts';

export const CORPUS_RULES: RuleMeta[] = [
  {
    id: 'carry-over', severity: 'error', basis: 'official',
    description: "This year's carried-over applications differ from last year's carried into this year",
    descriptionZh: '本年“上年结转”与上年报告“结转下年度继续办理”不一致',
    docs: 'Table 三, per column: this year\'s 二、上年结转政府信息公开申请数量 must equal the same body\'s previous report\'s 四、结转下年度继续办理. The body is matched across years by its normalised region and name. A blank and a 0 are not compared (neither asserts a carry); a blank against a number is a mismatch. Not claimed: which year\'s figure is wrong; cells in doubt in either report are not compared.',
  },
  {
    id: 'valid-continuity', severity: 'warning', basis: 'plausibility',
    description: "Last year's documents in force plus issued minus repealed does not give this year's",
    descriptionZh: '上年现行有效件数＋本年制发－本年废止≠本年现行有效件数',
    docs: 'Table 二 (2021 template, both years), for 规章 and 行政规范性文件: last year\'s 现行有效件数 + this year\'s 本年制发件数 − 本年废止件数 = this year\'s 现行有效件数. A warning: documents can also lapse or be taken over without a repeal, but a gap usually means a wrong figure. Not claimed: which of the four counts is wrong.',
  },
  {
    id: 'duplicate-text', severity: 'warning', basis: 'content',
    description: "The narrative is near-identical to another body's report, or to the body's own previous year",
    descriptionZh: '报告正文与其他机关的报告或本机关上年报告内容雷同',
    docs: 'The 2021 template notice (国办公开办函〔2021〕30号) names 内容雷同 as a defect. The narrative, with the template\'s own wording left out and numbers masked, is sketched with MinHash (64 hashes, 16 bands) so that candidates come from an index; reports sharing a band are candidates (at most 40 per bucket and 50 per report, the best-sharing first), each then compared exactly (resemblance of character 5-grams). Fires at 0.7 or more against another body (in the synthetic corpus unrelated bodies stay below 0.6 and copies with a few sentences edited reach 0.74–0.93), 0.9 or more against the same body\'s previous year. Narratives under 200 characters are not compared. Not claimed: copying — similar wording can be a shared template of the region; a warning for the reviewer to look.',
  },
  {
    id: 'text-repetition', severity: 'warning', basis: 'content',
    description: "More than half of the narrative repeats the body's previous report",
    descriptionZh: '报告正文半数以上与本机关上年报告重复',
    docs: 'The share, by characters, of this report\'s own sentences (template wording left out, numbers masked) that appear in the body\'s previous report. Supervising offices score it: Jiangsu\'s evaluation deducts points above 50%. The share is stored for every report with a previous year (`repetition`, in exports); the finding fires above 50%. Not claimed: that repeating last year\'s sentences is wrong in itself; the share is measured and stored for evaluators.',
  },
];
