/**
 * The CLI's errors and exit codes, apart from everything else: \`gongkai --help\` and a usage
 * error load this module and nothing of the library.
 */
import { StoreError } from '../store/errors.ts';

export { VERSION } from '../version.ts';

export class UsageError extends Error {}

/** Writing the output failed (a full disk, no permission): the run stops, exit 75. */
export class OutputError extends Error {}

/** Exit code when the store's environment failed (locked, full, read-only, disconnected): try again later (sysexits EX_TEMPFAIL). A missing or damaged store is 2. */
export const EXIT_TEMPFAIL = 75;

/** Print an unexpected error as one line (no stack unless GONGKAI_DEBUG) and return its exit code. */
export function fail(e: unknown): number {
  if (e instanceof UsageError) {
    process.stderr.write(`gongkai: ${e.message}\n`);
    return 2;
  }
  if (e instanceof OutputError) {
    process.stderr.write(`gongkai: ${e.message}\n`);
    return EXIT_TEMPFAIL;
  }
  if (e instanceof StoreError) {
    process.stderr.write(`gongkai: ${e.message}\n`);
    // (no store, or a damaged one: running again will not help)
    return e.code === 'missing' || e.code === 'damaged' ? 2 : EXIT_TEMPFAIL;
  }
  process.stderr.write(`gongkai: internal error: ${(e as Error)?.message ?? String(e)}\n`);
  if (process.env.GONGKAI_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
  return 2;
}
