/**
 * An image-only page → the same PageContent the digital path produces: rules found in the image,
 * one text item per table cell (read cell by cell), and the text outside the tables line by line.
 */
import type { PdfDocument } from '../pdf.js';
import type { BBox, PageContent, Segment, TextItem } from '../types.js';
import { findGrids, type GridGeometry } from '../grid.js';
import { binarize, otsu, renderPage, rotate, scale, toPgm, whitenPaper, type Bin, type Gray } from './raster.js';
import { estimateSkew, findRules, type PixelRule } from './rules.js';
import { CELL_SETTINGS, readCell, tidyCjk, type CellSettings } from './cells.js';
import { recognize, type Word } from './engine.js';
import { readInkGroups, readLeftovers, withoutStrokeNoise } from './leftover.js';
import { sideways, turnQuarter, uprightTurn, type QuarterTurn } from './orientation.js';

export interface OcrOptions {
  /** Render resolution. 200 dpi keeps 9 pt table text legible and a page under a second of image work. */
  dpi: number;
  /** Largest page rotation corrected (degrees): a sheet fed askew comes out turned 2–3°. */
  maxSkew: number;
  /** Resolution of the pass over the text outside tables (body text is large; less is faster). */
  textDpi: number;
  /** Read the text outside the tables (titles, narrative). */
  pageText: boolean;
  cells: CellSettings;
  /**
   * What earlier pages of the document showed: the turn a sideways page needed (spares reading the text both
   * ways), and the turn to take where a page's own ink does not say (a page of one table).
   */
  turns?: { sideways?: QuarterTurn; unsure: QuarterTurn };
}

export const OCR_DEFAULTS: OcrOptions = { dpi: 200, maxSkew: 5, textDpi: 150, pageText: true, cells: CELL_SETTINGS };

/** Rule lengths in points: longer than any glyph stroke, shorter than the narrowest column or row. */
/** cornerGap: how far short of a corner a rule may stop and still be carried on to it. */
const RULE_PT = { minH: 28, minV: 14, maxThick: 3, touch: 3, shortH: 56, cornerGap: 12 };

export interface OcrPageResult extends PageContent {
  /** Degrees the page image was turned to straighten it. */
  skew: number;
  /** The quarter turn it was read at (90 clockwise), and whether its own ink told (null: it did not). */
  turn: QuarterTurn;
  sideways: boolean | null;
}

export async function ocrPage(doc: PdfDocument, pageNumber: number, options: Partial<OcrOptions> = {}): Promise<OcrPageResult> {
  const o = { ...OCR_DEFAULTS, ...options, cells: { ...CELL_SETTINGS, ...options.cells } };
  const k = o.dpi / 72;
  const rendered = await renderPage(doc, pageNumber, o.dpi);
  const paper = whitenPaper(rendered.image);
  // The page's ink, once: it tells which way the text runs, and (turned with the page) its skew.
  const ink = binarize(paper, otsu(paper));
  const side = sideways(ink);
  const turn: QuarterTurn = side === null ? (o.turns?.unsure ?? 0) : side ? (o.turns?.sideways ?? (await uprightTurn(paper, o.dpi))) : 0;
  const image = turnQuarter(paper, turn);
  const [width, height] = turn ? [rendered.height, rendered.width] : [rendered.width, rendered.height];
  const skew = estimateSkew(turnQuarter(ink, turn), o.maxSkew);
  const img = rotate(image, skew);
  const thr = otsu(img);
  const rules = pageRules(img, thr, k);
  const segments: Segment[] = rules.map((r) => ({ orient: r.orient, at: r.at / k, from: r.from / k, to: r.to / k }));
  const grids = findGrids(segments);
  const inset = Math.ceil(Math.max(2, ...rules.map((r) => r.thick)) / 2) + 1;
  const items: TextItem[] = [];
  for (const grid of grids) items.push(...(await readGrid(img, thr, grid, k, inset, o.cells)));
  if (o.pageText) items.push(...(await readOutside(img, thr, grids, k, o.textDpi / o.dpi, o.cells)));
  return { page: pageNumber, width, height, items, segments, skew, turn, sideways: side };
}

export function pageRules(img: Gray, thr: number, k: number): PixelRule[] {
  const settings = {
    minH: RULE_PT.minH * k,
    minV: RULE_PT.minV * k,
    shortH: RULE_PT.shortH * k,
    gap: Math.max(1, Math.round(k * 0.7)),
    maxThick: Math.max(3, Math.round(RULE_PT.maxThick * k)),
    touch: RULE_PT.touch * k,
    maxBranching: 0.06,
  };
  const dark = findRules(binarize(img, thr), settings);
  // Faint rules are added from a second pass at a looser threshold, on thin dark lines only: a pixel
  // counts where it is darker than the image a little way off on both sides, so the shading of a cell
  // stays paper and a faint rule beside it stays a rule. The pass only adds rules the first did not see.
  const faint = ruleThreshold(img, thr);
  const light = findRules(ridges(img, faint, Math.max(2, Math.round(k * 1.2))), settings);
  const found = [...dark];
  // The same rule as `d` where it runs along it for over half of `of`'s length.
  const sameRule = (d: PixelRule, r: PixelRule, of: PixelRule) =>
    d.orient === r.orient && Math.abs(d.at - r.at) <= settings.touch && Math.min(d.to, r.to) - Math.max(d.from, r.from) > 0.5 * (of.to - of.from);
  const seen = (r: PixelRule) => found.some((d) => sameRule(d, r, r));
  found.push(...light.filter((r) => !seen(r)));
  // A hairline blurred by the scanner and broken up by grain: averaged along its length it is still darker
  // than the paper, while the grain averages out. Each direction is looked for in the image averaged along it.
  const reach = Math.max(2, Math.round(k * 1.5));
  const off = Math.max(2, Math.round(k * 1.2));
  const along = or(lineAcross(smoothAlong(img, 'h', reach), 'h', off, RULE_CONTRAST), lineAcross(smoothAlong(img, 'v', reach), 'v', off, RULE_CONTRAST));
  found.push(...findRules(along, settings).filter((r) => !seen(r)));
  // A one-pixel rule of a black-and-white scan, straightened, is a staircase of pieces a row (or column) apart:
  // each piece too short to count on its own. Thickened by a pixel across, the pieces join again.
  // A rule found before in part (its other pieces too short) is extended to the whole.
  for (const r of findRules(thickened(binarize(img, thr)), settings)) {
    const same = found.find((d) => sameRule(d, r, d));
    if (!same) found.push(r);
    else [same.from, same.to] = [Math.min(same.from, r.from), Math.max(same.to, r.to)];
  }
  return closeCorners(joinAcrossCrossings(found, settings.touch, settings.maxThick), settings.touch, RULE_PT.cornerGap * k);
}

/**
 * Where one rule ends on another (a corner of the frame) but the other stops short of it: a glyph printed over
 * the rule at the page's edge thickens the ink there and the finder breaks the rule off. Left open, the cell at
 * the corner has no side and is never read. The short rule is carried on to the corner, up to `maxGap` px.
 */
export function closeCorners(rules: PixelRule[], touch: number, maxGap: number): PixelRule[] {
  const out = rules.map((r) => ({ ...r }));
  const across = (r: PixelRule, at: number, pos: number) => out.some((q) => q.orient !== r.orient && Math.abs(q.at - pos) <= touch && at >= q.from - touch && at <= q.to + touch);
  for (const a of out) {
    for (const b of out) {
      if (a.orient === b.orient) continue;
      // `a` ends on b's line; b stops short of a's line, its end free (on no rule: not a table's own corner).
      if (Math.abs(a.to - b.at) > touch && Math.abs(a.from - b.at) > touch) continue;
      const [gapAfter, gapBefore] = [a.at - b.to, b.from - a.at];
      if (gapAfter > touch && gapAfter <= maxGap && !across(b, b.at, b.to)) b.to = a.at;
      else if (gapBefore > touch && gapBefore <= maxGap && !across(b, b.at, b.from)) b.from = a.at;
    }
  }
  return out;
}

/**
 * Pieces of one rule on either side of a rule that crosses it are the same rule: where two rules cross (or
 * one ends on the other at a table's clipped edge) the ink is thicker than either stroke and the finder may
 * break the rule there. Left broken, the grid takes each piece's ends for rows of their own, a few points
 * tall, and the cells of the real row are keyed to that empty sliver. Joined only where the gap is no wider
 * than a crossing stroke and a perpendicular rule runs through it.
 */
export function joinAcrossCrossings(rules: PixelRule[], touch: number, maxThick: number): PixelRule[] {
  const crosses = (q: PixelRule, r: PixelRule, lo: number, hi: number) =>
    q.orient !== r.orient && q.at >= lo - touch && q.at <= hi + touch && r.at >= q.from - touch && r.at <= q.to + touch;
  // Along each direction, pieces in order of their start: a piece can only continue one that starts before it.
  const sorted = rules.map((r) => ({ ...r })).sort((a, b) => a.from - b.from);
  const out: PixelRule[] = [];
  for (const r of sorted) {
    const prev = out.find(
      (a) => a.orient === r.orient && Math.abs(a.at - r.at) <= touch && r.from >= a.to && r.from - a.to <= maxThick + 2 * touch && rules.some((q) => crosses(q, a, a.to, r.from)),
    );
    if (!prev) {
      out.push(r);
      continue;
    }
    const [la, lb] = [prev.to - prev.from, r.to - r.from];
    Object.assign(prev, { at: (prev.at * la + r.at * lb) / (la + lb), to: Math.max(prev.to, r.to), thick: Math.max(prev.thick, r.thick) });
  }
  return out;
}

/** Ink spread one pixel down and one to the right. */
function thickened(bin: Bin): Bin {
  const { width: w, height: h, data } = bin;
  const out = new Uint8Array(data);
  for (let y = 0; y < h; y++)
    for (let x = 0, i = y * w; x < w; x++, i++) {
      if (!data[i]) continue;
      if (y + 1 < h) out[i + w] = 1;
      if (x + 1 < w) out[i + 1] = 1;
    }
  return { width: w, height: h, data: out };
}

/** The image averaged over 2·reach + 1 pixels along rows ('h') or columns ('v'). */
function smoothAlong(img: Gray, dir: 'h' | 'v', reach: number): Gray {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  const [lines, len, step, stride] = dir === 'h' ? [h, w, 1, w] : [w, h, w, 1];
  for (let l = 0; l < lines; l++) {
    const base = l * stride;
    let sum = 0;
    let n = 0;
    for (let i = 0; i < Math.min(reach, len); i++, n++) sum += data[base + i * step];
    for (let i = 0; i < len; i++) {
      const add = i + reach;
      if (add < len) {
        sum += data[base + add * step];
        n++;
      }
      const drop = i - reach - 1;
      if (drop >= 0) {
        sum -= data[base + drop * step];
        n--;
      }
      out[base + i * step] = Math.round(sum / n);
    }
  }
  return { width: w, height: h, data: out };
}

/** Grey levels by which an averaged hairline stands darker than the paper on both sides of it. */
const RULE_CONTRAST = 5;

/** Pixels darker by `contrast` than both pixels `off` away across a line running along `dir`. */
function lineAcross(img: Gray, dir: 'h' | 'v', off: number, contrast: number): Bin {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  const d = dir === 'h' ? off * w : off;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      if (dir === 'h' ? y < off || y >= h - off : x < off || x >= w - off) continue;
      const i = y * w + x;
      const c = data[i] + contrast;
      if (c < data[i - d] && c < data[i + d]) out[i] = 1;
    }
  return { width: w, height: h, data: out };
}

function or(a: Bin, b: Bin): Bin {
  const data = new Uint8Array(a.data.length);
  for (let i = 0; i < data.length; i++) data[i] = a.data[i] | b.data[i];
  return { width: a.width, height: a.height, data };
}

/**
 * Thin rules come out of a scanner lighter than text (a hairline blurred over two pixels): they are
 * looked for halfway between the text threshold and the paper. Only long runs count as rules, so the
 * looser threshold does not turn text into rules.
 */
export function ruleThreshold(img: Gray, thr: number): number {
  const hist = new Uint32Array(256);
  for (let i = 0; i < img.data.length; i += 7) hist[img.data[i]]++;
  let paper = 255;
  for (let v = 255; v > thr; v--) if (hist[v] > hist[paper]) paper = v;
  return Math.round(thr + (paper - thr) / 2);
}

/** Pixels at or below `threshold` that are darker than both pixels `reach` away across or along them (thin lines). */
export function ridges(img: Gray, threshold: number, reach: number, contrast = 12): Bin {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  for (let y = reach; y < h - reach; y++)
    for (let x = reach, i = y * w + reach; x < w - reach; x++, i++) {
      const v = data[i];
      if (v > threshold) continue;
      const c = v + contrast;
      if ((c < data[i - reach] && c < data[i + reach]) || (c < data[i - reach * w] && c < data[i + reach * w])) out[i] = 1;
    }
  return { width: w, height: h, data: out };
}

async function readGrid(img: Gray, thr: number, grid: GridGeometry, k: number, inset: number, s: CellSettings): Promise<TextItem[]> {
  const out: TextItem[] = [];
  for (const cell of grid.cells) {
    const [x0, y0, x1, y1] = cell.bbox.map((v) => v * k);
    // The first column holds row labels; every other cell may hold a number.
    const r = await readCell(img, thr, [x0 + inset, y0 + inset, x1 - inset, y1 - inset], k, cell.c0 > 0, s);
    if (!r || !r.text) continue;
    const bbox: BBox = [r.ink[0] / k, r.ink[1] / k, r.ink[2] / k, r.ink[3] / k];
    out.push({ text: r.text, bbox, vertical: false, confidence: Math.min(r.confidence, 0.999), via: 'ocr' });
  }
  return out;
}

/**
 * Where a line of text outside the ruled tables breaks into pieces: at a gap between words this many times the
 * line's height. A table printed without rules (LibreOffice drops the borders of HTML tables) is such lines,
 * label and numbers far apart; the unruled reader finds its columns only when each number is an item of its own.
 */
export const OUTSIDE_SETTINGS = {
  pieceGap: 1.5,
  /**
   * …and between two Chinese words at this many heights: the glyphs of a phrase stand close (prose sets no
   * spaces), while the header words of neighbouring columns (结果维持 | 结果纠正) stand a cell's padding apart.
   */
  hanPieceGap: 0.7,
  /** Lines read with less confidence (0..100) are noise. */
  minConfidence: 20,
  /** A piece read with less confidence (0..100) than this is read again as a cell. */
  sureText: 60,
  /** Share of the font's box a CJK glyph's ink fills, top to bottom (the box is grown to the font's). */
  glyphInkShare: 0.85,
  /** …and that digits fill (no descenders, lower than CJK glyphs). */
  digitInkShare: 0.7,
};

/** The page without its tables, read line by line with chi_sim at a lower resolution; numbers apart from their line read again. */
async function readOutside(img: Gray, thr: number, grids: GridGeometry[], k: number, f: number, cells: CellSettings): Promise<TextItem[]> {
  const masked = { width: img.width, height: img.height, data: new Uint8Array(img.data) };
  for (const g of grids) {
    const [x0, y0, x1, y1] = g.bbox.map((v, i) => Math.round(v * k + (i < 2 ? -4 : 4)));
    for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) masked.data.fill(255, y * img.width + Math.max(0, x0), y * img.width + Math.min(img.width, x1));
  }
  const small = scale(masked, f);
  const r = await recognize('chi_sim', toPgm(small), { tessedit_pageseg_mode: '3', preserve_interword_spaces: '1', tessedit_char_whitelist: '' }, true);
  const items: TextItem[] = [];
  const s = k * f;
  for (const line of r.lines) {
    if (line.confidence < OUTSIDE_SETTINGS.minConfidence) continue;
    for (const piece of linePieces(line)) {
      const text = tidyCjk(piece.text).replace(/\n/g, '');
      if (!text) continue;
      const b = piece.bbox;
      const item: TextItem = { text, bbox: [b.x0 / s, b.y0 / s, b.x1 / s, b.y1 / s], vertical: false, confidence: Math.min(piece.confidence / 100, 0.999), via: 'ocr' };
      // A piece without Chinese may be a number (and an unsure one may be a number misread as a glyph, 13 as 失):
      // read again at full resolution by the digit model, like a table cell.
      const again = !/\p{Script=Han}/u.test(text) || piece.confidence < OUTSIDE_SETTINGS.sureText;
      const read = again ? await rereadPiece(img, thr, item, k, cells) : [];
      items.push(...(read.length ? read : [item]));
    }
  }
  const all = withoutStrokeNoise([...items, ...(await readLeftovers(masked, thr, k, items, cells))]);
  // An OCR box is the ink; a text layer's is the font's, taller by its ascent and descent. Readers of text
  // laid out without rules (a header's lines are told apart by the gaps between them) expect the latter.
  const S = OUTSIDE_SETTINGS;
  for (const it of all) {
    const share = /^[\d.\-?]+$/.test(it.text) ? S.digitInkShare : S.glyphInkShare;
    const pad = ((1 / share - 1) / 2) * (it.bbox[3] - it.bbox[1]);
    it.bbox = [it.bbox[0], it.bbox[1] - pad, it.bbox[2], it.bbox[3] + pad];
  }
  return all;
}

/** A line's words, in pieces split at wide gaps (one piece where the line runs on, as prose does). */
export function linePieces(line: { text: string; confidence: number; bbox: Word['bbox']; words: Word[] }): Word[] {
  const words = [...line.words].filter((w) => w.text.trim()).sort((a, b) => a.bbox.x0 - b.bbox.x0);
  if (words.length <= 1) return [line];
  // The words' own height: a line's box may span two rows of a header (a label's two lines beside a word).
  const heights = words.map((w) => w.bbox.y1 - w.bbox.y0).sort((a, b) => a - b);
  const height = heights[Math.floor(heights.length / 2)];
  const han = /\p{Script=Han}/u;
  const pieces: Word[][] = [[words[0]]];
  for (const w of words.slice(1)) {
    const last = pieces[pieces.length - 1];
    const prev = last[last.length - 1];
    const chinese = han.test(prev.text.trim().slice(-1)) && han.test(w.text.trim().charAt(0));
    const gap = (chinese ? OUTSIDE_SETTINGS.hanPieceGap : OUTSIDE_SETTINGS.pieceGap) * height;
    if (w.bbox.x0 - prev.bbox.x1 > gap) pieces.push([w]);
    else last.push(w);
  }
  if (pieces.length === 1) return [line];
  return pieces.map((ws) => ({
    text: ws.map((w) => w.text).join(' '),
    confidence: Math.min(...ws.map((w) => w.confidence)),
    bbox: { x0: Math.min(...ws.map((w) => w.bbox.x0)), y0: Math.min(...ws.map((w) => w.bbox.y0)), x1: Math.max(...ws.map((w) => w.bbox.x1)), y1: Math.max(...ws.map((w) => w.bbox.y1)) },
  }));
}

/**
 * A piece of a line read again as a table cell would be (digits by the digit model, doubted where unsure);
 * each group of ink in it on its own, as tesseract may take two numbers of neighbouring columns for one word.
 */
async function rereadPiece(img: Gray, thr: number, item: TextItem, k: number, cells: CellSettings): Promise<TextItem[]> {
  const m = 2 * k;
  const [x0, y0, x1, y1] = item.bbox;
  const box: [number, number, number, number] = [Math.max(0, (x0 - 1) * k - m), Math.max(0, y0 * k - m), Math.min(img.width, x1 * k + m), Math.min(img.height, y1 * k + m)];
  return readInkGroups(img, thr, k, box, cells);
}
