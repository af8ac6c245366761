import type { Cell, Position, Report } from '../../types.ts';
import type { Rule } from '../types.ts';
import { determined, matches, type TextMatch } from '../util.ts';
import { broken } from '../identity.ts';
import { identities } from '../../schema/keys.ts';

/** A quantity the narrative states, the cells it should equal, and the patterns that state it. */
interface Claim {
  what: string;
  whatEn: string;
  keys: (r: Report) => string[];
  /** Text every match of `count` and `none` holds: a section without it is not searched. */
  needs: string;
  count: RegExp;
  none?: RegExp;
  /** Clauses that mention these are about something else. */
  not?: RegExp;
  /** Other sums the same words can mean (受理 often counts the applications carried over too). */
  alsoMeans?: string[][];
  /**
   * Words right after the matched noun that make the claim about something narrower: “未发生…被
   * 行政复议纠错” says no review ended in a correction, not that there was no review.
   */
  narrower?: RegExp;
}

/** Words of an outcome (corrected, lost): a claim with them is about outcomes, not about how many cases. */
const OUTCOME_WORDS = /纠错|纠正|败诉|撤销|确认违法|发回/;
/** Right after 行政复议 / 行政诉讼 in a “none” claim. */
const OUTCOME = new RegExp(`^[^。；;，,、\\d]{0,4}?(?:${OUTCOME_WORDS.source}|被撤销|被确认)`);

const N = '(\\d+)\\s*(?:件|个|条|份|项|起|宗|次)';
const CLAIMS: Claim[] = [
  {
    what: '收到的政府信息公开申请', whatEn: 'applications received', keys: () => ['t3.new.total'], needs: '申请',
    count: new RegExp(`(?:收到|受理|新收|接收)[^。；;，,]{0,20}?申请[^。；;，,\\d]{0,8}?${N}`, 'g'),
    none: /(?:没有|未|无)(?:收到|受理|接到)[^。；;，,]{0,10}?(?:政府信息公开|依申请公开|信息公开)?申请|没有依申请公开|无依申请公开/g,
    not: /复议|诉讼/,
    alsoMeans: [['t3.new.total', 't3.carried.total']],
  },
  {
    what: '上年结转的申请', whatEn: 'applications carried over', keys: () => ['t3.carried.total'], needs: '结转',
    count: new RegExp(`上年(?:度)?结转[^。；;，,\\d]{0,12}?${N}`, 'g'),
  },
  {
    what: '政府信息公开行政复议', whatEn: 'administrative reviews', keys: () => ['t4.review.total'], needs: '行政复议',
    count: new RegExp(`行政复议[^。；;，,、\\d诉]{0,8}?${N}|${N}[^。；;，,、\\d]{0,4}?行政复议`, 'g'),
    none: /(?:未发生|没有发生|未出现|没有|无|未)[^。；;，,]{0,16}?行政复议/g,
    narrower: OUTCOME,
  },
  {
    what: '政府信息公开行政诉讼', whatEn: 'lawsuits', keys: () => ['t4.suit_direct.total', 't4.suit_after.total'], needs: '行政诉讼',
    count: new RegExp(`行政诉讼[^。；;，,、\\d]{0,8}?${N}|${N}[^。；;，,、\\d]{0,4}?行政诉讼`, 'g'),
    none: /(?:未发生|没有发生|未出现|没有|无|未)[^。；;，,]{0,24}?行政诉讼/g,
    narrower: OUTCOME,
  },
  {
    what: '制发的规范性文件', whatEn: 'normative documents issued', needs: '规范性文件',
    keys: (r) => [r.tables.t2.edition === '2019' ? 't2.normative.made' : 't2.normative.issued'],
    count: new RegExp(`(?:制发|印发|出台|制定)(?:了)?(?:行政)?规范性文件(?:共)?${N}|(?:制发|印发|出台|制定)(?:了)?(?:行政)?(\\d+)\\s*(?:件|个|份)(?:行政)?规范性文件`, 'g'),
  },
  {
    what: '现行有效的行政规范性文件', whatEn: 'normative documents in force', needs: '规范性文件',
    keys: (r) => (r.tables.t2.edition === '2021' ? ['t2.normative.valid'] : []),
    count: new RegExp(`现行有效(?:的)?(?:行政)?规范性文件(?:共|数量为?|为)?${N}`, 'g'),
  },
  {
    what: '现行有效的规章', whatEn: 'regulations in force', needs: '规章',
    keys: (r) => (r.tables.t2.edition === '2021' ? ['t2.regulations.valid'] : []),
    count: new RegExp(`现行有效(?:的)?规章(?:共|数量为?|为)?${N}`, 'g'),
  },
  {
    what: '制发的规章', whatEn: 'regulations issued', needs: '规章',
    keys: (r) => [r.tables.t2.edition === '2019' ? 't2.regulations.made' : 't2.regulations.issued'],
    count: new RegExp(`(?:制发|印发|出台|制定)(?:了)?规章(?:共)?${N}|(?:制发|印发|出台|制定)(?:了)?(\\d+)\\s*(?:件|个|部)规章`, 'g'),
  },
];

/**
 * Whose figure a clause states. A figure of part of the body (区政府办代表区政府受理…17件: the
 * office's share of the government's 95; 其中…; 各部门…) or of someone else is not the table's.
 */
const PART = /代表|政府办|办公室|其中|各部门|部分|所属|下属|乡镇|街道|分别/;
function subjectIsPart(text: string, index: number): boolean {
  let a = index;
  while (a > 0 && !/[。；;！!？?]/.test(text[a - 1]!)) a--;
  return PART.test(text.slice(a, index));
}

function tableValue(r: Report, keys: string[]): { value: number; cells: Cell[] } | null {
  if (keys.length === 0) return null;
  const cells = keys.map((k) => determined(r, k));
  if (cells.some((c) => c === null)) return null;
  return { value: cells.reduce((s, c) => s + Number(c!.value), 0), cells: cells as Cell[] };
}

export default {
  meta: {
    id: 'narrative-mismatch', severity: 'warning', basis: 'content',
    description: 'A number the narrative states (applications, carry-over, reviews, lawsuits, 规章/规范性文件) differs from the table',
    descriptionZh: '正文所述数字（申请数、结转数、复议、诉讼、规章和规范性文件件数）与表格不一致',
    docs: 'Reports state their key figures twice: in the narrative (“全年共受理依申请公开1件”, “未发生行政复议、行政诉讼”) and in the tables. When the two differ, one is wrong. Checked: applications received (vs 表三 本年新收·总计; a statement that none were received is also checked against the applications handled when none were carried over), applications carried over, administrative reviews and lawsuits (vs 表四 总计), 规章 and 规范性文件 issued (vs 表二). Every matching sentence is checked, not just the first. “受理…申请 749 件” may count the applications carried over from last year too: a figure equal to 本年新收 + 上年结转 is not a mismatch. A warning: narrative wording varies. Not claimed: a figure of part of the body (区政府办代表区政府受理…, 其中…, 各部门…), a statement about outcomes (未发生…被行政复议纠错, 行政诉讼败诉 say nothing of how many cases there were), and “none received” against a （七）总计 that is not the sum of its own result rows (t3-results-total reports that cell).',
  },
  check(report, emit) {
    for (const claim of CLAIMS) {
      const table = tableValue(report, claim.keys(report));
      if (!table) continue;
      const say = (m: TextMatch, stated: number, against: { value: number; cells: Cell[] }, extra = '') => {
        if (stated === against.value) return;
        emit({
          message: `正文称${claim.what}为 ${stated}（“${m.text}”），表格为 ${against.value}${extra}`,
          messageEn: `the narrative states ${stated} ${claim.whatEn} (“${m.text}”); the table says ${against.value}`,
          keys: against.cells.map((c) => c.key),
          positions: [m.position, ...against.cells.map((c) => c.position)].filter((p): p is Position => p !== null),
          expected: String(against.value), actual: String(stated), fault: 'publisher',
        });
      };
      const clause = (m: TextMatch) => m.section.text.slice(Math.max(0, m.index - 12), m.index + m.text.length);
      const after = (m: TextMatch) => m.section.text.slice(m.index + m.text.length, m.index + m.text.length + 8);
      for (const m of matches(report, claim.count, undefined, claim.needs)) {
        if (claim.not?.test(clause(m))) continue;
        if (subjectIsPart(m.section.text, m.index)) continue;
        if (claim.narrower && OUTCOME_WORDS.test(m.text)) continue;
        const n = m.groups.find((g) => g !== undefined);
        if (n === undefined) continue;
        if (claim.alsoMeans?.some((keys) => tableValue(report, keys)?.value === Number(n))) continue;
        say(m, Number(n), table);
      }
      if (!claim.none) continue;
      for (const m of matches(report, claim.none, undefined, claim.needs)) {
        if (claim.not?.test(m.text)) continue;
        if (claim.narrower?.test(after(m))) continue;
        if (subjectIsPart(m.section.text, m.index)) continue;
        say(m, 0, table);
        // none received, none carried over, yet applications handled: the table contradicts it
        if (claim.keys(report)[0] === 't3.new.total' && table.value === 0) {
          const handled = tableValue(report, ['t3.results_total.total']);
          const carried = tableValue(report, ['t3.carried.total']);
          // only a （七）总计 that is the sum of its result rows: one that is not is t3-results-total's defect, not a second one here
          const consistent = !identities(report.tables.t3.edition ?? '2021').some((id) => id.id === 'I3:total' && broken(report, id));
          if (handled && handled.value > 0 && consistent && (!carried || carried.value === 0)) say(m, 0, handled, '（办理结果总计）');
        }
      }
    }
  },
} satisfies Rule;
