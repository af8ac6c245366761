/**
 * End to end, in a real browser: Debian's chromium driven by playwright-core (never a browser
 * download) against `gongkai serve`'s app on a fresh store. Each page's main path:
 * upload seed 003 and see its defects; pick a candidate for an ambiguous cell of seed 004;
 * filter the dashboard; author a report with a broken total, see the live error, fix it, export
 * the DOCX and read it back to the same cells; ingest a batch.
 *
 * Needs /usr/bin/chromium (`.ci/run` installs it) and the built pages (`npm run build`).
 * GONGKAI_SCREENSHOTS=DIR also saves a screenshot of each page there (the README's).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ingest } from '../src/ingest/ingest.ts';
import { parse } from '../src/index.ts';
import { WEB_DIR } from '../src/serve/assets.ts';
import { buildApp } from '../src/serve/app.ts';
import { Store } from '../src/store/store.ts';
import { FORM_EXT, writeForm } from '../src/synth/forms.ts';
import { synthesize } from '../src/synth/generate.ts';
import { fixture, SEEDS } from './helpers.ts';

const CHROMIUM = process.env.GONGKAI_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.GONGKAI_SCREENSHOTS;
const skip = !existsSync(CHROMIUM) ? `no browser at ${CHROMIUM} (.ci/run installs Debian's chromium)` : !existsSync(join(WEB_DIR, 'index.html')) ? 'the pages are not built (npm run build)' : false;

describe('the web app in a browser', { skip }, () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let browser: Browser;
  let page: Page;
  let base: string;

  before(async () => {
    dir = join(tmpdir(), `gongkai-e2e-${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, 'corpus'), { recursive: true });
    // a small corpus behind the dashboard: synthetic bodies of real regions over several years
    const files = synthesize({ count: 60, seed: 3 }).map((s, i) => {
      const form = (['pipes', 'html', 'docx'] as const)[i % 3]!;
      const path = join(dir, 'corpus', `${s.id}.${FORM_EXT[form]}`);
      return { path, bytes: writeForm(s.report, form) };
    });
    const { writeFileSync } = await import('node:fs');
    for (const f of files) writeFileSync(f.path, f.bytes);
    store = await Store.open(join(dir, 'e2e.db'));
    await ingest(store, files.map((f) => f.path), { threads: 1 });
    app = await buildApp({ store });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    page.on('pageerror', (e) => { throw e; });
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const shot = async (name: string) => { if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) }); };

  it('审核: uploads seed 003 and shows its defects, each located in the source', async () => {
    await page.goto(`${base}/#/review`);
    await page.locator('input[type=file]').setInputFiles(fixture(SEEDS.blankLines));
    await page.waitForURL(/#\/review\/\d+$/);
    for (const rule of ['injected-content', 't3-results-total']) await page.locator(`ol.findings li[data-rule="${rule}"]`).first().waitFor();
    // one finding for the （七）总计 cells that break two identities in three columns: both sides marked on the official table, its place in the source
    await page.locator('ol.findings li[data-rule="t3-results-total"] button.finding').first().click();
    assert.ok(await page.locator('table.official td.side-a').count() > 0);
    assert.ok(await page.locator('table.official td.side-b').count() > 0);
    assert.equal(await page.locator('pre.source mark').count(), 1);
    // spam is shown as text, never run or rendered as markup
    const spam = page.locator('ol.findings li[data-rule="injected-content"] button.finding').first();
    await spam.click();
    assert.equal(await page.locator('pre.source mark').textContent(), '体球网,球探体育比分');
    // one finding for the phrase planted four times: clicking it again shows the next place
    await page.locator('ol.findings li[data-rule="injected-content"] .place', { hasText: '原文第 1/4 处' }).waitFor();
    const first = await page.locator('pre.source').evaluate((el) => el.textContent!.indexOf(el.querySelector('mark')!.textContent!, 0) && el.querySelector('mark')!.previousSibling?.textContent?.length);
    await spam.click();
    await page.locator('ol.findings li[data-rule="injected-content"] .place', { hasText: '原文第 2/4 处' }).waitFor();
    const second = await page.locator('pre.source').evaluate((el) => el.querySelector('mark')!.previousSibling?.textContent?.length);
    assert.ok(second! > first!, `the mark moved on (${first} → ${second})`);
    await shot('review');
  });

  it('审核: picks a candidate for an ambiguous cell of seed 004; the correction is stored and the report re-checked', async () => {
    await page.goto(`${base}/#/review`);
    await page.locator('input[type=file]').setInputFiles(fixture(SEEDS.squashed));
    await page.waitForURL(/#\/review\/\d+$/);
    const cell = page.locator('td[data-key="t2.normative.made"]');
    assert.equal((await cell.textContent())!.trim().replace(/\d+$/, ''), '?');
    await cell.click();
    await page.locator('button[data-candidate="27"]').click();
    await page.locator('td[data-key="t2.normative.made"].corrected').waitFor();
    assert.match((await cell.textContent())!, /^27/);
    assert.match((await page.locator('text=更正记录').locator('xpath=following-sibling::table[1]').textContent())!, /t2\.normative\.made.*27.*local/);
    // the keyboard reaches the cells too; the pick narrowed the run: 7 is no longer offered
    await page.locator('td[data-key="t2.normative.published"]').focus();
    await page.keyboard.press('Enter');
    await page.locator('.cellbox').getByText('t2.normative.published').waitFor();
    assert.equal(await page.locator('.cellbox button[data-candidate="7"]').count(), 0);
  });

  it('审核: the details show beside a cell low in 表三, a whole row is typed in, a finding scrolls to its cells', async () => {
    await page.goto(`${base}/#/review`);
    await page.locator('input[type=file]').setInputFiles(fixture(SEEDS.squashed));
    await page.waitForURL(/#\/review\/\d+$/);
    // a cell low in table 三: its details appear just below it, on screen
    const low = page.locator('td[data-key="t3.rejected.confirm.natural"]');
    await low.scrollIntoViewIfNeeded();
    await low.click();
    const box = page.locator('.cellbox');
    await box.waitFor();
    const [c, b] = [await low.boundingBox(), await box.boundingBox()];
    assert.ok(c && b && b.y >= c.y + c.height - 2 && b.y - (c.y + c.height) < 40, `details at ${b?.y}, the cell ends at ${c ? c.y + c.height : '?'}`);
    const viewport = page.viewportSize()!;
    assert.ok(b!.y >= 0 && b!.y < viewport.height, 'the details are on screen');
    // how a cell was read, in Chinese on the Chinese page
    await page.locator('td[data-key="t3.new.total"]').click();
    await page.locator('.cellbox').getByText('从连在一起的“100001”中拆出').waitFor();
    // 本年新收 printed as 100001: typed in from the source, row by row
    await page.locator('td[data-key="t3.new.natural"]').click();
    await page.locator('.cellbox').getByRole('button', { name: '整行填写' }).click();
    const values: Record<string, string> = { natural: '1', commercial: '0', research: '0', social: '0', legal: '0', other_org: '', total: '1' };
    for (const [col, v] of Object.entries(values)) await page.locator(`input[data-row-key="t3.new.${col}"]`).fill(v);
    await page.locator('.cellbox').getByRole('button', { name: '保存整行' }).click();
    await page.locator('td[data-key="t3.new.natural"].corrected').waitFor();
    assert.match((await page.locator('td[data-key="t3.new.commercial"]').textContent())!, /^0/);
    await page.locator('td[data-key="t3.new.natural"]').click();
    await page.locator('.cellbox').getByText(/由 local 于 .* 更正（原为 存疑：/).waitFor();
    // a finding low on the page: clicking it brings its cells into view
    await page.locator('td[data-key="t2.regulations.made"]').scrollIntoViewIfNeeded();
    const last = page.locator('ol.findings li button.finding').last();
    await last.scrollIntoViewIfNeeded();
    const rule = await last.locator('code').textContent();
    await last.click();
    await page.waitForFunction(() => {
      const td = document.querySelector('table.official td.active');
      if (!td) return true; // a finding of the text, not of a cell
      const r = td.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });
    assert.ok(rule);
  });

  it('总览: filters the dashboard by region; the list links to the review page', async () => {
    await page.goto(`${base}/#/dashboard`);
    await page.getByTestId('report-count').waitFor();
    const all = Number(/(\d+)/.exec((await page.getByTestId('report-count').textContent())!)![1]);
    assert.ok(all >= 60);
    // the map: every province drawn from the bundled boundaries, those with reports coloured
    await page.waitForFunction(() => document.querySelectorAll('.map-card svg path').length > 30);
    await page.locator('.map-card button', { hasText: '市' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.map-card svg path').length > 300);
    await page.locator('form.filters input[name=region]').fill('鞍山市');
    await page.locator('form.filters button[type=submit]').click();
    await page.waitForURL(/region=/);
    await page.waitForFunction(() => /：1 份/.test(document.querySelector('[data-testid=report-count]')?.textContent ?? ''));
    // the count and the list come from two requests: wait for the list's own answer, not the count's
    await page.waitForFunction(() => document.querySelectorAll('table.reports tbody tr').length === 1);
    assert.equal(await page.locator('table.reports tbody tr').count(), 1);
    // the export is the selection shown: one report, prepared visibly, saved under the server's name
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').first().click()]);
    assert.match(download.suggestedFilename(), /^gongkai-\d{4}-\d{2}-\d{2}\.csv$/);
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    assert.equal(csv.length, 2, 'the header and the one report of the filtered view');
    await page.locator('table.reports tbody tr a').click();
    await page.waitForURL(/#\/review\/\d+$/);
    await page.goto(`${base}/#/dashboard`);
    await page.locator('.chart svg').first().waitFor();
    await page.waitForTimeout(300);
    await shot('dashboard');
  });

  it('对比: finds a body and shows its years', async () => {
    await page.goto(`${base}/#/compare`);
    await page.locator('form.search input').first().fill('鞍山');
    await page.locator('form.search button[type=submit]').first().click();
    await page.locator('ul.hits button').first().click();
    await page.locator('table.trend').waitFor();
    await page.locator('form.inline input[name=region]').last().fill('');
    await page.locator('form.inline button[type=submit]').last().click();
    await page.locator('table.coverage').waitFor();
    await shot('compare');
  });

  it('编写: a broken total shows a live error and blocks export; fixed, the DOCX reads back to the same cells', async () => {
    await page.goto(`${base}/#/author`);
    await page.evaluate(() => localStorage.removeItem('gongkai.draft'));
    await page.reload();
    await page.getByRole('textbox', { name: '机关名称', exact: true }).fill('某某市民政局');
    await page.getByRole('textbox', { name: '地区', exact: true }).fill('某某市');
    await page.getByRole('spinbutton', { name: '年度' }).fill('2024');
    const typed: Record<string, string> = {
      't3.new.natural': '5', 't3.new.total': '6', 't3.granted.natural': '4', 't3.granted.total': '4',
      't3.results_total.natural': '4', 't3.results_total.total': '4', 't3.carry_next.natural': '1', 't3.carry_next.total': '1',
    };
    for (const [k, v] of Object.entries(typed)) await page.locator(`input[data-key="${k}"]`).fill(v);
    await page.locator('ol.findings li[data-rule="t3-column-total"]').waitFor();
    assert.match((await page.getByTestId('check-summary').textContent())!, /错误/);
    assert.equal(await page.getByRole('button', { name: '导出 Word (DOCX)' }).isDisabled(), true);
    // the computed total is shown beside the typed one
    assert.equal((await page.locator('input[data-key="t3.new.total"] + small.computed').textContent())!.trim(), '=5');
    // a row pasted from a spreadsheet fills the row from the cell it lands in
    await page.locator('input[data-key="t4.review.upheld"]').focus();
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.setData('text/plain', '1\t0\t0\t0\t1\r\n');
      document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    assert.equal(await page.locator('input[data-key="t4.review.total"]').inputValue(), '1');
    await page.locator('input[data-key="t3.new.total"]').fill('5');
    await page.waitForFunction(() => !document.querySelector('ol.findings li[data-rule="t3-column-total"]'));
    assert.equal(await page.getByRole('button', { name: '导出 Word (DOCX)' }).isDisabled(), false);
    await shot('author');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Word (DOCX)' }).click()]);
    const saved = join(dir, 'authored.docx');
    await download.saveAs(saved);
    const back = parse(new Uint8Array(readFileSync(saved)), { name: 'authored.docx' });
    assert.equal(back.meta.agency, '某某市民政局');
    assert.equal(back.meta.year, 2024);
    const want = { ...typed, 't3.new.total': '5', 't4.review.upheld': '1', 't4.review.corrected': '0', 't4.review.other': '0', 't4.review.pending': '0', 't4.review.total': '1' };
    for (const [k, v] of Object.entries(want)) assert.equal(back.cells[k]?.value, v, k);
  });

  it('批量: ingests several files and lists the one that failed', async () => {
    await page.goto(`${base}/#/ingest`);
    const file = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/octet-stream', buffer });
    await page.locator('input[type=file]').setInputFiles([
      file('seed000.txt', readFileSync(fixture(SEEDS.pipes))), file('seed001.txt', readFileSync(fixture(SEEDS.tabs))), file('notes.txt', Buffer.from('随手记下的几句话，不是年报。')),
    ]);
    await page.getByRole('button', { name: '上传并入库' }).click();
    await page.getByTestId('ingest-summary').waitFor({ timeout: 60_000 });
    assert.match((await page.getByTestId('ingest-summary').textContent())!, /新增 2 份/);
    assert.match((await page.locator('table.failures').textContent())!, /notes\.txt/);
    await shot('ingest');
  });
});
