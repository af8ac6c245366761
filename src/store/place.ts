/**
 * Where a report stands in the store: its region (the division's full name), division code,
 * level, kind and body key — from its reading, or from a reviewer's assignment of a division.
 */
import { bodyKey, regionOf, regionParts, resolveBody } from '../extract/body.ts';
import { gazetteer, type Division } from '../schema/divisions.ts';
import type { BodyKind, DivisionRef, Level, Meta } from '../types.ts';

export interface Placement { region: string | null; division: string | null; level: Level | null; bodyKind: BodyKind | null; key: string }

type Printed = Pick<Meta, 'agency' | 'region' | 'level' | 'bodyKind'>;

/** Where a report whose body reads so stands: region, division, level, kind and key (its document's, when it names no body). */
function placed(meta: Printed & Pick<Meta, 'division'>, fallback: string): Placement {
  return { region: regionOf(meta), division: meta.division?.code ?? null, level: meta.level, bodyKind: meta.bodyKind, key: bodyKey(meta) ?? `doc:${fallback}` };
}

/** A stored report's placement, read again from its agency (and its text, for clues). */
export function placement(m: Printed & { agency: string }, clues: string): Placement {
  const b = resolveBody(m.agency, clues);
  return placed({ ...m, division: b.division, bodyKind: b.bodyKind ?? m.bodyKind, level: b.level ?? m.level }, '');
}

/** The division a reviewer assigned, as the reading would carry it. */
export function assigned(agency: string | null, code: string): DivisionRef {
  const g = gazetteer();
  const d = g.get(code);
  if (!d || d.placeholder) throw new RangeError(`${code} is not a division code in the gazetteer`);
  const printed = agency ? regionParts(agency).parts.join('') : '';
  return { code: d.code, name: d.name, fullName: g.fullName(d), level: d.level, printed, via: 'correction' };
}

/** The placement of a report given a division by hand. */
export function placementAssigned(m: Printed, division: DivisionRef, fallback: string): Placement {
  return placed({ ...m, division, level: division.level }, fallback);
}

/**
 * A region as a user names it — a code (320800), a full name (江苏省淮安市), a chain (淮安市洪泽区)
 * or one name (淮安市) — as the stored regions spell it: the division's full name, which every
 * report under it starts with. A name the gazetteer does not place, or places in several
 * divisions, is kept as given (it then selects the reports whose printed region starts with it).
 */
export function canonicalRegion(asked: string): string {
  let got = CANONICAL.get(asked);
  if (got === undefined) {
    got = canonical(asked);
    // a page's filters and a user's scope ask for the same few regions again and again
    if (CANONICAL.size >= 2000) CANONICAL.clear();
    CANONICAL.set(asked, got);
  }
  return got;
}
const CANONICAL = new Map<string, string>();

function canonical(asked: string): string {
  const x = asked.trim();
  if (CODE.test(x)) {
    const d = regionDivision(x);
    return d ? gazetteer().fullName(d) : x;
  }
  // a name that is all divisions (淮安市, 淮安市洪泽区; a town of 洪泽区 the gazetteer lacks reads
  // 江苏省淮安市洪泽区 and its own name), never a body's name with more after it, nor a slip
  const b = resolveBody(x);
  if (!b.division || b.division.via === 'variant' || regionParts(x).rest !== '') return x;
  return regionOf({ division: b.division, region: b.region }) ?? x;
}

const CODE = /^\d{6}(?:\d{3})?$/;

/** The one division a region names (a code, a full name, a chain or a name), or null. */
export function regionDivision(asked: string): Division | null {
  const g = gazetteer();
  const x = asked.trim();
  if (CODE.test(x)) {
    const d = g.get(x);
    return d && !d.placeholder ? d : null;
  }
  const b = resolveBody(x);
  // only a name that is all divisions (淮安市, 淮安市洪泽区), never a body's name with more after it
  if (!b.division || b.division.within || b.division.via === 'variant' || regionParts(x).rest !== '') return null;
  return g.get(b.division.code) ?? null;
}

/** The divisions a region name may mean, when it means several (鼓楼区): for an error message. */
export function regionCandidates(asked: string): Array<{ code: string; name: string }> {
  return resolveBody(asked.trim()).divisionCandidates;
}
