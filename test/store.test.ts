/**
 * The store on both engines: content addressing, versions, aggregates that keep missing cells
 * missing, the corpus rules firing and not firing, coverage, roll-up and exports.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { parquetReadObjects } from 'hyparquet';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import { check } from '../src/check/engine.ts';
import { runCorpusRules } from '../src/corpus/rules.ts';
import { narrative, ownSentences, reportBands, resemblance, shingles, sortedShingles } from '../src/corpus/text.ts';
import { readXlsx } from '../src/read/xlsx.ts';
import { exportCsv, exportJson, exportParquet, exportRows, exportXlsx, valueJson } from '../src/store/export.ts';
import { GivenLayouts } from '../src/store/export-batch.ts';
import { coverage, findingCounts, peerRates, prefixRange, rates, rollUp, selected, totals } from '../src/store/query.ts';
import { canonicalRegion } from '../src/store/place.ts';
import { agencyKey, ARRAY_TYPES, Store } from '../src/store/store.ts';
import { synthesize } from '../src/synth/generate.ts';
import type { Cell, Report } from '../src/types.ts';
import { assertTallied, ENGINES } from './store-helpers.ts';
import { StoreError } from '../src/store/errors.ts';
import { parseFixture, SEEDS } from './helpers.ts';
import { SUMMARY_KEYS } from '../src/schema/keys.ts';

/** One body's consecutive years, clean (no planted defect), deep-copied so tests can edit them. */
const corpus = () => synthesize({ count: 40, seed: 11, defectRate: 0 }).map((s) => structuredClone(s.report));
const setCell = (r: Report, key: string, value: string | null, status: Cell['status'] = 'read') => {
  r.cells[key] = { key, value, shown: value === null ? 'blank' : Number(value) === 0 ? 'zero' : 'number', status, raw: value ?? '', position: null };
};
const put = (store: Store, r: Report, hash = `${r.meta.agency}-${r.meta.year}`) =>
  store.write({ path: `${hash}.txt`, hash, bytes: 1, format: 'text', report: r, findings: check(r), bands: reportBands(narrative(r)) });
const corpusFindings = async (store: Store, id: number) =>
  (await store.db.selectFrom('findings').select(['rule_id', 'message']).where('report_id', '=', id).where('scope', '=', 'corpus').execute()).map((f) => f.rule_id);

for (const engine of ENGINES) {
  describe(`store on ${engine.name}`, () => {
    const open: Store[] = [];
    const fresh = async () => { const s = await engine.open(); open.push(s); return s; };
    after(async () => { for (const s of open) await s.close(); });

    it('a report\'s cells have no foreign key on PostgreSQL (a trigger a row), and keep it on SQLite (a look-up a row)', async () => {
      const store = await fresh();
      const keys = engine.name === 'postgres'
        ? (await sql<{ n: number }>`select count(*)::int as n from pg_constraint where conrelid = 'cells'::regclass and contype = 'f'`.execute(store.db)).rows[0]!.n
        : (await sql<{ n: number }>`select count(*) as n from pragma_foreign_key_list('cells')`.execute(store.db)).rows[0]!.n;
      assert.equal(keys, engine.name === 'postgres' ? 0 : 1);
    });

    it('stores bytes once: the same bytes again are a no-op, under another name a new path, changed bytes a new version', async () => {
      const store = await fresh();
      const [r] = corpus();
      assert.deepEqual(await put(store, r!, 'h1'), { status: 'new', reportId: 1 });
      assert.deepEqual(await store.write({ path: 'h1.txt', hash: 'h1', bytes: 1, format: 'text', report: r! }), { status: 'seen' });
      assert.deepEqual(await store.write({ path: 'copy.txt', hash: 'h1', bytes: 1, format: 'text', report: r! }), { status: 'new-path' });
      assert.equal(await store.lookup('copy.txt', 'h1'), 'seen');
      assert.equal(await store.lookup('other.txt', 'h1'), 'known');
      assert.equal(await store.lookup('copy.txt', 'h9'), 'new');
      // a corrected file: a new version replaces the old one in every aggregate
      const fixed = structuredClone(r!);
      setCell(fixed, 't3.new.natural', String(Number(r!.cells['t3.new.natural']?.value ?? 0) + 1));
      const v2 = await store.write({ path: 'h1.txt', hash: 'h2', bytes: 1, format: 'text', report: fixed });
      assert.equal(v2.status, 'new');
      const reports = await store.db.selectFrom('reports').select(['id', 'current']).orderBy('id').execute();
      assert.deepEqual(reports.map((x) => x.current), [0, 1]);
      const [g] = await totals(store, ['year'], {});
      assert.equal(g!.reports, 1);
      assert.equal(g!.cells.get('t3.new.natural')!.total, Number(fixed.cells['t3.new.natural']!.value));
    });

    it('keeps the counts by rule and each report\'s error and warning counts in step with every write', async () => {
      const store = await fresh();
      const reports = corpus().slice(0, 8);
      // a planted error in one, so that error counts are not all zero
      setCell(reports[0]!, 't3.results_total.total', '999');
      const ids: number[] = [];
      for (const r of reports) ids.push((await put(store, r)).reportId!);
      await assertTallied(store);
      await runCorpusRules(store, ids);
      await assertTallied(store);
      // a new version of a body-year replaces the old in the counts
      const v2 = structuredClone(reports[1]!);
      setCell(v2, 't3.granted.total', '12345');
      await put(store, v2, 'v2');
      await assertTallied(store);
      // a reviewer's amendment, and a move to another place with its place findings withdrawn
      const amended = structuredClone(reports[0]!);
      setCell(amended, 't3.results_total.total', reports[0]!.cells['t3.results_total.total']?.value ?? null);
      await store.amend(ids[0]!, amended, check(amended));
      await assertTallied(store);
      const row = await store.db.selectFrom('reports').select(['region', 'level', 'body_kind']).where('id', '=', ids[2]!).executeTakeFirstOrThrow();
      await store.place(ids[2]!, { region: '江苏省宿迁市沭阳县', division: '321322', level: 'county', bodyKind: row.body_kind as never, key: '321322|department|moved' }, ['t3-balance']);
      await assertTallied(store);
      const errors = await store.db.selectFrom('reports').select(['id', 'errors']).where('errors', '>', 0).execute();
      assert.ok(errors.length > 0 || (await store.db.selectFrom('findings').select('id').where('severity', '=', 'error').execute()).length === 0);
      // counts by rule from the kept counts equal a count of the findings for a selection
      const whole = await findingCounts(store, {});
      assert.equal(whole.reduce((n, r) => n + r.findings, 0), (await store.db.selectFrom('findings').innerJoin('reports', 'reports.id', 'findings.report_id').select('findings.id').where('reports.current', '=', 1).execute()).length);
    });

    it('one transaction of many files: versions of a body-year within it and before it, the same bytes twice, all counted once', async () => {
      const store = await fresh();
      const [a, b, c] = corpus();
      const input = (r: Report, hash: string, path = `${hash}.txt`) => ({ path, hash, bytes: 1, format: 'text', report: r, findings: check(r), bands: reportBands(narrative(r)) });
      await store.write(input(a!, 'a1'));
      const a2 = structuredClone(a!);
      setCell(a2, 't3.new.natural', '41');
      const a3 = structuredClone(a!);
      setCell(a3, 't3.new.natural', '42');
      const b2 = structuredClone(b!);
      setCell(b2, 't3.granted.total', '7');
      // text that an array literal must quote: it comes back as written
      const odd = 'a "quoted" back\\slash, {braces}, NULL, 空格 and\nnew line';
      b2.sections[1]!.text = odd;
      const results = await store.writeMany([input(a2, 'a2'), input(b!, 'b1'), input(a3, 'a3'), input(b!, 'b1', 'copy.txt'), input(b2, 'b2'), input(c!, 'c1'), input(c!, 'c1')]);
      assert.deepEqual(results.map((r) => r.status), ['new', 'new', 'new', 'new-path', 'new', 'new', 'seen']);
      // of each body-year, the last version alone is current
      const current = await store.db.selectFrom('reports').innerJoin('documents', 'documents.id', 'reports.document_id').select(['documents.hash', 'reports.current']).orderBy('reports.id').execute();
      assert.deepEqual(current.map((x) => `${x.hash}:${x.current}`), ['a1:0', 'a2:0', 'b1:0', 'a3:1', 'b2:1', 'c1:1']);
      // and the aggregates, rule counts and summaries count those alone, each once
      await assertTallied(store);
      const [g] = await totals(store, ['year'], { agency: a!.meta.agency! });
      assert.equal(g!.reports, 1);
      assert.equal(g!.cells.get('t3.new.natural')!.total, 42);
      // every replaced version's rows are kept: its cells were written with the transaction
      const cells = await store.db.selectFrom('cells').select(['report_id']).where('key', '=', 't3.new.natural').orderBy('report_id').execute();
      assert.deepEqual(cells.map((x) => x.report_id), [1, 2, 3, 4, 5, 6]);
      const texts = await store.db.selectFrom('sections').select(['text']).where('report_id', '=', 5).execute();
      assert.ok(texts.some((t) => t.text === odd));
    });

    if (engine.name === 'postgres') {
      it('the column types its many-row inserts give PostgreSQL are the store\'s own', async () => {
        const store = await fresh();
        for (const [table, types] of Object.entries(ARRAY_TYPES)) {
          const { rows } = await sql<{ column_name: string; udt_name: string }>`select column_name, udt_name from information_schema.columns where table_schema = current_schema() and table_name = ${table}`.execute(store.db);
          const stored = new Map(rows.map((r) => [r.column_name, r.udt_name]));
          for (const [column, type] of Object.entries(types!)) assert.equal(stored.get(column), type, `${table}.${column}`);
        }
      });
    }

    it('a file that is not a report is kept with its reason', async () => {
      const store = await fresh();
      await store.write({ path: 'scan.png', hash: 'x', bytes: 9, format: null, error: { code: 'unsupported-format', message: 'a PNG image' } });
      const doc = await store.db.selectFrom('documents').selectAll().executeTakeFirstOrThrow();
      assert.equal(doc.error, 'a PNG image');
      assert.equal((await store.db.selectFrom('reports').select('id').execute()).length, 0);
    });

    it('totals never count a blank as 0: each cell says how many reports lack it, on the aggregates and on the cells alike', async () => {
      const store = await fresh();
      const [a, b] = corpus().filter((r) => r.meta.year === 2020);
      setCell(a!, 't3.new.natural', '5');
      setCell(b!, 't3.new.natural', null);
      setCell(b!, 't3.new.legal', '3', 'ambiguous');
      b!.meta.region = a!.meta.region;
      b!.meta.division = a!.meta.division;
      b!.meta.level = a!.meta.level;
      await put(store, a!);
      await put(store, b!);
      const [fast] = await totals(store, ['year', 'region'], { years: [2020], region: a!.meta.region! });
      assert.equal(fast!.reports, 2);
      assert.deepEqual(fast!.cells.get('t3.new.natural'), { total: 5, present: 1, missing: 1 });
      assert.equal(fast!.cells.get('t3.new.legal')!.missing, 1, 'an ambiguous cell is missing, not summed');
      // the same through the cells themselves (grouping by body forces the slow path)
      const slow = await totals(store, ['agency'], { years: [2020], region: a!.meta.region! });
      const sum = slow.reduce((n, g) => n + (g.cells.get('t3.new.natural')?.total ?? 0), 0);
      assert.equal(sum, 5);
    });

    it('totals of a few cells (the groups\' summaries, or packed a column at a time) equal the same cells of every cell\'s totals, for every grouping and region', async () => {
      const store = await fresh();
      const reports = corpus().slice(0, 12);
      for (const r of reports) await put(store, r);
      // a new version moves a report's numbers out of its group's summary and in again
      const v2 = structuredClone(reports[3]!);
      setCell(v2, 't3.granted.total', '4321');
      setCell(v2, 't3.partial.total', null);
      await put(store, v2, 'v2');
      const province = reports[0]!.meta.region!.slice(0, 3);
      const few = ['t3.new.total', 't3.granted.total', 't4.review.total', 't3.partial.total'];
      for (const sel of [{}, { region: province }, { region: reports[0]!.meta.region!, years: [2020, 2021] }]) {
        for (const by of [[], ['year'], ['level'], ['region'], ['year', 'region'], ['year', 'level'], ['year', 'region', 'level']] as const) {
          const some = await totals(store, [...by], sel, few);
          // a cell outside the summaries: the groups' cell totals, a column at a time
          const packed = await totals(store, [...by], sel, [...few, 't2.fees.amount']);
          const all = await totals(store, [...by], sel);
          // every cell's totals read a group or two a statement, each page going on from where the last ended
          const every = (t: typeof all) => t.map((g) => [g.group, g.reports, [...g.cells].sort()]);
          for (const page of [1, 2]) assert.deepEqual(every(await totals(store, [...by], sel, undefined, { page })), every(all), `page ${page}: ${by.join()} ${JSON.stringify(sel)}`);
          const plain = (t: typeof some) => t.map((g) => [g.group, g.reports, [...g.cells].filter(([k]) => few.includes(k)).sort()]);
          assert.deepEqual(plain(some), plain(all), `${by.join()} ${JSON.stringify(sel)}`);
          assert.deepEqual(plain(packed), plain(all), `${by.join()} ${JSON.stringify(sel)}`);
          assert.ok(some.every((g) => g.cells.size > 0));
          if (Object.keys(sel).length) assert.ok(some.length > 0, JSON.stringify(sel));
        }
      }
    });

    it('a selection by body totals each report\'s summary, equal to its cells\' totals after new versions and amendments', async () => {
      const store = await fresh();
      const reports = corpus().slice(0, 6);
      setCell(reports[0]!, 't3.granted.total', null);
      setCell(reports[1]!, 't3.granted.total', '7', 'ambiguous');
      const ids: number[] = [];
      for (const r of reports) ids.push((await put(store, r)).reportId!);
      const v2 = structuredClone(reports[2]!);
      setCell(v2, 't3.granted.total', '4321');
      await put(store, v2, 'v2');
      const amended = structuredClone(reports[3]!);
      setCell(amended, 't4.review.total', '77');
      await store.amend(ids[3]!, amended, check(amended));
      const keys = [...SUMMARY_KEYS];
      const agency = reports[0]!.meta.agency!.slice(-3);
      for (const [by, sel] of [[['year'], { agency }], [['agency'], {}]] as const) {
        const fromSummary = await totals(store, [...by], sel, keys);
        // a cell outside the summaries sends the same question to the cells
        const fromCells = await totals(store, [...by], sel, [...keys, 't2.fees.amount']);
        for (const g of fromCells) g.cells.delete('t2.fees.amount');
        const plain = (t: typeof fromSummary) => t.map((g) => [g.group, g.reports, [...g.cells].sort()]);
        assert.deepEqual(plain(fromSummary), plain(fromCells), `${by} ${JSON.stringify(sel)}`);
        assert.ok(fromSummary.length > 0);
      }
      const [row] = await store.db.selectFrom('reports').select('summary').where('id', '=', ids[3]!).execute();
      assert.equal(JSON.parse(row!.summary!)[SUMMARY_KEYS.indexOf('t4.review.total') + 1], 77, 'an amendment rewrites the summary');
    });

    it('by body, two bodies printed with the same name are one group whose totals are both bodies\' (cells and summaries alike)', async () => {
      const store = await fresh();
      const [a, b] = corpus().filter((r) => r.meta.year === 2021).slice(0, 2).map((r) => structuredClone(r));
      // the same printed name, two bodies (different divisions, so different body keys)
      b!.meta.agency = a!.meta.agency;
      assert.notEqual(agencyKey(a!, 'a'), agencyKey(b!, 'b'));
      setCell(a!, 't3.new.total', '5');
      setCell(b!, 't3.new.total', '7');
      setCell(a!, 't2.fees.amount', '1.5');
      setCell(b!, 't2.fees.amount', '2');
      await put(store, a!, 'a');
      await put(store, b!, 'b');
      const sel = { agency: a!.meta.agency! };
      const fromSummary = await totals(store, ['agency'], sel, ['t3.new.total']);
      const fromCells = await totals(store, ['agency'], sel, ['t3.new.total', 't2.fees.amount']);
      for (const t of [fromSummary, fromCells]) {
        assert.equal(t.length, 1);
        assert.equal(t[0]!.reports, 2);
        assert.deepEqual(t[0]!.cells.get('t3.new.total'), { total: 12, present: 2, missing: 0 });
      }
      assert.deepEqual(fromCells[0]!.cells.get('t2.fees.amount'), { total: 3.5, present: 2, missing: 0 });
    });

    it('a selection by region takes every report whose region starts with it, and no other (read as an index range on SQLite)', async () => {
      const store = await fresh();
      for (const r of corpus().slice(0, 16)) await put(store, r);
      const stored = (await store.db.selectFrom('reports').select('region').where('current', '=', 1).execute()).map((r) => r.region ?? '');
      // every distinct region, and its province alone (the first three characters: 江苏省, 甘肃省 …)
      const asked = [...new Set(stored.flatMap((r) => [r, r.slice(0, 3)]))].filter((r) => r.length >= 2);
      assert.ok(asked.length >= 4);
      for (const region of asked) {
        const want = stored.filter((r) => r.startsWith(canonicalRegion(region))).length;
        const got = (await totals(store, [], { region })).reduce((n, g) => n + g.reports, 0);
        const listed = (await selected(store, { region }).select('id').execute()).length;
        assert.equal(got, want, region);
        assert.equal(listed, want, region);
      }
      if (store.engine === 'postgres') {
        // regions compare character by character, as on SQLite: a prefix is read from an index
        const { rows } = await sql<{ table_name: string; collation_name: string | null }>`select table_name, collation_name from information_schema.columns where column_name = 'region' and table_schema = current_schema()`.execute(store.db);
        assert.deepEqual(rows.map((r) => `${r.table_name}:${r.collation_name}`).sort(), ['cell_agg:C', 'report_agg:C', 'reports:C', 'rule_agg:C', 'users:C']);
      }
    });

    it('rates carry their formula and stay empty below the sample guard', async () => {
      const cells = new Map([['t3.results_total.total', { total: 20, present: 1, missing: 0 }], ['t3.granted.total', { total: 10, present: 1, missing: 0 }]]);
      const r = rates(cells).find((x) => x.id === 'substantive')!;
      assert.equal(r.value, null);
      assert.match(r.reason!, /fewer than 30 applications/);
      cells.set('t3.results_total.total', { total: 40, present: 1, missing: 0 });
      assert.equal(rates(cells).find((x) => x.id === 'substantive')!.value, 0.25);
      assert.match(rates(cells).find((x) => x.id === 'substantive')!.formula, /予以公开 \+ 部分公开/);
    });

    it('ranks each report\'s rate among its level\'s peers, and leaves out reports below the sample guard', async () => {
      const store = await fresh();
      const year = corpus().filter((r) => r.meta.year === 2021).slice(0, 3).map((r) => { r.meta.level = 'county'; return r; });
      const shape = (r: Report, processed: number, granted: number) => {
        for (const k of Object.keys(r.cells)) if (/^t3\.(granted|partial|denied)/.test(k)) setCell(r, k, null);
        setCell(r, 't3.results_total.total', String(processed));
        setCell(r, 't3.granted.total', String(granted));
      };
      shape(year[0]!, 100, 80);
      shape(year[1]!, 40, 10);
      shape(year[2]!, 5, 5); // 100%, but of five applications
      for (const r of year) await put(store, r);
      const ranked = await peerRates(store, { years: [2021] }, 'substantive');
      assert.deepEqual(ranked.map((p) => [p.rate.value, p.percentile, p.peers]), [[0.8, 1, 2], [0.25, 0.5, 2], [null, null, 0]]);
      assert.match(ranked[2]!.rate.reason!, /fewer than 30 applications processed \(5\)/);
    });

    it('carry-over fires when this year\'s 上年结转 differs from last year\'s 结转下年度, and not otherwise', async () => {
      const store = await fresh();
      const years = corpus().filter((r) => r.meta.agency === corpus()[0]!.meta.agency);
      const ids: number[] = [];
      for (const r of years.slice(0, 3)) ids.push((await put(store, r)).reportId!);
      await runCorpusRules(store, ids);
      assert.ok(!(await corpusFindings(store, ids[1]!)).includes('carry-over'), 'consistent years: silent');
      // the next year's report typed 2 more carried-over natural-person applications
      const third = structuredClone(years[2]!);
      const carried = Number(third.cells['t3.carried.natural']?.value ?? 0) + 2;
      setCell(third, 't3.carried.natural', String(carried));
      const v = await store.write({ path: 'third-v2', hash: 'third-v2', bytes: 1, format: 'text', report: third });
      await runCorpusRules(store, [v.reportId!]);
      const f = await store.db.selectFrom('findings').select(['rule_id', 'message', 'keys']).where('report_id', '=', v.reportId!).where('rule_id', '=', 'carry-over').execute();
      assert.equal(f.length, 1);
      assert.match(f[0]!.message, new RegExp(`上年结转（自然人）为 ${carried}`));
      assert.deepEqual(JSON.parse(f[0]!.keys), ['t3.carried.natural']);
      // an undetermined cell is not compared
      setCell(third, 't3.carried.natural', String(carried), 'ambiguous');
      const v3 = await store.write({ path: 'third-v3', hash: 'third-v3', bytes: 1, format: 'text', report: third });
      await runCorpusRules(store, [v3.reportId!]);
      assert.ok(!(await corpusFindings(store, v3.reportId!)).includes('carry-over'));
    });

    it('valid-continuity fires when documents in force do not continue, and not when they do', async () => {
      const store = await fresh();
      const years = corpus().filter((r) => r.meta.agency === corpus()[0]!.meta.agency && r.meta.edition === '2021');
      const a = (await put(store, years[0]!)).reportId!;
      const b = (await put(store, years[1]!)).reportId!;
      await runCorpusRules(store, [a, b]);
      assert.ok(!(await corpusFindings(store, b)).includes('valid-continuity'));
      const broken = structuredClone(years[1]!);
      setCell(broken, 't2.normative.valid', String(Number(broken.cells['t2.normative.valid']!.value) + 5));
      const c = (await store.write({ path: 'b2', hash: 'b2', bytes: 1, format: 'text', report: broken })).reportId!;
      await runCorpusRules(store, [c]);
      assert.ok((await corpusFindings(store, c)).includes('valid-continuity'));
    });

    it('duplicate-text finds another body\'s copied narrative through the sketch index; text-repetition measures last year\'s share', async () => {
      const store = await fresh();
      const all = corpus();
      const [x, y] = [all[0]!, all.find((r) => r.meta.agency !== all[0]!.meta.agency && r.meta.year === all[0]!.meta.year)!];
      const ix = (await put(store, x)).reportId!;
      const iy = (await put(store, y)).reportId!;
      await runCorpusRules(store, [ix, iy]);
      assert.ok(!(await corpusFindings(store, iy)).includes('duplicate-text'), 'different bodies, different words: silent');
      const copy = structuredClone(y);
      copy.sections = structuredClone(x.sections);
      const ic = (await store.write({ path: 'copy', hash: 'copy', bytes: 1, format: 'text', report: copy, bands: reportBands(narrative(copy)) })).reportId!;
      await runCorpusRules(store, [ic]);
      assert.ok((await corpusFindings(store, ic)).includes('duplicate-text'));
      assert.ok((await corpusFindings(store, ix)).includes('duplicate-text'), 'the source report is told too');
      // the same body's next year, narrative copied whole: repetition 100%
      const next = structuredClone(all.find((r) => r.meta.agency === x.meta.agency && r.meta.year === x.meta.year! + 1)!);
      next.sections = structuredClone(x.sections);
      const inx = (await put(store, next)).reportId!;
      await runCorpusRules(store, [inx]);
      const rep = await store.db.selectFrom('reports').select('repetition').where('id', '=', inx).executeTakeFirstOrThrow();
      assert.ok(rep.repetition! > 0.99);
      assert.ok((await corpusFindings(store, inx)).includes('text-repetition'));
      assert.ok(!(await corpusFindings(store, iy)).includes('text-repetition'), 'no previous year: silent');
    });

    it('coverage shows the body missing a year; findings count by rule', async () => {
      const store = await fresh();
      const all = corpus();
      const body = all.filter((r) => r.meta.agency === all[0]!.meta.agency);
      for (const r of body.filter((r) => r.meta.year !== 2022)) await put(store, r);
      const c = await coverage(store, { years: [2021, 2022, 2023] });
      assert.deepEqual(c.bodies[0]!.years, { 2021: true, 2022: false, 2023: true });
      assert.ok((await findingCounts(store, {})).every((f) => f.findings >= f.reports));
    });

    it('a roll-up sets the parts beside the region\'s own report and names the figures that differ', async () => {
      const store = await fresh();
      const all = corpus().filter((r) => r.meta.year === 2021);
      const [own, dept] = [structuredClone(all[0]!), structuredClone(all[1]!)];
      own.meta = { ...own.meta, agency: '某市人民政府', region: '某市', division: null, bodyKind: 'government' };
      dept.meta = { ...dept.meta, agency: '某市民政局', region: '某市', division: null, bodyKind: 'department' };
      setCell(own, 't3.new.total', '10');
      setCell(dept, 't3.new.total', '7');
      await put(store, own);
      await put(store, dept);
      const r = await rollUp(store, '某市', 2021);
      assert.equal(r.own?.agency, '某市人民政府');
      assert.deepEqual(r.parts.map((p) => p.agency), ['某市民政局']);
      const row = r.rows.find((x) => x.key === 't3.new.total')!;
      assert.deepEqual([row.own, row.parts, row.differs], [10, 7, true]);
    });

    it('exports XLSX past the row limit of a sheet, or past the bytes a ZIP entry holds, into more sheets, each headed the same, the tabs in order', async () => {
      const store = await fresh();
      for (const r of corpus().slice(0, 3)) await put(store, r);
      const findings = (await store.db.selectFrom('findings').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n;
      // four rows a sheet (its header's among them), or a byte of rows: one row a sheet
      for (const [limit, most] of [[{ maxRows: 4 }, (head: number) => 4 - head], [{ maxBytes: 1 }, () => 1]] as const) {
        const parts: Uint8Array[] = [];
        for await (const chunk of exportXlsx(exportRows(store, {}, { findings: true }), limit)) parts.push(chunk);
        const zip = unzipSync(Buffer.concat(parts));
        const tabs = [...strFromU8(zip['xl/workbook.xml']!).matchAll(/<sheet name="([^"]+)" sheetId="(\d+)"/g)].map((m) => [m[1]!, Number(m[2])] as const);
        const kinds = ['二、主动公开', '三、依申请公开', '四、复议诉讼', '问题 findings'];
        for (const [k, kind] of kinds.entries()) {
          const head = k < 3 ? 2 : 1;
          const mine = tabs.filter(([n]) => n === kind || n.startsWith(`${kind} (`));
          assert.deepEqual(mine.map(([n]) => n), mine.map((_, j) => (j === 0 ? kind : `${kind} (${j + 1})`)), 'numbered in order');
          if (k > 0) assert.equal(tabs.findIndex(([n]) => n === kind), tabs.findIndex(([n]) => n.startsWith(kinds[k - 1]!)) + tabs.filter(([n]) => n.startsWith(kinds[k - 1]!)).length, 'each kind\'s sheets together, in order');
          let rows = 0;
          for (const [, id] of mine) {
            const xml = strFromU8(zip[`xl/worksheets/sheet${id}.xml`]!);
            const count = xml.split('<row ').length - 1;
            assert.ok(count - head <= most(head) && count > head, `${JSON.stringify(limit)} ${kind}: ${count} rows`);
            assert.match(xml, /<row r="1">.*?机关 agency/, 'headed like the first');
            rows += count - head;
          }
          assert.equal(rows, k < 3 ? 3 : Number(findings), `${JSON.stringify(limit)} ${kind}: every report or finding once`);
          assert.equal(mine.length, Math.ceil(rows / most(head)), `${JSON.stringify(limit)} ${kind}: as many sheets as the limit makes`);
        }
      }
    });

    it('the JSON export writes every cell value as JSON.stringify does, whatever its characters', async () => {
      const store = await fresh();
      await put(store, corpus()[0]!);
      const row = await store.db.selectFrom('report_cells').innerJoin('cell_layouts', 'cell_layouts.hash', 'report_cells.layout').select(['report_id', 'keys']).executeTakeFirstOrThrow();
      const keys = JSON.parse(row.keys) as string[];
      const odd = [null, '', '0', '12', '?', '~', 'a"b', 'a\\b', 'tab\there', 'line\nbreak', '\u0000', '\u001f', '\u007f', '\u00e9', '\u2028', '一二三', '\ud800', 'x\udfff', '\ud83d\ude00'];
      // numbers' text (written byte by byte), then every kind of character (through JSON.stringify)
      for (const values of [keys.map((_, i) => (i % 3 === 0 ? null : String(i * 7))), keys.map((_, i) => odd[i % odd.length]!)]) {
        await store.db.updateTable('report_cells').set({ cell_values: JSON.stringify(values) }).where('report_id', '=', row.report_id).execute();
        const parts: Uint8Array[] = [];
        for await (const chunk of exportJson(exportRows(store, {}, { json: true }))) parts.push(chunk);
        const text = Buffer.concat(parts).toString('utf8');
        assert.ok(text.includes(`,"cells":${JSON.stringify(Object.fromEntries(keys.map((k, i) => [k, values[i]])))},"findings":`), text.slice(0, 300));
      }
    });

    it('an export stops, saying why, at a report whose packed values do not fit their layout, rather than shift them into other columns', async () => {
      const store = await fresh();
      await put(store, corpus()[0]!);
      const row = await store.db.selectFrom('report_cells').select(['report_id', 'cell_values']).executeTakeFirstOrThrow();
      await store.db.updateTable('report_cells').set({ cell_values: JSON.stringify((JSON.parse(row.cell_values) as unknown[]).slice(1)) }).where('report_id', '=', row.report_id).execute();
      await assert.rejects(async () => { for await (const _ of exportCsv(exportRows(store, {}))) { /* drain */ } }, new RegExp(`is damaged: report ${row.report_id}'s packed cells do not fit their layout \\(\\d+ values for \\d+ keys\\); restore the last backup`));
    });

    it('exports: CSV with a BOM and ? for an undetermined cell, Parquet and XLSX that read back', async () => {
      const store = await fresh();
      const [r] = corpus();
      setCell(r!, 't3.new.legal', '3', 'ambiguous');
      setCell(r!, 't3.new.other_org', null);
      await put(store, r!);
      // a finding whose text JSON must escape (quotes, a backslash, control characters): the database's text of it is JSON.stringify's
      const { id } = await store.db.selectFrom('reports').select('id').executeTakeFirstOrThrow();
      await store.db.insertInto('findings').values({ report_id: id, rule_id: 'zz-escapes', severity: 'info', message: 'a "quoted" \\ word\nnext\t\u0001 “中文” \u2028', message_en: null, keys: '["t3.new.total"]', position: null, scope: 'corpus' }).execute();
      let csv = '';
      for await (const chunk of exportCsv(exportRows(store, {}))) csv += chunk;
      assert.ok(csv.startsWith('\ufeffreport_id,agency,'));
      const [head, line] = csv.trim().split('\r\n');
      const col = head!.split(',').indexOf('t3.new.legal');
      // fields, quoted ones whole (the rules column lists several, comma-separated)
      const fields = [...`${line!},`.matchAll(/("(?:[^"]|"")*"|[^,]*),/g)].map((m) => m[1]);
      assert.equal(fields[col], '?');
      const rows = await parquetReadObjects({ file: (await exportParquet(exportRows(store, {}))).buffer as ArrayBuffer });
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!['t3.new.legal'], null);
      assert.equal(rows[0]!.ambiguous, 't3.new.legal');
      assert.equal(rows[0]!['t3.new.total'], Number(r!.cells['t3.new.total']!.value));
      // every cell as stored, blanks null and the undetermined one ?, keys in code point order, on either engine
      // as the CLI asks for it (the database's own text of cells and findings, as bytes on SQLite) and as values
      const jsonOf = async (json: boolean) => { const parts: Uint8Array[] = []; for await (const chunk of exportJson(exportRows(store, {}, { findings: true, json }))) parts.push(chunk); return Buffer.concat(parts).toString('utf8'); };
      const json = await jsonOf(true);
      assert.equal(json, await jsonOf(false), 'the same text either way');
      assert.ok(json.endsWith('}\n') && json.split('\n').length === 2, 'one line a report');
      const { cells, findings, ...meta } = JSON.parse(json) as { cells: Record<string, string | null>; findings: Array<{ rule: string; severity: string; message: string; keys: string[] }>; errors: number; warnings: number; rules: string };
      // the findings as found: each whole, in order (the rules column lists their rules in that order)
      assert.equal(meta.rules, [...new Set(findings.map((f) => f.rule))].join(','));
      assert.equal(meta.errors, findings.filter((f) => f.severity === 'error').length);
      assert.ok(findings.every((f) => f.message !== '' && Array.isArray(f.keys)) && findings.some((f) => f.keys.length > 0));
      assert.ok(json.includes(`,"cells":${JSON.stringify(cells)},"findings":${JSON.stringify(findings)}}`), 'the text JSON.stringify gives');
      assert.equal(findings.at(-1)!.message, 'a "quoted" \\ word\nnext\t\u0001 “中文” \u2028');
      // CSV counts the findings and lists their rules without reading them: the same as the JSON's, which reads them
      const at = (name: string) => fields[head!.split(',').indexOf(name)];
      assert.deepEqual([at('errors'), at('warnings'), at('rules')], [String(meta.errors), String(meta.warnings), meta.rules.includes(',') ? `"${meta.rules}"` : meta.rules]);
      assert.ok(meta.errors + meta.warnings > 0 && meta.rules !== '', 'the report has findings');
      const want = Object.values(r!.cells).map((c) => [c.key, c.status === 'ambiguous' ? '?' : c.value] as const).sort(([a], [b]) => (a < b ? -1 : 1));
      assert.deepEqual(Object.entries(cells), want);
      assert.ok(want.some(([, v]) => v === null), 'the report has blank cells');
      const parts: Uint8Array[] = [];
      for await (const chunk of exportXlsx(exportRows(store, {}, { findings: true }))) parts.push(chunk);
      const book = readXlsx(Buffer.concat(parts));
      const t3 = book.tables![1]!;
      assert.equal(t3.cells.find((c) => c.text === '一、本年新收政府信息公开申请数量')!.colSpan, 7, 'headed like the template: a row over its seven columns');
    });
  });
}

describe('export from a SQLite file', () => {
  it('is read on a thread of its own and gives what the same store in memory gives, selection and rule filter included; stopping it stops the thread', async () => {
    const file = await ENGINES[0]!.url();
    const [disk, memory] = [await Store.open(file), await Store.open(':memory:')];
    try {
      assert.equal(disk.file, file);
      assert.equal(memory.file, null);
      for (const store of [disk, memory]) for (const r of corpus().slice(0, 12)) await put(store, r);
      const text = async (store: Store, sel: Parameters<typeof exportRows>[1], json: boolean) => {
        const parts: string[] = [];
        if (json) for await (const chunk of exportJson(exportRows(store, sel, { findings: true, json: true, batch: 5 }))) parts.push(Buffer.from(chunk).toString('utf8'));
        else for await (const chunk of exportCsv(exportRows(store, sel, { batch: 5 }))) parts.push(chunk);
        return parts.join('');
      };
      const rule = (await memory.db.selectFrom('findings').select('rule_id').executeTakeFirstOrThrow()).rule_id;
      for (const sel of [{}, { year: corpus()[0]!.meta.year! }, { rule }]) {
        for (const json of [false, true]) {
          const got = await text(disk, sel, json);
          assert.equal(got, await text(memory, sel, json), `${JSON.stringify(sel)} ${json ? 'JSON' : 'CSV'}`);
          assert.ok(got.split('\n').length > 2);
        }
      }
      // stopped after its first report (or an XLSX after its first bytes): the reading thread and the compressors end with it, and the store goes on
      for await (const row of exportRows(disk, {}, { batch: 5 })) { assert.ok(row.meta.report_id); break; }
      for await (const chunk of exportXlsx(exportRows(disk, {}, { findings: true, batch: 5 }))) { assert.ok(chunk.length > 0); break; }
      // an XLSX given up while it is being made (its bytes come at its end): it stops at the next report, its reading with it
      const stop = new AbortController();
      let read = 0;
      const counted = async function* () { for await (const row of exportRows(disk, {}, { findings: true, batch: 5 })) { if (++read === 3) stop.abort(new Error('given up')); yield row; } };
      await assert.rejects(async () => { for await (const chunk of exportXlsx(counted(), { signal: stop.signal })) assert.fail(`bytes after it was given up: ${chunk.length}`); }, /given up/);
      assert.equal(read, 3, 'no report read past the one it was given up at');
      assert.equal((await text(disk, {}, false)).trim().split('\r\n').length, 13);
    } finally {
      await disk.close();
      await memory.close();
    }
  });

  it('tells a store the reading thread cannot open as the store\'s failure, in one line', async () => {
    const file = await ENGINES[0]!.url();
    const store = await Store.open(file);
    try {
      await put(store, corpus()[0]!);
      // the file gone from under an open store (its connection still reads it): the thread's own cannot open it
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      await assert.rejects(async () => { for await (const _ of exportRows(store, {})) { /* none */ } }, (e: Error) => {
        assert.ok(e instanceof StoreError && e.code === 'io', String(e));
        assert.match(e.message, /^the store .* could not be read or written/);
        assert.ok(!e.message.includes('\n'));
        return true;
      });
    } finally {
      await store.close();
    }
  });
});

describe('prefixRange', () => {
  it('is exactly the strings that start with the prefix, in code point order', () => {
    const cmp = (a: string, b: string) => { const x = [...a].map((c) => c.codePointAt(0)!); const y = [...b].map((c) => c.codePointAt(0)!); for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!; return x.length - y.length; };
    const [from, to] = prefixRange('江苏省淮安市')!;
    for (const s of ['江苏省淮安市', '江苏省淮安市洪泽区', '江苏省淮安市\u{10FFFF}', '江苏省淮安市𠀀', '江苏省淮安帀', '江苏省淮安', '江苏省淮阴区', '江苏省淮安巿']) {
      assert.equal(cmp(s, from) >= 0 && cmp(s, to) < 0, s.startsWith('江苏省淮安市'), s);
    }
    assert.equal(prefixRange('body1'), null, 'LIKE ignores the case of ASCII letters: no range');
    assert.equal(prefixRange(''), null);
  });
});

describe('an export\'s layouts', () => {
  it('come each with the first batch in the export\'s order that has it, whichever batch\'s reading gets there first', async () => {
    const given = new GivenLayouts();
    let go!: () => void;
    const gate = new Promise<void>((resolve) => { go = resolve; });
    // the first batch's reading is held until the second's has asked
    const first = given.during(async (fresh) => { await gate; return fresh(['x', 'y']); });
    const second = given.during((fresh) => fresh(['x', 'z']));
    const third = given.during(async () => { throw new Error('the connection went away'); });
    third.catch(() => undefined);
    const fourth = given.during((fresh) => fresh(['z', 'w']));
    go();
    assert.deepEqual(await first, ['x', 'y']);
    assert.deepEqual(await second, ['z']);
    await assert.rejects(third, /went away/);
    assert.deepEqual(await fourth, ['w'], 'a batch that failed gives its turn up');
  });
});

describe('valueJson', () => {
  it('writes a cell\'s value as JSON.stringify does, whatever its characters', () => {
    for (const v of [null, '', '0', '12', '-3.5', '1,234', '?', 'a"b', 'a\\b', 'tab\there', 'line\nbreak', '\u0000', '\u001f', '\u007f', '\u2028', '一二三', '\ud800', 'x\udfff', '\ud83d\ude00']) {
      assert.equal(valueJson(v), JSON.stringify(v), JSON.stringify(v));
    }
  });
});

describe('resemblance', () => {
  it('is the shared share of two real narratives\' shingles, counted as sets are', () => {
    const texts = [SEEDS.pipes, SEEDS.tabs, SEEDS.cellPerLine, SEEDS.blankLines].map((f) => ownSentences(narrative(parseFixture(f))));
    // a narrative beside itself, one with its second half gone, and other bodies' narratives
    const pairs: Array<[string[], string[]]> = [[texts[0]!, texts[0]!], [texts[1]!, texts[1]!.slice(0, texts[1]!.length >> 1)], [texts[0]!, texts[1]!], [texts[2]!, texts[3]!], [texts[3]!, []]];
    const seen = new Set<number>();
    for (const [a, b] of pairs) {
      const [x, y] = [shingles(a), shingles(b)];
      const both = [...x].filter((h) => y.has(h)).length;
      const expected = x.size === 0 || y.size === 0 ? 0 : both / (x.size + y.size - both);
      const got = resemblance(sortedShingles(a), sortedShingles(b));
      assert.equal(got, expected);
      seen.add(Math.round(got * 10));
      // asked whether a pair reaches a threshold: the exact figure when it does, a figure below it when not
      for (const t of [0.3, 0.5, 0.7, 0.9, 1]) {
        const bounded = resemblance(sortedShingles(a), sortedShingles(b), t);
        if (expected >= t) assert.equal(bounded, expected, `threshold ${t}`);
        else assert.ok(bounded < t && bounded >= expected, `threshold ${t}: ${bounded} for ${expected}`);
      }
    }
    assert.ok(seen.has(10) && seen.has(0) && [...seen].some((v) => v > 0 && v < 10), 'the pairs span identical, partial and unrelated');
  });
});
