/** Helpers shared by the content rules: where a report starts, and matches inside sections. */
import { positionIn } from '../extract/sections.ts';
import type { Cell, Note, Position, Report, Section } from '../types.ts';
import type { FindingInput, Instance } from './types.ts';

/** The cell if the report has it with a certain number (not blank, not ambiguous), else null. */
export function determined(r: Report, key: string): Cell | null {
  const c = r.cells[key];
  return c && c.status !== 'ambiguous' && c.value !== null ? c : null;
}

/** Where a finding about the whole report points: its first heading, or table 三. */
export function reportPosition(r: Report): Position[] {
  const p = r.sections.find((s) => s.number > 0)?.position ?? r.sections[0]?.position ?? r.tables.t3.position;
  return p ? [p] : [];
}

export interface TextMatch { section: Section; index: number; text: string; groups: string[]; position: Position | null }

/**
 * Every match of `re` (global) in every section's text, with its source position. `needs`, when
 * given, is text every match holds: a section without it is not searched.
 */
export function* matches(r: Report, re: RegExp, sections?: number[], needs?: string): Generator<TextMatch> {
  for (const s of r.sections) {
    if (sections && !sections.includes(s.number)) continue;
    if (needs !== undefined && !s.text.includes(needs)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(s.text); m; m = re.exec(s.text)) {
      yield { section: s, index: m.index, text: m[0], groups: m.slice(1) as string[], position: positionIn(s, m.index, m[0].length) };
      if (m[0].length === 0) re.lastIndex++;
    }
  }
}

/** The clause around `index`: between the nearest clause punctuation on each side. */
export function clauseAt(text: string, index: number): string {
  const stop = /[。；;！!？?\n]/;
  let a = index;
  while (a > 0 && !stop.test(text[a - 1]!)) a--;
  let b = index;
  while (b < text.length && !stop.test(text[b]!)) b++;
  return text.slice(a, b);
}

/** A finding's place, for a grouped finding's list. */
export const instanceOf = (f: FindingInput): Instance => {
  const i: Instance = { message: f.message, messageEn: f.messageEn, keys: f.keys, positions: f.positions };
  if (f.expected !== undefined) i.expected = f.expected;
  if (f.actual !== undefined) i.actual = f.actual;
  return i;
};

/**
 * One finding for one defect seen in several places: the summary (`zh`, `en`, which should say
 * what the places have in common), the count, every place's cells and positions together, and
 * each place in full in `instances`. A single place is returned as it is.
 */
export function groupFinding(places: FindingInput[], zh: string, en: string): FindingInput {
  if (places.length === 1) return places[0]!;
  const keys = [...new Set(places.flatMap((p) => p.keys))];
  const seen = new Set<number>();
  const positions = places.flatMap((p) => p.positions).filter((p) => (seen.has(p.offset) ? false : (seen.add(p.offset), true)));
  return {
    message: `${zh}（共 ${places.length} 处）`,
    messageEn: `${en} (${places.length} places)`,
    keys, positions, fault: places[0]!.fault ?? 'publisher',
    instances: places.map(instanceOf),
  };
}

/** A finding for each of the reader's notes of one kind (a label or a place name read as the official one). */
export function noteFindings(r: Report, code: Note['code'], emit: (f: FindingInput) => void, message: (n: Note) => { zh: string; en: string }): void {
  for (const n of r.notes) {
    if (n.code !== code) continue;
    const m = message(n);
    emit({ message: m.zh, messageEn: m.en, keys: n.keys ?? [], positions: n.position ? [n.position] : [] });
  }
}
