/**
 * The web app's API, through Fastify's inject (no socket), on SQLite and PostgreSQL: review,
 * corrections, finding reviews, the dashboard, compare, author export, batch ingest, and the
 * rules of access (sessions, roles, region scope, the write guard, audit).
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { zipSync } from 'fflate';
import { buildApp } from '../src/serve/app.ts';
import { addUser, hashPassword, verifyPassword } from '../src/serve/auth.ts';
import { parse } from '../src/index.ts';
import { Store } from '../src/store/store.ts';
import { check } from '../src/check/engine.ts';
import { readXlsx } from '../src/read/xlsx.ts';
import type { Report } from '../src/types.ts';
import { readFixture, SEEDS } from './helpers.ts';
import { ENGINES } from './store-helpers.ts';

const W = { 'x-gongkai': '1' };

/** A multipart body of files, as a browser's FormData sends it. */
function multipart(files: Array<{ name: string; bytes: Uint8Array }>): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----gongkaitest';
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    parts.push(Buffer.from(f.bytes), Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { ...W, 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const seed = (name: string) => readFixture(name).toString('utf8');

for (const engine of ENGINES) {
  describe(`web API, local mode (${engine.name})`, () => {
    let store: Store;
    let app: FastifyInstance;
    before(async () => { store = await engine.open(); app = await buildApp({ store, assets: new Map() }); });
    after(async () => { await app.close(); await store.close(); });

    const upload = async (name: string, text: string) => {
      const r = await app.inject({ method: 'POST', url: '/api/reports', headers: W, payload: { text, name } });
      assert.equal(r.statusCode, 200, r.body);
      return r.json().id as number;
    };
    const review = async (id: number) => (await app.inject({ url: `/api/reports/${id}` })).json();

    it('reads an uploaded report and shows seed 003’s defects: spam, broken totals, the undetermined 收费 cells', async () => {
      const id = await upload('seed003.txt', seed(SEEDS.blankLines));
      const p = await review(id);
      const rules = new Set(p.findings.map((f: { ruleId: string }) => f.ruleId));
      for (const r of ['injected-content', 't3-results-total', 'ambiguous-cell']) assert.ok(rules.has(r), r);
      assert.equal(p.source.format, 'text');
      // positions index the source text shown beside the tables
      const cell = p.report.cells['t3.results_total.total'];
      assert.equal(p.source.text.slice(cell.position.offset, cell.position.offset + cell.position.length), '3');
      // the same bytes again are the same report
      assert.equal(await upload('again.txt', seed(SEEDS.blankLines)), id);
    });

    it('a picked candidate is stored as a correction, the original reading kept, and the checks run again', async () => {
      const id = await upload('seed004.txt', seed(SEEDS.squashed));
      const before = await review(id);
      const cell = before.report.cells['t2.normative.made'];
      assert.equal(cell.status, 'ambiguous');
      assert.ok(cell.candidates.includes('27'));
      const ambiguousBefore = before.findings.filter((f: { ruleId: string; keys: string[] }) => f.ruleId === 'ambiguous-cell' && f.keys.includes('t2.normative.made')).length;
      assert.equal(ambiguousBefore, 1);
      const r = await app.inject({ method: 'POST', url: `/api/reports/${id}/corrections`, headers: W, payload: { key: 't2.normative.made', to: '27' } });
      assert.equal(r.statusCode, 200, r.body);
      const after = r.json();
      assert.equal(after.report.cells['t2.normative.made'].value, '27');
      assert.match(after.report.cells['t2.normative.made'].how, /corrected by local/);
      assert.deepEqual(after.corrections.map((c: { key: string; from: string | null; to: string; who: string }) => [c.key, c.from, c.to, c.who]), [['t2.normative.made', null, '27', 'local']]);
      assert.ok(!after.findings.some((f: { ruleId: string; keys: string[] }) => f.ruleId === 'ambiguous-cell' && f.keys.includes('t2.normative.made')));
      // the store's cells and aggregates follow the correction
      const stored = await store.db.selectFrom('cells').select(['num', 'status']).where('report_id', '=', id).where('key', '=', 't2.normative.made').executeTakeFirstOrThrow();
      assert.deepEqual({ ...stored }, { num: 27, status: 'inferred' });
      const agg = await store.db.selectFrom('cell_agg').select('total').where('key', '=', 't2.normative.made').where('year', '=', 2020).where('region', '=', '辽宁省鞍山市').executeTakeFirstOrThrow();
      assert.equal(Number(agg.total), 27);
      // the bytes as uploaded are still there: nothing a user gave is lost
      const doc = await store.db.selectFrom('originals').select('data').executeTakeFirstOrThrow();
      assert.ok(doc.data.length > 0);
      // a value that is neither a candidate nor a number is refused
      const bad = await app.inject({ method: 'POST', url: `/api/reports/${id}/corrections`, headers: W, payload: { key: 't2.normative.total', to: 'twenty' } });
      assert.equal(bad.statusCode, 400);
    });

    it('a pick narrows the other cells of its squashed run, and a pick the printed digits do not allow is refused', async () => {
      const id = await upload('seed004-again.txt', seed(SEEDS.squashed).replace('鞍山市人力资源和社会保障局', '鞍山市人力资源和社会保障局 '));
      const cells = async () => (await review(id)).report.cells;
      const before = await cells();
      assert.ok(before['t2.normative.published'].candidates.includes('7'), '7 is a reading of 272720 on its own');
      // the first correction of this report: made = 27 (the first test picked it on another copy)
      let r = await app.inject({ method: 'POST', url: `/api/reports/${id}/corrections`, headers: W, payload: { key: 't2.normative.made', to: '27' } });
      assert.equal(r.statusCode, 200, r.body);
      const published = (await cells())['t2.normative.published'];
      assert.equal(published.status, 'ambiguous');
      assert.ok(!published.candidates.includes('7'), `after 27 the run goes on with 2: ${published.candidates.join(' ')}`);
      assert.ok(published.candidates.every((v: string | null) => v === null || v.startsWith('2')));
      r = await app.inject({ method: 'POST', url: `/api/reports/${id}/corrections`, headers: W, payload: { key: 't2.normative.published', to: '7' } });
      assert.equal(r.statusCode, 400);
      assert.match(r.json().error, /contradicts the printed “272720”/);
      r = await app.inject({ method: 'POST', url: `/api/reports/${id}/corrections`, headers: W, payload: { key: 't2.normative.published', to: '27' } });
      assert.equal(r.statusCode, 200, r.body);
      const total = r.json().report.cells['t2.normative.total'];
      assert.deepEqual([total.value, total.status], ['20', 'inferred'], 'the last cell of the run is what is left of it');
    });

    it('a scan is stored for review, and its cells can be typed in from the page image; a blank template is not a report', async () => {
      const { pdfFromPages } = await import('../src/render/pdf.ts');
      const scan = pdfFromPages([[]]);
      const { payload, headers } = multipart([{ name: 'scan.pdf', bytes: scan }]);
      const r = await app.inject({ method: 'POST', url: '/api/reports', payload, headers });
      assert.equal(r.statusCode, 200, r.body);
      const id = r.json().id;
      assert.ok((await review(id)).findings.some((f: { ruleId: string }) => f.ruleId === 'scanned-document'));
      const typed = await app.inject({ method: 'POST', url: `/api/reports/${id}/corrections`, headers: W, payload: { key: 't3.new.total', to: '12' } });
      assert.equal(typed.statusCode, 200, typed.body);
      assert.equal(typed.json().report.cells['t3.new.total'].value, '12');
      const nokey = await app.inject({ method: 'POST', url: `/api/reports/${id}/corrections`, headers: W, payload: { key: 't9.nothing', to: '1' } });
      assert.equal(nokey.statusCode, 400);
      const blank = multipart([{ name: 'template.docx', bytes: readFixture('corpus/official-template-2021-blank.docx') }]);
      const t = await app.inject({ method: 'POST', url: '/api/reports', payload: blank.payload, headers: blank.headers });
      assert.equal(t.statusCode, 422);
      assert.match(t.json().error, /no body and no year/);
    });

    it('a confirmed or dismissed finding keeps its review through a re-check', async () => {
      const id = await upload('seed003b.txt', seed(SEEDS.blankLines).replace('双鸭山市商务局', '双鸭山市商务局 '));
      const p = await review(id);
      const f = p.findings.find((x: { ruleId: string }) => x.ruleId === 't3-results-total');
      let r = await app.inject({ method: 'POST', url: `/api/reports/${id}/reviews`, headers: W, payload: { rule: f.ruleId, keys: f.keys, status: 'confirmed', comment: '总计确实不平' } });
      assert.equal(r.statusCode, 200, r.body);
      // a correction re-checks the report: the findings are rewritten, the review stays
      r = await app.inject({ method: 'POST', url: `/api/reports/${id}/corrections`, headers: W, payload: { key: 't2.fees.prev', to: '0' } });
      assert.equal(r.statusCode, 200, r.body);
      const again = r.json().findings.find((x: { ruleId: string; keys: string[] }) => x.ruleId === 't3-results-total' && x.keys.join() === f.keys.join());
      assert.deepEqual([again.review.status, again.review.comment, again.review.who], ['confirmed', '总计确实不平', 'local']);
      r = await app.inject({ method: 'POST', url: `/api/reports/${id}/reviews`, headers: W, payload: { rule: 'no-such-rule', keys: [], status: 'confirmed' } });
      assert.equal(r.statusCode, 400);
    });

    it('answers the dashboard, compare and export from the store', async () => {
      for (const u of ['/api/dashboard/cells?year=2020', '/api/dashboard/rules', '/api/dashboard/regions', '/api/dashboard/publication', '/api/reports?sort=errors&desc=1', '/api/bodies?q=鞍山', '/api/coverage', '/api/rules']) {
        const r = await app.inject({ url: u });
        assert.equal(r.statusCode, 200, `${u}: ${r.body}`);
      }
      const cells = (await app.inject({ url: '/api/dashboard/cells?year=2020' })).json();
      assert.equal(cells.reports, 2);
      // the sample guard: a region with a handful of reports gets no rate (one erroneous report is not a 100% region)
      const regions = (await app.inject({ url: '/api/dashboard/regions' })).json();
      assert.ok(regions.length > 0 && regions.every((r: { reports: number; rate: number | null }) => (r.reports < 10) === (r.rate === null)), JSON.stringify(regions));
      const rules = (await app.inject({ url: '/api/dashboard/rules?rule=injected-content' })).json();
      assert.deepEqual(rules.map((r: { rule: string }) => r.rule), ['injected-content']);
      // seed 003 was replaced by its edited copy (same body and year): one current report has the spam
      const list = (await app.inject({ url: '/api/reports?rule=injected-content' })).json();
      assert.equal(list.total, 1);
      assert.equal((await app.inject({ url: '/api/dashboard/cells?year=20x' })).statusCode, 400);
      const body = (await app.inject({ url: '/api/bodies?q=鞍山' })).json()[0];
      const years = (await app.inject({ url: `/api/bodies/years?key=${encodeURIComponent(body.agency_key)}` })).json();
      assert.equal(years.cells['t2.normative.made']['2020'], '27');
      const csv = await app.inject({ url: '/api/export?format=csv' });
      assert.equal(csv.statusCode, 200);
      assert.match(csv.body, /鞍山市人力资源和社会保障局/);
      const xlsx = await app.inject({ url: '/api/export?format=xlsx' });
      assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
      // the export is exactly the selection shown, the rule filter included
      const all = (await app.inject({ url: '/api/export?format=csv' })).body.trim().split('\n').length - 1;
      const ruled = (await app.inject({ url: '/api/export?format=csv&rule=injected-content' })).body.trim().split('\n').length - 1;
      assert.equal(ruled, list.total);
      assert.ok(ruled < all, `${ruled} of ${all}`);
    });

    it('makes two exports at a time: a third is refused (429, Chinese first) until one of them ends', async () => {
      // a store of its own (on SQLite a file: each export read on a thread of its own), its export
      // (220 kB) several times what the streams between it and the client hold (some 50 kB), so that
      // an export not read from stays under way, waiting to be read
      const own = await Store.open(await engine.url());
      const web = await buildApp({ store: own, assets: new Map() });
      try {
        const r = parse(readFixture(SEEDS.pipes));
        for (let i = 0; i < 60; i++) {
          const copy: Report = { ...r, meta: { ...r.meta, agency: `某市第${i}局${'很长的名字'.repeat(200)}` } };
          await own.write({ path: `r${i}.txt`, hash: `h${i}`, bytes: 1, format: 'text', report: copy, findings: check(copy), bands: [] });
        }
        const held = [await web.inject({ url: '/api/export?format=csv', payloadAsStream: true }), await web.inject({ url: '/api/export?format=csv', payloadAsStream: true })];
        assert.deepEqual(held.map((x) => x.statusCode), [200, 200]);
        const third = await web.inject({ url: '/api/export?format=xlsx' });
        assert.equal(third.statusCode, 429);
        assert.equal(third.headers['retry-after'], '10');
        assert.match(third.json().error, /^正在导出的文件已有 2 个，请稍后再试/);
        // the first, read to its end, makes room; the second is still under way
        let text = '';
        for await (const chunk of held[0]!.stream()) text += chunk;
        assert.equal(text.trim().split('\n').length, 61, 'a header and every report');
        const xlsx = await web.inject({ url: '/api/export?format=xlsx' });
        assert.equal(xlsx.statusCode, 200);
        // streamed in pieces, it reads back whole: every report on every table's sheet, and its findings
        const book = readXlsx(xlsx.rawPayload);
        assert.equal(book.tables!.length, 4);
        for (const t of book.tables!.slice(0, 3)) assert.equal(t.rows, 62, 'two header rows and a row a report');
        assert.ok(book.text.includes(`某市第59局${'很长的名字'.repeat(200)}`));
        held.push(await web.inject({ url: '/api/export?format=csv', payloadAsStream: true }));
        assert.equal(held[2]!.statusCode, 200, 'the XLSX, read to its end, ended its turn');
        assert.equal((await web.inject({ url: '/api/export?format=csv' })).statusCode, 429);
        // the two still under way, read to their ends
        for (const h of held.slice(1)) { let n = 0; for await (const chunk of h.stream()) n += (chunk as Buffer).length; assert.ok(n > 200_000); }
      } finally {
        await web.close();
        await own.close();
      }
    });

    it('answers an export it cannot read the store for with the reason (503, JSON, no download), and frees its turn', async (t) => {
      if (engine.name !== 'sqlite') return t.skip('a SQLite file taken from under the server');
      const file = await engine.url();
      const own = await Store.open(file);
      const web = await buildApp({ store: own, assets: new Map(), exportsAtOnce: 1 });
      try {
        const r = parse(readFixture(SEEDS.pipes));
        await own.write({ path: 'r.txt', hash: 'h', bytes: 1, format: 'text', report: r, findings: check(r), bands: [] });
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
        for (const format of ['csv', 'xlsx', 'csv']) {
          const res = await web.inject({ url: `/api/export?format=${format}` });
          assert.equal(res.statusCode, 503, format);
          assert.match(res.headers['content-type'] as string, /^application\/json/);
          assert.equal(res.headers['content-disposition'], undefined);
          assert.match(res.json().error, /could not be read or written/);
        }
      } finally {
        await web.close();
        await own.close();
      }
    });

    it('answers an export of a damaged store with what is damaged (500, JSON, no download), not a retry', async () => {
      const own = await engine.open();
      const web = await buildApp({ store: own, assets: new Map() });
      try {
        const r = parse(readFixture(SEEDS.pipes));
        await own.write({ path: 'r.txt', hash: 'h', bytes: 1, format: 'text', report: r, findings: check(r), bands: [] });
        await own.db.updateTable('report_cells').set({ cell_values: '[null]' }).execute();
        // (an XLSX too, whose bytes come only when it is made: the failure comes first, whole)
        for (const format of ['csv', 'xlsx']) {
          const res = await web.inject({ url: `/api/export?format=${format}` });
          assert.equal(res.statusCode, 500, format);
          assert.match(res.headers['content-type'] as string, /^application\/json/);
          assert.equal(res.headers['content-disposition'], undefined);
          assert.equal(res.headers['retry-after'], undefined);
          assert.match(res.json().error, /is damaged: report \d+'s packed cells do not fit their layout \(1 values for \d+ keys\)/);
          assert.equal(res.json().code, 'damaged');
        }
      } finally {
        await web.close();
        await own.close();
      }
    });

    it('refuses an XLSX larger than the file format holds (here a limit of 1 kB), Chinese first, and makes room; the CSV still goes', async () => {
      const own = await engine.open();
      const web = await buildApp({ store: own, assets: new Map(), exportsAtOnce: 1, xlsxMostBytes: 1024 });
      try {
        const r = parse(readFixture(SEEDS.pipes));
        await own.write({ path: 'r.txt', hash: 'h', bytes: 1, format: 'text', report: r, findings: check(r), bands: [] });
        const res = await web.inject({ url: '/api/export?format=xlsx' });
        assert.equal(res.statusCode, 413);
        assert.equal(res.headers['content-disposition'], undefined);
        assert.match(res.json().error, /^导出的 XLSX 将超过.*4 GB.*the workbook would be larger than 4 GB .*or as CSV or Parquet/);
        assert.equal(res.json().code, 'too-large');
        // its turn is given back: the one export at a time allowed goes
        const csv = await web.inject({ url: '/api/export?format=csv' });
        assert.equal(csv.statusCode, 200);
      } finally {
        await web.close();
        await own.close();
      }
    });

    it('cuts off an export its client stopped reading, after the time allowed, and makes room', async () => {
      const own = await Store.open(await engine.url());
      const web = await buildApp({ store: own, assets: new Map(), exportsAtOnce: 1, exportTimeoutMs: 50 });
      try {
        const r = parse(readFixture(SEEDS.pipes));
        for (let i = 0; i < 60; i++) {
          const copy: Report = { ...r, meta: { ...r.meta, agency: `某市第${i}局${'很长的名字'.repeat(200)}` } };
          await own.write({ path: `r${i}.txt`, hash: `h${i}`, bytes: 1, format: 'text', report: copy, findings: check(copy), bands: [] });
        }
        // the signal: the download ends short, as a dropped connection's does (before its first byte,
        // the request fails; after, its stream does)
        // (stopped before its first byte, the export answers 503 with the reason)
        const cutOff = () => web.inject({ url: '/api/export?format=csv', payloadAsStream: true }).then(async (held) => {
          const s = held.stream();
          if (held.statusCode !== 200) {
            let body = '';
            for await (const chunk of s) body += chunk;
            assert.equal(held.statusCode, 503, body);
            assert.match(JSON.parse(body).error, /^导出超过 0.05 秒仍未完成，已停止/);
            return held.statusCode;
          }
          s.pause();
          if (!s.destroyed) await new Promise((resolve) => { s.once('error', resolve); s.once('close', resolve); });
          return held.statusCode;
        }, (e: Error) => { assert.match(e.message, /destroyed before completion/); return 0; });
        await cutOff();
        // the next is not refused (429): it starts, and is cut off in its turn
        assert.notEqual(await cutOff(), 429);
      } finally {
        await web.close();
        await own.close();
      }
    });

    it('exports an authored report as DOCX that reads back to the same cells, and refuses while an error stands', async () => {
      const cells: Record<string, string> = { 't3.new.natural': '5', 't3.new.total': '5', 't3.granted.natural': '4', 't3.granted.total': '4', 't3.results_total.natural': '4', 't3.results_total.total': '4', 't3.carry_next.natural': '1', 't3.carry_next.total': '1', 't2.normative.issued': '3', 't2.normative.valid': '12', 't4.review.upheld': '1', 't4.review.total': '1' };
      const input = { agency: '某某市民政局', region: '某某市', level: 'city', bodyKind: 'department', year: 2024, published: null, cells, sections: { 1: '全年主动公开政府信息120条。', 5: '存在的问题：公开内容不够全面。改进情况：加强培训。', 6: '本年度未收取信息处理费。' } };
      const broken = await app.inject({ method: 'POST', url: '/api/author/render', headers: W, payload: { input: { ...input, cells: { ...cells, 't3.new.total': '6' } }, format: 'docx' } });
      assert.equal(broken.statusCode, 422);
      assert.ok(broken.json().findings.some((f: { ruleId: string }) => f.ruleId === 't3-column-total'));
      const r = await app.inject({ method: 'POST', url: '/api/author/render', headers: W, payload: { input, format: 'docx' } });
      assert.equal(r.statusCode, 200, r.body);
      const back: Report = parse(new Uint8Array(r.rawPayload), { name: 'authored.docx' });
      assert.equal(back.meta.agency, '某某市民政局');
      assert.equal(back.meta.year, 2024);
      for (const [k, v] of Object.entries(cells)) assert.equal(back.cells[k]?.value, v, k);
      const html = await app.inject({ method: 'POST', url: '/api/author/render', headers: W, payload: { input: { ...input, agency: '<script>alert(1)</script>局' }, format: 'html' } });
      assert.ok(!html.body.includes('<script>alert'));
    });

    it('ingests a batch with a ZIP inside, and lists the files that failed and why', async () => {
      const zip = zipSync({ 'a/seed001.txt': readFixture(SEEDS.tabs), 'a/broken.pdf': new TextEncoder().encode('%PDF-1.4 broken'), '__MACOSX/._x': new Uint8Array([1]), 'a/template.docx': readFixture('corpus/official-template-2021-blank.docx') });
      const { payload, headers } = multipart([{ name: 'batch.zip', bytes: zip }, { name: 'seed002.txt', bytes: readFixture(SEEDS.cellPerLine) }, { name: 'empty.txt', bytes: new Uint8Array() }]);
      const r = await app.inject({ method: 'POST', url: '/api/ingest', payload, headers });
      assert.equal(r.statusCode, 200, r.body);
      let job = r.json();
      assert.equal(job.total, 5);
      for (let i = 0; i < 200 && job.phase !== 'done'; i++) {
        await new Promise((res) => setTimeout(res, 50));
        job = (await app.inject({ url: `/api/ingest/${job.id}` })).json();
      }
      assert.equal(job.phase, 'done');
      assert.equal(job.summary.added, 2);
      assert.deepEqual(job.failures.map((f: { name: string }) => f.name).sort(), ['batch.zip/a/broken.pdf', 'batch.zip/a/template.docx', 'empty.txt']);
      assert.match(job.failures.find((f: { name: string }) => f.name === 'empty.txt').reason, /empty/);
      // the Chinese page shows the reason in Chinese first, the reader's detail after it
      assert.match(job.failures.find((f: { name: string }) => f.name === 'empty.txt').reasonZh, /^空文件（empty file）$/);
      assert.match(job.failures.find((f: { name: string }) => f.name === 'batch.zip/a/template.docx').reason, /no body and no year \(a blank template\?\)/);
    });

    it('refuses writes without the page’s header or from another origin, and a file over the limit', async () => {
      const text = seed(SEEDS.tabs);
      assert.equal((await app.inject({ method: 'POST', url: '/api/reports', payload: { text } })).statusCode, 403);
      assert.equal((await app.inject({ method: 'POST', url: '/api/reports', headers: { ...W, origin: 'http://evil.example', host: 'localhost' }, payload: { text } })).statusCode, 403);
      const small = await buildApp({ store, assets: new Map(), maxUpload: 1000 });
      const { payload, headers } = multipart([{ name: 'big.txt', bytes: new Uint8Array(5000).fill(0x41) }]);
      const r = await small.inject({ method: 'POST', url: '/api/reports', payload, headers });
      assert.equal(r.statusCode, 413);
      await small.close();
      const bad = await app.inject({ method: 'POST', url: '/api/reports', headers: W, payload: { text: '这不是年报', name: '../../etc/passwd' } });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.json().error, /^passwd: /);
      assert.equal((await app.inject({ url: '/api/reports/abc' })).statusCode, 400);
      assert.equal((await app.inject({ url: '/api/reports/99999' })).statusCode, 404);
    });
  });

  describe(`web API, accounts (${engine.name})`, () => {
    let store: Store;
    let app: FastifyInstance;
    before(async () => {
      store = await engine.open();
      await addUser(store, { name: 'admin', role: 'admin', region: '' }, 'correct horse battery');
      await addUser(store, { name: 'li', role: 'submitter', region: '双鸭山市' }, 'li-password-1');
      await addUser(store, { name: 'wang', role: 'reviewer', region: '鞍山市' }, 'wang-password-1');
      app = await buildApp({ store, auth: true, secret: 'x'.repeat(32), assets: new Map() });
    });
    after(async () => { await app.close(); await store.close(); });

    const login = async (name: string, password: string) => {
      const r = await app.inject({ method: 'POST', url: '/api/login', headers: W, payload: { name, password } });
      const cookie = r.cookies.find((c) => c.name === 'gongkai_session');
      return { status: r.statusCode, cookie: cookie ? `${cookie.name}=${cookie.value}` : '' };
    };

    it('needs a session for every route and refuses a wrong password', async () => {
      assert.equal((await app.inject({ url: '/api/dashboard/rules' })).statusCode, 401);
      assert.equal((await app.inject({ method: 'POST', url: '/api/reports', headers: W, payload: { text: 'x' } })).statusCode, 401);
      assert.equal((await login('admin', 'wrong')).status, 401);
      assert.equal((await login('nobody', 'wrong')).status, 401);
      const { status, cookie } = await login('admin', 'correct horse battery');
      assert.equal(status, 200);
      const s = (await app.inject({ url: '/api/session', headers: { cookie } })).json();
      assert.deepEqual(s.user, { name: 'admin', role: 'admin', region: '' });
      const failed = await store.db.selectFrom('audit').select(['who', 'action']).where('action', '=', 'login-failed').execute();
      assert.equal(failed.length, 2);
    });

    it('lets a role do only its own work, within its region, and records every change', async () => {
      const admin = (await login('admin', 'correct horse battery')).cookie;
      const up = async (cookie: string, name: string, text: string) => app.inject({ method: 'POST', url: '/api/reports', headers: { ...W, cookie }, payload: { text, name } });
      const shuangyashan = (await up(admin, 'seed003.txt', seed(SEEDS.blankLines))).json().id;
      const anshan = (await up(admin, 'seed004.txt', seed(SEEDS.squashed))).json().id;
      const li = (await login('li', 'li-password-1')).cookie;
      // a submitter reads their region, not another
      assert.equal((await app.inject({ url: `/api/reports/${shuangyashan}`, headers: { cookie: li } })).statusCode, 200);
      assert.equal((await app.inject({ url: `/api/reports/${anshan}`, headers: { cookie: li } })).statusCode, 403);
      const list = (await app.inject({ url: '/api/reports', headers: { cookie: li } })).json();
      assert.deepEqual(list.rows.map((r: { id: number }) => r.id), [shuangyashan]);
      assert.equal((await app.inject({ url: '/api/reports?region=鞍山市', headers: { cookie: li } })).json().total, 0);
      // and may not correct cells or ingest
      assert.equal((await app.inject({ method: 'POST', url: `/api/reports/${shuangyashan}/corrections`, headers: { ...W, cookie: li }, payload: { key: 't2.fees.prev', to: '0' } })).statusCode, 403);
      const empty = multipart([]);
      assert.equal((await app.inject({ method: 'POST', url: '/api/ingest', payload: empty.payload, headers: { ...empty.headers, cookie: li } })).statusCode, 403);
      // a reviewer corrects within their region only
      const wang = (await login('wang', 'wang-password-1')).cookie;
      assert.equal((await app.inject({ method: 'POST', url: `/api/reports/${anshan}/corrections`, headers: { ...W, cookie: wang }, payload: { key: 't2.normative.made', to: '27' } })).statusCode, 200);
      assert.equal((await app.inject({ method: 'POST', url: `/api/reports/${shuangyashan}/corrections`, headers: { ...W, cookie: wang }, payload: { key: 't2.fees.prev', to: '0' } })).statusCode, 403);
      const log = await store.db.selectFrom('audit').select(['who', 'action', 'target']).where('action', 'in', ['upload', 'correct']).orderBy('id').execute();
      assert.deepEqual(log.map((r) => ({ ...r })), [
        { who: 'admin', action: 'upload', target: `report:${shuangyashan}` },
        { who: 'admin', action: 'upload', target: `report:${anshan}` },
        { who: 'wang', action: 'correct', target: `report:${anshan}` },
      ]);
      const who = await store.db.selectFrom('corrections').select('who').executeTakeFirstOrThrow();
      assert.equal(who.who, 'wang');
      // logging out ends the session
      await app.inject({ method: 'POST', url: '/api/logout', headers: { ...W, cookie: wang } });
      assert.equal((await app.inject({ url: '/api/dashboard/rules', headers: { cookie: wang } })).statusCode, 401);
    });
  });
}

describe('passwords', () => {
  it('are stored as salted scrypt hashes and verified in constant time', async () => {
    const h = await hashPassword('correct horse battery');
    assert.match(h, /^scrypt\$32768\$8\$1\$/);
    assert.notEqual(h, await hashPassword('correct horse battery'));
    assert.equal(await verifyPassword('correct horse battery', h), true);
    assert.equal(await verifyPassword('correct horse batterx', h), false);
  });
});
