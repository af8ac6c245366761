import rule from '../../src/check/rules/unresolved-body.ts';
import { SEEDS, readFixture } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

/** Seed 002 (平凉市崆峒区) with its body's name replaced everywhere, and a sentence added. */
const renamed = (name: string, add = '') => readFixture(SEEDS.cellPerLine).toString('utf8').replaceAll('平凉市崆峒区', name).replaceAll('崆峒', name.replace(/区$/, '')).replace('\n2021年,', `\n${add}2021年,`);

ruleTester(rule, {
  valid: [
    { name: 'seed 002: 平凉市崆峒区, one division', input: { fixture: SEEDS.cellPerLine } },
    { name: '鼓楼区 in a text that names 南京市鼓楼区', input: { text: renamed('鼓楼区', '南京市鼓楼区人民政府办公室负责本报告。') } },
    { name: '鼓楼区 in a text that names 福州 twice and no other city', input: { text: renamed('鼓楼区', '福州市委、福州市政府部署。') } },
    { name: '南京市鼓楼区 printed whole', input: { text: renamed('南京市鼓楼区') } },
  ],
  invalid: [
    { name: '鼓楼区 and nothing else: four candidates, none picked', input: { text: renamed('鼓楼区') }, findings: [{ match: /可能属于 4 个行政区划：江苏省南京市鼓楼区（320106）、江苏省徐州市鼓楼区（320302）、福建省福州市鼓楼区（350102）、河南省开封市鼓楼区（410204）/ }] },
    { name: '鼓楼区 in a text that names both 南京市 and 福州市: still none picked', input: { text: renamed('鼓楼区', '南京市、福州市同行来访。南京市、福州市。') }, findings: 1 },
    { name: '朝阳区 (北京, 长春)', input: { text: renamed('朝阳区') }, findings: [{ match: /北京市朝阳区（110105）、吉林省长春市朝阳区（220104）/ }] },
  ],
});
