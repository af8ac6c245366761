/** The command as a user runs it: exit codes, one-line errors, --out, standard input. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { expected, fixture, SEEDS } from './helpers.ts';
import { tempDir } from './tmp.ts';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const gongkai = (args: string[], input?: Buffer) => spawnSync(process.execPath, [MAIN, ...args], { input, encoding: 'utf8' });

describe('gongkai parse', () => {
  it('writes cells v1 and exits 0', () => {
    const r = gongkai(['parse', '--format', 'cells', fixture(SEEDS.tabs)]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, readFileSync(expected(SEEDS.tabs.replace('.txt', '.cells')), 'utf8'));
  });
  it('reads standard input with -', () => {
    const r = gongkai(['parse', '-f', 'cells', '-'], readFileSync(fixture(SEEDS.pipes)));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^# cells v1\nmeta\.edition\t2019\n/);
  });
  it('writes JSON by default', () => {
    const r = gongkai(['parse', fixture(SEEDS.cellPerLine)]);
    const report = JSON.parse(r.stdout);
    assert.equal(report.schema, 'gongkai/report@1');
    assert.equal(report.cells['t4.review.total'].value, '7');
  });
  it('goes on past a bad file, names it with its reason, and exits 1', () => {
    const dir = tempDir('gongkai-');
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const r = gongkai(['parse', '-f', 'cells', empty, join(dir, 'missing.txt'), fixture(SEEDS.tabs)]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `gongkai: ${empty}: empty file\ngongkai: ${join(dir, 'missing.txt')}: no such file\n`);
    assert.match(r.stdout, /==> .*seed001.* <==\n# cells v1/);
    assert.ok(!/at .*\.ts:\d+/.test(r.stderr), 'no stack trace');
  });
  it('--out writes one file per input named after it', () => {
    const dir = tempDir('gongkai-');
    const r = gongkai(['parse', '-f', 'cells', '--out', dir, fixture(SEEDS.tabs), fixture(SEEDS.pipes)]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(dir).sort(), [SEEDS.pipes, SEEDS.tabs].map((n) => n.replace('.txt', '.cells')).sort());
  });
  it('text format lays out the tables and lists ambiguous cells', () => {
    const r = gongkai(['parse', '-f', 'text', fixture(SEEDS.squashed)]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /表三 收到和处理政府信息公开申请情况 \(2019\)/);
    assert.match(r.stdout, /t2\.normative\.made {2}27:8 {2}“272720” → 2 \| 27 \|/);
  });
  it('text format lays table 三 out as the template does: group headings over their items', () => {
    const r = gongkai(['parse', '-f', 'text', fixture(SEEDS.tabs)]);
    assert.equal(r.status, 0, r.stderr);
    const t3 = r.stdout.slice(r.stdout.indexOf('表三'), r.stdout.indexOf('表四'));
    const labels = t3.split('\n').slice(3).map((l) => l.match(/^ {2}( *\S.*?)(?: {2,}\S|$)/)?.[1]).filter((l): l is string => !!l);
    const from = labels.indexOf('  （二）部分公开');
    assert.deepEqual(labels.slice(from - 2, from + 3), ['三、本年度办理结果', '  （一）予以公开', '  （二）部分公开', '  （三）不予公开', '    1.属于国家秘密']);
    for (const heading of ['  （四）无法提供', '  （五）不予处理', '  （六）其他处理']) assert.ok(labels.includes(heading), heading);
    assert.equal(labels[labels.indexOf('  （五）不予处理') + 1], '    1.信访举报投诉类申请', 'items indented under their heading');
    assert.match(r.stdout, /\n {2}一、本年新收政府信息公开申请数量 +1 /);
  });
  it('usage errors exit 2', () => {
    assert.equal(gongkai(['parse']).status, 2);
    assert.equal(gongkai(['parse', '--format', 'xml', 'x']).status, 2);
    assert.equal(gongkai(['frobnicate']).status, 2);
    assert.equal(gongkai(['parse', '--bogus', 'x']).status, 2);
  });
  it('every command has --help with examples', () => {
    const r = gongkai(['parse', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Examples:/);
  });

  it('`gongkai --help` loads no command: the entry point imports only the errors module, the commands when they run', async () => {
    const { readFileSync } = await import('node:fs');
    const main = readFileSync(new URL('../src/cli/main.ts', import.meta.url), 'utf8');
    const statics = [...main.matchAll(/^import [^;]*? from '([^']+)';/gm)].map((m) => m[1]);
    assert.deepEqual(statics, ['node:util', './errors.ts']);
    const errors = readFileSync(new URL('../src/cli/errors.ts', import.meta.url), 'utf8');
    assert.deepEqual([...errors.matchAll(/^import [^;]*? from '([^']+)';/gm)].map((m) => m[1]), ['../store/errors.ts']);
    const help = gongkai(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Commands:/);
  });
});

describe('gongkai check', () => {
  it('exits 1 on an error-level finding and prints eslint-style text', () => {
    const r = gongkai(['check', fixture(SEEDS.blankLines)]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /\n {2}507:1 +error +表三（七）总计与各项办理结果之和不符：“自然人”列 印出 1，应为 0；.*（共 3 处）.* {2}t3-results-total\n/);
    assert.match(r.stdout, /✖ \d+ problems \(\d+ errors, \d+ warnings?, 0 info\)/);
  });
  it('exits 0 when only warnings remain', () => {
    assert.equal(gongkai(['check', fixture(SEEDS.pipes)]).status, 0);
  });
  it('--rule switches a rule off or re-grades it', () => {
    const off = gongkai(['check', '--rule', 'injected-content=off', '--rule', 't3-balance=off', '--rule', 't3-results-total=warning', fixture(SEEDS.blankLines)]);
    assert.equal(off.status, 0, off.stdout);
    assert.ok(!off.stdout.includes('injected-content'));
    assert.match(off.stdout, /warning +表三（七）总计与各项办理结果之和不符：“自然人”列/);
    assert.equal(gongkai(['check', '--rule', 'no-such-rule=off', fixture(SEEDS.pipes)]).status, 2);
  });
  it('reads gongkai.config.json', () => {
    const dir = tempDir('gongkai-');
    const cfg = join(dir, 'gongkai.config.json');
    writeFileSync(cfg, JSON.stringify({ rules: { 'non-government-link': 'error' } }));
    const r = gongkai(['check', '--config', cfg, fixture(SEEDS.pipes)]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /error +网址 http:\/\/mzj\.zwornz\.com\//);
  });
  it('writes JSON and SARIF 2.1.0 with rule metadata and positions', () => {
    const json = JSON.parse(gongkai(['check', '-f', 'json', fixture(SEEDS.pipes)]).stdout);
    assert.equal(json[0].findings[0].ruleId, 'non-government-link');
    const sarif = JSON.parse(gongkai(['check', '-f', 'sarif', fixture(SEEDS.blankLines)]).stdout);
    assert.equal(sarif.version, '2.1.0');
    const result = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 't3-results-total');
    assert.equal(result.level, 'error');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 507);
    assert.equal(result.properties.places.length, 6, 'each column of both identities the （七）总计 cells break');
    assert.ok(result.relatedLocations.length > 0);
    assert.ok(sarif.runs[0].tool.driver.rules.some((x: { id: string }) => x.id === 'late-publication'));
  });
  it('--lang en gives English messages', () => {
    assert.match(gongkai(['check', '--lang', 'en', fixture(SEEDS.pipes)]).stdout, /is not under a government domain/);
  });
});

describe('gongkai rules', () => {
  it('lists every rule and prints one rule’s doc', () => {
    const list = gongkai(['rules']);
    assert.equal(list.status, 0);
    assert.match(list.stdout, /^t3-column-total +error/m);
    const doc = gongkai(['rules', 'late-publication']);
    assert.match(doc.stdout, /条例 第四十九条/);
    assert.equal(gongkai(['rules', 'nope']).status, 2);
  });
});

describe('native formats on the command line', () => {
  it('parse reads DOCX, DOC, XLSX, XLS, HTML and PDF, whatever the file is named', () => {
    const dir = tempDir('gongkai-');
    // a DOCX saved as .doc and a PDF saved as .html: the bytes decide
    writeFileSync(join(dir, 'report.doc'), readFileSync(fixture('native/seed000-shangqiu-mzj-2020.docx')));
    writeFileSync(join(dir, 'report.html'), readFileSync(fixture('native/seed000-shangqiu-mzj-2020.pdf')));
    // WPS names its spreadsheets .et: inside, it is an Excel binary
    writeFileSync(join(dir, 'report.et'), readFileSync(fixture('native/seed000-shangqiu-mzj-2020.xls')));
    const want = readFileSync(expected(SEEDS.pipes.replace('.txt', '.cells')), 'utf8');
    for (const f of [join(dir, 'report.doc'), join(dir, 'report.html'), join(dir, 'report.et'), fixture('native/seed000-shangqiu-mzj-2020.doc'), fixture('native/seed000-shangqiu-mzj-2020.xlsx'), fixture('native/seed000-shangqiu-mzj-2020.html')]) {
      const r = gongkai(['parse', '-f', 'cells', f]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, want, f);
    }
  });
  it('check goes on past a scan and a broken file, naming each', () => {
    const dir = tempDir('gongkai-');
    const broken = join(dir, 'broken.docx');
    writeFileSync(broken, readFileSync(fixture('native/seed003-shuangyashan-swj-2020.docx')).subarray(0, 900));
    const r = gongkai(['check', '--format', 'json', broken, fixture('corpus/hongze-district-gov-2023.pdf')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /broken\.docx: not a readable ZIP container/);
    const results = JSON.parse(r.stdout);
    assert.equal(results.length, 1);
    assert.deepEqual(results[0].findings.map((f: { ruleId: string }) => f.ruleId), ['t4-total']);
    assert.equal(results[0].findings[0].instances.length, 2, 'one finding, both groups in it');
  });
});

describe('an old Node', () => {
  const tooOld = (version: string, arg = 'stats') => spawnSync(process.execPath, ['--input-type=module', '-e',
    `Object.defineProperty(process.versions, 'node', { value: '${version}' }); await import(${JSON.stringify(new URL('../src/cli/main.ts', import.meta.url).href)});`,
    arg], { encoding: 'utf8' });
  it('gets one line saying which Node gongkai needs and how to get it, exit 78', () => {
    const r = tooOld('20.20.2');
    assert.equal(r.status, 78);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^gongkai: needs Node ≥ 22\.13 \(found 20\.20\.2\); 需要 Node 22\.13 以上版本。.*npx gongkai.*Node 24 LTS.*\n$/);
    assert.ok(!r.stderr.includes('sqlite'), 'before any module that needs the newer Node');
  });
  it('22.12 lacks node:sqlite unflagged too; 22.13 runs', () => {
    assert.equal(tooOld('22.12.0').status, 78);
    const ok = tooOld('22.13.0', '--version');
    assert.equal(ok.status, 0, ok.stderr);
  });
});
