import yauzl from 'yauzl';
import { fixCjkCompat } from '../format/characters.js';
import { convertToDocx } from './convert.js';
import { Numbering } from './docx-numbering.js';
import { readDocumentXml } from './docx-xml.js';
import type { Extraction } from './extraction.js';
import { gridExtraction } from './html-report.js';
import { wordContainer } from './word-kind.js';
import { DEFAULT_ZIP_LIMITS, entryProblem, InputReadError, readEntries, readEntry, type ZipBudget, type ZipLimits } from './zip.js';

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
export async function readDocxReport(bytes: Uint8Array, what = 'the file'): Promise<Extraction> {
  const container = wordContainer(bytes);
  const docx = container === 'doc' || container === 'rtf' ? await convertToDocx(bytes, container, what) : bytes;
  const pkg = await readPackage(docx, what);
  const { tables, lines } = readDocumentXml(fixCjkCompat(pkg.body), new Numbering(pkg.numbering, pkg.styles));
  return gridExtraction(tables, [pkg.title ?? '', ...lines].filter(Boolean).join('\n'), 'document');
}

interface DocxPackage {
  body: string;
  /** The document's title from its properties, when set (Word and LibreOffice keep a page's <title> there). */
  title: string | null;
  /** Automatic numbering: its definitions, and the styles that apply it. */
  numbering: string | null;
  styles: string | null;
}

/** The body and title of a docx, read under the zip limits; entries that climb out of the archive refuse it. */
export async function readPackage(bytes: Uint8Array, what: string, limits: ZipLimits = DOCX_SETTINGS.zip): Promise<DocxPackage> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true, decodeStrings: false, autoClose: false });
  } catch (err) {
    throw new InputReadError('bad-zip', `${what}: not a readable docx (zip) package (${(err as Error).message})`);
  }
  try {
    let entries: yauzl.Entry[];
    try {
      entries = await readEntries(zip);
    } catch (err) {
      throw new InputReadError('bad-zip', `${what}: broken zip directory (${(err as Error).message})`);
    }
    if (entries.length > limits.maxEntries) throw new InputReadError('zip-limit', `${what}: the docx has more than ${limits.maxEntries} entries`);
    const byName = new Map<string, yauzl.Entry>();
    for (const e of entries) {
      const name = e.fileNameRaw.toString('utf8');
      // A package names its parts inside itself; a name that leaves it is an attack, never a Word file.
      if (/(^|[\\/])\.\.([\\/]|$)/.test(name) || /^([\\/]|[A-Za-z]:)/.test(name)) {
        throw new InputReadError('bad-zip', `${what}: entry "${name}" points outside the archive; refused`);
      }
      byName.set(name, e);
    }
    const budget: ZipBudget = { total: 0, entries: 0 };
    const part = async (name: string) => {
      const entry = byName.get(name);
      if (!entry) return null;
      const shown = `${what}!/${name}`;
      const problem = entryProblem(entry, shown, limits, budget);
      if (problem) throw problem;
      return (await readEntry(zip, entry, shown, limits.maxEntryBytes)).toString('utf8');
    };
    const body = await part(mainPartName(await part('_rels/.rels')));
    if (body === null) throw new InputReadError('unsupported', `${what}: a zip without ${MAIN_PART}, not a Word document`);
    const core = await part(CORE_PART);
    return { body, title: core ? titleOf(core) : null, numbering: await part('word/numbering.xml'), styles: await part('word/styles.xml') };
  } finally {
    zip.close();
  }
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
