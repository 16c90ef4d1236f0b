import { ReadError } from '../record/errors.js';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';
import type { BBox, PageContent, Segment, TextItem } from './types.js';
import { fixCjkCompat } from '../format/characters.js';
import { groupLines } from './lines.js';

const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));
const asDirUrl = (p: string) => pathToFileURL(join(pdfjsRoot, p)).href + '/';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsPromise: Promise<Pdfjs> | undefined;
/** Imported lazily: the import alone costs ~0.1 s, which text and HTML inputs need not pay. */
export const loadPdfjs = () => (pdfjsPromise ??= import('./pdfjs-load.mjs').then((m) => m.pdfjs));


/** Bounds on what one document may cost: a hostile or broken file is read as far as they allow, and says so. */
export interface PdfLimits {
  /** Pages read: reports run to a few dozen; a longer file is read up to here and its record says so. */
  maxPages: number;
  /** pdfjs leaves out images over this many pixels: decoding one costs ~4 bytes a pixel, several times over. */
  maxImagePixels: number;
  /** A page is rendered for OCR at a dpi that keeps its image under this many pixels… */
  ocrMaxPixels: number;
  /** …and under this many pixels a side (tesseract.js crashes its worker on an image over 32 767 px wide). */
  ocrMaxSide: number;
  /** Below this dpi OCR reads nothing useful: such a page (a 10 m wide poster) is not OCR'd, and the record says so. */
  ocrMinDpi: number;
  /**
   * Largest decompressed stream, and all streams together. pdfjs holds a decoded stream in one buffer outside
   * the V8 heap, where a worker's heap limit does not reach: a 1 MB file can inflate to gigabytes.
   */
  maxStreamBytes: number;
  maxTotalStreamBytes: number;
}
export const defaultPdfLimits: PdfLimits = {
  maxPages: 300,
  maxImagePixels: 40e6,
  ocrMaxPixels: 25e6,
  ocrMaxSide: 16000,
  ocrMinDpi: 100,
  maxStreamBytes: 128 * 2 ** 20, // a 40 MP colour scan is 120 MB
  maxTotalStreamBytes: 512 * 2 ** 20,
};

export type PdfDocument = Awaited<ReturnType<Pdfjs['getDocument']>['promise']>;

/** getDocument options: CMaps and fonts from the package, nothing of the document evaluated. */
export const documentOptions = () => ({
  cMapUrl: asDirUrl('cmaps'),
  cMapPacked: true,
  standardFontDataUrl: asDirUrl('standard_fonts'),
  isEvalSupported: false,
  enableXfa: false,
  disableFontFace: true,
  useSystemFonts: false,
  verbosity: 0,
  // A 12 000 × 12 000 px scan would take ~2 GB to render: past this size pdfjs leaves the image out.
  maxImageSize: defaultPdfLimits.maxImagePixels,
});

/** Opens a PDF with nothing of the document ever evaluated (no eval, no scripts, no XFA). */
export async function openPdf(bytes: Uint8Array): Promise<PdfDocument> {
  if (bytes.length === 0) throw new ReadError('empty', 'the file is empty');
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) throw new ReadError('not_pdf', 'not a PDF (no %PDF- header)');
  refuseBombs(bytes, defaultPdfLimits);
  const pdfjs = await loadPdfjs();
  capDecodedStreams(defaultPdfLimits);
  Object.assign(decoded, { total: 0, over: false }); // the total is per document: a process reads one at a time (a worker, the anomaly renderer)
  const task = pdfjs.getDocument({ ...documentOptions(), data: new Uint8Array(bytes) }); // pdfjs detaches the buffer it is given
  let doc: PdfDocument;
  try {
    doc = await task.promise;
  } catch (err) {
    const e = err as { name?: string; message?: string };
    if (e?.name === 'PasswordException') throw new ReadError('encrypted', 'the PDF needs a password');
    throw new ReadError('corrupt', `pdfjs could not open it: ${e?.message ?? String(err)}`);
  }
  await withPageCount(doc, defaultPdfLimits.maxPages);
  return doc;
}

/**
 * A page tree's /Count is only a claim: pdfjs takes any integer, a negative one too. A count under one is
 * replaced by the pages that can be opened (up to one past the page limit, so that the record can still say
 * there were more).
 */
async function withPageCount(doc: PdfDocument, maxPages: number) {
  if (Number.isInteger(doc.numPages) && doc.numPages >= 1) return;
  let n = 0;
  while (n <= maxPages && (await doc.getPage(n + 1).then(() => true, () => false))) n++;
  Object.defineProperty(doc, 'numPages', { value: n });
}

/** Decoded bytes of the document being read, against maxTotalStreamBytes. */
const decoded = { total: 0, over: false, capped: false };

/** What a decoded stream past the limits throws, inside pdfjs: the page that needs it fails, and says why. */
export const DECODE_CAP_MESSAGE = `a compressed stream expands past ${defaultPdfLimits.maxStreamBytes / 2 ** 20} MB, or all of them past ${defaultPdfLimits.maxTotalStreamBytes / 2 ** 20} MB (a decompression bomb?)`;

/**
 * Bounds every stream pdfjs decodes, at the point of decoding: whatever the filter chain (Flate, LZW,
 * ASCIIHex, ASCII85, RunLength, predictors, decryption) and however the stream is written, its decoder grows
 * its buffer through DecodeStream.ensureBuffer. That class is not exported, so its prototype is taken from
 * the first instance, caught by a setter for a property only its constructor assigns (_rawMinBufferLength);
 * the setter is removed as soon as the prototype is found. refuseBombs still refuses plain zlib bombs before
 * pdfjs starts; this is what holds for everything else.
 */
function capDecodedStreams(L: Pick<PdfLimits, 'maxStreamBytes' | 'maxTotalStreamBytes'>) {
  if (decoded.capped) return;
  decoded.capped = true;
  const key = '_rawMinBufferLength';
  Object.defineProperty(Object.prototype, key, {
    configurable: true,
    set(this: object, value: number) {
      Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
      // The highest prototype with its own ensureBuffer is DecodeStream's (image decoders override it with a no-op).
      let proto: { ensureBuffer?: unknown } | null = null;
      for (let p = Object.getPrototypeOf(this); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) if (Object.prototype.hasOwnProperty.call(p, 'ensureBuffer')) proto = p;
      if (!proto) return;
      delete (Object.prototype as Record<string, unknown>)[key];
      const grow = proto.ensureBuffer as (this: { buffer: Uint8Array }, requested: number) => Uint8Array;
      proto.ensureBuffer = function (this: { buffer: Uint8Array }, requested: number) {
        if (requested <= this.buffer.byteLength) return this.buffer;
        const before = this.buffer.byteLength;
        // Once one stream is over, so is the document: its other decodings (text and drawing run side by side) stop too.
        decoded.over ||= requested > L.maxStreamBytes || decoded.total + requested - before > L.maxTotalStreamBytes;
        if (decoded.over) throw new Error(DECODE_CAP_MESSAGE);
        const buffer = grow.call(this, requested);
        decoded.total += buffer.byteLength - before;
        return buffer;
      };
    },
  });
}

/**
 * Images in the file larger than `maxPixels`, as "W × H" (pdfjs leaves them out, so the record can say why a
 * page is blank). Image dictionaries are never compressed (a stream cannot sit in an object stream) nor
 * encrypted (only strings and streams are), so their sizes can be read from the raw bytes.
 */
export function oversizedImages(bytes: Uint8Array, maxPixels: number): string[] {
  const raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const found = new Set<string>();
  for (const m of raw.matchAll(/\/Width\s+(\d{1,9})\b/g)) {
    const near = raw.slice(Math.max(0, m.index - 400), m.index + 400);
    const h = /\/Height\s+(\d{1,9})\b/.exec(near);
    if (h && /\/Subtype\s*\/Image\b/.test(near) && Number(m[1]) * Number(h[1]) > maxPixels) found.add(`${m[1]} × ${h[1]}`);
  }
  return [...found];
}

/** Deflate's largest expansion: a 258-byte match can cost as little as two bits. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * Refuses a file whose zlib streams would expand past the limits. Streams are found by the zlib header
 * after `stream`, so no parsing is needed; encrypted streams do not inflate and are passed over (the file
 * key is not ours to use here). Deflate expands at most ~1032:1, so a stream that could not pass its
 * limit even at that ratio is not inflated, nor any stream when the whole file could not pass the total:
 * most reports are checked without inflating anything (pdfjs inflates them again anyway).
 */
export function refuseBombs(bytes: Uint8Array, L: Pick<PdfLimits, 'maxStreamBytes' | 'maxTotalStreamBytes' | 'maxImagePixels'>): void {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const raw = buf.toString('latin1');
  const streams: { at: number; end: number; cap: number }[] = [];
  for (const m of raw.matchAll(/stream\r?\n/g)) {
    const at = m.index + m[0].length;
    if (buf[at] !== 0x78 || ((buf[at] << 8) | buf[at + 1]) % 31 !== 0) continue;
    // pdfjs never decodes an image over maxImageSize; one under it needs at most 8 bytes a pixel (CMYK, 16 bit).
    const dict = raw.slice(Math.max(raw.lastIndexOf(' obj', m.index), m.index - 2000), m.index);
    const px = /\/Subtype\s*\/Image\b/.test(dict) ? Number(/\/Width\s+(\d+)/.exec(dict)?.[1]) * Number(/\/Height\s+(\d+)/.exec(dict)?.[1]) : NaN;
    if (px > L.maxImagePixels) continue;
    const cap = px > 0 ? Math.min(L.maxStreamBytes, px * 8 + 2 ** 16) : L.maxStreamBytes;
    const end = raw.indexOf('endstream', at);
    streams.push({ at, end: end < 0 ? buf.length : end, cap });
  }
  const most = (s: { at: number; end: number }) => (s.end - s.at) * MAX_DEFLATE_RATIO + 2 ** 16;
  const totalNeedsSizes = streams.reduce((n, s) => n + most(s), 0) > L.maxTotalStreamBytes;
  let total = 0;
  for (const { at, end, cap } of streams) {
    if (!totalNeedsSizes && most({ at, end }) <= cap) continue;
    let size: number;
    try {
      size = inflateSync(buf.subarray(at, end), { maxOutputLength: cap }).length;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') continue; // damaged: pdfjs copes or says so
      throw new ReadError('too_large', `a compressed stream at byte ${at} expands past ${cap} bytes (a decompression bomb?)`);
    }
    total += size;
    if (total > L.maxTotalStreamBytes)
      throw new ReadError('too_large', `the compressed streams expand past ${L.maxTotalStreamBytes / 2 ** 20} MB together (a decompression bomb?)`);
  }
}

type Matrix = [number, number, number, number, number, number];
const mul = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5],
];
const apply = (m: Matrix, x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];

/** Rectangles thinner than this are rules drawn as fills (Chromium, LibreOffice). */
const MAX_RULE_THICKNESS = 2.5;

/**
 * When a page's operator list (its drawing: rules, images; most of pdfjs's time on a page) can be left unread:
 * the document holds no image at all, and the page's text is a narrative, long and without rows of numbers.
 */
export const pageReadSettings = {
  /** Fewest non-space characters of a narrative page: below it, a page may be a scan, a stamp or a table. */
  minNarrativeChars: 200,
  /** Numbers printed alone on one line that make a row of a table. */
  numbersInARow: 3,
  /** How far apart (points) two runs may sit and still be on one line. */
  lineTolerancePt: 3,
  /**
   * Column and row headings of the format's tables, from both formats: a table whose rows hold fewer numbers
   * than a row needs (二's rows of one or two) is still known by them. Prose that uses them only costs time.
   */
  tableHeadings: /新制发件数|废止件数|现行有效件数|处理决定数量|本年新收|上年结转|申请人情况|结果维持|结果纠正|尚未审结|许可|处罚|强制/,
};

const noOperators = { fnArray: [] as number[], argsArray: [] as unknown[] };

/** Whether a document holds any image XObject, read once per document from its bytes (see oversizedImages). */
const documentImages = new WeakMap<PdfDocument, Promise<boolean>>();
const hasImages = (doc: PdfDocument) => {
  let known = documentImages.get(doc);
  if (!known) {
    known = doc.getData().then((bytes) => /\/Subtype\s*\/Image\b/.test(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')));
    documentImages.set(doc, known);
  }
  return known;
};

/** A page whose text shows a table, or that is not plainly a narrative, needs its drawing read. */
async function needsDrawing(doc: PdfDocument, text: TextContent, s = pageReadSettings): Promise<boolean> {
  const runs = text.items.filter((r) => 'str' in r);
  // On a page set sideways the text runs up or down, and a row's numbers share an x instead of a y.
  const sideways = runs.filter((r) => Math.abs(r.transform[1]) > Math.abs(r.transform[0])).length > runs.length / 2;
  let chars = 0;
  const rows = new Map<number, number>();
  for (const raw of runs) {
    const str = raw.str.trim();
    chars += str.replace(/\s+/g, '').length;
    if (!/^[-−+]?[\d０-９][\d０-９,，.．]*$/.test(str)) continue;
    const line = Math.round(raw.transform[sideways ? 4 : 5] / s.lineTolerancePt);
    const n = (rows.get(line) ?? 0) + 1;
    if (n >= s.numbersInARow) return true;
    rows.set(line, n);
  }
  if (chars < s.minNarrativeChars || s.tableHeadings.test(runs.map((r) => r.str).join('').replace(/\s+/g, ''))) return true;
  return hasImages(doc);
}

/** Page content in top-left points: text runs and ruling segments. */
export async function readPage(doc: PdfDocument, pageNumber: number): Promise<PageContent & { turn?: PageTurn }> {
  const page = await doc.getPage(pageNumber);
  try {
    const [text, ops] = await (async () => {
      const text = await page.getTextContent();
      return [text, (await needsDrawing(doc, text)) ? await page.getOperatorList() : noOperators] as const;
    })().catch((err) => {
      throw decoded.over ? new ReadError('too_large', DECODE_CAP_MESSAGE) : err;
    });
    // A page displayed a quarter turned (its /Rotate set on upright content) is read with its text upright.
    const turn = uprightTurnOf(text, page.getViewport({ scale: 1 }).transform as Matrix);
    const viewport = page.getViewport({ scale: 1, rotation: (page.rotate + turn + 360) % 360 });
    // viewport.transform maps PDF user space to top-left device space, rotation included.
    const vt = viewport.transform as Matrix;
    const pdfjs = await loadPdfjs();
    const items = textItems(text, vt);
    const images: DrawnImage[] = [];
    const shapes = { curvedFills: 0, shadings: 0, invisibleText: false };
    const segments = ruleSegments(ops, pdfjs.OPS, vt, images, shapes);
    const { cover: imageCover, dpi: imageDpi } = pageImages(images, viewport.width, viewport.height);
    return {
      page: pageNumber, width: viewport.width, height: viewport.height, items, segments, imageCover, curvedFills: shapes.curvedFills,
      ...(shapes.shadings ? { shadings: shapes.shadings } : {}),
      ...(shapes.invisibleText ? { invisibleText: true } : {}),
      ...(imageDpi ? { imageDpi } : {}), ...(turn ? { turn } : {}),
    };
  } finally {
    page.cleanup();
  }
}

/** How a page was turned from the way it is displayed to be read (90: clockwise). */
export type PageTurn = 0 | 90 | -90 | 180;

/**
 * A box on a page read turned, back on the page as it is (`width` × `height`, in points). Clockwise, the
 * page's (x, y) was read at (height − y, x); counter-clockwise at (y, width − x); upside down at (width − x, height − y).
 */
export function unturnBox([x0, y0, x1, y1]: [number, number, number, number], t: { turn: PageTurn; width: number; height: number }): [number, number, number, number] {
  if (t.turn === 90) return [y0, t.height - x1, y1, t.height - x0];
  if (t.turn === -90) return [t.width - y1, x0, t.width - y0, x1];
  if (t.turn === 180) return [t.width - x1, t.height - y1, t.width - x0, t.height - y0];
  return [x0, y0, x1, y1];
}

/** A page read turned: its turn and the size of the page as displayed (a quarter turn swaps the sides), for unturnBox. */
export function displayedFrame(read: { width: number; height: number; turn?: PageTurn }): { turn: PageTurn; width: number; height: number } | null {
  if (!read.turn) return null;
  const across = read.turn !== 180;
  return { turn: read.turn, width: across ? read.height : read.width, height: across ? read.width : read.height };
}

/**
 * A page's content read turned (readPage's `turn`), back in the frame of the page as displayed: what is drawn
 * over the page's image (debug pictures, anomaly crops) must stand where the provenance boxes do.
 */
export function asDisplayed(content: PageContent & { turn?: PageTurn }): PageContent {
  const t = displayedFrame(content);
  if (!t) return content;
  const segments = content.segments.map((s): Segment => {
    const [x0, y0, x1, y1] = unturnBox(s.orient === 'h' ? [s.from, s.at, s.to, s.at] : [s.at, s.from, s.at, s.to], t);
    return x1 - x0 >= y1 - y0 ? { ...s, orient: 'h', at: y0, from: x0, to: x1 } : { ...s, orient: 'v', at: x0, from: y0, to: y1 };
  });
  const items = content.items.map((i) => ({ ...i, bbox: unturnBox(i.bbox, t) }));
  return { ...content, width: t.width, height: t.height, items, segments };
}

/**
 * The turn (from the page as displayed) under which most of its horizontal text runs left to right: 0 for an
 * upright page, -90 where the text runs down the display (read turned counter-clockwise), 90 where it runs up,
 * 180 where it runs right to left upside down. Vertical fonts and pages with hardly any text stay as they are.
 */
function uprightTurnOf(content: TextContent, vt: Matrix): PageTurn {
  const votes = { right: 0, down: 0, up: 0, left: 0 };
  for (const raw of content.items) {
    if (!('str' in raw) || !raw.str.trim() || content.styles[raw.fontName]?.vertical) continue;
    const m = mul(raw.transform as Matrix, vt);
    const n = raw.str.trim().length;
    if (m[0] > Math.abs(m[1])) votes.right += n;
    else if (m[1] > Math.abs(m[0])) votes.down += n;
    else if (-m[1] > Math.abs(m[0])) votes.up += n;
    else votes.left += n;
  }
  const total = votes.right + votes.down + votes.up + votes.left;
  if (total < 20) return 0;
  if (votes.down > 0.6 * total) return -90;
  if (votes.up > 0.6 * total) return 90;
  if (votes.left > 0.6 * total) return 180;
  return 0;
}

type TextContent = Awaited<ReturnType<Awaited<ReturnType<PdfDocument['getPage']>>['getTextContent']>>;

function textItems(content: TextContent, vt: Matrix): TextItem[] {
  const out: TextItem[] = [];
  for (const raw of content.items) {
    if (!('str' in raw)) continue;
    const str = raw.str;
    // Whitespace-only items carry bogus widths in some producers; gaps are computed from neighbours.
    if (!str || !str.trim()) continue;
    const style = content.styles[raw.fontName];
    const vertical = Boolean(style?.vertical) || (raw as { dir?: string }).dir === 'ttb';
    const m = mul(raw.transform as Matrix, vt);
    const size = Math.hypot(m[2], m[3]) || Math.hypot(m[0], m[1]);
    const [x, y] = [m[4], m[5]];
    let bbox: BBox;
    if (vertical) {
      // Vertical runs: origin at the top centre of the first glyph, advancing down.
      const h = raw.height || size * str.length;
      bbox = [x - size / 2, y, x + size / 2, y + h];
    } else {
      const w = raw.width * Math.hypot(vt[0], vt[1]);
      bbox = [x, y - size * 0.88, x + w, y + size * 0.12];
    }
    out.push({ text: fixCjkCompat(str), bbox: normBox(bbox), vertical });
  }
  return out;
}

const normBox = (b: BBox): BBox => [Math.min(b[0], b[2]), Math.min(b[1], b[3]), Math.max(b[0], b[2]), Math.max(b[1], b[3])];

/** An image as the page draws it: where, and how many pixels wide where pdfjs says (XObjects; not inline images). */
interface DrawnImage {
  box: BBox;
  widthPx?: number;
}

/** Straight lines and thin rectangles from the operator list, mapped to top-left page points; the images drawn go to `images`. */
function ruleSegments(ops: { fnArray: number[]; argsArray: unknown[] }, OPS: Record<string, number>, vt: Matrix, images: DrawnImage[], shapes: { curvedFills: number; shadings: number; invisibleText: boolean }): Segment[] {
  const out: Segment[] = [];
  const stack: Matrix[] = [];
  let ctm: Matrix = vt;
  const strokes = [OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke];
  const fills = [OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke];
  const { fnArray, argsArray } = ops;
  for (let i = 0; i < fnArray.length; i++) {
    const fn = fnArray[i];
    const args = argsArray[i] as unknown[];
    switch (fn) {
      case OPS.save:
        stack.push(ctm);
        break;
      case OPS.restore:
        ctm = stack.pop() ?? vt;
        break;
      case OPS.transform:
        ctm = mul(args as Matrix, ctm);
        break;
      case OPS.constructPath: {
        const [paintOp, data] = args as [number, ArrayLike<number>[] | null];
        const path = data?.[0];
        if (!path) break;
        const { subpaths, curved } = deviceSubpaths(path, ctm);
        const fill = fills.includes(paintOp);
        if (fill && curved) shapes.curvedFills++;
        const stroke = strokes.includes(paintOp);
        for (const sub of subpaths) {
          if (stroke) strokeSegments(sub, out);
          if (fill) fillSegments(sub, out);
        }
        break;
      }
      case OPS.shadingFill:
        shapes.shadings++;
        break;
      case OPS.setTextRenderingMode:
        // Mode 3 draws nothing: the invisible text an OCR program lays over a scan.
        if (args?.[0] === 3) shapes.invisibleText = true;
        break;
      case OPS.paintImageXObject:
      case OPS.paintInlineImageXObject:
      case OPS.paintImageMaskXObject:
        images.push(drawnImage(ctm, fn === OPS.paintImageXObject ? args : undefined));
        break;
    }
  }
  return out;
}

/** pdfjs's path draw codes: moveTo, lineTo, curveTo, quadraticCurveTo, closePath, and the coordinates each takes. */
const DRAW = { moveTo: 0, lineTo: 1, curveTo: 2, quadraticCurveTo: 3, closePath: 4 } as const;
const DRAW_COORDS: Record<number, number> = { [DRAW.moveTo]: 2, [DRAW.lineTo]: 2, [DRAW.curveTo]: 6, [DRAW.quadraticCurveTo]: 4, [DRAW.closePath]: 0 };

/**
 * One constructPath's subpaths as device points (pdfjs 5 packs draw codes and coordinates into one array: a
 * code, then its coordinates). Curves are never rules: a curve breaks its subpath and only its end point stays.
 */
function deviceSubpaths(path: ArrayLike<number>, ctm: Matrix): { subpaths: number[][][]; curved: boolean } {
  const subpaths: number[][][] = [];
  let cur: number[][] = [];
  let curved = false;
  const flush = () => {
    if (cur.length > 1) subpaths.push(cur);
    cur = [];
  };
  for (let k = 0; k < path.length; ) {
    const c = path[k++];
    const n = DRAW_COORDS[c];
    if (n === undefined) break;
    const at = k;
    k += n;
    if (c === DRAW.moveTo) flush();
    // (a fill with cubic curves counts as a curved shape: text turned into outlines)
    if (c === DRAW.curveTo) curved = true;
    if (c === DRAW.curveTo || c === DRAW.quadraticCurveTo) flush();
    if (c === DRAW.closePath) {
      if (cur.length > 1) cur.push(cur[0]);
      flush();
    } else cur.push(apply(ctm, path[at + n - 2], path[at + n - 1]));
  }
  flush();
  return { subpaths, curved };
}

/** An image fills the unit square of its CTM; paintImageXObject's arguments are [id, width, height] in pixels. */
function drawnImage(ctm: Matrix, xobjectArgs: unknown[] | undefined): DrawnImage {
  const corners = [apply(ctm, 0, 0), apply(ctm, 1, 0), apply(ctm, 0, 1), apply(ctm, 1, 1)];
  const box = normBox([Math.min(...corners.map((c) => c[0])), Math.min(...corners.map((c) => c[1])), Math.max(...corners.map((c) => c[0])), Math.max(...corners.map((c) => c[1]))]);
  const widthPx = typeof xobjectArgs?.[1] === 'number' ? xobjectArgs[1] : undefined;
  return { box, widthPx };
}

/**
 * The share of the page its images cover (clipped to the page; a scan is one big image, or a stack of strips
 * some scanners write), and the resolution of the largest as drawn.
 */
function pageImages(images: DrawnImage[], width: number, height: number): { cover: number; dpi?: number } {
  let best = 0;
  let total = 0;
  let dpi: number | undefined;
  for (const { box: [x0, y0, x1, y1], widthPx } of images) {
    const w = Math.max(0, Math.min(x1, width) - Math.max(x0, 0));
    const h = Math.max(0, Math.min(y1, height) - Math.max(y0, 0));
    const cover = (w * h) / (width * height || 1);
    total += cover;
    if (cover <= best) continue;
    best = cover;
    dpi = widthPx && x1 - x0 > 0 ? Math.round((widthPx * 72) / (x1 - x0)) : undefined;
  }
  // Images laid over one another (a background and a picture on it) do not cover the page twice.
  return { cover: Math.min(1, total), dpi };
}

const AXIS_TOL = 0.8;

function strokeSegments(points: number[][], out: Segment[]) {
  for (let k = 1; k < points.length; k++) {
    const [x0, y0] = points[k - 1];
    const [x1, y1] = points[k];
    if (Math.abs(y0 - y1) <= AXIS_TOL && Math.abs(x1 - x0) > AXIS_TOL) {
      out.push({ orient: 'h', at: (y0 + y1) / 2, from: Math.min(x0, x1), to: Math.max(x0, x1) });
    } else if (Math.abs(x0 - x1) <= AXIS_TOL && Math.abs(y1 - y0) > AXIS_TOL) {
      out.push({ orient: 'v', at: (x0 + x1) / 2, from: Math.min(y0, y1), to: Math.max(y0, y1) });
    }
  }
}

/** A filled axis-aligned rectangle thinner than a rule becomes a rule; a larger one gives nothing. */
function fillSegments(points: number[][], out: Segment[]) {
  if (points.length < 4) return;
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  // Only rectangles: every point on the bounding box's corners.
  const onCorner = points.every((p) => (Math.abs(p[0] - x0) < AXIS_TOL || Math.abs(p[0] - x1) < AXIS_TOL) && (Math.abs(p[1] - y0) < AXIS_TOL || Math.abs(p[1] - y1) < AXIS_TOL));
  if (!onCorner) return;
  const w = x1 - x0, h = y1 - y0;
  if (h <= MAX_RULE_THICKNESS && w > h) out.push({ orient: 'h', at: (y0 + y1) / 2, from: x0, to: x1 });
  else if (w <= MAX_RULE_THICKNESS && h > w) out.push({ orient: 'v', at: (x0 + x1) / 2, from: y0, to: y1 });
}

/**
 * The page as plain text in reading order: items grouped into lines by their vertical
 * overlap, lines top to bottom, items left to right. Used for metadata and narrative checks.
 */
export function pageText(content: PageContent): string {
  return groupLines(content.items)
    .map((l) => {
      let s = '';
      let prevEnd = -Infinity;
      for (const it of l.items) {
        const size = it.bbox[3] - it.bbox[1];
        if (s && it.bbox[0] - prevEnd > size * 0.8) s += ' ';
        s += it.text;
        prevEnd = it.bbox[2];
      }
      return s;
    })
    .join('\n');
}
