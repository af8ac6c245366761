/**
 * China's administrative divisions — provinces, cities, counties, townships — with their codes
 * (GB/T 2260 and the statistical 9-digit township codes), names and former names, as data
 * (`divisions.data.ts`, made by `scripts/gazetteer.ts`). The index is built on first use, so a
 * command that never resolves a body never pays for it.
 *
 * Codes: a province 320000, a city 320800, a county 320813, a township 320813101. A division's
 * tree prefix (`prefixOf`) selects everything under it: 32, 3208, 320813, 320813101. The
 * statistical placeholders 市辖区 and 省直辖县级行政区划 are kept for their codes but never named.
 */
import { DIVISIONS, DIVISIONS_SOURCE } from './divisions.data.ts';

export { DIVISIONS_SOURCE };

export type DivisionLevel = 'province' | 'city' | 'county' | 'township';

export interface Division {
  code: string;
  name: string;
  level: DivisionLevel;
  /** The division above it that has a name of its own (a 市辖区 placeholder is passed over). */
  parent: Division | null;
  /** Names it bore in earlier GB/T 2260 revisions (洪泽县 for 洪泽区). */
  former: string[];
  /** A placeholder of the statistical codes (市辖区, 省直辖县级行政区划): a code, never a name. */
  placeholder: boolean;
  /** A development zone with a statistical code of a county's rank (x7x: 淮安经济技术开发区), not a GB/T 2260 division. */
  zone: boolean;
}

/**
 * Names in use for a division that no code table gives, kept by hand: a special zone whose
 * committee governs one county's territory is read as that county.
 */
export const DIVISION_ALIASES: ReadonlyArray<{ name: string; code: string; why: string }> = [
  { name: '平潭综合实验区', code: '350128', why: '平潭综合实验区管委会 governs 平潭县, whose code the zone reports under' },
];

/**
 * Characters that OCR and typists confuse, in the names of places (形近字): 沐阳县 for 沭阳县, 毫州 for
 * 亳州, 睢县 and 雎县. A printed name one such swap from a division's is read as that division.
 */
export const LOOKALIKES: ReadonlyArray<string> = [
  '沐沭', '亳毫', '睢雎', '泌沁', '汨汩', '己已巳', '未末', '土士', '日曰', '戊戌戍', '孟盂', '晋普', '郓郸', '邳丕',
  '鄞勤', '鄱番', '婺騖', '衢瞿', '濮璞', '漯潔', '溧漂', '郫陴', '邛印', '崃莱', '闽闵', '芜莞', '莒筥', '兖衮', '邕雍',
  '柘拓', '泾经', '祁祈', '沅玩', '洮桃', '岷珉', '榆愉', '涪培', '淇祺', '汜氾', '郴彬', '栾奕', '蠡蟊', '滦栾',
];
const LOOKS = new Map<string, string>();
for (const group of LOOKALIKES) for (const c of group) LOOKS.set(c, (LOOKS.get(c) ?? '') + group.replace(c, ''));
/** Whether two characters are look-alikes (沐, 沭). */
export const lookalike = (a: string, b: string) => (LOOKS.get(a) ?? '').includes(b);

/** The names of the statistical codes' placeholders, which hold codes and name no place. */
export const PLACEHOLDER = /^(?:市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;

/** A name without its division word: 洪泽县 and 洪泽区 are both 洪泽; 沭阳县 is 沭阳. */
export const SUFFIX = /(?:特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|自治县|自治旗|省|市|州|地区|盟|林区|特区|区|县|旗|镇|乡|街道|街道办事处)$/;
/** Words that end a township's name and no county's. */
const TOWNSHIP_WORD = /(?:乡|镇|街道|苏木|办事处)$/;
export const stemOf = (name: string) => name.replace(SUFFIX, '') || name;

export class Gazetteer {
  private readonly byCode = new Map<string, Division>();
  /** Every name a division answers to: its name, former names, and aliases. */
  private readonly byName = new Map<string, Division[]>();
  private readonly byStem = new Map<string, Division[]>();
  private readonly kids = new Map<string, Division[]>();
  /**
   * The township lines of each county, as where they stand in the data (a county's lines follow
   * it): indexed on the first question that may concern a township (they are 9 in 10).
   */
  private townshipBlocks: Array<{ county: Division; from: number; to: number }> | null = [];
  private readonly data: string;

  constructor(data: string) {
    this.data = data;
    // (the data is walked line by line in place, not split: some 45,000 lines, and the township
    // lines among them are only found, not copied out, until a question needs them)
    let county: Division | null = null;
    for (let at = 0; at < data.length;) {
      const nl = data.indexOf('\n', at);
      const end = nl < 0 ? data.length : nl;
      if (data.charCodeAt(at) === 43 /* + */) {
        const blocks = this.townshipBlocks!;
        const last = blocks[blocks.length - 1];
        if (last && last.county === county && last.to === at - 1) last.to = end;
        else blocks.push({ county: county!, from: at, to: end });
      } else {
        // `320813\t洪泽区\t洪泽县`: the code, the name, and former names if a second tab follows
        const tab = data.indexOf('\t', at);
        const tab2 = data.indexOf('\t', tab + 1);
        const nameEnd = tab2 >= 0 && tab2 < end ? tab2 : end;
        const code = data.slice(at, tab);
        const name = data.slice(tab + 1, nameEnd);
        const formerList = nameEnd < end ? data.slice(nameEnd + 1, end) : undefined;
        const level: DivisionLevel = code.endsWith('0000') ? 'province' : code.endsWith('00') ? 'city' : 'county';
        const d = this.add(code, name, level, formerList);
        if (!d.placeholder && level !== 'province') county = d;
      }
      at = end + 1;
    }
    for (const a of DIVISION_ALIASES) this.index(a.name, this.byCode.get(a.code)!);
  }

  private add(code: string, name: string, level: DivisionLevel, formerList?: string): Division {
    const parentCode = level === 'township' ? code.slice(0, 6) : level === 'county' ? `${code.slice(0, 4)}00` : level === 'city' ? `${code.slice(0, 2)}0000` : null;
    let parent = parentCode ? this.byCode.get(parentCode) ?? null : null;
    if (parent?.placeholder) parent = parent.parent;
    const placeholder = level === 'city' && PLACEHOLDER.test(name);
    const zone = level === 'county' && code[4] === '7';
    const d: Division = { code, name, level, parent, former: formerList ? formerList.split(',') : [], placeholder, zone };
    this.byCode.set(code, d);
    if (placeholder) return d;
    if (parent) {
      const list = this.kids.get(parent.code);
      if (list) list.push(d);
      else this.kids.set(parent.code, [d]);
    }
    this.index(name, d);
    for (const n of d.former) this.index(n, d);
    return d;
  }

  private townships(): void {
    if (!this.townshipBlocks) return;
    const blocks = this.townshipBlocks;
    this.townshipBlocks = null;
    const data = this.data;
    for (const { county, from, to } of blocks) {
      // `+101\t老庄子镇` lines: the code's last three digits after the county's, then the name
      for (let at = from; at < to;) {
        const nl = data.indexOf('\n', at);
        const end = nl < 0 || nl > to ? to : nl;
        const tab = data.indexOf('\t', at);
        this.add(`${county.code}${data.slice(at + 1, tab)}`, data.slice(tab + 1, end), 'township');
        at = end + 1;
      }
    }
  }

  /** The division of a code (6 or 9 digits), or undefined. */
  get(code: string): Division | undefined {
    if (code.length === 9) this.townships();
    return this.byCode.get(code);
  }

  private index(name: string, d: Division) {
    const add = (m: Map<string, Division[]>, k: string) => {
      const list = m.get(k);
      // a division's names are indexed one after another: the same one is only ever the last
      if (!list) m.set(k, [d]);
      else if (list[list.length - 1] !== d) list.push(d);
    };
    add(this.byName, name);
    add(this.byStem, stemOf(name));
  }

  /** Whether some division bears or bore this name (townships looked at only for a township's word). */
  isName(name: string): boolean {
    if (this.byName.has(name)) return true;
    if (!TOWNSHIP_WORD.test(name)) return false;
    this.townships();
    return this.byName.has(name);
  }

  /** Divisions that bear, or bore, exactly this name. */
  named(name: string): Division[] {
    if (TOWNSHIP_WORD.test(name) || !this.byName.has(name)) this.townships();
    return this.byName.get(name) ?? [];
  }

  /** Divisions whose name, or a former name, has this stem (洪泽 finds 洪泽区). */
  stemmed(stem: string): Division[] {
    if (!this.byStem.has(stem)) this.townships();
    return this.byStem.get(stem) ?? [];
  }

  private byLength: Map<number, Division[]> | null = null;
  /** Provinces, cities and counties whose name has this many characters (for one-slip matching). */
  candidatesOfLength(n: number): Division[] {
    if (!this.byLength) {
      this.byLength = new Map();
      for (const d of this.byCode.values()) {
        if (d.placeholder || d.level === 'township') continue;
        const list = this.byLength.get(d.name.length);
        if (list) list.push(d);
        else this.byLength.set(d.name.length, [d]);
      }
    }
    return this.byLength.get(n) ?? [];
  }

  /** The provinces (省级), in code order. */
  provinces(): Division[] {
    return [...this.byCode.values()].filter((d) => d.level === 'province');
  }

  /** Every division under one at a level (a province's counties), placeholders passed over. */
  under(code: string, level: DivisionLevel): Division[] {
    const out: Division[] = [];
    const walk = (c: string) => {
      for (const d of this.children(c)) {
        if (d.level === level) out.push(d);
        else if (d.level !== 'township') walk(d.code);
      }
    };
    walk(code);
    return out;
  }

  /** The divisions directly under one (a city's counties, a county's townships). */
  children(code: string): Division[] {
    if (!code.endsWith('0000') && (!code.endsWith('00') || !this.kids.has(code))) this.townships();
    return this.kids.get(code) ?? [];
  }

  /** The divisions from the province down to this one, placeholders left out. */
  path(d: Division): Division[] {
    const out: Division[] = [];
    for (let x: Division | null = d; x; x = x.parent) out.unshift(x);
    return out;
  }

  /** The full name, from the province down: 江苏省淮安市洪泽区; 北京市朝阳区. */
  fullName(d: Division): string {
    return this.path(d).map((x) => x.name).join('');
  }
}

/** The code prefix shared by a division and everything under it. */
export function prefixOf(code: string): string {
  if (code.length === 9) return code;
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** Whether `code` is `ancestor` or lies under it. */
export const isUnder = (code: string, ancestor: string) => code.startsWith(prefixOf(ancestor));

let shared: Gazetteer | null = null;
/** The bundled gazetteer, built on first use (about 8 ms). */
export function gazetteer(): Gazetteer {
  shared ??= new Gazetteer(DIVISIONS);
  return shared;
}
