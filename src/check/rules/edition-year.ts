import type { Rule } from '../types.ts';
import { reportPosition } from '../util.ts';

export default {
  meta: {
    id: 'edition-year', severity: 'error', basis: 'official',
    description: 'The table layout does not match the report year (2019 layout for 2021 on, 2021 layout before 2020)',
    descriptionZh: '表格版式与报告年度不符（2021年度起仍用2019版，或2019年度用2021版）',
    docs: 'The 2019 template (国办公开办函〔2019〕60号) serves the 2019 and 2020 reports; the 2021 template (国办公开办函〔2021〕30号) serves 2021 onward. A report for 2021 or later in the 2019 layout reports fields with different meanings (本年新制作数量 instead of 本年制发件数…) and cannot be summed with its peers. A 2019 report cannot use a template issued in 2021. A 2020 report may use either (the 2021 notice came out as they were being written): no finding. Not claimed: anything about the numbers; the layout is told by the tables\' rows and columns, not by the year.',
  },
  check(report, emit) {
    const { year, edition } = report.meta;
    if (!year || !edition) return;
    const wrong = (year >= 2021 && edition === '2019') || (year <= 2019 && edition === '2021');
    if (!wrong) return;
    const expected = year >= 2021 ? '2021' : '2019';
    emit({
      message: `${year}年度报告应使用${expected}版模板，表格却是${edition}版版式`,
      messageEn: `a report for ${year} should use the ${expected} template; its tables use the ${edition} layout`,
      keys: [], positions: [report.tables.t2.position ?? report.tables.t3.position].filter((p) => p !== null).concat(reportPosition(report)).slice(0, 1),
      expected, actual: edition, fault: 'publisher',
    });
  },
} satisfies Rule;
