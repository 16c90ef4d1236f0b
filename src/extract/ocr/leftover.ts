/**
 * Ink the page's text pass did not read. Tesseract's layout analysis cuts a page into blocks and drops what
 * fits none: in a table printed without rules, most lone numbers of a column (a 0, a 21) are never read.
 * Each such group of ink, away from every word that was read, is read as a table cell would be.
 */
import type { BBox, TextItem } from '../types.js';
import { binarize, crop, type Gray } from './raster.js';
import { pieces, type Piece } from './specks.js';
import { readCell, UNREADABLE, type CellSettings } from './cells.js';
import { parseCellNumber } from '../../format/numbers.js';

export const LEFTOVER_SETTINGS = {
  /** Ink taller than this (pt) is no text of a table (a rule, a picture, a seal). */
  maxHeightPt: 24,
  /** Pieces of ink smaller than this (square pt) are specks. */
  minAreaPt2: 0.6,
  /** Pieces this close sideways (in heights of the taller one) that overlap up and down are one word. */
  joinGap: 0.6,
  /** A piece within this (pt) of a word read is part of it. */
  nearWordPt: 1.5,
  /** Margin (pt) of ink's box given to the cell reader. */
  marginPt: 1.5,
  /**
   * A reading of no number whose ink is shorter than this share of the page's Chinese words, read unsurely
   * (below noiseConfidence), is a few strokes (a glyph's top cut off, a glyph parted into pieces), no text.
   */
  noiseHeightShare: 0.6,
  noiseConfidence: 0.8,
};

const overlapY = (a: Piece, b: Piece) => Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) >= 0.5 * Math.min(a.y1 - a.y0, b.y1 - b.y0);

/** Groups of ink pieces (px boxes) outside `read` (boxes in pt), each a word's worth. */
export function leftoverInk(img: Gray, thr: number, k: number, read: BBox[], s = LEFTOVER_SETTINGS): Piece[] {
  const near = s.nearWordPt * k;
  const inRead = (p: Piece) => read.some(([x0, y0, x1, y1]) => p.x1 > x0 * k - near && p.x0 < x1 * k + near && p.y1 > y0 * k - near && p.y0 < y1 * k + near);
  const loose = pieces(binarize(img, thr)).pieces.filter(
    (p) => p.y1 - p.y0 <= s.maxHeightPt * k && p.x1 - p.x0 <= s.maxHeightPt * k && p.area >= s.minAreaPt2 * k * k && !inRead(p),
  );
  loose.sort((a, b) => a.x0 - b.x0);
  const groups: Piece[] = [];
  for (const p of loose) {
    const g = groups.find((q) => overlapY(p, q) && p.x0 - q.x1 <= s.joinGap * Math.max(p.y1 - p.y0, q.y1 - q.y0) && q.x0 - p.x1 <= 0);
    if (!g) groups.push({ ...p });
    else Object.assign(g, { x0: Math.min(g.x0, p.x0), y0: Math.min(g.y0, p.y0), x1: Math.max(g.x1, p.x1), y1: Math.max(g.y1, p.y1), area: g.area + p.area });
  }
  return groups.filter((g) => g.y1 - g.y0 <= s.maxHeightPt * k);
}

/**
 * The readings without the noise of a few strokes (see noiseHeightShare): beside a row's label it would be
 * taken for text in the numbers' columns. Numbers and ink marked unreadable are kept (a digit is small ink).
 */
export function withoutStrokeNoise(items: TextItem[], s = LEFTOVER_SETTINGS): TextItem[] {
  const han = /\p{Script=Han}/u;
  const heights = items.filter((it) => han.test(it.text) && (it.confidence ?? 1) >= s.noiseConfidence).map((it) => it.bbox[3] - it.bbox[1]).sort((a, b) => a - b);
  if (!heights.length) return items;
  const glyph = heights[Math.floor(heights.length / 2)];
  const isNoise = (it: TextItem) =>
    it.via === 'ocr' && !/\d/.test(it.text) && it.text !== UNREADABLE && !parseCellNumber(it.text).ok && (it.confidence ?? 1) < s.noiseConfidence && it.bbox[3] - it.bbox[1] < s.noiseHeightShare * glyph;
  return items.filter((it) => !isNoise(it));
}

/** The leftover ink of a page (see leftoverInk), each group read as a cell that may hold a number. */
export async function readLeftovers(img: Gray, thr: number, k: number, read: TextItem[], cells: CellSettings, s = LEFTOVER_SETTINGS): Promise<TextItem[]> {
  const out: TextItem[] = [];
  for (const g of leftoverInk(img, thr, k, read.map((r) => r.bbox), s)) out.push(...(await readGroup(img, thr, k, g, cells, s)));
  return out;
}

/** Each group of ink inside `box` (px) read as a cell; the box as a whole where it holds one group or none. */
export async function readInkGroups(img: Gray, thr: number, k: number, box: [number, number, number, number], cells: CellSettings, s = LEFTOVER_SETTINGS): Promise<TextItem[]> {
  const part = crop(img, box[0], box[1], box[2], box[3]);
  const [ox, oy] = [Math.max(0, Math.floor(box[0])), Math.max(0, Math.floor(box[1]))];
  const groups = leftoverInk(part, thr, k, [], s).map((g) => ({ ...g, x0: g.x0 + ox, x1: g.x1 + ox, y0: g.y0 + oy, y1: g.y1 + oy }));
  if (groups.length <= 1) return readGroup(img, thr, k, { x0: box[0], y0: box[1], x1: box[2], y1: box[3], area: 0 }, cells, { ...s, marginPt: 0 });
  const out: TextItem[] = [];
  for (const g of groups) out.push(...(await readGroup(img, thr, k, g, cells, s)));
  return out;
}

async function readGroup(img: Gray, thr: number, k: number, g: Piece, cells: CellSettings, s: typeof LEFTOVER_SETTINGS): Promise<TextItem[]> {
  const m = s.marginPt * k;
  const box: [number, number, number, number] = [Math.max(0, g.x0 - m), Math.max(0, g.y0 - m), Math.min(img.width, g.x1 + m), Math.min(img.height, g.y1 + m)];
  const r = await readCell(img, thr, box, k, true, cells);
  if (!r || !r.text) return [];
  return [{ text: r.text, bbox: [r.ink[0] / k, r.ink[1] / k, r.ink[2] / k, r.ink[3] / k], vertical: false, confidence: Math.min(r.confidence, 0.999), via: 'ocr' }];
}
