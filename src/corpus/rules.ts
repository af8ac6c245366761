/**
 * Rules that compare reports: a body with its previous year, a report with every other. They
 * run over the store after an ingest, for the reports it touched (and the ones they pair with),
 * and their findings are stored with scope `corpus`, replaced on every run.
 */
import { sql } from 'kysely';
import { rawQuery, statementText, tallyFindings, type Store } from '../store/store.ts';
import { MIN_NARRATIVE, ownSentences, repeatedShare, resemblance, sortedShingles } from './text.ts';
import { T3_COLUMNS } from '../schema/editions.ts';
import { CORPUS_RULES } from './meta.ts';

interface Found { report_id: number; rule_id: string; severity: string; message: string; message_en: string; keys: string; position: string | null; scope: string }

interface ReportRow { id: number; agency_key: string; agency: string | null; year: number | null; edition: string | null; current: number }

interface CellRow { num: number | null; position: string | null; status: string }

const fmt = (n: number | null) => (n === null ? '空白' : String(n));

/** The cells the cross-year rules read. */
const RULE_KEYS = [
  ...T3_COLUMNS.flatMap((c) => [`t3.carried.${c.id}`, `t3.carry_next.${c.id}`]),
  ...['regulations', 'normative'].flatMap((r) => ['issued', 'repealed', 'valid'].map((c) => `t2.${r}.${c}`)),
];

/** Members of one sketch bucket compared with a report: bounds the work whatever the corpus. */
const BUCKET_SAMPLE = 40;

/** Reports checked per round: their rows, cells, sections and sketch neighbours load in a few queries. */
const CHUNK = 200;

/**
 * Reports whose cells, sentences and shingles stay loaded from one round to the next: the same
 * candidates (a region's shared wording, last year's reports) come back round after round, and
 * reading and cutting their text again was half the rules' time. Bounded: memory stays flat.
 * A round's own reports and their previous years keep their cells and sentences (KEPT of them);
 * a near-duplicate candidate needs only its text's shingles and length (some 12 kB), and more
 * of those are kept (KEPT_TEXTS): at 20,000 reports, with 2,000 kept of each, the rules took
 * 35–44 s, reading the same candidates' text again round after round.
 */
const KEPT = 2000;
const KEPT_TEXTS = 12000;

/**
 * SQLite: buckets of the sketch index read a hundred a statement, each bucket's first members by
 * id (its own `limit`), the buckets' queries joined by `union all` (one query a bucket was 16 a
 * report).
 */
const BUCKETS_A_QUERY = 100;
/**
 * PostgreSQL: every bucket of a round by one statement, the buckets as two arrays and each one's
 * members by a lateral subquery. Planning the hundred-query union above took PostgreSQL three
 * times as long as running it (1.9 s of a 3,000-report corpus phase's 2.5 s); this plan is the same
 * whatever the count. A bucket's members come as one array (a row a bucket, not a row a member:
 * at 20,000 reports a round's 3,200 buckets held 39,000 members, and reading those rows was a
 * fifth of the phase's time on this side).
 */
const BUCKETS_PG = `select v.k - 1 as k, (select array_agg(s.report_id order by s.report_id) from (select report_id from sketches
    where band = v.band and hash = v.hash order by report_id limit ${BUCKET_SAMPLE + 1}) as s) as members
  from unnest(?::int4[], ?::text[]) with ordinality as v(band, hash, k)`;
const bucketQuery = (n: number): string => statementText(`buckets\u0000${n}`, () => Array.from({ length: n },
  (_, j) => `select * from (select ${j} as k, report_id from sketches where band = ? and hash = ? order by report_id limit ${BUCKET_SAMPLE + 1}) as b${j}`).join(' union all '));

/** What one round of the rules reads, loaded in bulk; a report's text and cells are kept for later rounds. */
class Loaded {
  readonly reports = new Map<number, ReportRow>();
  readonly cells = new Map<number, Map<string, CellRow>>();
  readonly sentences = new Map<number, string[]>();
  readonly prev = new Map<number, number>();
  readonly neighbours = new Map<number, Map<number, number>>();
  /** Each report's shingles (sorted) and narrative length, for comparing it as a candidate. */
  private readonly texts = new Map<number, { shingles: Uint32Array; length: number }>();
  private readonly store: Store;
  constructor(store: Store) { this.store = store; }

  /** Ready for the next round: its own rows and pairs go, the oldest kept reports beyond KEPT too. */
  nextRound(): void {
    this.reports.clear();
    this.prev.clear();
    this.neighbours.clear();
    const trim = (m: Map<number, unknown>, most: number) => { for (const id of m.keys()) { if (m.size <= most) break; m.delete(id); } };
    trim(this.cells, KEPT);
    trim(this.sentences, KEPT);
    trim(this.texts, KEPT_TEXTS);
  }

  async reportRows(ids: number[]): Promise<void> {
    const want = ids.filter((id) => !this.reports.has(id));
    for (let i = 0; i < want.length; i += 500) {
      for (const r of await this.store.db.selectFrom('reports').select(['id', 'agency_key', 'agency', 'year', 'edition', 'current']).where('id', 'in', want.slice(i, i + 500)).execute()) this.reports.set(r.id, r);
    }
  }

  async load(ids: number[], withSketches: boolean): Promise<void> {
    const db = this.store.db;
    // the reports, the same body's previous year and the reports' sketches, asked at once (on
    // PostgreSQL, each on a connection of its own)
    const [, prevs, mine] = await Promise.all([
      this.reportRows(ids),
      db.selectFrom('reports as r').innerJoin('reports as p', (j) => j.onRef('p.agency_key', '=', 'r.agency_key'))
        .select(['r.id as me', 'p.id as prev']).where('r.id', 'in', ids).where('p.current', '=', 1)
        .whereRef('p.year', '=', (eb) => eb('r.year', '-', 1)).execute(),
      withSketches ? db.selectFrom('sketches').select(['report_id', 'band', 'hash']).where('report_id', 'in', ids).execute() : [],
    ]);
    for (const r of prevs) this.prev.set(r.me, r.prev);
    if (withSketches) {
      // each band of each report: the other reports in its bucket, at most BUCKET_SAMPLE of them
      // (a bucket of hundreds is a text copied by hundreds: a sample of it finds the copy)
      const buckets = new Map<string, number[]>();
      const keys = [...new Set(mine.map((m) => `${m.band}\u0001${m.hash}`))];
      const postgres = this.store.engine === 'postgres';
      const step = postgres ? keys.length : BUCKETS_A_QUERY;
      for (let i = 0; i < keys.length; i += step) {
        const part = keys.slice(i, i + step);
        const pairs = part.map((k) => k.split('\u0001') as [string, string]);
        const members = part.map(() => [] as number[]);
        if (postgres) {
          for (const r of await rawQuery<{ k: number; members: number[] | null }>(db, BUCKETS_PG, [pairs.map(([band]) => Number(band)), pairs.map(([, hash]) => hash)])) members[Number(r.k)] = r.members ?? [];
        } else {
          for (const r of await rawQuery<{ k: number; report_id: number }>(db, bucketQuery(part.length), pairs.flatMap(([band, hash]) => [Number(band), hash]))) members[Number(r.k)]!.push(r.report_id);
        }
        // each bucket's first members by id (its own query's order, which the union does not promise to keep)
        part.forEach((k, j) => buckets.set(k, members[j]!.sort((a, b) => a - b)));
      }
      for (const m of mine) {
        const members = buckets.get(`${m.band}\u0001${m.hash}`)!.filter((o) => o !== m.report_id).slice(0, BUCKET_SAMPLE);
        const n = this.neighbours.get(m.report_id) ?? new Map<number, number>();
        for (const o of members) n.set(o, (n.get(o) ?? 0) + 1);
        this.neighbours.set(m.report_id, n);
      }
      // only the best-sharing candidates are compared, so only theirs are loaded
      for (const [id, n] of this.neighbours) {
        const best = [...n.entries()].filter(([, k]) => k >= MIN_SHARED_BANDS).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, MAX_CANDIDATES);
        this.neighbours.set(id, new Map(best));
      }
    }
    const others = [...new Set([...prevs.map((r) => r.prev), ...[...this.neighbours.values()].flatMap((m) => [...m.keys()])])];
    await this.reportRows(others);
    // the cells and sentences are compared with the previous year's; a near-duplicate's text only as shingles
    const paired = [...new Set([...ids, ...prevs.map((r) => r.prev)])];
    const needCells = paired.filter((id) => !this.cells.has(id));
    const keep = new Set(paired.filter((id) => !this.sentences.has(id)));
    const needText = [...new Set([...keep, ...[...ids, ...others].filter((id) => !this.texts.has(id))])];
    // the cells and the texts at once: the texts are cut into sentences and shingles here while
    // the server reads the cells
    await Promise.all([(async () => {
      for (let i = 0; i < needCells.length; i += 500) {
        const part = needCells.slice(i, i + 500);
        for (const id of part) this.cells.set(id, new Map());
        for (const c of await db.selectFrom('cells').select(['report_id', 'key', 'num', 'position', 'status']).where('report_id', 'in', part).where('key', 'in', RULE_KEYS).execute()) {
          this.cells.get(c.report_id)!.set(c.key, { num: c.num, position: c.position, status: c.status });
        }
      }
    })(), (async () => {
      for (let i = 0; i < needText.length; i += 500) {
        const part = needText.slice(i, i + 500);
        const texts = new Map<number, string[]>(part.map((id) => [id, []]));
        for (const t of await db.selectFrom('sections').select(['report_id', 'text']).where('report_id', 'in', part).orderBy('report_id').orderBy('number').execute()) texts.get(t.report_id)!.push(t.text);
        for (const [id, t] of texts) {
          const sentences = ownSentences(t);
          if (keep.has(id)) this.sentences.set(id, sentences);
          if (!this.texts.has(id)) this.texts.set(id, { shingles: sortedShingles(sentences), length: sentences.reduce((k, x) => k + x.length, 0) });
        }
      }
    })()]);
  }

  /** A report of this round's, or a candidate of one: its shingles (sorted) and how many characters its own sentences hold. */
  text(id: number): { shingles: Uint32Array; length: number } {
    const t = this.texts.get(id);
    if (!t) throw new Error(`corpus rules: report ${id}'s text was not loaded for this round`);
    return t;
  }

  /** A cell's number: undefined when the reader could not determine it; null when blank. */
  num(id: number, key: string): { num: number | null; position: string | null } | undefined {
    const c = this.cells.get(id)?.get(key);
    if (c?.status === 'ambiguous') return undefined;
    return c ? { num: c.num, position: c.position } : { num: null, position: null };
  }
}

/**
 * Run the corpus rules for these reports and the ones paired with them (the same body's next
 * year, near-duplicates). Returns how many reports were checked.
 */
export async function runCorpusRules(store: Store, reportIds: number[], opts: { rules?: Set<string>; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<number> {
  const on = (id: string) => !opts.rules || opts.rules.has(id);
  const db = store.db;
  const todo = [...new Set(reportIds)];
  const queued = new Set(todo);
  // the same body's next year pairs with a new report as its previous year
  for (let i = 0; i < reportIds.length; i += 500) {
    const rows = await db.selectFrom('reports as r').innerJoin('reports as n', (j) => j.onRef('n.agency_key', '=', 'r.agency_key'))
      .select('n.id').where('r.id', 'in', reportIds.slice(i, i + 500)).where('n.current', '=', 1)
      .whereRef('n.year', '=', (eb) => eb('r.year', '+', 1)).execute();
    for (const r of rows) if (!queued.has(r.id)) { queued.add(r.id); todo.push(r.id); }
  }
  let checked = 0;
  const L = new Loaded(store);
  /** A round's reports, and their loading (started while the round before writes its findings). */
  const begin = (ids: number[]) => {
    L.nextRound();
    const loaded = L.load(ids, on('duplicate-text'));
    loaded.catch(() => undefined); // awaited below; a failure while the round before writes waits for it
    return { ids, loaded };
  };
  let next: ReturnType<typeof begin> | undefined;
  try {
    // stopped between rounds: the reports left have no corpus_checked_at, and the next run takes them
    for (let at = 0; at < todo.length && !opts.signal?.aborted;) {
      const round = next ?? begin(todo.slice(at, at + CHUNK));
      next = undefined;
      const ids = round.ids;
      at += ids.length;
      await round.loaded;
      const results: Array<{ id: number; found: Found[]; repetition: number | null }> = [];
      for (const id of ids) {
        const me = L.reports.get(id);
        if (!me || me.current !== 1) continue;
        const found: Found[] = [];
        const emit: Emit = (rule, message, messageEn, keys, position) => {
          const meta = CORPUS_RULES.find((r) => r.id === rule)!;
          found.push({ report_id: id, rule_id: rule, severity: meta.severity, message, message_en: messageEn, keys: JSON.stringify(keys), position, scope: 'corpus' });
        };
        const prevId = L.prev.get(id);
        const prev = prevId === undefined ? undefined : L.reports.get(prevId);
        let repetition: number | null = null;
        if (prev) {
          if (on('carry-over')) carryOver(L, me, prev, emit);
          if (on('valid-continuity') && me.edition === '2021' && prev.edition === '2021') validContinuity(L, me, prev, emit);
          const rep = repeatedShare(L.sentences.get(id)!, L.sentences.get(prev.id)!);
          if (rep.chars > 0) repetition = rep.share;
          if (on('text-repetition') && rep.share > 0.5) {
            const pct = `${(rep.share * 100).toFixed(0)}%`;
            emit('text-repetition', `正文 ${pct} 与本机关 ${prev.year} 年报告重复（不计模板固定表述，数字不计）`, `${pct} of the narrative repeats the body's ${prev.year} report (template wording and numbers left out)`, [], null);
          }
        }
        if (on('duplicate-text')) {
          // a near-duplicate's own finding must name this report too: check it in a later round
          for (const partner of duplicates(L, me, prev?.id, emit)) if (!queued.has(partner)) { queued.add(partner); todo.push(partner); }
        }
        results.push({ id, found, repetition });
      }
      // the next round's reports are known now (this round's partners among them): they are read
      // while this round's findings are written, which touches nothing they are read from
      if (at < todo.length && !opts.signal?.aborted) next = begin(todo.slice(at, at + CHUNK));
      await db.transaction().execute(async (tx) => {
        // several ingests into one PostgreSQL store: their rounds write one at a time, so that a
        // round's delete sees another's findings and no finding is written twice
        if (store.engine === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended('corpus-findings', 0))`.execute(tx);
        const done = results.map((r) => r.id);
        await tallyFindings(tx, done, -1);
        if (done.length) await tx.deleteFrom('findings').where('report_id', 'in', done).where('scope', '=', 'corpus').execute();
        const found = results.flatMap((r) => r.found);
        for (let i = 0; i < found.length; i += 200) await tx.insertInto('findings').values(found.slice(i, i + 200)).execute();
        await tallyFindings(tx, done, 1);
        const now = new Date().toISOString();
        // a hundred reports' shares a statement (each its own: a case by id), not one a report
        for (let i = 0; i < results.length; i += 100) {
          const some = results.slice(i, i + 100);
          const shares = sql.join(some.map((r) => sql`when ${r.id} then ${r.repetition}`), sql` `);
          await tx.updateTable('reports').set({ repetition: sql`cast(case id ${shares} end as double precision)`, corpus_checked_at: now }).where('id', 'in', some.map((r) => r.id)).execute();
        }
      });
      checked += results.length;
      opts.onProgress?.(at, todo.length);
    }
  } finally {
    // stopped (or failed) with a round's loading under way: it ends before the store may close
    await next?.loaded.catch(() => undefined);
  }
  return checked;
}

type Emit = (rule: string, message: string, messageEn: string, keys: string[], position: string | null) => void;

function carryOver(L: Loaded, me: ReportRow, prev: ReportRow, emit: Emit): void {
  for (const col of T3_COLUMNS) {
    const mine = L.num(me.id, `t3.carried.${col.id}`);
    const theirs = L.num(prev.id, `t3.carry_next.${col.id}`);
    // a cell the reader could not determine is not compared (ambiguous-cell reports it)
    if (!mine || !theirs) continue;
    const [a, b] = [mine.num, theirs.num];
    if ((a === null || a === 0) && (b === null || b === 0)) continue;
    if (a === b) continue;
    emit('carry-over', `上年结转（${col.label}）为 ${fmt(a)}，${prev.year} 年报告结转下年度继续办理为 ${fmt(b)}`,
      `carried over (${col.id}) is ${a ?? 'blank'}; the ${prev.year} report carried ${b ?? 'blank'} into this year`,
      [`t3.carried.${col.id}`], mine.position);
  }
}

function validContinuity(L: Loaded, me: ReportRow, prev: ReportRow, emit: Emit): void {
  for (const row of ['regulations', 'normative']) {
    const issued = L.num(me.id, `t2.${row}.issued`);
    const repealed = L.num(me.id, `t2.${row}.repealed`);
    const valid = L.num(me.id, `t2.${row}.valid`);
    const before = L.num(prev.id, `t2.${row}.valid`);
    if (!issued || !repealed || !valid || !before || valid.num === null || before.num === null) continue;
    const expected = before.num + (issued.num ?? 0) - (repealed.num ?? 0);
    if (expected === valid.num) continue;
    const name = row === 'regulations' ? '规章' : '行政规范性文件';
    emit('valid-continuity', `${name}：上年现行有效 ${before.num} ＋ 本年制发 ${issued.num ?? 0} － 本年废止 ${repealed.num ?? 0} ＝ ${expected}，本年现行有效为 ${valid.num}`,
      `${row}: last year's ${before.num} in force + ${issued.num ?? 0} issued − ${repealed.num ?? 0} repealed = ${expected}, but ${valid.num} are in force`,
      [`t2.${row}.valid`], valid.position);
  }
}

/**
 * Candidates share at least one band of the sketch: at resemblance 0.7 that finds 98.8% of
 * pairs. The work stays bounded by BUCKET_SAMPLE and MAX_CANDIDATES, best-sharing first.
 */
const MIN_SHARED_BANDS = 1;

/** Resemblance from which two bodies' narratives are 内容雷同; the same body's previous year needs more. */
export const DUPLICATE_THRESHOLD = { otherBody: 0.7, sameBody: 0.9 };

/** The most candidates verified per report: the band index can return many for boilerplate-heavy text. */
const MAX_CANDIDATES = 50;

function duplicates(L: Loaded, me: ReportRow, prevId: number | undefined, emit: Emit): number[] {
  const shared = L.neighbours.get(me.id);
  if (!shared || shared.size === 0) return [];
  const mine = L.text(me.id).shingles;
  const partners: number[] = [];
  const ranked = [...shared.entries()];
  for (const [other] of ranked) {
    const o = L.reports.get(other);
    if (!o || o.current !== 1) continue;
    const sameBody = o.agency_key === me.agency_key;
    if (sameBody && o.id !== prevId) continue; // the body's other years: text-repetition's business
    const text = L.text(o.id);
    if (text.length < MIN_NARRATIVE) continue;
    const theirs = text.shingles;
    const threshold = sameBody ? DUPLICATE_THRESHOLD.sameBody : DUPLICATE_THRESHOLD.otherBody;
    // two sets can share no more than the smaller holds: a pair of very different sizes is no copy
    if (Math.min(mine.length, theirs.length) < threshold * Math.max(mine.length, theirs.length)) continue;
    const r = resemblance(mine, theirs, threshold);
    if (r < threshold) continue;
    const pct = `${(r * 100).toFixed(0)}%`;
    const who = `${o.agency ?? '（未署名）'} ${o.year ?? ''} 年`;
    emit('duplicate-text', sameBody ? `正文与本机关 ${o.year} 年报告几乎相同（相似度 ${pct}）` : `正文与 ${who}报告内容雷同（相似度 ${pct}）`,
      sameBody ? `the narrative is near-identical to the body's ${o.year} report (resemblance ${pct})` : `the narrative is near-identical to ${o.agency ?? 'an unnamed body'}'s ${o.year ?? ''} report (resemblance ${pct})`,
      [], null);
    partners.push(o.id);
  }
  return partners;
}
