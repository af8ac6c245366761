/** Inputs larger than this are refused before reading (a report is a few kB to a few MB). */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** Cells of one row of a table, and numbers on one line: a report's widest row has 15 (table 四). */
export const MAX_ROW_CELLS = 5_000;
/** Characters of numbers at the end of one line (a run-on dump's table 四 is 15 zeros; a row of table 四 with separators, under 200). */
export const MAX_NUMERIC_TAIL = 4_000;

const mb = (n: number) => Math.round(n / 1048576);
/** The reason an input is refused for its size, or null. */
export const tooLarge = (bytes: number): string | null => (bytes > MAX_INPUT_BYTES ? `file is ${mb(bytes)} MB; the limit is ${mb(MAX_INPUT_BYTES)} MB` : null);

/** Per-file time budget of every reader run in a worker (ingest, parse, check, the web app), in ms. */
export const DEFAULT_TIMEOUT_MS = 120_000;
