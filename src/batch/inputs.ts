import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import yauzl from 'yauzl';
import { decodeEntryName } from './names.js';

/** One report to process: where it came from, and how to get its bytes (from disk or from inside an archive). */
export interface Input {
  /** Unique within a run: `reports/2023/a.pdf`, `archive.zip!/2023/报告.pdf`, `a.zip!/inner.zip!/b.html`. */
  displayPath: string;
  /** Base name, as the record's `file`. */
  name: string;
  /** Bytes, as declared (zip) or measured (disk). */
  size: number;
  read(): Promise<Buffer>;
  /** Set when the input was refused while listing (zip bomb, encrypted entry, broken archive): it is never read. */
  rejected?: InputProblem;
}

export interface InputProblem {
  code: string;
  message: string;
}

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

export const REPORT_EXTENSIONS = ['.pdf', '.html', '.htm', '.txt'];
const isReport = (name: string) => REPORT_EXTENSIONS.includes(extname(name).toLowerCase());
const isZip = (name: string) => extname(name).toLowerCase() === '.zip';
/** Hidden files and the resource forks macOS puts in archives are never reports. */
const isJunk = (path: string) => path.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');

export interface InputSet {
  /** Sorted by display path. */
  inputs: Input[];
  /** Things passed over on purpose (links), by display path, with the reason. */
  skipped: { displayPath: string; reason: string }[];
  /** Releases the archives kept open for reading. */
  close(): Promise<void>;
}

/** Lists the reports under the given files, directories and zip archives, without reading any report yet. */
export async function listInputs(paths: string[], limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<InputSet> {
  const lister = new Lister(limits);
  for (const p of paths) await lister.top(p);
  lister.inputs.sort((a, b) => (a.displayPath < b.displayPath ? -1 : a.displayPath > b.displayPath ? 1 : 0));
  return { inputs: lister.inputs, skipped: lister.skipped, close: () => lister.close() };
}

interface Budget {
  total: number;
  entries: number;
}

class Lister {
  inputs: Input[] = [];
  skipped: { displayPath: string; reason: string }[] = [];
  private open: yauzl.ZipFile[] = [];
  private seen = new Set<string>();

  constructor(private limits: ZipLimits) {}

  async top(path: string) {
    const display = basename(resolve(path));
    let st;
    try {
      st = await stat(path);
    } catch (err) {
      return this.reject(path, 0, 'not-found', `${path}: ${(err as NodeJS.ErrnoException).code ?? 'cannot stat'}`);
    }
    if (st.isDirectory()) return this.dir(path, display);
    if (isZip(path)) return this.zipOnDisk(path, display, st.size);
    this.add(this.fileInput(path, display, st.size));
  }

  private async dir(path: string, display: string) {
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (err) {
      return this.reject(display, 0, 'unreadable', `${display}: ${(err as NodeJS.ErrnoException).code ?? 'cannot list'}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const full = join(path, e.name);
      const shown = `${display}/${e.name}`;
      if (e.name.startsWith('.')) continue;
      // A link may point outside what the user asked for, or loop back: never followed.
      if (e.isSymbolicLink()) {
        this.skipped.push({ displayPath: shown, reason: 'symbolic link' });
      } else if (e.isDirectory()) {
        await this.dir(full, shown);
      } else if (e.isFile() && isZip(e.name)) {
        await this.zipOnDisk(full, shown, (await stat(full)).size);
      } else if (e.isFile() && isReport(e.name)) {
        this.add(this.fileInput(full, shown, (await stat(full)).size));
      }
    }
  }

  private fileInput(path: string, display: string, size: number): Input {
    return {
      displayPath: display,
      name: basename(path),
      size,
      read: async () => {
        try {
          return await readFile(path);
        } catch (err) {
          throw new InputReadError('unreadable', `cannot read ${display}: ${(err as NodeJS.ErrnoException).code ?? err}`);
        }
      },
    };
  }

  private async zipOnDisk(path: string, display: string, size: number) {
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: false });
    } catch (err) {
      return this.reject(display, size, 'bad-zip', `${display}: not a readable zip archive (${(err as Error).message})`);
    }
    this.open.push(zip);
    await this.zip(zip, display, 1, { total: 0, entries: 0 });
  }

  private async zip(zip: yauzl.ZipFile, display: string, depth: number, budget: Budget) {
    let entries: yauzl.Entry[];
    try {
      entries = await readEntries(zip);
    } catch (err) {
      return this.reject(display, 0, 'bad-zip', `${display}: broken zip directory (${(err as Error).message})`);
    }
    const L = this.limits;
    for (const entry of entries) {
      const name = insideArchive(decodeEntryName(entry.fileNameRaw, entry.generalPurposeBitFlag, entry.extraFields));
      if (name.endsWith('/') || isJunk(name)) continue;
      const shown = `${display}!/${name}`;
      if (isSymlink(entry)) {
        this.skipped.push({ displayPath: shown, reason: 'symbolic link' });
        continue;
      }
      if (!isReport(name) && !isZip(name)) continue;
      const size = entry.uncompressedSize;
      const ratio = size / Math.max(entry.compressedSize, 1);
      if (++budget.entries > L.maxEntries) {
        this.reject(shown, size, 'zip-limit', `${shown}: archive has more than ${L.maxEntries} entries`);
      } else if (entry.isEncrypted()) {
        this.reject(shown, size, 'encrypted', `${shown}: encrypted zip entry`);
      } else if (size > L.maxEntryBytes) {
        this.reject(shown, size, 'too-large', `${shown}: ${size} bytes uncompressed, over the limit of ${L.maxEntryBytes}`);
      } else if (size > 2 ** 20 && ratio > L.maxRatio) {
        this.reject(shown, size, 'zip-bomb', `${shown}: compression ratio ${Math.round(ratio)}:1 is over ${L.maxRatio}:1 (zip bomb?)`);
      } else if (budget.total + size > L.maxTotalBytes) {
        this.reject(shown, size, 'zip-bomb', `${shown}: archive expands to more than ${L.maxTotalBytes} bytes (zip bomb?)`);
      } else {
        budget.total += size;
        if (isZip(name)) await this.nestedZip(zip, entry, shown, depth, budget);
        else
          this.add({
            displayPath: shown,
            name: basename(name),
            size,
            read: () => readEntry(zip, entry, shown, L.maxEntryBytes),
          });
      }
    }
  }

  private async nestedZip(parent: yauzl.ZipFile, entry: yauzl.Entry, display: string, depth: number, budget: Budget) {
    if (depth >= this.limits.maxDepth) {
      return this.reject(display, entry.uncompressedSize, 'zip-depth', `${display}: archives nested more than ${this.limits.maxDepth} deep`);
    }
    let inner: yauzl.ZipFile;
    try {
      const bytes = await readEntry(parent, entry, display, this.limits.maxEntryBytes);
      inner = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, autoClose: false, decodeStrings: false });
    } catch (err) {
      return this.reject(display, entry.uncompressedSize, 'bad-zip', `${display}: not a readable zip archive (${(err as Error).message})`);
    }
    await this.zip(inner, display, depth + 1, budget);
  }

  private reject(display: string, size: number, code: string, message: string) {
    this.add({
      displayPath: display,
      name: basename(display.replace(/!\/?$/, '')),
      size,
      rejected: { code, message },
      read: () => Promise.reject(new InputReadError(code, message)),
    });
  }

  private add(input: Input) {
    // Two arguments with the same base name would collide; a suffix keeps every display path unique.
    let shown = input.displayPath;
    for (let n = 2; this.seen.has(shown); n++) shown = `${input.displayPath} (${n})`;
    this.seen.add(shown);
    this.inputs.push({ ...input, displayPath: shown });
  }

  async close() {
    for (const z of this.open) z.close();
    this.open = [];
  }
}

export class InputReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
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

function isSymlink(entry: yauzl.Entry) {
  const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
  return mode === 0o120000;
}

function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
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
async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, display: string, cap: number): Promise<Buffer> {
  try {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      // yauzl already holds the stream to the declared size; this guards the cap should that ever change.
      if (total > cap) {
        stream.destroy();
        throw new InputReadError('zip-bomb', `${display}: expands past ${cap} bytes`);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof InputReadError) throw err;
    throw new InputReadError('bad-zip', `${display}: cannot read from the archive (${(err as Error).message})`);
  }
}

/** An input whose bytes are already at hand (a queue job, an upload). */
export function inputFromBytes(displayPath: string, bytes: Uint8Array): Input {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { displayPath, name: basename(displayPath.replace(/^.*!\//, '')), size: bytes.length, read: async () => buf };
}
