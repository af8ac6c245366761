/**
 * What placing bodies in the gazetteer costs: the first use (building the index, once a
 * process), then 100,000 bodies resolved from their printed names — the mix a national corpus
 * prints (a county government with and without its city, a city's department, a province's
 * department, a township, a vertical office, a name such as 鼓楼区 that stays open). Timed
 * beside a floor that only normalises each name and looks it up in a Map.
 *
 *   node bench/divisions.bench.ts [BODIES]
 */
import { resolveBody } from '../src/extract/body.ts';
import { gazetteer } from '../src/schema/divisions.ts';
import { interleaved } from './interleave.ts';

const count = Number(process.argv[2] ?? 100_000);
let t = performance.now();
const g = gazetteer();
g.named('城关镇'); // the townships, indexed on the first question that may concern one
const build = performance.now() - t;

const DEPARTMENTS = ['民政局', '人力资源和社会保障局', '财政局', '教育局', '住房和城乡建设局', '市场监督管理局', '卫生健康委员会', '人民政府办公室'];
const counties = [...g.provinces()].flatMap((p) => g.under(p.code, 'county')).filter((d) => !d.zone);
const names: string[] = [];
for (let i = 0; names.length < count; i++) {
  const c = counties[i % counties.length]!;
  const city = c.parent!.level === 'city' ? c.parent!.name : '';
  const province = g.path(c)[0]!.name;
  const town = g.children(c.code)[i % 7]?.name ?? '城关镇';
  const forms = [
    `${city}${c.name}人民政府`, `${c.name}人民政府`, `${city}${DEPARTMENTS[i % DEPARTMENTS.length]}`, `${province}${DEPARTMENTS[i % 4]!.replace('局', '厅')}`,
    `${city}${c.name}${town}人民政府`, `国家税务总局${city}${c.name}税务局`, `${c.name}${DEPARTMENTS[(i + 3) % DEPARTMENTS.length]}`, '鼓楼区人民政府',
  ];
  names.push(forms[i % forms.length]!);
}
const unique = new Set(names).size;
const table = new Map(names.map((n) => [n.normalize('NFKC'), n.length]));

let placed = 0;
let open = 0;
const [floor, resolve] = await interleaved([
  { label: 'floor (NFKC + Map lookup)', pass: () => { let s = 0; for (const n of names) s += table.get(n.normalize('NFKC')) ?? 0; return s; } },
  { label: 'resolveBody', pass: () => { placed = 0; open = 0; for (const n of names) { const b = resolveBody(n); if (b.division) placed++; else if (b.divisionCandidates.length) open++; } } },
], { seconds: 10, minRounds: 3 });

console.log(`gazetteer: ${g.provinces().length} provinces, ${counties.length} counties; first use (index with townships) ${build.toFixed(0)} ms`);
console.log(`${count.toLocaleString('en')} bodies (${unique.toLocaleString('en')} distinct names): ${placed.toLocaleString('en')} placed, ${open.toLocaleString('en')} left open with candidates`);
console.log(`  ${floor!.label}: ${floor!.median.toFixed(0)} ms`);
console.log(`  ${resolve!.label}: ${resolve!.median.toFixed(0)} ms, ${((resolve!.median * 1000) / count).toFixed(1)} µs a body, ${resolve!.ratio.toFixed(1)}× the floor`);
