import type { QuarterTurn } from './ocr/orientation.js';
import type { ReadOptions } from './reader.js';
import { ReadError } from '../record/errors.js';
import { defaultPdfLimits, displayedFrame, oversizedImages, openPdf, readPage, type PageTurn, type PdfDocument, type PdfLimits } from './pdf.js';
import { pageTables } from './grid.js';
import { type UnruledCarry, unruledTables } from './unruled.js';
import { mendRowLabels } from './unruled-labels.js';
import { joinPageBreaks } from './page-breaks.js';
import { needsOcr } from './ocr/detect.js';
import type { PageContent, Table } from './types.js';
import { note, type Note } from '../record/notes.js';

/**
 * The ruled tables of a page; where a page has none, its text layout stands in for the rules. Pass one `carry`
 * through a document's pages so that unruled tables cut by a page break line up.
 */
export function tablesOf(content: PageContent, carry: UnruledCarry = {}): Table[] {
  const ruled = pageTables(content);
  if (ruled.length) carry.last = undefined;
  // Without rules, rows are told by their labels: OCR's readings of them are mended first.
  return ruled.length ? ruled : unruledTables({ ...content, items: mendRowLabels(content.items) }, carry);
}

/** The tables of a document's pages, in order; a table cut by a page break is one table again. */
export function documentTables(pages: PageContent[]): Table[] {
  const carry: UnruledCarry = {};
  return joinPageBreaks(pages.flatMap((p) => tablesOf(p, carry)));
}

/** The OCR machinery, loaded on first use (releaseOcr ends its engines). */
let ocrModule: Promise<typeof import('./ocr/index.js')> | undefined;
export const loadOcr = () => (ocrModule ??= import('./ocr/index.js'));

/** Ends the OCR engines if any page of this process needed them (they would keep a one-shot CLI alive). */
export async function releaseOcr(): Promise<void> {
  if (ocrModule) await (await ocrModule).terminateOcr();
  ocrModule = undefined;
}

/** The frame of a page read turned: its boxes go back onto the page as displayed (see unturnBox). */
export type Frame = { turn: PageTurn; width: number; height: number };

/** One page as read: from its text layer or its image, and the frame its boxes must be turned back by. */
export interface PageReading {
  content: PageContent;
  from: 'text' | 'image' | 'failed';
  frame: Frame | null;
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

/** An open PDF, read page by page from its text layer, and from its images where they hold the page. */
export class PdfReader {
  readonly notes: Note[] = [];
  /** What the scanned pages so far showed of their orientation, for the pages that do not show it themselves. */
  private turns: { sideways?: QuarterTurn; unsure: QuarterTurn } = { unsure: 0 };

  private constructor(
    readonly doc: PdfDocument,
    private readonly bytes: Uint8Array,
    private readonly opts: ReadOptions,
    private readonly limits: PdfLimits,
  ) {}

  static async open(bytes: Uint8Array, opts: ReadOptions, limits: PdfLimits = defaultPdfLimits): Promise<PdfReader> {
    return new PdfReader(await openPdf(bytes), bytes, opts, limits);
  }

  get pageCount(): number {
    return this.doc.numPages;
  }

  /** Every page (up to the limit): text layer, or image where the page has no usable text. */
  async readPages(): Promise<PageReading[]> {
    const L = this.limits;
    const last = Math.min(this.doc.numPages, L.maxPages);
    if (this.doc.numPages > last) this.notes.push(note('page_not_read', `only pages 1–${last} of ${this.doc.numPages} were read (limit ${L.maxPages} pages)`));
    const pages: PageReading[] = [];
    const failed: Note[] = [];
    for (let p = 1; p <= last; p++) {
      const page = await this.readOne(p, failed);
      pages.push(page);
    }
    if (failed.length === last) throw new ReadError('corrupt', `no page could be read (${failed[0]?.text ?? 'the document has no pages'})`);
    this.notes.push(...failed);
    const big = oversizedImages(this.bytes, L.maxImagePixels);
    if (big.length) this.notes.push(note('page_not_read', `images over ${L.maxImagePixels / 1e6} MP were left out (${big.join(', ')} px)`));
    return pages;
  }

  private async readOne(p: number, failed: Note[]): Promise<PageReading> {
    let content: PageContent & { turn?: PageTurn };
    try {
      content = await readPage(this.doc, p);
    } catch (err) {
      if (err instanceof ReadError && err.code === 'too_large') throw err; // a bomb is the document's, not a page's
      // A broken page (a cycle, nesting past the stack) costs that page, not the document.
      failed.push(note('page_not_read', `page ${p} could not be read: ${(err as Error)?.message ?? err}`, { page: p }));
      return { content: { page: p, width: 0, height: 0, items: [], segments: [] }, from: 'failed', frame: null };
    }
    // Image-only pages (scans) and pages whose text layer is garbage are read from their image.
    if (this.opts.ocr !== false && needsOcr(content)) {
      const read = await this.fromImage(content);
      if (read) return read;
    }
    const frame = displayedFrame(content);
    if (frame) this.notes.push(note('page_turned', `page ${p} is displayed turned ${frame.turn === 180 ? 'upside down' : 'a quarter'}: its text was read upright`, { page: p }));
    return { content, from: 'text', frame };
  }

  /** A page read from its image; null where it is too large to OCR (the record says so). */
  async fromImage(content: PageContent): Promise<PageReading | null> {
    const { ocrPage, OCR_DEFAULTS } = await loadOcr();
    const p = content.page;
    const dpi = ocrDpi(content, this.limits, scanDpi(content.imageDpi, OCR_DEFAULTS.dpi));
    if (dpi < this.limits.ocrMinDpi) {
      this.notes.push(note('page_not_read', `page ${p} (${Math.round(content.width)} × ${Math.round(content.height)} pt) is too large to OCR`, { page: p }));
      return null;
    }
    const read = await ocrPage(this.doc, p, { dpi, textDpi: Math.min(OCR_DEFAULTS.textDpi, dpi), turns: this.turns });
    if (read.sideways !== null) this.turns = { sideways: read.sideways ? read.turn : this.turns.sideways, unsure: read.turn };
    const frame = displayedFrame(read);
    if (frame) this.notes.push(note('page_turned', `page ${p} was scanned sideways: read turned ${read.turn > 0 ? 'clockwise' : 'counter-clockwise'}`, { page: p }));
    return { content: read, from: 'image', frame };
  }

  /** Numbers read by OCR that break an identity which a one-digit misreading would explain are doubted. */
  async doubtOcr(cells: Record<string, number | null>, provenance: Parameters<Awaited<ReturnType<typeof loadOcr>>['doubtByIdentities']>[1]): Promise<void> {
    (await loadOcr()).doubtByIdentities(cells, provenance);
  }

  async close(): Promise<void> {
    await this.doc.destroy();
  }
}
