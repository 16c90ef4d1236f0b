/**
 * A second, independent reading of a few table cells of a PDF: each cell's region of the page is rendered
 * (what a reader of the page sees: invisible text and ToUnicode maps play no part in it) and its digits are
 * read by OCR, inside the ruled cell the cell's text lies in. The pipeline calls it for the cells of an error
 * before laying the error to the report; it costs nothing where no identity fails.
 */
import { findGrids, type GridGeometry } from './grid.js';
import { displayedFrame, openPdf, readPage, type PageTurn, type PdfDocument } from './pdf.js';
import { loadOcr } from './pdf-reading.js';
import { grayOf, otsu, type Gray } from './ocr/raster.js';
import type { BBox } from './types.js';

export const REREAD_SETTINGS = {
  /**
   * Render resolutions, one look each while no reading agrees with the cell: 9 pt digits stand ~25 px tall at
   * 300 dpi; at another resolution the recogniser's rare slips on a clean glyph (a 5 read at confidence 0) differ.
   */
  dpis: [300, 200],
  /** The ruled cell shrunk by this (pt) on each side: the rules stay out of the crop, the digits in. */
  ruleInset: 0.6,
  /** Where no ruled cell holds the text (an unruled table), its own box grown by this (pt) across and down. */
  textMargin: [1.5, 1] as [number, number],
  /** A region rendered at most this many pixels (a poster-sized page is read at a lower resolution, never held whole). */
  maxPixels: 40e6,
  /**
   * A page drawing more shadings than this is not drawn for a second look: mesh shadings can take gigabytes and
   * minutes to draw (hostile R4), and a cell that cannot be looked at again is simply not confirmed.
   */
  maxShadings: 50,
};
export type RereadSettings = typeof REREAD_SETTINGS;

/** A cell to read again: its page and its text's box on the page as displayed (the provenance's). */
export interface RereadRequest {
  key: string;
  page: number;
  bbox: BBox;
}

export interface CellReread {
  key: string;
  /** What the image shows, one reading per look: the text read, '' where the cell holds no ink, null where its ink could not be read. */
  readings: (string | null)[];
  /** Whether the box read was the ruled cell's (else the text's own, grown). */
  ruled: boolean;
}

/** Whether a reading of the image agrees with the cell: the caller's judgement; a cell is looked at again until one does. */
export type Agrees = (key: string, reading: string | null) => boolean;

/** Reads the requested cells again from the page images; pages are opened once each. */
export async function rereadCells(bytes: Uint8Array, requests: RereadRequest[], agrees: Agrees, s: RereadSettings = REREAD_SETTINGS): Promise<CellReread[]> {
  if (!requests.length) return [];
  const doc = await openPdf(bytes);
  try {
    const byPage = new Map<number, RereadRequest[]>();
    for (const r of requests) byPage.set(r.page, [...(byPage.get(r.page) ?? []), r]);
    const out: CellReread[] = [];
    for (const [page, reqs] of [...byPage].sort((a, b) => a[0] - b[0])) out.push(...(await rereadPage(doc, page, reqs, agrees, s)));
    return out;
  } finally {
    await doc.destroy();
  }
}

async function rereadPage(doc: PdfDocument, pageNumber: number, reqs: RereadRequest[], agrees: Agrees, s: RereadSettings): Promise<CellReread[]> {
  // The page as the reader read it (its text upright): the rules give the cells, the turn the render.
  const content = await readPage(doc, pageNumber);
  if ((content.shadings ?? 0) > s.maxShadings) throw new Error(`page ${pageNumber} draws ${content.shadings} shadings, too costly to draw for a second look`);
  const frame = displayedFrame(content);
  const grids = findGrids(content.segments);
  const boxes = reqs.map((r) => cellBoxOf(frame ? turnBox(r.bbox, frame) : r.bbox, grids, s));
  const region = clampBox(unionBox(boxes.map((b) => b.box)), content.width, content.height);
  const { readCell, UNREADABLE } = await loadOcr();
  const out: CellReread[] = reqs.map((r, i) => ({ key: r.key, readings: [], ruled: boxes[i].ruled }));
  for (const dpi of s.dpis) {
    const todo = out.map((o, i) => ({ o, box: boxes[i].box })).filter(({ o }) => !o.readings.some((t) => agrees(o.key, t)));
    if (!todo.length) break;
    const k = Math.min(dpi / 72, Math.sqrt(s.maxPixels / Math.max(1, (region[2] - region[0]) * (region[3] - region[1]))));
    const img = await renderRegion(doc, pageNumber, content.turn ?? 0, region, k);
    const thr = otsu(img);
    for (const { o, box: b } of todo) {
      const px: BBox = [(b[0] - region[0]) * k, (b[1] - region[1]) * k, (b[2] - region[0]) * k, (b[3] - region[1]) * k];
      const read = await readCell(img, thr, px, k, true);
      o.readings.push(read === null ? '' : read.text === UNREADABLE ? null : read.text);
    }
  }
  return out;
}

/** The ruled cell that holds a text box (the smallest, should grids nest), inset off its rules; else the text's box grown. */
export function cellBoxOf(text: BBox, grids: GridGeometry[], s: RereadSettings = REREAD_SETTINGS): { box: BBox; ruled: boolean } {
  const [cx, cy] = [(text[0] + text[2]) / 2, (text[1] + text[3]) / 2];
  const holding = grids
    .flatMap((g) => g.cells.map((c) => c.bbox))
    .filter((b) => cx >= b[0] && cx <= b[2] && cy >= b[1] && cy <= b[3])
    .sort((a, b) => (a[2] - a[0]) * (a[3] - a[1]) - (b[2] - b[0]) * (b[3] - b[1]));
  const cell = holding[0];
  if (cell) {
    const d = s.ruleInset;
    return { box: [cell[0] + d, cell[1] + d, cell[2] - d, cell[3] - d], ruled: true };
  }
  const [mx, my] = s.textMargin;
  return { box: [text[0] - mx, text[1] - my, text[2] + mx, text[3] + my], ruled: false };
}

/** A box on the page as displayed, into the frame of the page read turned: the inverse of pdf.ts's unturnBox. */
export function turnBox([x0, y0, x1, y1]: BBox, t: { turn: PageTurn; width: number; height: number }): BBox {
  if (t.turn === 90) return [t.height - y1, x0, t.height - y0, x1];
  if (t.turn === -90) return [y0, t.width - x1, y1, t.width - x0];
  if (t.turn === 180) return [t.width - x1, t.height - y1, t.width - x0, t.height - y0];
  return [x0, y0, x1, y1];
}

const unionBox = (bs: BBox[]): BBox => [Math.min(...bs.map((b) => b[0])), Math.min(...bs.map((b) => b[1])), Math.max(...bs.map((b) => b[2])), Math.max(...bs.map((b) => b[3]))];
const clampBox = (b: BBox, w: number, h: number): BBox => [Math.max(0, b[0]), Math.max(0, b[1]), Math.min(w, b[2]), Math.min(h, b[3])];

interface CanvasAndContext {
  canvas: { width: number; height: number };
  context: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}

/**
 * One region of a page (points, in the frame it was read in: `turn` from the page as displayed) rendered in
 * grey at `k` pixels per point. The document's own canvas factory is used, as raster.ts's renderPage does.
 */
async function renderRegion(doc: PdfDocument, pageNumber: number, turn: PageTurn, region: BBox, k: number): Promise<Gray> {
  const page = await doc.getPage(pageNumber);
  const factory = (doc as unknown as { canvasFactory: { create(w: number, h: number): CanvasAndContext; destroy(c: CanvasAndContext): void } }).canvasFactory;
  const w = Math.max(1, Math.ceil((region[2] - region[0]) * k));
  const h = Math.max(1, Math.ceil((region[3] - region[1]) * k));
  const cc = factory.create(w, h);
  try {
    const viewport = page.getViewport({ scale: k, rotation: (page.rotate + turn + 360) % 360, offsetX: -region[0] * k, offsetY: -region[1] * k });
    await page.render({ canvas: null, canvasContext: cc.context as never, viewport, background: 'white' }).promise;
    return grayOf(cc.context.getImageData(0, 0, w, h).data, w, h);
  } finally {
    factory.destroy(cc);
    page.cleanup();
  }
}
