/**
 * What people open, opened the way they open it: the XLSX export and the DOCX of a report,
 * converted to PDF by LibreOffice (Debian's libreoffice-calc and -writer; the same files go to
 * Excel and WPS), and the page text checked — body names, dates and rule lists whole, dates shown
 * as dates, table 三's labels each on one line at the official template's column widths.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { parse } from '../src/index.ts';
import { reportDocx } from '../src/render/docx.ts';
import { dateSerial, reportXlsx } from '../src/render/xlsx.ts';
import { readFixture, SEEDS } from './helpers.ts';
import { tempDir } from './tmp.ts';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const SOFFICE = '/usr/bin/soffice';
const PDFTOTEXT = '/usr/bin/pdftotext';
const skip = !existsSync(SOFFICE) ? 'LibreOffice is not installed (.ci/run installs Debian\'s libreoffice-calc and libreoffice-writer)'
  : !existsSync(PDFTOTEXT) ? 'poppler-utils is not installed' : false;

/** LibreOffice's PDF of a file, as page text (pdftotext -layout). Its own profile: no clash with a desktop session. */
function pageText(file: string): string {
  const dir = join(file, '..');
  execFileSync(SOFFICE, [`-env:UserInstallation=${pathToFileURL(join(dir, 'lo-profile')).href}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], { stdio: 'ignore', timeout: 120_000 });
  return execFileSync(PDFTOTEXT, ['-layout', file.replace(/\.\w+$/, '.pdf'), '-'], { encoding: 'utf8' });
}

const gongkai = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  return r;
};

describe('the XLSX export, as a spreadsheet shows it', () => {
  it('writes dates as date serials with a yyyy-mm-dd format, and sizes columns to their content', async () => {
    assert.equal(dateSerial('2021-01-28'), 44224);
    assert.equal(dateSerial('2021-02-30'), null);
    const dir = tempDir('gongkai-office-');
    gongkai(['synth', '--count', '6', '--seed', '3', '--out', 'corpus'], dir);
    gongkai(['ingest', '--db', 'g.db', 'corpus'], dir);
    gongkai(['export', '--db', 'g.db', '--format', 'xlsx', '--out', 'export.xlsx'], dir);
    const zip = unzipSync(readFileSync(join(dir, 'export.xlsx')));
    const sheet = strFromU8(zip['xl/worksheets/sheet1.xml']!);
    assert.match(sheet, /<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"\/>/, 'the two header rows frozen');
    assert.match(sheet, /<c r="F3" s="1"><v>\d{5}<\/v><\/c>/, 'the publication date is a date serial in the date style');
    const widths = [...sheet.matchAll(/<col min="(\d+)" max="\d+" width="(\d+)"/g)].map((m) => Number(m[2]));
    assert.ok(widths[0]! >= 22, `the body column fits a body name (${widths[0]})`);
    assert.match(strFromU8(zip['xl/styles.xml']!), /formatCode="yyyy\\-mm\\-dd"/);
  });

  it('opens in LibreOffice with body names, dates and rule lists whole', { skip }, () => {
    const dir = tempDir('gongkai-office-');
    gongkai(['synth', '--count', '6', '--seed', '3', '--out', 'corpus'], dir);
    gongkai(['ingest', '--db', 'g.db', 'corpus'], dir);
    gongkai(['export', '--db', 'g.db', '--format', 'xlsx', '--out', 'export.xlsx'], dir);
    const csv = gongkai(['export', '--db', 'g.db', '--format', 'json'], dir).stdout.trim().split('\n').map((l) => JSON.parse(l) as { agency: string; published_on: string | null; rules: string });
    const text = pageText(join(dir, 'export.xlsx'));
    assert.ok(!text.includes('###'), 'no number or date too wide for its column');
    for (const r of csv) {
      assert.ok(text.includes(r.agency), `body name whole: ${r.agency}`);
      if (r.published_on) assert.ok(text.includes(r.published_on), `date whole and shown as yyyy-mm-dd: ${r.published_on}`);
      if (r.rules) assert.ok(text.includes(r.rules), `rule list whole: ${r.rules}`);
    }
    assert.ok(csv.some((r) => r.rules.includes(',')), 'the sample has rule lists');
  });

  it('a report\'s own workbook keeps the template\'s labels whole', { skip }, () => {
    const dir = tempDir('gongkai-office-');
    writeFileSync(join(dir, 'report.xlsx'), reportXlsx(parse(readFixture(SEEDS.tabs), { name: SEEDS.tabs })));
    const text = pageText(join(dir, 'report.xlsx'));
    for (const label of ['行政规范性文件', '一、本年新收政府信息公开申请数量', '1.属于国家秘密', '4.无正当理由大量反复申请']) assert.ok(text.includes(label), label);
  });
});

describe('the DOCX of a report, as Word shows it', () => {
  it('has the official template\'s column widths: each label of table 三 on one line', { skip }, () => {
    const dir = tempDir('gongkai-office-');
    const report = parse(readFixture(SEEDS.tabs), { name: SEEDS.tabs });
    writeFileSync(join(dir, 'report.docx'), reportDocx(report));
    const lines = pageText(join(dir, 'report.docx')).split('\n');
    const line = (label: string) => lines.find((l) => l.includes(label));
    for (const label of ['1.属于国家秘密', '2.其他法律行政法规禁止公开', '3.危及“三安全一稳定”', '1.本机关不掌握相关政府信息', '2.没有现成信息需要另行制作', '3.补正后申请内容仍不明确', '4.无正当理由大量反复申请']) {
      const l = line(label);
      assert.ok(l, `${label} on one line`);
      // the label and its row's seven numbers on the same line
      assert.match(l!, new RegExp(`${label.replace(/[.“”]/g, '.')}(?:\\s+\\d+){7}\\s*$`), l);
    }
  });
});
