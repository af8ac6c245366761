/**
 * Rules that compare reports: a body with its previous year, a report with every other. They
 * run over the store after an ingest, for the reports it touched (and the ones they pair with),
 * and their findings are stored with scope `corpus`, replaced on every run.
 */
import type { RuleMeta } from '../check/types.ts';
import type { Store } from '../store/store.ts';
import { MIN_NARRATIVE, ownSentences, repeatedShare, resemblance, shingles } from './text.ts';
import { T3_COLUMNS } from '../schema/editions.ts';

export const CORPUS_RULES: RuleMeta[] = [
  {
    id: 'carry-over', severity: 'error', basis: 'official',
    description: "This year's carried-over applications differ from last year's carried into this year",
    descriptionZh: '本年“上年结转”与上年报告“结转下年度继续办理”不一致',
    docs: 'Table 三, per column: this year\'s 二、上年结转政府信息公开申请数量 must equal the same body\'s previous report\'s 四、结转下年度继续办理. The body is matched across years by its normalised region and name. A blank and a 0 are not compared (neither asserts a carry); a blank against a number is a mismatch.',
  },
  {
    id: 'valid-continuity', severity: 'warning', basis: 'plausibility',
    description: "Last year's documents in force plus issued minus repealed does not give this year's",
    descriptionZh: '上年现行有效件数＋本年制发－本年废止≠本年现行有效件数',
    docs: 'Table 二 (2021 template, both years), for 规章 and 行政规范性文件: last year\'s 现行有效件数 + this year\'s 本年制发件数 − 本年废止件数 = this year\'s 现行有效件数. A warning: documents can also lapse or be taken over without a repeal, but a gap usually means a wrong figure.',
  },
  {
    id: 'duplicate-text', severity: 'warning', basis: 'content',
    description: "The narrative is near-identical to another body's report, or to the body's own previous year",
    descriptionZh: '报告正文与其他机关的报告或本机关上年报告内容雷同',
    docs: 'The 2021 template notice (国办公开办函〔2021〕30号) names 内容雷同 as a defect. The narrative, with the template\'s own wording left out and numbers masked, is sketched with MinHash (64 hashes, 16 bands) so that candidates come from an index; each candidate is then compared exactly (resemblance of character 5-grams). Fires at 0.8 or more against another body, 0.9 or more against the same body\'s previous year. Narratives under 200 characters are not compared.',
  },
  {
    id: 'text-repetition', severity: 'warning', basis: 'content',
    description: "More than half of the narrative repeats the body's previous report",
    descriptionZh: '报告正文半数以上与本机关上年报告重复',
    docs: 'The share, by characters, of this report\'s own sentences (template wording left out, numbers masked) that appear in the body\'s previous report. Supervising offices score it: Jiangsu\'s evaluation deducts points above 50%. The share is stored for every report with a previous year (`repetition`, in exports); the finding fires above 50%.',
  },
];

interface Found { report_id: number; rule_id: string; severity: string; message: string; message_en: string; keys: string; position: string | null; scope: string }

interface ReportRow { id: number; agency_key: string; agency: string | null; year: number | null; edition: string | null }

/**
 * Numbers of a report's cells (null = blank). A cell the reader could not determine is left
 * out, so a rule comparing it says nothing rather than guess (ambiguous-cell reports it).
 */
async function numbers(store: Store, id: number, keys: string[]): Promise<Map<string, { num: number | null; position: string | null }>> {
  const rows = await store.db.selectFrom('cells').select(['key', 'num', 'position', 'status']).where('report_id', '=', id).where('key', 'in', keys).execute();
  return new Map(rows.filter((r) => r.status !== 'ambiguous').map((r) => [r.key, { num: r.num, position: r.position }]));
}

/** Keys the reader could not determine in a report. */
async function undetermined(store: Store, id: number): Promise<Set<string>> {
  const rows = await store.db.selectFrom('cells').select('key').where('report_id', '=', id).where('status', '=', 'ambiguous').execute();
  return new Set(rows.map((r) => r.key));
}

async function sentencesOf(store: Store, id: number): Promise<string[]> {
  const rows = await store.db.selectFrom('sections').select('text').where('report_id', '=', id).orderBy('number').execute();
  return ownSentences(rows.map((r) => r.text));
}

const fmt = (n: number | null) => (n === null ? '空白' : String(n));

/**
 * Run the corpus rules for these reports and the ones paired with them (the same body's next
 * year, near-duplicates). Returns how many reports were checked.
 */
export async function runCorpusRules(store: Store, reportIds: number[], opts: { rules?: Set<string> } = {}): Promise<number> {
  const on = (id: string) => !opts.rules || opts.rules.has(id);
  const db = store.db;
  const todo = new Set(reportIds);
  // the same body's next year pairs with a new report as its previous year
  for (let i = 0; i < reportIds.length; i += 500) {
    const rows = await db.selectFrom('reports as r').innerJoin('reports as n', (j) => j.onRef('n.agency_key', '=', 'r.agency_key'))
      .select('n.id').where('r.id', 'in', reportIds.slice(i, i + 500)).where('n.current', '=', 1)
      .whereRef('n.year', '=', (eb) => eb('r.year', '+', 1)).execute();
    for (const r of rows) todo.add(r.id);
  }
  let checked = 0;
  for (const id of todo) {
    const me = await db.selectFrom('reports').select(['id', 'agency_key', 'agency', 'year', 'edition', 'current']).where('id', '=', id).executeTakeFirst();
    if (!me || me.current !== 1) continue;
    const found: Found[] = [];
    const emit = (rule: string, message: string, messageEn: string, keys: string[], position: string | null) => {
      const meta = CORPUS_RULES.find((r) => r.id === rule)!;
      found.push({ report_id: id, rule_id: rule, severity: meta.severity, message, message_en: messageEn, keys: JSON.stringify(keys), position, scope: 'corpus' });
    };
    const prev = me.year === null ? undefined : await db.selectFrom('reports').select(['id', 'agency_key', 'agency', 'year', 'edition'])
      .where('agency_key', '=', me.agency_key).where('year', '=', me.year - 1).where('current', '=', 1).executeTakeFirst();
    let repetition: number | null = null;
    if (prev) {
      if (on('carry-over')) await carryOver(store, me, prev, emit);
      if (on('valid-continuity') && me.edition === '2021' && prev.edition === '2021') await validContinuity(store, me, prev, emit);
      const [now, before] = [await sentencesOf(store, id), await sentencesOf(store, prev.id)];
      const rep = repeatedShare(now, before);
      if (rep.chars > 0) repetition = rep.share;
      if (on('text-repetition') && rep.share > 0.5) {
        const pct = `${(rep.share * 100).toFixed(0)}%`;
        emit('text-repetition', `正文 ${pct} 与本机关 ${prev.year} 年报告重复（不计模板固定表述，数字不计）`, `${pct} of the narrative repeats the body's ${prev.year} report (template wording and numbers left out)`, [], null);
      }
    }
    if (on('duplicate-text')) for (const partner of await duplicates(store, me, prev?.id, emit)) if (!todo.has(partner)) todo.add(partner);
    await db.transaction().execute(async (tx) => {
      await tx.deleteFrom('findings').where('report_id', '=', id).where('scope', '=', 'corpus').execute();
      if (found.length) await tx.insertInto('findings').values(found).execute();
      await tx.updateTable('reports').set({ repetition, corpus_checked_at: new Date().toISOString() }).where('id', '=', id).execute();
    });
    checked++;
  }
  return checked;
}

type Emit = (rule: string, message: string, messageEn: string, keys: string[], position: string | null) => void;

async function carryOver(store: Store, me: ReportRow, prev: ReportRow, emit: Emit): Promise<void> {
  const cols = T3_COLUMNS.map((c) => c.id);
  const mine = await numbers(store, me.id, cols.map((c) => `t3.carried.${c}`));
  const theirs = await numbers(store, prev.id, cols.map((c) => `t3.carry_next.${c}`));
  const unknown = { mine: await undetermined(store, me.id), theirs: await undetermined(store, prev.id) };
  for (const c of cols) {
    // a cell absent from a report that has table 三 is blank; one left out as undetermined is unknown
    const ka = `t3.carried.${c}`;
    const kb = `t3.carry_next.${c}`;
    if (!mine.has(ka) && unknown.mine.has(ka)) continue;
    if (!theirs.has(kb) && unknown.theirs.has(kb)) continue;
    const a = mine.get(ka)?.num ?? null;
    const b = theirs.get(kb)?.num ?? null;
    if ((a === null || a === 0) && (b === null || b === 0)) continue;
    if (a === b) continue;
    const label = T3_COLUMNS.find((x) => x.id === c)!.label;
    emit('carry-over', `上年结转（${label}）为 ${fmt(a)}，${prev.year} 年报告结转下年度继续办理为 ${fmt(b)}`,
      `carried over (${c}) is ${a ?? 'blank'}; the ${prev.year} report carried ${b ?? 'blank'} into this year`,
      [`t3.carried.${c}`], mine.get(`t3.carried.${c}`)?.position ?? null);
  }
}

async function validContinuity(store: Store, me: ReportRow, prev: ReportRow, emit: Emit): Promise<void> {
  const unknown = await undetermined(store, me.id);
  for (const row of ['regulations', 'normative']) {
    if (unknown.has(`t2.${row}.issued`) || unknown.has(`t2.${row}.repealed`)) continue;
    const mine = await numbers(store, me.id, [`t2.${row}.issued`, `t2.${row}.repealed`, `t2.${row}.valid`]);
    const before = (await numbers(store, prev.id, [`t2.${row}.valid`])).get(`t2.${row}.valid`)?.num;
    const issued = mine.get(`t2.${row}.issued`)?.num ?? 0;
    const repealed = mine.get(`t2.${row}.repealed`)?.num ?? 0;
    const valid = mine.get(`t2.${row}.valid`)?.num;
    if (before === null || before === undefined || valid === null || valid === undefined) continue;
    const expected = before + issued - repealed;
    if (expected === valid) continue;
    const name = row === 'regulations' ? '规章' : '行政规范性文件';
    emit('valid-continuity', `${name}：上年现行有效 ${before} ＋ 本年制发 ${issued} － 本年废止 ${repealed} ＝ ${expected}，本年现行有效为 ${valid}`,
      `${row}: last year's ${before} in force + ${issued} issued − ${repealed} repealed = ${expected}, but ${valid} are in force`,
      [`t2.${row}.valid`], mine.get(`t2.${row}.valid`)?.position ?? null);
  }
}

/** The most candidates verified per report: the band index can return many for boilerplate-heavy text. */
const MAX_CANDIDATES = 50;

async function duplicates(store: Store, me: ReportRow, prevId: number | undefined, emit: Emit): Promise<number[]> {
  const db = store.db;
  const bands = await db.selectFrom('sketches').select(['band', 'hash']).where('report_id', '=', me.id).execute();
  if (bands.length === 0) return [];
  const shared = new Map<number, number>();
  for (const b of bands) {
    const rows = await db.selectFrom('sketches').select('report_id').where('band', '=', b.band).where('hash', '=', b.hash).where('report_id', '!=', me.id).limit(1000).execute();
    for (const r of rows) shared.set(r.report_id, (shared.get(r.report_id) ?? 0) + 1);
  }
  if (shared.size === 0) return [];
  const mine = shingles(await sentencesOf(store, me.id));
  const partners: number[] = [];
  const ranked = [...shared.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_CANDIDATES);
  for (const [other] of ranked) {
    const o = await db.selectFrom('reports').select(['id', 'agency_key', 'agency', 'year', 'current']).where('id', '=', other).executeTakeFirst();
    if (!o || o.current !== 1) continue;
    const sameBody = o.agency_key === me.agency_key;
    if (sameBody && o.id !== prevId) continue; // the body's other years: text-repetition's business
    const theirs = await sentencesOf(store, o.id);
    if (theirs.reduce((n, s) => n + s.length, 0) < MIN_NARRATIVE) continue;
    const r = resemblance(mine, shingles(theirs));
    if (r < (sameBody ? 0.9 : 0.8)) continue;
    const pct = `${(r * 100).toFixed(0)}%`;
    const who = `${o.agency ?? '（未署名）'} ${o.year ?? ''} 年`;
    emit('duplicate-text', sameBody ? `正文与本机关 ${o.year} 年报告几乎相同（相似度 ${pct}）` : `正文与 ${who}报告内容雷同（相似度 ${pct}）`,
      sameBody ? `the narrative is near-identical to the body's ${o.year} report (resemblance ${pct})` : `the narrative is near-identical to ${o.agency ?? 'an unnamed body'}'s ${o.year ?? ''} report (resemblance ${pct})`,
      [], null);
    partners.push(o.id);
  }
  return partners;
}
