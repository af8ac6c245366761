import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, parseAsync, type ParseOptions } from '../src/index.ts';
import type { Report } from '../src/types.ts';

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
export const expected = (name: string): string => fileURLToPath(new URL(`./expected/${name}`, import.meta.url));
export const readFixture = (name: string): Buffer => readFileSync(fixture(name));

export const SEEDS = {
  pipes: 'seed000-shangqiu-mzj-2020-pipes.txt',
  tabs: 'seed001-wuzhong-mzj-2021-tabs.txt',
  cellPerLine: 'seed002-kongtong-gov-2021-cell-per-line.txt',
  blankLines: 'seed003-shuangyashan-swj-2020-blank-lines.txt',
  squashed: 'seed004-anshan-rsj-2020-squashed.txt',
  huaian: 'huaian-city-2024-pdf-extract.txt',
} as const;

export function parseFixture(name: string, opts: ParseOptions = {}): Report {
  return parse(readFixture(name), { name, ...opts });
}

/** Any fixture form, PDF and Word included (read asynchronously). */
export function parseFixtureAsync(name: string, opts: ParseOptions = {}): Promise<Report> {
  return parseAsync(readFixture(name), { name, ...opts });
}

/** key → value of the cells that hold a value (as cells v1 writes them). */
export function values(report: Report, prefix: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, c] of Object.entries(report.cells)) {
    if (k.startsWith(prefix)) out[k.slice(prefix.length)] = c.status === 'ambiguous' ? '?' : c.value;
  }
  return out;
}

/** A seed's text with one substitution, for constructed cases. */
export function seedWith(name: string, from: string | RegExp, to: string): string {
  const text = readFixture(name).toString('utf8');
  const out = text.replace(from, to);
  if (out === text) throw new Error(`seedWith: “${from}” not found in ${name}`);
  return out;
}
