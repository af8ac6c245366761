/**
 * Synthetic reports with ground truth. Bodies (governments and departments of real regions)
 * publish a report every year; their numbers satisfy every identity of the template and carry
 * over from one year to the next (上年结转 = last year's 结转下年度, 现行有效 continues), their
 * narrative is written from phrase banks with the body's own facts. Defects can be planted, and
 * each planted defect names the rules that must find it.
 *
 * Deterministic: the same seed gives the same corpus, byte for byte.
 */
import type { Cell, DivisionRef, Report, Section } from '../types.ts';
import { resolveBody } from '../extract/body.ts';
import type { Edition } from '../schema/editions.ts';
import { T2_ROWS, T3_PART_COLUMNS, T3_ROWS, T4_GROUPS } from '../schema/editions.ts';
import { DEPARTMENTS, PLACES, TOWNS } from './lists.ts';

/** A small, fast, seedable generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type DefectKind = 'broken-total' | 'wrong-edition' | 'late' | 'spam' | 'narrative-mismatch' | 'carry-over' | 'duplicate-text';

export const DEFECTS: Record<DefectKind, { rules: string[]; scope: 'report' | 'corpus' }> = {
  'broken-total': { rules: ['t3-column-total', 't3-results-total', 't3-balance'], scope: 'report' },
  'wrong-edition': { rules: ['edition-year'], scope: 'report' },
  late: { rules: ['late-publication'], scope: 'report' },
  spam: { rules: ['injected-content'], scope: 'report' },
  'narrative-mismatch': { rules: ['narrative-mismatch'], scope: 'report' },
  'carry-over': { rules: ['carry-over'], scope: 'corpus' },
  'duplicate-text': { rules: ['duplicate-text'], scope: 'corpus' },
};

export interface Planted { kind: DefectKind; rules: string[]; scope: 'report' | 'corpus'; detail: string }

export interface SynthReport {
  id: string;
  report: Report;
  planted: Planted[];
  /** Zeros printed as blank cells (many bodies do). */
  blankZeros: boolean;
}

export interface SynthOptions {
  count: number;
  seed?: number;
  /** Share of reports with a planted defect (default 0.2). */
  defectRate?: number;
  /** Years to cover (default 2020–2024). */
  years?: number[];
}

interface Body { agency: string; region: string; level: 'city' | 'county' | 'township'; kind: 'government' | 'department'; division: DivisionRef | null; id: string }

/** Every body the lists can name: city and county governments and departments, township governments. */
function allBodies(): Array<Omit<Body, 'id'>> {
  const out: Array<Omit<Body, 'id' | 'division'>> = [];
  for (const p of PLACES) {
    for (const region of [p.city, ...p.counties.map((c) => `${p.city}${c}`)]) {
      const level = region === p.city ? 'city' as const : 'county' as const;
      out.push({ agency: `${region}人民政府`, region, level, kind: 'government' });
      for (const d of DEPARTMENTS) out.push({ agency: `${region}${d}`, region, level, kind: 'department' });
      if (level === 'county') for (const t of TOWNS) out.push({ agency: `${region}${t}人民政府`, region: `${region}${t}`, level: 'township', kind: 'government' });
    }
  }
  // each body placed in the gazetteer once, as a reading of its name would place it
  return out.map((b) => ({ ...b, division: resolveBody(b.agency).division }));
}

function bodies(r: () => number, n: number): Body[] {
  const pool = allBodies();
  if (n > pool.length) throw new Error(`synth: ${n} bodies asked for; the place lists name ${pool.length}`);
  // a partial Fisher–Yates shuffle: n distinct bodies in random order
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(r() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n).map((b, i) => ({ ...b, id: `b${String(i).padStart(5, '0')}` }));
}

const int = (r: () => number, max: number) => Math.floor(r() * (max + 1));
/** Counts as published: mostly small, sometimes large (a city's 自然人 column). */
const skewed = (r: () => number, scale: number) => Math.floor(scale * r() ** 3);

interface State { carry: Record<string, number>; valid: Record<string, number>; memory: Record<string, string[]> }

function cell(key: string, value: number | string | null, blankZeros: boolean): Cell {
  const v = value === null ? null : String(value);
  const blank = v === null || (blankZeros && Number(v) === 0);
  return { key, value: blank ? null : v, shown: blank ? 'blank' : Number(v) === 0 ? 'zero' : 'number', status: 'read', raw: blank ? '' : v!, position: null };
}

const RESULT_WEIGHTS: Record<string, number> = { granted: 40, partial: 8, 'unable.no_info': 20, 'unable.must_create': 3, 'unable.unclear': 3, 'rejected.complaint': 4, 'rejected.repeat': 3, 'rejected.publication': 1, 'rejected.mass': 1, 'rejected.confirm': 1, 'denied.secret': 1, 'denied.law': 1, 'denied.safety': 1, 'denied.third_party': 2, 'denied.internal': 2, 'denied.process': 2, 'denied.case_file': 1, 'denied.query': 1, 'other.no_correction': 2, 'other.no_fee': 1, 'other.other': 2, other: 5 };

/** Table 三 for one year: every identity holds by construction. */
function table3(r: () => number, edition: Edition, state: State, body: Body): Record<string, number> {
  const v: Record<string, number> = {};
  const rows = T3_ROWS[edition];
  const results = rows.filter((x) => x.result).map((x) => x.id);
  const scale = body.level === 'township' ? 15 : body.kind === 'government' ? 400 : 60;
  for (const c of T3_PART_COLUMNS) {
    const big = c === 'natural' ? scale : c === 'commercial' ? scale / 8 : 4;
    const fresh = skewed(r, big);
    const carried = state.carry[c] ?? 0;
    const available = fresh + carried;
    const next = Math.min(available, r() < 0.3 ? int(r, 3) : 0);
    let left = available - next;
    v[`new.${c}`] = fresh;
    v[`carried.${c}`] = carried;
    v[`carry_next.${c}`] = next;
    for (const id of results) v[`${id}.${c}`] = 0;
    const weights = results.map((id) => RESULT_WEIGHTS[id] ?? 1);
    const total = weights.reduce((a, b) => a + b, 0);
    while (left > 0) {
      let x = r() * total;
      let k = 0;
      while (x > weights[k]!) { x -= weights[k]!; k++; }
      v[`${results[k]}.${c}`]!++;
      left--;
    }
    v[`results_total.${c}`] = available - next;
    state.carry[c] = next;
  }
  for (const row of rows) v[`${row.id}.total`] = T3_PART_COLUMNS.reduce((n, c) => n + (v[`${row.id}.${c}`] ?? 0), 0);
  return v;
}

function table2(r: () => number, edition: Edition, state: State): Record<string, number | string> {
  const v: Record<string, number | string> = {};
  for (const row of T2_ROWS[edition]) {
    for (const c of row.columns) {
      const k = `${row.id}.${c.id}`;
      if (c.money) v[k] = r() < 0.7 ? 0 : (int(r, 50000) / 100).toFixed(2).replace(/\.?0+$/, '');
      else if (c.id === 'issued') v[k] = int(r, row.id === 'regulations' ? 2 : 8);
      else if (c.id === 'repealed') v[k] = int(r, 2);
      else if (c.id === 'valid') {
        const before = state.valid[row.id] ?? int(r, 40);
        v[`${row.id}.repealed`] = Math.min(Number(v[`${row.id}.repealed`]), before + Number(v[`${row.id}.issued`]));
        v[k] = before + Number(v[`${row.id}.issued`]) - Number(v[`${row.id}.repealed`]);
        state.valid[row.id] = Number(v[k]);
      } else if (c.id === 'change') v[k] = int(r, 6) - 3;
      else v[k] = skewed(r, 300);
    }
  }
  return v;
}

/** Sentence banks per section; `#` is replaced by a number. Wide enough that two bodies rarely write alike. */
/** Composed sentences: what was done, about what, to what end — hundreds of combinations. */
const DONE = ['制定印发', '修订完善', '认真落实', '全面梳理', '持续优化', '组织开展', '扎实推进', '建立健全'];
const WHAT = ['政务公开工作要点', '政府信息公开工作制度', '主动公开基本目录', '政策解读工作机制', '信息发布审核流程', '依申请公开办理规程', '政务新媒体管理办法', '政府网站内容保障机制', '重点领域信息公开清单', '政务舆情回应机制'];
const WHY = ['确保公开工作有章可循', '推动公开内容更加全面', '提升公开工作规范化水平', '切实保障群众知情权', '促进权力规范透明运行', '增强政府公信力'];
const COMPOSED = DONE.flatMap((d) => WHAT.map((w, i) => `${d}${w}，${WHY[(i + d.length) % WHY.length]}`));

const PHRASES = {
  overall: [...COMPOSED,
    '坚持以公开为常态、不公开为例外，持续深化政务公开', '围绕中心工作，不断提升政务公开标准化规范化水平', '健全政务公开工作机制，明确分管领导和专职人员',
    '加强政府网站和政务新媒体建设，拓宽信息公开渠道', '聚焦群众关切，做好重点领域信息公开', '强化政策解读，及时回应社会关切', '认真落实政府信息公开保密审查制度',
    '召开政务公开专题会议#次，研究部署年度重点任务', '组织政务公开业务培训#场，参训#人次', '发布政策解读材料#篇，其中图解#篇', '通过政务新媒体发布信息#条，阅读量超过#万次',
    '开展政府开放日活动#次，邀请群众代表#人参加', '梳理更新主动公开基本目录#项', '对历史公开文件开展清理，标注失效文件#件', '推进基层政务公开标准化规范化，完成事项清单#项',
    '落实重大行政决策预公开制度，公开征求意见#次', '办理人大代表建议和政协委员提案#件，答复全文公开', '在政务服务大厅设置政府信息查阅点#个', '规范政府信息公开申请办理流程，统一答复文书格式',
    '加强政务舆情回应，回应热点问题#次', '完善依申请公开工作规程，实行台账管理', '开展政务公开第三方评估整改，完成问题整改#项',
  ],
  problems: [
    '政策解读形式较为单一，图表、音视频解读偏少', '部分栏目信息更新不够及时', '依申请公开答复规范化水平有待提高', '工作人员业务能力有待进一步提升',
    '公开内容与群众需求的契合度仍需加强', '政务新媒体互动回应不够充分', '基层政务公开工作发展不平衡', '公开信息的可读性和实用性有待增强',
    '重点领域信息公开的深度和广度不够', '政府信息公开工作考核机制尚不健全',
  ],
  plans: [
    '加强业务培训，提升工作人员专业素养', '丰富解读形式，提高解读质量', '完善信息发布审核机制，确保信息准确及时', '加强政府网站栏目管理，及时更新维护',
    '规范依申请公开办理流程，严格答复时限', '健全政务公开考核评价机制', '加强政务新媒体互动管理，及时回应留言', '推动公开向基层延伸，打通服务群众最后一公里',
    '围绕群众关切加大重点领域公开力度', '建立政策解读专家库，提升解读专业性',
  ],
};

function pick<T>(r: () => number, xs: T[], n: number): T[] {
  const pool = [...xs];
  const out: T[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(r() * pool.length), 1)[0]!);
  return out;
}

/** A section's sentences: some kept from the body's last report (as offices do), the rest new. */
function sentences(r: () => number, bank: string[], n: number, last: string[] | undefined): string[] {
  const kept = (last ?? []).filter(() => r() < 0.4).slice(0, n);
  const fresh = pick(r, bank.filter((x) => !kept.some((k) => k.startsWith(x.split('#')[0]!))), n - kept.length).map((x) => x.replace(/#/g, () => String(1 + skewed(r, 60))));
  return [...kept, ...fresh];
}

function narrative(r: () => number, body: Body, year: number, v3: Record<string, number>, active: number, memory: Record<string, string[]>): Section[] {
  const s = (number: number, title: string, text: string): Section => ({ number, title, text, position: { offset: 0, length: 0, line: 0, column: 0 }, lines: [] });
  const got = v3['new.total'] ?? 0;
  const overall = (memory.overall = sentences(r, PHRASES.overall, 8 + int(r, 4), memory.overall));
  const problems = (memory.problems = sentences(r, PHRASES.problems, 3 + int(r, 2), memory.problems));
  const plans = (memory.plans = sentences(r, PHRASES.plans, 3 + int(r, 2), memory.plans));
  const site = Math.floor(active * 0.7);
  const pub = [`全年主动公开政府信息${active}条，其中通过政府网站发布${site}条。`, `全年累计主动公开各类政府信息${active}条，门户网站发布${site}条。`, `本年度通过各类渠道主动公开信息${active}条，其中网站${site}条、政务新媒体${active - site}条。`, `主动公开政府信息共${active}条（网站${site}条）。`][int(r, 3)]!;
  const p1 = `${year}年，${body.agency}${overall.join('；')}。${pub}`
    + (got > 0 ? `全年共收到政府信息公开申请${got}件，均在法定期限内答复。` : '本年度未收到政府信息公开申请。');
  return [
    s(0, '', `根据《中华人民共和国政府信息公开条例》规定，编制本报告。本报告中所列数据的统计期限自${year}年1月1日起至${year}年12月31日止。`),
    s(1, '一、总体情况', p1),
    s(2, '二、主动公开政府信息情况', ''),
    s(3, '三、收到和处理政府信息公开申请情况', ''),
    s(4, '四、政府信息公开行政复议、行政诉讼情况', ''),
    s(5, '五、存在的主要问题及改进情况', `存在的问题：${problems.join('；')}。改进措施：${plans.join('；')}。`),
    s(6, '六、其他需要报告的事项', [`${year}年，本机关未收取信息处理费。`, `本年度未发生收取信息处理费的情况。`, `依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。`][int(r, 2)]! + [`${body.agency}将继续做好政府信息公开工作。`, '下一步将持续提升政务公开质效。', '', `本机关${year + 1}年将进一步完善政务公开制度。`][int(r, 3)]!),
  ];
}

function iso(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Generate a corpus: `count` reports from bodies publishing over the years. */
export function synthesize(opts: SynthOptions): SynthReport[] {
  return [...synthesizeEach(opts)];
}

/** The same corpus, one report at a time (a corpus of 100,000 does not fit in memory at once). */
export function* synthesizeEach(opts: SynthOptions): Generator<SynthReport> {
  const r = rng(opts.seed ?? 1);
  const years = opts.years ?? [2020, 2021, 2022, 2023, 2024];
  const defectRate = opts.defectRate ?? 0.2;
  const list = bodies(r, Math.ceil(opts.count / years.length));
  let made = 0;
  const narratives: Array<{ sections: Section[]; agency: string; year: number; tainted: boolean }> = [];
  for (const body of list) {
    const state: State = { carry: {}, valid: {}, memory: {} };
    for (const year of years) {
      if (made >= opts.count) return;
      const planted: Planted[] = [];
      const roll = r();
      const defect: DefectKind | null = roll < defectRate ? (['broken-total', 'wrong-edition', 'late', 'spam', 'narrative-mismatch', 'carry-over', 'duplicate-text'] as DefectKind[])[Math.floor(r() * 7)]! : null;
      const plant = (kind: DefectKind, detail: string) => planted.push({ kind, ...DEFECTS[kind], detail });
      let edition: Edition = year >= 2021 ? '2021' : '2019';
      if (defect === 'wrong-edition' && year >= 2021) { edition = '2019'; plant('wrong-edition', `${year} report in the 2019 layout`); }
      const blankZeros = r() < 0.25;
      const before = { ...state.carry };
      const v3 = table3(r, edition, state, body);
      if (defect === 'carry-over' && year > years[0]! && v3['new.natural']! >= 2) {
        // two applications typed as carried over instead of new: every identity of this year
        // still holds, but last year's 结转下年度 no longer matches
        v3['carried.natural']! += 2; v3['carried.total']! += 2; v3['new.natural']! -= 2; v3['new.total']! -= 2;
        plant('carry-over', `上年结转（自然人） ${v3['carried.natural']} ≠ last year's ${before.natural ?? 0}`);
      }
      if (defect === 'broken-total') { v3['results_total.total']! += 1 + int(r, 2); plant('broken-total', `（七）总计 printed ${v3['results_total.total']}`); }
      const v2 = table2(r, edition, state);
      const v4: Record<string, number> = {};
      for (const g of T4_GROUPS) {
        const parts = ['upheld', 'corrected', 'other', 'pending'].map((c) => [c, r() < 0.6 ? 0 : skewed(r, body.kind === 'government' ? 30 : 6)] as const);
        for (const [c, n] of parts) v4[`${g.id}.${c}`] = n;
        v4[`${g.id}.total`] = parts.reduce((n, [, x]) => n + x, 0);
      }
      const cells: Record<string, Cell> = {};
      for (const [k, x] of Object.entries(v2)) cells[`t2.${k}`] = cell(`t2.${k}`, x, blankZeros);
      for (const [k, x] of Object.entries(v3)) cells[`t3.${k}`] = cell(`t3.${k}`, x, blankZeros);
      for (const [k, x] of Object.entries(v4)) cells[`t4.${k}`] = cell(`t4.${k}`, x, blankZeros);
      let sections = narrative(r, body, year, v3, 50 + skewed(r, 2000), state.memory);
      if (defect === 'narrative-mismatch' && (v3['new.total'] ?? 0) > 0) {
        sections[1] = { ...sections[1]!, text: sections[1]!.text.replace(/全年共收到政府信息公开申请\d+件，均在法定期限内答复。/, '本年度未收到政府信息公开申请。') };
        plant('narrative-mismatch', `says no applications; table 三 has ${v3['new.total']}`);
      }
      if (defect === 'spam') {
        sections[5] = { ...sections[5]!, text: `${sections[5]!.text}\n澳门新葡京娱乐场官网，真人百家乐在线注册送彩金，点击进入：www.xpj-casino88.com` };
        plant('spam', 'gambling advertisement in section 五');
      }
      if (defect === 'duplicate-text' && narratives.length > 0) {
        // the whole narrative copied from another body's report, only the name changed
        const clean = narratives.filter((n) => !n.tainted);
        const src = clean[Math.floor(r() * clean.length)] ?? narratives[0]!;
        const mine = sections;
        sections = src.sections.map((s, k) => (k === 1 ? { ...s, text: s.text.replace(`${src.year}年，${src.agency}`, `${year}年，${body.agency}`).replace(/全年共收到政府信息公开申请\d+件|本年度未收到政府信息公开申请/, mine[1]!.text.match(/全年共收到政府信息公开申请\d+件|本年度未收到政府信息公开申请/)![0]) } : k === 0 || k === 6 ? mine[k]! : s));
        plant('duplicate-text', 'narrative copied from another body');
      }
      narratives.push({ sections, agency: body.agency, year, tainted: planted.length > 0 });
      if (narratives.length > 1000) narratives.splice(0, 500); // copies come from recent reports: memory stays flat
      const deadline = body.kind === 'government' ? [3, 31] : [1, 31];
      // townships have no statutory deadline of their own here (late-publication is silent for them)
      const late = defect === 'late' && body.level !== 'township';
      const published = late ? iso(year + 1, deadline[0]! + 1, 10 + int(r, 15)) : iso(year + 1, deadline[0]!, 5 + int(r, deadline[1]! - 10));
      if (late) plant('late', `published ${published}`);
      const title = `${body.agency}${year}年政府信息公开工作年度报告`;
      const report: Report = {
        schema: 'gongkai/report@1',
        source: { name: `${body.id}-${year}`, format: 'synthetic', encoding: 'utf-8', bytes: 0 },
        meta: {
          title, agency: body.agency, region: body.region, level: body.level, bodyKind: body.kind, year, published, publishedFrom: 'page',
          division: body.division, divisionCandidates: [],
          index: null, edition, editionEvidence: [],
        },
        sections, outline: [], tables: {
          t2: { found: true, edition, position: null, rows: [], missingRows: [] },
          t3: { found: true, edition, position: null, rows: [], missingRows: [] },
          t4: { found: true, edition, position: null, rows: [], missingRows: [] },
        },
        cells, notes: [],
      };
      made++;
      yield { id: `${body.id}-${year}`, report, planted, blankZeros };
    }
  }
}
