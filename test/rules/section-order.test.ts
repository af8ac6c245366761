import rule from '../../src/check/rules/section-order.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [{ name: 'seed 000', input: { fixture: SEEDS.pipes } }, { name: 'seed 002 (two headings missing: missing-section’s)', input: { fixture: SEEDS.cellPerLine } }],
  invalid: [
    { name: 'section 五 numbered 四', input: { text: seedWith(SEEDS.pipes, '五、存在的主要问题及改进情况', '四、存在的主要问题及改进情况') }, findings: [{ expected: '五', actual: '四' }] },
    {
      name: 'sections 五 and 六 swapped',
      input: { text: seedWith(SEEDS.pipes, /(五、存在的主要问题及改进情况\n[^\n]*\n)(六、其他需要报告的事项\n无。\n)/, '$2$1') },
      findings: [{ match: /“五、存在的主要问题及改进情况”出现在第六部分之后/ }],
    },
  ],
});
