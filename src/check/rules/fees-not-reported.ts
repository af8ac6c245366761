import type { Rule } from '../types.ts';
import { determined } from '../util.ts';

const MENTION = /信息处理费|处理费|收费|收取费用|费用/;
// `0元` only as a whole number: `共计380元` is 380 元 collected, not none
const NONE = /(?:未|没有|无|不)(?:收取|收|产生|发生)[^。；;]{0,10}?(?:信息处理费|处理费|费用)|(?:信息处理费|处理费)[^。；;]{0,6}?(?:为零|为0(?![\d.])|(?<![\d.])0元|无)/;

/** A positive amount collected (`实际收取信息处理费共计400元`): then a “未收取” nearby is about some units, not all. */
const COLLECTED = /收取[^。；;]{0,16}?(?:信息处理费|处理费|费用)[^。；;\d]{0,8}?(\d+(?:\.\d+)?)\s*(?:元|万元)/g;
const collectedSome = (text: string) => [...text.matchAll(COLLECTED)].some((m) => Number(m[1]) > 0);

export default {
  meta: {
    id: 'fees-not-reported', severity: 'warning', basis: 'official',
    description: '2021 layout: section 六 says nothing about information processing fees, or says none while fee notices were issued',
    descriptionZh: '2021版：第六部分未说明信息处理费收取情况，或称未收费而表三显示发出过收费通知',
    docs: 'The 2021 notice (国办公开办函〔2021〕30号) asks section 六 to state the information processing fees (信息处理费, 条例 第四十二条 and 国办函〔2020〕109号) collected, or that none were. Also reported: section 六 saying none were collected while table 三 counts requests closed because the applicant did not pay a fee notice (（六）2), which means fees were charged. Not claimed: that a report stating an amount collected (`2025年全市实际收取信息处理费共计400元`, beside `其余单位未收取`) said none — a “未收取” is then about some units; nor whether the amount is right.',
  },
  check(report, emit) {
    if (report.meta.edition !== '2021') return;
    const s = report.sections.find((x) => x.number === 6);
    // no section 六 at all is missing-section's finding (or, in a file cut off, missing-table's): not a second one here
    if (!s) return;
    const text = s.text;
    const at = [s.lines[0] ?? s.position];
    if (!MENTION.test(text)) {
      emit({ message: '第六部分未说明信息处理费收取情况', messageEn: 'section 六 does not state the information processing fees collected', keys: [], positions: at, fault: 'publisher' });
      return;
    }
    const noFee = determined(report, 't3.other.no_fee.total');
    if (NONE.test(text) && !collectedSome(text) && noFee && Number(noFee.value) > 0) {
      emit({
        message: `第六部分称未收取信息处理费，但表三有 ${noFee.value} 件因逾期未缴费而不再处理的申请`,
        messageEn: `section 六 says no fees were collected, but table 三 closes ${noFee.value} request(s) for fees not paid`,
        keys: [noFee.key], positions: [...at, ...(noFee.position ? [noFee.position] : [])], fault: 'publisher',
      });
    }
  },
} satisfies Rule;
