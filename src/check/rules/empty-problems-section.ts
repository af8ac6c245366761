import type { Rule } from '../types.ts';

const PROBLEM = /问题|不足|差距|短板|薄弱|欠缺|有待|不够|不到位|不及时|不全面|不规范|不高|不强|滞后|偏少|单一|不完善/;

export default {
  meta: {
    id: 'empty-problems-section', severity: 'warning', basis: 'official',
    description: 'Section 五 is empty, says 无, or names no problem',
    descriptionZh: '第五部分“存在的主要问题及改进情况”为空、写“无”或未指出任何具体问题',
    docs: '条例 第五十条 (四) requires the report to state its main problems and how they are improved; the 2021 notice (国办公开办函〔2021〕30号) asks section 五 to cover last year\'s problems and how they were fixed. An empty section, a bare “无”, or text with no word naming a shortcoming is reported. Not claimed: that the problems named are the real ones, or enough.',
  },
  check(report, emit) {
    const s = report.sections.find((x) => x.number === 5);
    if (!s) return;
    const text = s.text.replace(/\s/g, '');
    const what = text === '' ? '为空' : /^无[。.]?$/.test(text) ? '只写“无”' : !PROBLEM.test(text) ? '未指出具体问题' : null;
    if (!what) return;
    emit({ message: `第五部分“存在的主要问题及改进情况”${what}`, messageEn: `section 五 (problems and improvements) ${what === '为空' ? 'is empty' : what === '只写“无”' ? 'only says 无' : 'names no problem'}`, keys: [], positions: [s.lines[0] ?? s.position], fault: 'publisher' });
  },
} satisfies Rule;
