/**
 * Whose report: the administrative division of the body (its code in the gazetteer), the body's
 * kind, and its level — from the agency the title names, checked against every clue the text
 * gives when the name alone fits several divisions (鼓楼区 is in 南京, 徐州, 福州 and 开封).
 *
 * Never a guess: a name that fits several divisions with nothing in the text to tell them apart
 * stays unresolved with its candidates; a name that is not in the gazetteer but is one slip from
 * exactly one division there (沐阳县 for 沭阳县) is matched and a note says so.
 */
import { nfkc } from '../read/normalize.ts';
import { gazetteer, isUnder, lookalike, stemOf, type Division, type Gazetteer } from '../schema/divisions.ts';
import type { BodyKind, DivisionRef, Level, Meta, Note, Position } from '../types.ts';

/** Offices of the central government's vertical lines, named before the region they serve. */
const VERTICAL = /^(?:国家税务总局|国家金融监督管理总局|中国人民银行|国家统计局|国家外汇管理局|中国银保监会|中国证监会|国家消防救援局)/;

/** Parts of a name that look like divisions but are departments' words (住房和城乡建设局). */
const NOT_DIVISION = /^(?:城市|城区|城乡|社区|街道办|市场|区域|县域|地区|市政|市容|市级)/;
const DEPARTMENT_WORD = /城乡|市场|社会|市政|市容|区域|县域|街道办|管理|服务|发展|建设|保障|资源|监督|综合执法/;
/** The words that end a division's name. */
const DIVISION_WORD = /(?:特别行政区|自治区|自治州|自治县|自治旗|省|市|州|地区|盟|林区|新区|实验区|开发区|示范区|区|县|旗|镇|乡|街道)$/;
const PLACE_CHARS = /^[\u4e00-\u9fa5（）()]+$/;

/**
 * The division name at the start of the rest of a name: the shortest prefix ending in a division
 * word that the gazetteer knows (赣州市, not 赣州), else the shortest that ends in one.
 */
function nextPart(rest: string, g: Gazetteer): string | null {
  let first: string | null = null;
  for (let n = 2; n <= Math.min(rest.length, 16); n++) {
    const p = rest.slice(0, n);
    if (!PLACE_CHARS.test(p)) break;
    if (!DIVISION_WORD.test(p)) continue;
    if (g.isName(p)) return p;
    first ??= p;
  }
  return first;
}

/** The agency's leading division names, in the order printed: 淮安市洪泽区人民政府 → 淮安市, 洪泽区. */
export function regionParts(agency: string, g: Gazetteer = gazetteer()): { parts: string[]; rest: string; vertical: string | null } {
  let rest = agency.replace(/^中共/, '');
  const v = VERTICAL.exec(rest);
  if (v) rest = rest.slice(v[0].length);
  const parts: string[] = [];
  let above: Division[] = [];
  for (let guard = 0; guard < 4; guard++) {
    const part = nextPart(rest, g);
    if (!part) break;
    const named = g.isName(part) ? g.named(part) : [];
    // a department's words (住房和城乡建设局, 城区管理局) are no division — unless the gazetteer has
    // the name where the name before it is (阳泉市城区, 桂林市资源县; 资源县 anywhere)
    if (NOT_DIVISION.test(rest) && !named.some((d) => above.some((a) => d.code !== a.code && isUnder(d.code, a.code)))) break;
    if (DEPARTMENT_WORD.test(part) && !/(?:实验区|开发区|示范区|新区)$/.test(part) && named.length === 0) break;
    parts.push(part);
    above = named;
    rest = rest.slice(part.length);
  }
  return { parts, rest, vertical: v ? v[0] : null };
}

/** A government itself, its general office, or a department — and a township's or street's government. */
export function bodyKindOf(rest: string, township = false): BodyKind | null {
  if (rest === '' || /^(?:人民)?政府$|^(?:管委会|管理委员会|工作委员会|工委)$/.test(rest)) return 'government';
  if (township && /^(?:办事处|街道办事处|人民政府)$/.test(rest)) return 'government';
  if (/^(?:人民)?政府办公(?:室|厅)$|^办公厅$/.test(rest)) return 'office';
  if (/(?:局|委员会|委|办公室|办公厅|办|厅|中心|院|所|队|部|署|会|处|站|馆|社|行|团)$/.test(rest)) return 'department';
  return null;
}

/** The level the last division word names: 镇 a township, 区 or 县 a county, 省 a province. */
export function levelOfWords(parts: string[]): Level {
  const last = parts[parts.length - 1]!;
  if (/(?:镇|乡|街道)$/.test(last)) return 'township';
  if (/(?:区|县|旗)$/.test(last) || (parts.length >= 2 && /市$/.test(last) && !/(?:省|自治区)$/.test(parts[parts.length - 2]!))) return 'county';
  if (/(?:省|自治区|特别行政区)$/.test(last) || /^(?:北京|天津|上海|重庆)市$/.test(last)) return 'province';
  return 'city';
}

type Via = DivisionRef['via'];
interface Match { d: Division; via: Via }

/**
 * One character apart, with the same division word: any character among the few divisions under
 * a known parent (淮安市洪择区), a look-alike anywhere (沐阳县 for 沭阳县; not 汝阳县 or 沐川县).
 */
function oneSlip(a: string, b: string, anyCharacter: boolean): boolean {
  if (a.length !== b.length || a.length < 3) return false;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (at >= 0) return false;
    at = i;
  }
  if (at < 0 || stemOf(a) === a || at >= stemOf(a).length || a.slice(stemOf(a).length) !== b.slice(stemOf(b).length)) return false;
  return anyCharacter || lookalike(a[at]!, b[at]!);
}

/** The divisions a printed part may be, under one of the divisions already matched (if any). */
function matchPart(g: Gazetteer, part: string, under: Division[] | null): Match[] {
  const inside = (d: Division) => under === null || under.some((u) => d.code !== u.code && isUnder(d.code, u.code));
  const exact = g.named(part).filter(inside);
  if (exact.length) return exact.map((d) => ({ d, via: d.name === part ? 'name' : d.former.includes(part) ? 'former' : 'alias' }));
  // the same place under another division word (a county become a district after 2016)
  const stem = stemOf(part);
  if (stem !== part && stem.length >= 2) {
    // of the same tier: a 县 is not read as a 镇 of the same stem (崆峒县: 崆峒区, not 崆峒镇)
    const township = /(?:镇|乡|街道)$/.test(part);
    const same = g.stemmed(stem).filter((d) => inside(d) && (d.level === 'township') === township);
    if (same.length) return same.map((d) => ({ d, via: 'stem' }));
  }
  // one slip of a character (OCR, typing: 沐阳县 for 沭阳县); when several divisions are one slip
  // away, the text's clues must choose
  const pool = under ? under.flatMap((u) => g.children(u.code)) : g.candidatesOfLength(part.length);
  const slips = pool.filter((d) => oneSlip(part, d.name, under !== null)).map((d) => ({ d, via: 'variant' as const }));
  // under a known division, a name several of its divisions are one slip from is none of them
  // (a town merged away, a new one): the body is kept with the division above
  return under !== null && slips.length > 1 ? [] : slips;
}

/**
 * The evidence in the text for each candidate: how often it names the candidate's own city or
 * province — the ones the candidates do not share — together with the printed name (南京市鼓楼区:
 * strong), or alone (南京市, 南京: weak, and only counted from two mentions).
 */
function evidence(g: Gazetteer, candidates: Division[], printed: string, text: string): number[] {
  const count = (needle: string) => {
    let n = 0;
    for (let i = text.indexOf(needle); i >= 0 && n < 50; i = text.indexOf(needle, i + needle.length)) n++;
    return n;
  };
  const paths = candidates.map((d) => g.path(d).slice(0, -1));
  const shared = new Set(paths[0]!.filter((a) => paths.every((p) => p.includes(a))).map((a) => a.code));
  return paths.map((path) => {
    let strong = 0;
    let weak = 0;
    for (const a of path) {
      if (shared.has(a.code)) continue;
      for (const name of [a.name, ...a.former]) {
        strong += count(name + printed);
        const stem = stemOf(name);
        weak += count(name) + (stem !== name && stem.length >= 2 ? count(stem) - count(name) : 0);
      }
    }
    return strong > 0 ? 1000 + strong : weak >= 2 ? weak : 0;
  });
}

export interface BodyReading {
  /** The agency's division names as printed (淮安市洪泽区), or null. */
  region: string | null;
  division: DivisionRef | null;
  divisionCandidates: Meta['divisionCandidates'];
  level: Level | null;
  bodyKind: BodyKind | null;
  notes: Note[];
}

/** Resolve the body of a report whose agency is printed as `agency`; `clues` is the report's text (its first 30,000 characters are read). */
export function resolveBody(agency: string | null, clues = '', at: Position | null = null, g: Gazetteer = gazetteer()): BodyReading {
  const none: BodyReading = { region: null, division: null, divisionCandidates: [], level: null, bodyKind: null, notes: [] };
  if (!agency) return none;
  const { parts, rest, vertical } = regionParts(agency, g);
  if (parts.length === 0) {
    const national = /^(?:国务院|国家|中华人民共和国|中国)/.test(agency) || vertical !== null;
    return { ...none, level: national ? 'national' : null, bodyKind: bodyKindOf(rest) };
  }
  const printedLevel = levelOfWords(parts);
  const region = parts.join('');
  const bodyKind = bodyKindOf(rest, printedLevel === 'township');
  // walk the printed parts down the tree; a part the gazetteer does not know ends the walk, and
  // the body is kept with the division above it
  let matches: Match[] | null = null;
  let printed = '';
  let unknown: string | null = null;
  for (const part of parts) {
    const next: Match[] = matchPart(g, part, matches ? matches.map((m) => m.d) : null);
    if (next.length === 0) { unknown = part; break; }
    matches = next;
    printed += part;
  }
  if (!matches) return { ...none, region, level: printedLevel, bodyKind };
  const notes: Note[] = [];
  let chosen = matches;
  if (chosen.length > 1) {
    // the text tells them apart: a city, county or province above one candidate named in it
    const scores = evidence(g, chosen.map((m) => m.d), parts[parts.length - 1]!, clues.slice(0, 30000));
    const best = Math.max(...scores);
    if (best > 0 && scores.filter((s) => s > 0).length === 1) {
      const pick = chosen[scores.indexOf(best)]!;
      chosen = [{ d: pick.d, via: pick.via === 'variant' ? 'variant' : 'clue' }];
    }
  }
  if (chosen.length > 1) {
    return {
      ...none, region, level: printedLevel, bodyKind,
      divisionCandidates: chosen.map((m) => ({ code: m.d.code, name: g.fullName(m.d) })),
    };
  }
  const { d, via } = chosen[0]!;
  if (via === 'variant' || via === 'stem') {
    notes.push({
      code: 'division-variant', printed, official: g.fullName(d), ...(at ? { position: at } : {}),
      message: `the agency is printed as ${printed}; the gazetteer has no such name, and reads it as ${g.fullName(d)} (${d.code})`,
    });
  }
  if (unknown) {
    notes.push({ code: 'division-variant', printed: printed + unknown, official: g.fullName(d), ...(at ? { position: at } : {}), message: `${unknown} is not in the gazetteer: the body is kept under ${g.fullName(d)} (${d.code})` });
  }
  const division: DivisionRef = { code: d.code, name: d.name, fullName: g.fullName(d), level: d.level, printed, via, ...(unknown ? { within: true } : {}) };
  return { region, division, divisionCandidates: [], level: unknown ? printedLevel : d.level, bodyKind, notes };
}

/**
 * The region a report is grouped and scoped by: its division's full name (江苏省淮安市洪泽区), with
 * the printed names below it that the gazetteer lacks (江苏省淮安市白马湖新区), or the region as
 * printed when the body is not placed.
 */
export function regionOf(meta: Pick<Meta, 'division' | 'region'>): string | null {
  const d = meta.division;
  if (!d) return meta.region;
  if (!d.within || !meta.region) return d.fullName;
  const at = meta.region.indexOf(d.printed);
  return d.fullName + (at >= 0 ? meta.region.slice(at + d.printed.length) : '');
}

const NORM = (s: string) => nfkc(s).replace(/[\s()（）【】《》“”"'·・,，。.]/g, '');

/**
 * The body a report belongs to, across years: its division, kind and name without the division
 * (洪泽区人民政府 and 淮安市洪泽区人民政府 are one body: 320813|government|), or — for a body the
 * gazetteer does not place — its printed region and name.
 */
export function bodyKey(meta: Pick<Meta, 'agency' | 'region' | 'division' | 'bodyKind'>): string | null {
  if (!meta.agency) return null;
  const agency = NORM(meta.agency);
  if (!meta.division) return `${NORM(meta.region ?? '')}|${agency}`;
  const printed = NORM(meta.division.printed);
  const at = agency.indexOf(printed);
  let name = at >= 0 ? agency.slice(0, at) + agency.slice(at + printed.length) : agency;
  name = name.replace(/^中共/, '');
  // a government is one body whatever its title calls it (崆峒区, 崆峒区人民政府, 崆峒区政府)
  if (meta.bodyKind === 'government' && /^(?:人民)?政府$/.test(name)) name = '';
  if (meta.bodyKind === 'office' && /^(?:人民)?政府办公[室厅]$/.test(name)) name = '办公室';
  return `${meta.division.code}|${meta.bodyKind ?? ''}|${name}`;
}
