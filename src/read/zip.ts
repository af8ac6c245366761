/**
 * ZIP containers (DOCX, XLSX) through fflate, with bounds: a part is inflated only into a
 * buffer of the size its directory entry declares, and the declared sizes must stay under the
 * limits, so a zip bomb costs at most `maxPart`/`maxTotal` bytes of memory.
 */
import { unzipSync, strFromU8 } from 'fflate';
import { ReadError, libraryReason } from './text.ts';

export interface ZipLimits {
  /** Largest decompressed part (default 64 MB). */
  maxPart: number;
  /** Largest total decompressed size of the parts read (default 256 MB). */
  maxTotal: number;
  /** Most entries in the directory (default 10,000). */
  maxEntries: number;
}

export const ZIP_LIMITS: ZipLimits = { maxPart: 64 << 20, maxTotal: 256 << 20, maxEntries: 10_000 };

/** The entry names of a ZIP file, without inflating anything. */
export function zipEntries(bytes: Uint8Array, limits: ZipLimits = ZIP_LIMITS): Map<string, number> {
  const entries = new Map<string, number>();
  try {
    unzipSync(bytes, {
      filter(f) {
        entries.set(f.name, f.originalSize);
        if (entries.size > limits.maxEntries) throw new ReadError('limit', `more than ${limits.maxEntries} entries in the ZIP container`);
        return false;
      },
    });
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw new ReadError('corrupt', `not a readable ZIP container (${libraryReason(e)}); the file may be truncated`);
  }
  return entries;
}

/** Inflate the named parts (those present) as UTF-8 text, within the limits. */
export function readParts(bytes: Uint8Array, want: (name: string) => boolean, limits: ZipLimits = ZIP_LIMITS): Map<string, string> {
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(f) {
        if (!want(f.name)) return false;
        if (f.originalSize > limits.maxPart) {
          throw new ReadError('limit', `part ${f.name} inflates to ${mb(f.originalSize)}; the limit is ${mb(limits.maxPart)} (a zip bomb?)`);
        }
        total += f.originalSize;
        if (total > limits.maxTotal) throw new ReadError('limit', `the parts inflate to more than ${mb(limits.maxTotal)} (a zip bomb?)`);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw new ReadError('corrupt', `a part of the ZIP container cannot be inflated (${libraryReason(e)})`);
  }
  const out = new Map<string, string>();
  for (const [name, data] of Object.entries(files)) out.set(name, strFromU8(data));
  return out;
}

function mb(n: number): string {
  return n >= 1 << 20 ? `${Math.round(n / (1 << 20))} MB` : `${Math.round(n / 1024)} kB`;
}
