import type { ErrorCode } from '../record/errors.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import yauzl from 'yauzl';
import {
  DEFAULT_ZIP_LIMITS, entryProblem, InputReadError, insideArchive, isSymlink, readEntries, readEntry, type ZipBudget, type ZipLimits,
} from '../extract/zip.js';
import { decodeEntryName } from './names.js';

export { DEFAULT_ZIP_LIMITS, InputReadError, insideArchive, type ZipLimits };

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
  code: ErrorCode;
  message: string;
}

export const REPORT_EXTENSIONS = ['.pdf', '.html', '.htm', '.txt', '.docx', '.doc', '.wps', '.rtf', '.odt', '.mht', '.mhtml'];
const isReport = (name: string) => REPORT_EXTENSIONS.includes(extname(name).toLowerCase());
const isZip = (name: string) => extname(name).toLowerCase() === '.zip';
/** Hidden files and the resource forks macOS puts in archives are never reports. */
const isJunk = (path: string) => path.split('/').some((part) => part.startsWith('.') || part === '__MACOSX');
const unsupported = (name: string) => `unsupported kind (${extname(name).toLowerCase() || 'no extension'})`;

export interface InputSet {
  /** Sorted by display path. */
  inputs: Input[];
  /** Things passed over on purpose (hidden files, links, kinds we do not read), by display path, with the reason. */
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
      return this.reject(path, 0, 'not_found', `${path}: ${(err as NodeJS.ErrnoException).code ?? 'cannot stat'}`);
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
      if (e.name.startsWith('.')) {
        this.skipped.push({ displayPath: shown, reason: 'hidden' });
        continue;
      }
      // A link may point outside what the user asked for, or loop back: never followed.
      if (e.isSymbolicLink()) {
        this.skipped.push({ displayPath: shown, reason: 'symbolic link' });
      } else if (e.isDirectory()) {
        await this.dir(full, shown);
      } else if (e.isFile() && isZip(e.name)) {
        await this.zipOnDisk(full, shown, (await stat(full)).size);
      } else if (e.isFile() && isReport(e.name)) {
        this.add(this.fileInput(full, shown, (await stat(full)).size));
      } else if (e.isFile()) {
        this.skipped.push({ displayPath: shown, reason: unsupported(e.name) });
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
      return this.reject(display, size, 'bad_zip', `${display}: not a readable zip archive (${(err as Error).message})`);
    }
    this.open.push(zip);
    await this.zip(zip, display, 1, { total: 0, entries: 0 });
  }

  private async zip(zip: yauzl.ZipFile, display: string, depth: number, budget: ZipBudget) {
    let entries: yauzl.Entry[];
    try {
      entries = await readEntries(zip);
    } catch (err) {
      return this.reject(display, 0, 'bad_zip', `${display}: broken zip directory (${(err as Error).message})`);
    }
    const L = this.limits;
    for (const entry of entries) {
      const name = insideArchive(decodeEntryName(entry.fileNameRaw, entry.generalPurposeBitFlag, entry.extraFields));
      if (name.endsWith('/')) continue;
      const shown = `${display}!/${name}`;
      const skip = isJunk(name) ? 'hidden' : isSymlink(entry) ? 'symbolic link' : !isReport(name) && !isZip(name) ? unsupported(name) : null;
      if (skip) {
        this.skipped.push({ displayPath: shown, reason: skip });
        continue;
      }
      const size = entry.uncompressedSize;
      const problem = entryProblem(entry, shown, L, budget);
      if (problem) this.reject(shown, size, problem.code, problem.message);
      else if (isZip(name)) await this.nestedZip(zip, entry, shown, depth, budget);
      else this.add({ displayPath: shown, name: basename(name), size, read: () => readEntry(zip, entry, shown, L.maxEntryBytes) });
    }
  }

  private async nestedZip(parent: yauzl.ZipFile, entry: yauzl.Entry, display: string, depth: number, budget: ZipBudget) {
    if (depth >= this.limits.maxDepth) {
      return this.reject(display, entry.uncompressedSize, 'zip_depth', `${display}: archives nested more than ${this.limits.maxDepth} deep`);
    }
    let inner: yauzl.ZipFile;
    try {
      const bytes = await readEntry(parent, entry, display, this.limits.maxEntryBytes);
      inner = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, autoClose: false, decodeStrings: false });
    } catch (err) {
      return this.reject(display, entry.uncompressedSize, 'bad_zip', `${display}: not a readable zip archive (${(err as Error).message})`);
    }
    await this.zip(inner, display, depth + 1, budget);
  }

  private reject(display: string, size: number, code: ErrorCode, message: string) {
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

/** An input whose bytes are already at hand (a queue job, an upload). */
export function inputFromBytes(displayPath: string, bytes: Uint8Array): Input {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { displayPath, name: basename(displayPath.replace(/^.*!\//, '')), size: bytes.length, read: async () => buf };
}
