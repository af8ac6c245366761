import rule from '../../src/check/rules/non-government-link.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'the same site under .gov.cn', input: { text: seedWith(SEEDS.pipes, 'http://mzj.zwornz.com/', 'http://mzj.shangqiu.gov.cn/') } },
    { name: 'seed 003: an e-mail address is not a site', input: { fixture: SEEDS.blankLines } },
  ],
  invalid: [{ name: 'seed 000: mzj.zwornz.com as the 民政局 site', input: { fixture: SEEDS.pipes }, findings: [{ match: /mzj\.zwornz\.com/, line: 13 }] }],
});
