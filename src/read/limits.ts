/** Inputs larger than this are refused before reading (a report is a few kB to a few MB). */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;
