/**
 * CSV fields, written once for every CSV the project writes (export, stats, coverage, the web
 * app's download). RFC 4180 quoting, and no live formulas: report text comes from public web
 * pages, so a field a spreadsheet would take for a formula (`=HYPERLINK(…)局`, `+…`, `-…`, `@…`,
 * a leading tab or carriage return) is written with a `'` before it, which Excel and WPS show as
 * text. A real negative number (`-12`, `-0.5`) stays a number.
 */

const FORMULA = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  // a number is never quoted (and never a formula): a statistics table has millions of them
  if (typeof v === 'number') return String(v);
  let s = String(v);
  if (FORMULA.test(s) && !NUMBER.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line (CRLF, as spreadsheets expect). */
export const csvLine = (values: ReadonlyArray<string | number | null | undefined>): string => `${values.map(csvField).join(',')}\r\n`;
