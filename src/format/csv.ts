/**
 * CSV fields, written once for every CSV the project writes (export, stats, coverage, the web
 * app's download). RFC 4180 quoting, and no live formulas: report text comes from public web
 * pages, so a field a spreadsheet would take for a formula (`=HYPERLINK(…)局`, `+…`, `-…`, `@…`,
 * a leading tab or carriage return) is written with a `'` before it, which Excel and WPS show as
 * text. A real negative number (`-12`, `-0.5`) stays a number.
 */

const NUMBER = /^-?\d+(?:\.\d+)?$/;
const QUOTED = /[",\r\n]/;

export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  // a number is never quoted (and never a formula): a statistics table has millions of them
  if (typeof v === 'number') return String(v);
  let s = String(v);
  // a formula starts = + - @, a tab or a carriage return (looked at without a pattern: an export writes millions of fields)
  const c = s.charCodeAt(0);
  if ((c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d) && !NUMBER.test(s)) s = `'${s}`;
  return quoted(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Does a field need quotes (a quote, comma or line break in it)? Short ones looked at without a pattern. */
function quoted(s: string): boolean {
  if (s.length > 24) return QUOTED.test(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x2c || c === 0x0a || c === 0x0d) return true;
  }
  return false;
}

/** One CSV line (CRLF, as spreadsheets expect). */
export const csvLine = (values: ReadonlyArray<string | number | null | undefined>): string => {
  const fields = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) fields[i] = csvField(values[i]);
  return `${fields.join(',')}\r\n`;
};
