import yauzl from 'yauzl';
import { fixCjkCompat } from '../format/characters.js';
import { convertToDocx } from './convert.js';
import { Numbering } from './docx-numbering.js';
import { readDocumentXml, type Chunks } from './docx-xml.js';
import { ReadError, type ErrorCode } from '../record/errors.js';
import type { Reading } from './reader.js';
import { isMht, mhtHtml } from './mht.js';
import { declaredCharset, decodeBytes } from './text-decode.js';
import { wordContainer } from './word-kind.js';
import { DEFAULT_ZIP_LIMITS, entryProblem, InputReadError, readEntries, readEntry, type ZipBudget, type ZipLimits } from './zip.js';
import { note, type Note } from '../record/notes.js';

/**
 * A Word report → canonical cells: a .docx is read from its own XML (docx-xml.ts); a binary .doc or .wps,
 * or an RTF, is first converted to .docx by LibreOffice (convert.ts). The package is a zip, read in memory
 * under the same limits as a batch's archives, tighter where a docx is concerned: only the parts we read
 * are inflated, and the body's XML is parsed whole, so it is held to a size a worker's heap can parse.
 */

export const DOCX_SETTINGS: { zip: ZipLimits } = {
  zip: {
    ...DEFAULT_ZIP_LIMITS,
    // Nothing inside a docx is opened as an archive.
    maxDepth: 1,
    // The body of a long report is a few MB of XML; its parsed tree takes about ten times that.
    maxEntryBytes: 64 * 2 ** 20,
    maxTotalBytes: 128 * 2 ** 20,
    maxEntries: 10_000,
  },
};

const MAIN_PART = 'word/document.xml';
const CORE_PART = 'docProps/core.xml';
export async function readDocxReport(bytes: Uint8Array, what = 'the file'): Promise<Reading> {
  const container = wordContainer(bytes);
  const docx = container === 'doc' || container === 'rtf' || container === 'odt' ? await convertToDocx(bytes, container, what) : bytes;
  const pkg = await readPackage(docx, what).catch((err: unknown) => {
    // The archive helpers throw their own error class; the record gets the same code as a ReadError.
    throw err instanceof InputReadError ? new ReadError(err.code, err.message) : err;
  });
  const { tables, lines } = readDocumentXml(fixCjkCompat(pkg.body), new Numbering(pkg.numbering, pkg.styles), pkg.chunks);
  const notes = [...pkg.notes, ...(tables.length ? [] : [note('no_table', 'no table found in the document')])];
  return { pageCount: 1, tables, notes, text: [[pkg.title ?? '', ...lines].filter(Boolean).join('\n')] };
}

interface DocxPackage {
  body: string;
  /** The document's title from its properties, when set (Word and LibreOffice keep a page's <title> there). */
  title: string | null;
  /** Automatic numbering: its definitions, and the styles that apply it. */
  numbering: string | null;
  styles: string | null;
  /** HTML parts the body takes in (w:altChunk), by relationship id. */
  chunks: Chunks;
  /** Parts referenced but not read (a chunk in a format other than HTML). */
  notes: Note[];
}

/** The parts of a docx we read, under the zip limits; entries that climb out of the archive refuse it. */
export async function readPackage(bytes: Uint8Array, what: string, limits: ZipLimits = DOCX_SETTINGS.zip): Promise<DocxPackage> {
  const pkg = await openPackage(bytes, what, limits);
  try {
    const text = async (name: string) => (await pkg.part(name))?.toString('utf8') ?? null;
    const main = mainPartName(await text('_rels/.rels'));
    const body = await text(main);
    if (body === null) throw new ReadError('unsupported', `${what}: a zip without ${main}, not a Word document`);
    const core = await text(CORE_PART);
    const { chunks, notes } = await readChunks(body, main, pkg.part, what);
    return { body, title: core ? titleOf(core) : null, numbering: await text('word/numbering.xml'), styles: await text('word/styles.xml'), chunks, notes };
  } finally {
    pkg.close();
  }
}

/** A docx's zip, its entry names checked; parts are inflated one by one, each under the limits and a shared budget. */
async function openPackage(bytes: Uint8Array, what: string, limits: ZipLimits) {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, decodeStrings: false, autoClose: false });
  } catch (err) {
    throw new ReadError('bad_zip', `${what}: not a readable docx (zip) package (${(err as Error).message})`);
  }
  const close = () => zip.close();
  try {
    const entries = await readEntries(zip).catch((err: Error) => {
      throw new ReadError('bad_zip', `${what}: broken zip directory (${err.message})`);
    });
    if (entries.length > limits.maxEntries) throw new ReadError('zip_limit', `${what}: the docx has more than ${limits.maxEntries} entries`);
    const byName = new Map<string, yauzl.Entry>();
    for (const e of entries) {
      const name = e.fileNameRaw.toString('utf8');
      // A package names its parts inside itself; a name that leaves it is an attack, never a Word file.
      if (/(^|[\\/])\.\.([\\/]|$)/.test(name) || /^([\\/]|[A-Za-z]:)/.test(name)) {
        throw new ReadError('bad_zip', `${what}: entry "${name}" points outside the archive; refused`);
      }
      byName.set(name, e);
    }
    const budget: ZipBudget = { total: 0, entries: 0 };
    const part = async (name: string): Promise<Buffer | null> => {
      const entry = byName.get(name);
      if (!entry) return null;
      const shown = `${what}!/${name}`;
      const problem = entryProblem(entry, shown, limits, budget);
      if (problem) throw problem;
      return readEntry(zip, entry, shown, limits.maxEntryBytes);
    };
    return { part, close };
  } catch (err) {
    close();
    throw err;
  }
}

/** The HTML chunks (w:altChunk) the body refers to, through the main part's relationships; MHTML unwrapped. */
async function readChunks(body: string, main: string, part: (name: string) => Promise<Buffer | null>, what: string) {
  const chunks: Chunks = new Map();
  const notes: Note[] = [];
  const ids = [...body.matchAll(/<(?:\w+:)?altChunk\b[^>]*?\br:id="([^"]+)"/g)].map((m) => m[1]);
  if (!ids.length) return { chunks, notes };
  const folder = main.includes('/') ? main.slice(0, main.lastIndexOf('/') + 1) : '';
  const rels = (await part(`${folder}_rels/${main.slice(folder.length)}.rels`))?.toString('utf8') ?? '';
  for (const id of new Set(ids)) {
    const rel = rels.match(new RegExp(`<Relationship\\b[^>]*\\bId="${id.replace(/\W/g, '')}"[^>]*>`))?.[0];
    const target = rel?.match(/Target="([^"]+)"/)?.[1];
    if (!target) continue;
    const name = target.startsWith('/') ? target.slice(1) : folder + target;
    const bytes = await part(name);
    if (!bytes) continue;
    const head = bytes.subarray(0, 1024).toString('latin1');
    if (isMht(bytes)) chunks.set(id, mhtHtml(bytes) ?? '');
    else if (/<html|<!doctype html|<table|<body/i.test(head)) chunks.set(id, decodeBytes(bytes, declaredCharset(bytes)));
    else notes.push(note('page_not_read', `${what}: embedded part ${name} is not HTML and was not read`));
  }
  return { chunks, notes };
}

/** The main document part the package's relationships name (almost always word/document.xml). */
function mainPartName(rels: string | null): string {
  const rel = rels?.match(/<Relationship\b[^>]*Type="[^"]*\/officeDocument"[^>]*>/)?.[0];
  const target = rel?.match(/Target="\/?([^"]+)"/)?.[1];
  return target && !target.includes('..') ? target : MAIN_PART;
}

function titleOf(core: string): string | null {
  const t = core.match(/<dc:title>([^<]*)<\/dc:title>/)?.[1];
  return t ? t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&').trim() || null : null;
}
