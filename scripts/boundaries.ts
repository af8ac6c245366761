/**
 * Writes the dashboard map's boundary files, `web/public/map/provinces.json` and
 * `web/public/map/cities.json`, from the npm package `china-geojson` 1.0.0 (antvis, MIT): the
 * provinces of China and the cities (地级) of each province, as GeoJSON.
 *
 * The package is fetched with `npm pack` at the pinned version and checked against its pinned
 * integrity; nothing of it is installed. Each feature is given the gazetteer's code of its
 * division (`properties.code`, 6 digits) and name: by its own code where the gazetteer has the
 * same place under it, else by its name or a former name in the same province (哈密地区 became
 * 哈密市 under a new code). Coordinates are rounded to 0.01° (about 1 km), which is more than a
 * national map shows. The four municipalities are one shape each on the city map, as they are
 * on the province map. Run `node scripts/boundaries.ts` to remake the files.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gazetteer, stemOf, type Division } from '../src/schema/divisions.ts';

const PACKAGE = { name: 'china-geojson', version: '1.0.0', integrity: 'sha512-WclJXmqad7RJwEnQKivYgBC43eevZ+vHUzC1g6aGectHdVunPt3RYsYM5z33coGerpXBurkDNvrhNLc91OMoww==' };

interface Feature { type: 'Feature'; id?: string; properties: Record<string, unknown>; geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown } }
interface Collection { type: 'FeatureCollection'; features: Feature[] }

const work = mkdtempSync(join(tmpdir(), 'boundaries-'));
const tgz = execFileSync('npm', ['pack', `${PACKAGE.name}@${PACKAGE.version}`, '--silent'], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop()!;
const integrity = `sha512-${createHash('sha512').update(readFileSync(join(work, tgz))).digest('base64')}`;
if (integrity !== PACKAGE.integrity) throw new Error(`${PACKAGE.name}: integrity ${integrity} is not the pinned ${PACKAGE.integrity}`);
execFileSync('tar', ['xzf', tgz], { cwd: work });
const dir = join(work, 'package/src/geojson');
const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Collection;

const round = (c: unknown): unknown => {
  if (typeof c === 'number') return Math.round(c * 100) / 100;
  const a = (c as unknown[]).map(round);
  // a ring: points that rounding made equal are dropped (a ring keeps at least 4)
  if (Array.isArray(a[0]) && typeof (a[0] as unknown[])[0] === 'number') {
    const out = a.filter((p, i) => i === 0 || JSON.stringify(p) !== JSON.stringify(a[i - 1]));
    return out.length >= 4 ? out : a;
  }
  return a;
};

const g = gazetteer();
const unmatched: string[] = [];
/** The gazetteer's division for a feature: its code if the gazetteer has the same place there, else its name in the province. */
function place(code: string, name: string, level: 'province' | 'city' | 'county'): Division | null {
  const byCode = g.get(code);
  if (byCode && (stemOf(byCode.name) === stemOf(name) || byCode.former.includes(name))) return byCode;
  const province = code.slice(0, 2);
  const named = [...g.named(name), ...g.stemmed(stemOf(name))].filter((d) => d.code.startsWith(province) && d.level !== 'township');
  const same = [...new Set(named)].filter((d) => d.level === level || level === 'county');
  if (same.length === 1) return same[0]!;
  unmatched.push(`${code} ${name}`);
  return null;
}

const feature = (f: Feature, d: Division | null, name: string): Feature => ({
  type: 'Feature', properties: { code: d?.code ?? '', name: d?.name ?? name }, geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) } as Feature['geometry'],
});

const china = read('china.json');
const provinces: Feature[] = china.features.map((f) => {
  const id = String(f.properties.id ?? '');
  const d = id ? place(`${id}0000`, g.get(`${id}0000`)?.name ?? String(f.properties.name), 'province') : null;
  return feature(f, d, String(f.properties.name));
});

const MUNICIPALITIES = ['11', '12', '31', '50'];
const cities: Feature[] = provinces.filter((f) => MUNICIPALITIES.includes(String(f.properties.code).slice(0, 2)));
for (const file of readdirSync(dir).filter((f) => f.endsWith('_geo.json')).sort()) {
  const c = read(file);
  for (const f of c.features) {
    const id = String(f.id ?? '');
    if (!/^\d{4}(?:\d{2})?$/.test(id) || MUNICIPALITIES.includes(id.slice(0, 2))) continue;
    const name = String(f.properties.name);
    cities.push(feature(f, place(id.length === 4 ? `${id}00` : id, name, id.length === 4 ? 'city' : 'county'), name));
  }
}

const out = new URL('../web/public/map/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const source = `${PACKAGE.name}@${PACKAGE.version} (MIT), coordinates rounded to 0.01°, codes from the gazetteer`;
const write = (name: string, features: Feature[]) => writeFileSync(join(out, name), JSON.stringify({ type: 'FeatureCollection', source, features }));
write('provinces.json', provinces);
write('cities.json', cities);
rmSync(work, { recursive: true, force: true });
console.log(`${out}: ${provinces.length} provinces, ${cities.length} cities; not matched to a division: ${unmatched.join('、') || 'none'}`);
