import type { QuarterTurn } from './ocr/orientation.js';
import type { ExtractOptions } from './index.js';
import type { Extraction } from './extraction.js';
import { defaultPdfLimits, oversizedImages, openPdf, pageText, PdfReadError, readPage, displayedFrame, unturnBox, type PageTurn, type PdfLimits } from './pdf.js';
import { pageTables } from './grid.js';
import { type UnruledCarry, unruledTables } from './unruled.js';
import { mismappedText, needsOcr } from './ocr/detect.js';
import { mapTables, type MappedCells } from '../normalize/tables.js';
import { readMeta } from '../normalize/meta.js';
import type { PageContent, Table } from './types.js';

export { unturnBox };

/**
 * The ruled tables of a page; where a page has none, its text layout stands in for the rules. Pass one `carry`
 * through a document's pages so that unruled tables cut by a page break line up.
 */
export function tablesOf(content: PageContent, carry: UnruledCarry = {}): Table[] {
  const ruled = pageTables(content);
  if (ruled.length) carry.last = undefined;
  return ruled.length ? ruled : unruledTables(content, carry);
}

let ocrModule: Promise<typeof import('./ocr/index.js')> | undefined;

/** Ends the OCR engines if any page of this process needed them (they would keep a one-shot CLI alive). */
export async function releaseOcr(): Promise<void> {
  if (ocrModule) await (await ocrModule).terminateOcr();
  ocrModule = undefined;
}

/** A digital (or scanned) PDF report → canonical cells, metadata and page text. */
export async function readPdfReport(bytes: Uint8Array, opts: ExtractOptions): Promise<Extraction> {
  const doc = await openPdf(bytes);
  try {
    const pages: PageContent[] = [];
    const notes: string[] = [];
    let ocr = false;
    const L = defaultPdfLimits;
    const last = Math.min(doc.numPages, L.maxPages);
    if (doc.numPages > last) notes.push(`only pages 1–${last} of ${doc.numPages} were read (limit ${L.maxPages} pages)`);
    const failed: string[] = [];
    // What the scanned pages so far showed of their orientation, for the pages that do not show it themselves.
    let turns: { sideways?: QuarterTurn; unsure: QuarterTurn } = { unsure: 0 };
    // Pages read turned, with their own size: their boxes go back to the page as it is.
    const turned = new Map<number, { turn: PageTurn; width: number; height: number }>();
    /** A page read from its image; the page as it was where it is too large to OCR. */
    const readImage = async (p: number, content: PageContent): Promise<PageContent> => {
      ocrModule ??= import('./ocr/index.js');
      const { ocrPage, OCR_DEFAULTS } = await ocrModule;
      const dpi = ocrDpi(content, L, scanDpi(content.imageDpi, OCR_DEFAULTS.dpi));
      if (dpi < L.ocrMinDpi) {
        notes.push(`page ${p} (${Math.round(content.width)} × ${Math.round(content.height)} pt) is too large to OCR`);
        return content;
      }
      const read = await ocrPage(doc, p, { dpi, textDpi: Math.min(OCR_DEFAULTS.textDpi, dpi), turns });
      if (read.sideways !== null) turns = { sideways: read.sideways ? read.turn : turns.sideways, unsure: read.turn };
      const frame = displayedFrame(read);
      if (frame) {
        notes.push(`page ${p} was scanned sideways: read turned ${read.turn > 0 ? 'clockwise' : 'counter-clockwise'}`);
        turned.set(p, frame);
      }
      return read;
    };
    for (let p = 1; p <= last; p++) {
      let content: PageContent & { turn?: PageTurn };
      try {
        content = await readPage(doc, p);
      } catch (err) {
        if (err instanceof PdfReadError && err.code === 'too_large') throw err; // a bomb is the document's, not a page's
        // A broken page (a cycle, nesting past the stack) costs that page, not the document.
        failed.push(`page ${p} could not be read: ${(err as Error)?.message ?? err}`);
        pages.push({ page: p, width: 0, height: 0, items: [], segments: [] });
        continue;
      }
      const frame = displayedFrame(content);
      if (frame) {
        notes.push(`page ${p} is displayed turned ${frame.turn === 180 ? 'upside down' : 'a quarter'}: its text was read upright`);
        turned.set(p, frame);
      }
      // Image-only pages (scans) and pages whose text layer is garbage are read from their image.
      if (opts.ocr !== false && needsOcr(content)) {
        turned.delete(p);
        const read = await readImage(p, content);
        pages.push(read);
        if (read !== content) ocr = true;
      } else pages.push(content);
    }
    if (failed.length === last) throw new PdfReadError('corrupt', `no page could be read (${failed[0] ?? 'the document has no pages'})`);
    notes.push(...failed);
    const big = oversizedImages(bytes, L.maxImagePixels);
    if (big.length) notes.push(`images over ${L.maxImagePixels / 1e6} MP were left out (${big.join(', ')} px)`);
    let mapped = mapPages(pages);
    // Pages whose text layer may not be the page (mis-mapped glyphs, another program's OCR over a scan, a
    // table pasted as a picture) are read again from their image, and the two readings put together.
    const missing = ['t2.', 't3.', 't4.'].some((t) => !Object.keys(mapped.cells).some((k) => k.startsWith(t)));
    const suspect = opts.ocr === false ? [] : pages.flatMap((c) => (isOcr(c) ? [] : [{ c, why: suspicion(c, mapped, missing) }])).filter((s) => s.why);
    if (suspect.length) {
      const again = [...pages];
      const text = [...pages];
      for (const { c, why } of suspect) {
        const read = await readImage(c.page, c);
        if (read === c) continue;
        again[c.page - 1] = read;
        // A page of good text with a picture in it keeps its own text (the narrative checks read it).
        if (why!.kind !== 'picture' || pageText(c).replace(/\s+/g, '').length < OWN_TEXT) text[c.page - 1] = read;
        notes.push(`page ${c.page}: ${why!.text}; the page was also read from its image`);
      }
      if (again.some((c, i) => c !== pages[i])) {
        mapped = mergeReadings(mapped, mapPages(again));
        pages.splice(0, pages.length, ...text);
        ocr = true;
      }
    }
    for (const p of Object.values(mapped.provenance)) {
      const t = p.page !== undefined ? turned.get(p.page) : undefined;
      if (t && p.bbox) p.bbox = unturnBox(p.bbox, t);
    }
    // Numbers read by OCR that break an identity which a one-digit misreading would explain are doubted.
    if (ocr) (await ocrModule!).doubtByIdentities(mapped.cells, mapped.provenance);
    const text = pages.map(pageText);
    const meta = readMeta(text);
    return {
      pages: doc.numPages,
      ocr: ocr && Object.values(mapped.provenance).some((p) => p.via === 'ocr'),
      meta: { ...meta, format: mapped.format },
      cells: mapped.cells,
      provenance: mapped.provenance,
      notes: [...notes, ...mapped.notes],
      text: { pages: text },
    };
  } finally {
    await doc.destroy();
  }
}

const isOcr = (c: PageContent) => 'skew' in c;

/**
 * Rows of numbers on one page whose labels match no official row, from which its text layer is suspect: an
 * agency's own extra row or two (其中：…) is not enough.
 */
const UNMATCHED_ROWS = 3;

/** A scanned page lies under at least this share of the page. */
const SCAN_COVER = 0.5;

/** An image this large on a page without rules may be a table pasted as a picture. */
const PICTURE_COVER = 0.2;

/** Characters of its own text from which a page with a picture in it keeps that text rather than its image's. */
const OWN_TEXT = 200;

/** Why a page's text layer is not to be trusted alone, or null; `missingSection`: the report lacks 二, 三 or 四. */
function suspicion(c: PageContent, mapped: MappedCells, missingSection: boolean): { kind: 'sandwich' | 'picture' | 'mismapped' | 'unmatched'; text: string } | null {
  if (c.invisibleText && (c.imageCover ?? 0) >= SCAN_COVER) return { kind: 'sandwich', text: 'a scan under an invisible text layer (another program\'s OCR, of unknown quality)' };
  if ((c.imageCover ?? 0) >= PICTURE_COVER && c.segments.length < 4) return { kind: 'picture', text: 'an image covers much of it and no rules are drawn (a table pasted as a picture?)' };
  if (mismappedText(c)) return { kind: 'mismapped', text: 'its text layer maps some glyphs to wrong characters' };
  if (mapped.unmatched.filter((u) => u === c.page).length >= UNMATCHED_ROWS) return { kind: 'unmatched', text: 'its text layer gives rows of numbers whose labels match no official row' };
  // Tables under headings the reader does not know, in a report missing one of its sections: a text layer that
  // maps glyphs to other Chinese characters (行政处罚 comes out as 行敀夅罛) reads like this.
  if (missingSection && mapped.unknownTables.includes(c.page)) return { kind: 'unmatched', text: 'its tables have headings the reader does not know, and the report lacks a section' };
  return null;
}

function mapPages(pages: PageContent[]): MappedCells {
  const carry: UnruledCarry = {};
  return mapTables(pages.flatMap((p) => tablesOf(p, carry)));
}

/**
 * The reading from the text layer and the reading with its suspect pages read from their image, put together:
 * a cell both give alike keeps the text layer's reading, a cell only one gives is taken from it, and a cell they
 * give differently is left out (one of them misread it, and nothing tells which).
 */
export function mergeReadings(text: MappedCells, image: MappedCells): MappedCells {
  const cells: MappedCells['cells'] = {};
  const provenance: MappedCells['provenance'] = {};
  const notes = [...image.notes];
  for (const key of new Set([...Object.keys(text.cells), ...Object.keys(image.cells)])) {
    const [a, b] = [key in text.cells, key in image.cells];
    if (a && b && text.cells[key] !== image.cells[key]) {
      notes.push(`${key}: the text layer gives ${text.cells[key]}, the page's image ${image.cells[key]}; left out`);
      continue;
    }
    const from = a ? text : image;
    cells[key] = from.cells[key];
    provenance[key] = from.provenance[key];
  }
  const layout = image.layout ?? text.layout;
  return { layout, format: image.layout ? image.format : text.format, cells, provenance, notes, unmatched: image.unmatched, unknownTables: image.unknownTables };
}

/** Beyond this a scan is read below its own resolution: 300 dpi holds any table text, more only costs time. */
const MAX_SCAN_DPI = 300;

/**
 * A page is read at its scan's own resolution (from the default up to MAX_SCAN_DPI): rendered smaller,
 * the thin grey rules of a 300 dpi scan blur into the paper and its tables are not found.
 */
export function scanDpi(imageDpi: number | undefined, preferred: number): number {
  return imageDpi ? Math.min(MAX_SCAN_DPI, Math.max(preferred, imageDpi)) : preferred;
}

/** The OCR resolution for a page: the preferred one, less where the image would be too large to hold or to read. */
function ocrDpi(content: PageContent, L: PdfLimits, preferred: number): number {
  const w = Math.max(content.width, 1) / 72;
  const h = Math.max(content.height, 1) / 72;
  return Math.floor(Math.min(preferred, Math.sqrt(L.ocrMaxPixels / (w * h)), L.ocrMaxSide / Math.max(w, h)));
}
