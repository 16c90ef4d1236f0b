import type { ErrorCode } from '../record/errors.js';
import yauzl from 'yauzl';

/**
 * Zip archives read in memory, under limits: a batch's archives (src/batch/inputs.ts) and the zip every
 * .docx is (docx.ts). Nothing from an archive is ever written to disk.
 */

/** What an archive may hold before we refuse it: we keep entries in memory, so these bound memory too. */
export interface ZipLimits {
  /** How many archives deep a nested zip is still opened (the outer archive is depth 1). */
  maxDepth: number;
  /** Largest uncompressed entry. */
  maxEntryBytes: number;
  /** Sum of the uncompressed entries of one archive on disk, nested archives included. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of an entry over 1 MiB: reports compress about 1.1–10×, bombs 1000×. */
  maxRatio: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxDepth: 3,
  maxEntryBytes: 256 * 2 ** 20,
  maxTotalBytes: 4 * 2 ** 30,
  maxRatio: 200,
  maxEntries: 100_000,
};

/** Entries under this size are never called bombs by their ratio: small text compresses very well. */
const RATIO_FLOOR_BYTES = 2 ** 20;

export class InputReadError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Running totals of one archive on disk, nested archives included. */
export interface ZipBudget {
  total: number;
  entries: number;
}

/** Why an entry may not be read under the limits (and the budget it would use), or null when it may; counts it. */
export function entryProblem(entry: yauzl.Entry, shown: string, L: ZipLimits, budget: ZipBudget): InputReadError | null {
  const size = entry.uncompressedSize;
  const ratio = size / Math.max(entry.compressedSize, 1);
  if (++budget.entries > L.maxEntries) return new InputReadError('zip_limit', `${shown}: archive has more than ${L.maxEntries} entries`);
  if (entry.isEncrypted()) return new InputReadError('encrypted', `${shown}: encrypted zip entry`);
  if (size > L.maxEntryBytes) return new InputReadError('too_large', `${shown}: ${size} bytes uncompressed, over the limit of ${L.maxEntryBytes}`);
  if (size > RATIO_FLOOR_BYTES && ratio > L.maxRatio) {
    return new InputReadError('zip_bomb', `${shown}: compression ratio ${Math.round(ratio)}:1 is over ${L.maxRatio}:1 (zip bomb?)`);
  }
  if (budget.total + size > L.maxTotalBytes) return new InputReadError('zip_bomb', `${shown}: archive expands to more than ${L.maxTotalBytes} bytes (zip bomb?)`);
  budget.total += size;
  return null;
}

/**
 * An entry's name as a path inside its archive: `..` that would climb out of it and leading slashes dropped
 * (`../../a.pdf` → `a.pdf`, `/etc/x.pdf` → `etc/x.pdf`). Entries are never written to disk, so this is about
 * what a record shows, and about not mistaking `..` for a hidden file and dropping the entry unsaid.
 */
export function insideArchive(raw: string): string {
  const out: string[] = [];
  const parts = raw.replace(/\\/g, '/').split('/');
  parts.forEach((part, i) => {
    if (part === '..') out.pop();
    else if (part !== '.' && (part !== '' || i === parts.length - 1)) out.push(part);
  });
  return out.join('/');
}

export function isSymlink(entry: yauzl.Entry) {
  const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
  return mode === 0o120000;
}

export function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolveAll, rejectAll) => {
    const out: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      out.push(e);
      zip.readEntry();
    });
    zip.once('end', () => resolveAll(out));
    zip.once('error', rejectAll);
    zip.readEntry();
  });
}

/** An entry's bytes, in memory: nothing from an archive is ever written to disk. */
export async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, display: string, cap: number): Promise<Buffer> {
  try {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      // yauzl already holds the stream to the declared size; this guards the cap should that ever change.
      if (total > cap) {
        stream.destroy();
        throw new InputReadError('zip_bomb', `${display}: expands past ${cap} bytes`);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof InputReadError) throw err;
    throw new InputReadError('bad_zip', `${display}: cannot read from the archive (${(err as Error).message})`);
  }
}
