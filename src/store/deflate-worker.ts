/**
 * A thread that compresses an XLSX export's pieces (`workbook-stream.ts`): each piece of a sheet's
 * XML on its own, as raw deflate flushed to a byte's edge (the last with the final block), so that
 * pieces compressed apart, on either core, follow one another as one stream. zlib's own work, with
 * none of a zlib stream's callbacks on the thread making the XML.
 *
 * Messages to it: `{ id, piece, last, level }` (the piece, as a rule, in memory shared with the
 * thread making the XML). From it: `{ id, out, crc }` (`out` the piece compressed, `crc` the
 * piece's CRC-32).
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface DeflateJob { id: number; piece: Uint8Array; last: boolean; level: number }
export interface DeflateDone { id: number; out: Uint8Array; crc: number }

// Compressing yields to the thread making the XML (and, in the web app, to the server's own thread
// answering other calls): a lower priority for this thread alone, which Linux allows any user. With
// two cores and three threads at work the XML's thread was taken off its core for the compressors;
// the export of 16,695 reports took 1.69 s at the same priority, 1.57-1.60 s so.
try { setPriority(5); } catch { /* a system that does not allow it: the same priority */ }

const port = parentPort!;
port.on('message', ({ id, piece, last, level }: DeflateJob) => {
  const out = deflateRawSync(piece, { level, memLevel: 9, finishFlush: last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH });
  // (moved, not copied, when the bytes are their buffer's own: the thread keeps no garbage of them)
  const own = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength && out.buffer instanceof ArrayBuffer;
  port.postMessage({ id, out, crc: crc32(piece) } satisfies DeflateDone, own ? [out.buffer as ArrayBuffer] : []);
});
