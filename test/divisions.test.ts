/**
 * Bodies in their places, in the store, on both engines: two printings of one district are one
 * body; a region selects everything under it by the real tree; coverage against the gazetteer
 * lists exactly the divisions without a report; a reviewer's assignment moves a report and its
 * numbers; an account's region is the division, not a prefix of a printed name.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { check } from '../src/check/engine.ts';
import { runCorpusRules } from '../src/corpus/rules.ts';
import { gazetteer } from '../src/schema/divisions.ts';
import { addUser, inScope } from '../src/serve/auth.ts';
import { searchBodies } from '../src/serve/compare.ts';
import { divisionCoverage, rollUp, totals } from '../src/store/query.ts';
import type { Store } from '../src/store/store.ts';
import { synthesize } from '../src/synth/generate.ts';
import { PLACES } from '../src/synth/lists.ts';
import type { Report } from '../src/types.ts';
import { parseFixtureAsync } from './helpers.ts';
import { ENGINES } from './store-helpers.ts';

const put = (store: Store, r: Report, hash: string) => store.write({ path: `${hash}.txt`, hash, bytes: 1, format: 'text', report: r, findings: check(r) });

for (const engine of ENGINES) {
  describe(`divisions in the store on ${engine.name}`, () => {
    const open: Store[] = [];
    const fresh = async () => { const s = await engine.open(); open.push(s); return s; };
    after(async () => { for (const s of open) await s.close(); });

    it('洪泽区人民政府 (2023) and 淮安市洪泽区人民政府 (2024) are one body, stored under 江苏省淮安市洪泽区', async () => {
      const store = await fresh();
      const [a, b] = await Promise.all(['corpus/hongze-district-gov-2023.pdf', 'corpus/hongze-district-gov-2024.pdf'].map((f) => parseFixtureAsync(f)));
      await put(store, a!, 'hz23');
      await put(store, b!, 'hz24');
      const rows = await store.db.selectFrom('reports').select(['agency_key', 'region', 'division', 'year']).orderBy('year').execute();
      assert.deepEqual(rows.map((r) => [r.region, r.division, r.year]), [['江苏省淮安市洪泽区', '320813', 2023], ['江苏省淮安市洪泽区', '320813', 2024]]);
      assert.equal(rows[0]!.agency_key, rows[1]!.agency_key);
      // 淮安市, its code, or its full name: the same selection, with both years
      for (const region of ['淮安市', '320800', '江苏省淮安市', '洪泽区']) {
        const [t] = await totals(store, [], { region });
        assert.equal(t?.reports, 2, region);
      }
      assert.deepEqual(await totals(store, [], { region: '宿迁市' }), []);
    });

    it('the cross-year rules compare the two printings: a 2024 上年结转 that the 2023 结转下年度 does not carry is found', async () => {
      const store = await fresh();
      const [a, b] = await Promise.all(['corpus/hongze-district-gov-2023.pdf', 'corpus/hongze-district-gov-2024.pdf'].map((f) => parseFixtureAsync(f)));
      b!.cells['t3.carried.natural'] = { ...b!.cells['t3.carried.natural']!, value: '3', shown: 'number' };
      await put(store, a!, 'hz23');
      const id = (await put(store, b!, 'hz24')).reportId!;
      await runCorpusRules(store, [id]);
      const found = await store.db.selectFrom('findings').select(['rule_id', 'message']).where('report_id', '=', id).where('scope', '=', 'corpus').execute();
      assert.deepEqual(found.map((f) => f.rule_id), ['carry-over']);
      assert.match(found[0]!.message, /上年结转（自然人）为 3，2023 年报告结转下年度继续办理为 0/);
    });

    it('coverage against the gazetteer lists exactly the divisions of a city without a government report', async () => {
      const store = await fresh();
      const synth = synthesize({ count: 600, seed: 1, defectRate: 0 });
      for (const [i, s] of synth.entries()) await put(store, s.report, `s${i}`);
      const g = gazetteer();
      const city = PLACES.find((p) => p.city === '赣州市')!;
      const code = (name: string) => g.children('360700').find((d) => d.name === name)!.code;
      let both = 0;
      for (const year of [2019, 2020, 2021, 2022, 2023, 2024]) {
        // the truth from the generator's own bodies: the county governments it wrote for the year
        const wrote = new Set(synth.map((s) => s.report.meta).filter((m) => m.year === year && m.bodyKind === 'government' && m.level === 'county' && m.agency!.startsWith('赣州市'))
          .map((m) => code(city.counties.find((c) => m.agency === `赣州市${c}人民政府`)!)));
        const c = await divisionCoverage(store, '赣州市', [year]);
        assert.equal(c.region.name, '江西省赣州市');
        assert.equal(c.divisions.length, g.children('360700').length);
        const without = c.divisions.filter((d) => !d.years[year]).map((d) => d.code);
        assert.deepEqual(without, g.children('360700').map((d) => d.code).filter((x) => !wrote.has(x)), `year ${year}`);
        if (wrote.size > 0 && without.length > 0) both++;
      }
      assert.ok(both > 0, 'the sample has years with counties of both kinds');
      await assert.rejects(divisionCoverage(store, '鼓楼区', []), /names 4 divisions/);
    });

    it('body search puts the names that match first: 民政 finds the 民政局s, not every 人民政府; a scope is a division', async () => {
      const store = await fresh();
      for (const [i, s] of synthesize({ count: 300, seed: 3, defectRate: 0 }).entries()) await put(store, s.report, `b${i}`);
      const found = await searchBodies(store, '民政', '');
      assert.ok(found.length > 0);
      assert.ok(found.every((b) => b.agency!.includes('民政局')), found.map((b) => b.agency).join(' '));
      const levels = found.map((b) => ['province', 'city', 'county', 'township'].indexOf(b.level!));
      assert.deepEqual(levels, [...levels].sort((a, b) => a - b), 'a city\'s before a county\'s');
      // scoped to a city by its short name: only the bodies under it, stored under its full name
      const some = await store.db.selectFrom('reports').select('division').where('level', '=', 'county').where('division', 'is not', null).executeTakeFirstOrThrow();
      const city = gazetteer().get(`${some.division!.slice(0, 4)}00`)!;
      const scoped = await searchBodies(store, '人民政府', city.name);
      assert.ok(scoped.length > 0 && scoped.every((b) => b.region!.startsWith(gazetteer().fullName(city))), city.name);
    });

    it('an account\'s region is kept as its division\'s full name; a name of several divisions is refused', async () => {
      const store = await fresh();
      await addUser(store, { name: 'huai', role: 'reviewer', region: '淮安市' }, 'huai-password-1');
      await addUser(store, { name: 'hz', role: 'reviewer', region: '320813' }, 'hz-password-12');
      const rows = await store.db.selectFrom('users').select(['name', 'region']).orderBy('name').execute();
      assert.deepEqual(rows.map((r) => [r.name, r.region]), [['huai', '江苏省淮安市'], ['hz', '江苏省淮安市洪泽区']]);
      await assert.rejects(addUser(store, { name: 'gl', role: 'reviewer', region: '鼓楼区' }, 'gl-password-123'), /鼓楼区” names 4 divisions .*give the code or the full name/);
      // the scope of an account made before (淮安市 as typed) reads the same
      assert.ok(inScope({ name: 'old', role: 'reviewer', region: '淮安市' }, '江苏省淮安市洪泽区'));
      assert.ok(!inScope({ name: 'old', role: 'reviewer', region: '淮安市' }, '江苏省宿迁市沭阳县'));
    });

    it('a roll-up takes the governments directly under the region by the real tree, and names those without a report', async () => {
      const store = await fresh();
      const [city, district] = await Promise.all(['corpus/huaian-city-gov-2024.pdf', 'corpus/hongze-district-gov-2024.pdf'].map((f) => parseFixtureAsync(f)));
      await put(store, city!, 'ha24');
      await put(store, district!, 'hz24');
      const r = await rollUp(store, '淮安市', 2024);
      assert.equal(r.own?.agency, '淮安市人民政府');
      assert.deepEqual(r.parts.map((p) => p.agency), ['淮安市洪泽区人民政府']);
      assert.deepEqual(r.missing.map((m) => m.name), ['淮安区', '淮阴区', '清江浦区', '涟水县', '盱眙县', '金湖县', '淮安经济技术开发区']);
    });
  });
}
