/**
 * One table cell of a page image → text and confidence. Numbers are read with the `eng` model
 * restricted to digits; anything that does not look like a number (by the reading and by the shape
 * of its ink) is read as a label with `chi_sim`.
 */
import { CONFIDENCE } from '../../format/confidence.js';
import { binarize, crop, pad, scale, toPgm, type Gray } from './raster.js';
import { decimalPoints, dropNoise, speckSettings } from './specks.js';
import { recognize } from './engine.js';
import { vocabularyScore } from './vocabulary.js';

export interface CellSettings {
  /** Digits are scaled so their ink is this tall (px): tesseract's LSTM reads ~30 px glyphs best. */
  digitHeight: number;
  /** Labels are scaled so a line of text is at least this tall (px). */
  labelHeight: number;
  /** A first digit reading at or above this tesseract confidence is taken without a second one. */
  sureDigits: number;
  /** Below this, a digit reading is not trusted to decide that the cell holds a number. */
  minDigits: number;
  /** A label reading at or above this tesseract confidence (0..1) is not read again unless it resembles an official label. */
  sureLabel: number;
  /** Ink pixels (relative to px per pt squared) under which a cell counts as empty. */
  minInk: number;
  /** Shortest ink (pt) read as digits: digits of 5 pt print stand ~3.5 pt tall; less is a speck or a fragment. */
  minDigitPt: number;
  /**
   * A first digit reading below minDigits but at or above this is looked at again (a clean 5 of a blurred scan
   * read at 58): taken only where the second look reads the same at minDigits or more.
   */
  recheckDigits: number;
  /** A number wrapped in a narrow cell (26 printed as 2 over 6) is read line by line up to this many lines. */
  maxWrappedLines: number;
  /** Ink no wider than this many times its height, nor taller than this many times its width, may be one glyph. */
  loneGlyphRatio: number;
  /** …and no taller than this (pt): a glyph of table print; a taller square block is lines of text. */
  maxGlyphPt: number;
}

export const CELL_SETTINGS: CellSettings = { digitHeight: 32, labelHeight: 28, sureDigits: 90, minDigits: 60, sureLabel: 0.85, minInk: 2, minDigitPt: 3, recheckDigits: 30, maxWrappedLines: 3, loneGlyphRatio: 1.4, maxGlyphPt: 16 };

export interface CellReading {
  text: string;
  confidence: number;
  kind: 'number' | 'label';
  /** Ink box inside the page image (px). */
  ink: [number, number, number, number];
}

const DIGITS = { tessedit_pageseg_mode: '7', tessedit_char_whitelist: '0123456789.-' };
const DIGIT_CHAR = { tessedit_pageseg_mode: '10', tessedit_char_whitelist: '0123456789' };
// A raw line: no layout analysis, which on a blurred low-resolution cell sometimes finds no text line at all.
const DIGITS_RAW = { tessedit_pageseg_mode: '13', tessedit_char_whitelist: '0123456789.-' };
const LABEL_LINE = { tessedit_pageseg_mode: '7', preserve_interword_spaces: '1', tessedit_char_whitelist: '' };
const LABEL_CHAR = { ...LABEL_LINE, tessedit_pageseg_mode: '10' };

const NUMBER = /^(?:\d+(?:\.\d+)?|-+)$/;
/** What a cell holds whose ink no model could read: no number, so the mapping leaves the cell out. */
export const UNREADABLE = '?';

/** Spaces tesseract puts between CJK characters are artefacts; spaces between Latin words are kept. */
export function tidyCjk(s: string): string {
  return s
    .replace(/\s*\n\s*/g, '\n')
    .replace(/(?<=[^\x00-\x7f])[ \t]+|[ \t]+(?=[^\x00-\x7f])/g, '')
    .trim();
}

interface Ink {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  count: number;
  /** Text lines found by the row profile: [y0, y1) in crop pixels. */
  strips: [number, number][];
  lines: number;
  /** Runs of inked columns across the text: printed digits stand apart, so a number has at most this many. */
  glyphs: number;
  /** Dots on the baseline between glyphs: decimal points (a reading without its point is not the number). */
  points: number;
  /** The crop with specks and slivers whitened. */
  clean: Gray;
}

/**
 * The ink of a cell crop, after whitening rule remnants along its edges (residual skew leaves slivers
 * of the cell's rules inside the crop) and specks of noise: neither may stretch the ink box or split
 * the text into lines. Mutates `g` (rule remnants, specks away from text).
 */
function inkOf(g: Gray, thr: number, edge: number, pxPerPt: number): Ink {
  const { width: w, height: h, data } = g;
  for (let y = 0; y < h; y++) {
    if (y >= edge && y < h - edge) continue;
    let n = 0;
    for (let x = 0; x < w; x++) n += data[y * w + x] <= thr ? 1 : 0;
    if (n > 0.4 * w) data.fill(255, y * w, (y + 1) * w);
  }
  for (let x = 0; x < w; x++) {
    if (x >= edge && x < w - edge) continue;
    let n = 0;
    for (let y = 0; y < h; y++) n += data[y * w + x] <= thr ? 1 : 0;
    if (n > 0.4 * h) for (let y = 0; y < h; y++) data[y * w + x] = 255;
  }
  dropEdgeSlivers(g, thr, edge);
  const bin = binarize(g, thr);
  const before = bin.data.slice();
  const strays = new Uint8Array(w * h);
  const specks = speckSettings(pxPerPt);
  dropNoise(bin, specks, strays);
  const points = decimalPoints(bin, specks);
  // The digit model is shown the crop without any speck (a speck beside a digit reads as a digit); the
  // label model keeps the tiny pieces beside text, as a faint glyph's strokes break into such pieces.
  const clean = { width: w, height: h, data: data.slice() };
  for (let i = 0; i < before.length; i++) {
    if (!before[i] || bin.data[i]) continue;
    clean.data[i] = 255;
    if (strays[i]) data[i] = 255;
  }
  const ink = (x: number, y: number) => bin.data[y * w + x] === 1;
  const rows = new Uint32Array(h);
  const cols = new Uint32Array(w);
  let count = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (ink(x, y)) {
        rows[y]++;
        cols[x]++;
        count++;
      }
  let y0 = 0;
  while (y0 < h && !rows[y0]) y0++;
  let y1 = h - 1;
  while (y1 > y0 && !rows[y1]) y1--;
  let x0 = 0;
  while (x0 < w && !cols[x0]) x0++;
  let x1 = w - 1;
  while (x1 > x0 && !cols[x1]) x1--;
  const strips = dropRuleSlivers(textStrips(rows, y0, y1 + 1, x1 - x0 + 1));
  if (strips.length && (strips[0][0] > y0 || strips[strips.length - 1][1] < y1 + 1)) {
    // The ink box shrinks to the text: a sliver of rule may reach further sideways than the text does.
    y0 = strips[0][0];
    y1 = strips[strips.length - 1][1] - 1;
    const c = new Uint32Array(w);
    for (const [a, b] of strips) for (let y = a; y < b; y++) for (let x = 0; x < w; x++) if (ink(x, y)) c[x]++;
    x0 = 0;
    while (x0 < w && !c[x0]) x0++;
    x1 = w - 1;
    while (x1 > x0 && !c[x1]) x1--;
  }
  const across = new Uint32Array(w);
  for (const [a, b] of strips) for (let y = a; y < b; y++) for (let x = x0; x <= x1; x++) if (ink(x, y)) across[x]++;
  const glyphs = runs(across, x0, x1 + 1, 0).length;
  return { x0, y0, x1: x1 + 1, y1: y1 + 1, count, strips, lines: strips.length, glyphs, points, clean };
}

/**
 * A short piece of the cell's own side rule (the rule bends or thickens near a corner, so only part of it
 * reaches inside the crop) reads as | or 1: a thin upright line within the edge band, parted from everything
 * further in by an empty column, is whitened. Text keeps its distance from
 * the rules (the crop is inset), and a digit is wider than the band.
 */
export function dropEdgeSlivers(g: Gray, thr: number, edge: number): void {
  const { width: w, height: h, data } = g;
  const dark = (x: number, y: number) => data[y * w + x] <= thr;
  const inked = (x: number) => {
    let n = 0;
    for (let y = 0; y < h; y++) if (dark(x, y)) n++;
    return n;
  };
  for (const [border, step] of [[0, 1], [w - 1, -1]] as const) {
    if (w <= 2 * edge) continue;
    // The rule's full columns are gone by now: the sliver may stand a column or two in.
    let from = 0;
    while (from < edge && !inked(border + step * from)) from++;
    let to = from;
    while (to < edge && inked(border + step * to)) to++;
    if (from === to || to >= edge) continue;
    let top = h;
    let bottom = -1;
    for (let i = from; i < to; i++)
      for (let y = 0; y < h; y++)
        if (dark(border + step * i, y)) [top, bottom] = [Math.min(top, y), Math.max(bottom, y)];
    if (bottom - top + 1 < 3 * (to - from)) continue;
    for (let i = from; i < to; i++) for (let y = 0; y < h; y++) data[y * w + border + step * i] = 255;
  }
}

/**
 * A rule of a neighbouring cell that passes through the crop (a merged header cell, a rule ending inside
 * the cell) leaves a thin strip above or below the text: read beside the text, it becomes 一 or a dash.
 */
function dropRuleSlivers(strips: [number, number][]): [number, number][] {
  if (strips.length < 2) return strips;
  const tallest = Math.max(...strips.map(([a, b]) => b - a));
  const thin = ([a, b]: [number, number]) => b - a <= Math.max(3, 0.25 * tallest);
  let i = 0;
  let j = strips.length;
  while (j - i > 1 && thin(strips[i])) i++;
  while (j - i > 1 && thin(strips[j - 1])) j--;
  return strips.slice(i, j);
}

/**
 * Lines of text from the row profile. Gaps inside a glyph (三, 二) also split the profile, so pieces are
 * joined back while the result stays within one glyph height, taken as the tallest piece (or the ink
 * width for a single column of stacked glyphs: Chinese glyphs are square).
 */
function textStrips(rows: Uint32Array, y0: number, y1: number, inkW: number): [number, number][] {
  // Tightly set lines touch through descenders: a nearly empty row of a wide line still separates them.
  // Specks are gone by now, so a narrow block (one digit) keeps rows where only a thin stroke passes, and
  // so does a digit whose ink box a leftover speck made wide (the floor never passes a tenth of the fullest row).
  let fullest = 0;
  for (let y = y0; y < y1; y++) fullest = Math.max(fullest, rows[y]);
  const floor = Math.min(Math.round(inkW * 0.03), Math.floor(fullest * 0.1));
  const pieces = runs(rows, y0, y1, floor);
  if (pieces.length <= 1) return pieces;
  const tallest = Math.max(...pieces.map(([a, b]) => b - a));
  // A single column of stacked glyphs is one glyph wide; its pieces may all be parts of glyphs.
  const glyph = Math.max(tallest, inkW <= 1.5 * tallest ? inkW : 0) * 1.15;
  const out: [number, number][] = [pieces[0]];
  for (const p of pieces.slice(1)) {
    const last = out[out.length - 1];
    if (p[1] - last[0] <= glyph) last[1] = p[1];
    else out.push([p[0], p[1]]);
  }
  return out;
}

/** Pieces of a cell (lines, or glyphs of a stacked column) set side by side: one line reads better than a block. */
function sideBySide(g: Gray, boxes: [number, number, number, number][], gapPx: number): Gray {
  const h = Math.max(...boxes.map(([, y0, , y1]) => y1 - y0));
  const w = boxes.reduce((n, [x0, , x1]) => n + x1 - x0, 0) + (boxes.length - 1) * gapPx;
  const data = new Uint8Array(w * h).fill(255);
  let off = 0;
  for (const [x0, a, x1, b] of boxes) {
    const top = Math.floor((h - (b - a)) / 2);
    for (let y = a; y < b; y++) data.set(g.data.subarray(y * g.width + x0, y * g.width + x1), (top + y - a) * w + off);
    off += x1 - x0 + gapPx;
  }
  return { width: w, height: h, data };
}

/** Runs of rows (or columns) whose ink count exceeds `floor`: [start, end). */
function runs(profile: Uint32Array, from: number, to: number, floor: number): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let i = from; i <= to; i++) {
    const on = i < to && profile[i] > floor;
    if (on && start < 0) start = i;
    else if (!on && start >= 0) {
      out.push([start, i]);
      start = -1;
    }
  }
  return out;
}

/**
 * Other ways to cut a block of label text into one line, for when the first reading is no official label:
 * two lines set so tightly that the row profile found one (split at the emptiest row near the middle),
 * and glyphs stacked in columns (a narrow cell with vertical writing: each column read top to bottom).
 */
function otherLayouts(g: Gray, ink: Ink, thr: number, pxPerPt: number): [number, number, number, number][][] {
  const { x0, y0, x1, y1 } = ink;
  const inkH = y1 - y0;
  const layouts: [number, number, number, number][][] = [];
  // Below two lines of the smallest table print (7 pt), a block is one line.
  if (inkH < 14 * pxPerPt) return layouts;
  const rows = new Uint32Array(g.height);
  const cols = new Uint32Array(g.width);
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++)
      if (g.data[y * g.width + x] <= thr) {
        rows[y]++;
        cols[x]++;
      }
  if (ink.strips.length === 1) {
    let cut = -1;
    for (let y = Math.round(y0 + inkH * 0.35); y < y0 + inkH * 0.65; y++) if (cut < 0 || rows[y] < rows[cut]) cut = y;
    layouts.push([
      [x0, y0, x1, cut],
      [x0, cut, x1, y1],
    ]);
  }
  // Glyphs stacked in columns: each column is cut into square glyphs (CJK glyphs are as tall as wide).
  const columns = runs(cols, x0, x1, 0).filter(([a, b]) => b - a >= 4 * pxPerPt);
  if (columns.length >= 1 && columns.length <= 4) {
    const glyphs: [number, number, number, number][] = [];
    for (const [a, b] of columns) {
      const prof = new Uint32Array(g.height);
      for (let y = y0; y < y1; y++) for (let x = a; x < b; x++) if (g.data[y * g.width + x] <= thr) prof[y]++;
      const body = runs(prof, y0, y1, 0);
      if (!body.length) continue;
      const top = body[0][0];
      const bottom = body[body.length - 1][1];
      const n = Math.round((bottom - top) / (b - a));
      if (n < 2) return layouts;
      for (let i = 0; i < n; i++) glyphs.push([a, Math.round(top + ((bottom - top) * i) / n), b, Math.round(top + ((bottom - top) * (i + 1)) / n)]);
    }
    layouts.push(glyphs);
  }
  return layouts;
}

/** Reads one cell. `box` is the cell's inside in page pixels (rules excluded); `mayBeNumber` false for label columns. */
export async function readCell(
  img: Gray,
  thr: number,
  box: [number, number, number, number],
  pxPerPt: number,
  mayBeNumber: boolean,
  s: CellSettings = CELL_SETTINGS,
): Promise<CellReading | null> {
  const g = crop(img, box[0], box[1], box[2], box[3]);
  if (g.width < 3 || g.height < 3) return null;
  const ink = inkOf(g, thr, Math.max(2, Math.round(pxPerPt * 1.2)), pxPerPt);
  const inkH = ink.y1 - ink.y0;
  const inkW = ink.x1 - ink.x0;
  if (ink.count < s.minInk * pxPerPt * pxPerPt || inkH < 1 || inkW < 1) return null;
  const m = Math.round(pxPerPt * 0.8);
  const tight = crop(ink.clean, ink.x0 - m, ink.y0 - m, ink.x1 + m, ink.y1 + m);
  const pageInk: CellReading['ink'] = [box[0] + ink.x0, box[1] + ink.y0, box[0] + ink.x1, box[1] + ink.y1];

  // Ink too short for a digit never reads as one, whatever tesseract makes of it.
  const tooShort = inkH < s.minDigitPt * pxPerPt;
  // A point seen in the ink that the reading lacks was dropped by the model: 654.21 is not 65421.
  const pointLost = (t: string) => ink.points > 0 && /\d/.test(t) && !t.includes('.');
  const digitsOk = (t: string) => (!/\d/.test(t) || !tooShort) && !pointLost(t);
  // The digit model read a number, though not surely enough to take: the label model's reading must say otherwise.
  let digitsSeen = false;
  if (mayBeNumber && ink.lines <= 1) {
    const f = Math.min(4, Math.max(1, s.digitHeight / inkH));
    const first = await recognize('eng', toPgm(pad(scale(tight, f), 12)), DIGITS);
    const text = first.text.replace(/\s+/g, '');
    const numberLike = NUMBER.test(text) && digitsOk(text) && digitShape(text, inkW, inkH, ink.glyphs);
    digitsSeen = numberLike;
    if (numberLike && first.confidence < s.minDigits && first.confidence >= s.recheckDigits) {
      const again = await secondLook(tight, thr, f);
      if (again.text === text && again.confidence >= s.minDigits) return { text, confidence: again.confidence / 100, kind: 'number', ink: pageInk };
    }
    if (numberLike && first.confidence >= s.minDigits) {
      let confidence = first.confidence / 100;
      if (first.confidence < s.sureDigits) {
        // A second look at another scale and a hard threshold: agreement confirms, disagreement lowers.
        const second = await secondLook(tight, thr, f);
        const t2 = second.text;
        if (t2 === text) confidence = Math.max(first.confidence, second.confidence) / 100;
        else {
          const better = second.confidence > first.confidence && NUMBER.test(t2) && digitsOk(t2) && digitShape(t2, inkW, inkH, ink.glyphs);
          return { text: better ? t2 : text, confidence: Math.min(CONFIDENCE.doubted, Math.max(first.confidence, second.confidence) / 100), kind: 'number', ink: pageInk };
        }
      }
      return { text, confidence, kind: 'number', ink: pageInk };
    }
    if (!text && !tooShort) {
      const second = await secondChanceDigits(tight, thr, f, ink, (t) => NUMBER.test(t) && digitsOk(t) && digitShape(t, inkW, inkH, ink.glyphs), s);
      if (second) return { ...second, ink: pageInk };
    }
  }
  if (mayBeNumber && ink.lines > 1 && ink.lines <= s.maxWrappedLines) {
    const wrapped = await wrappedNumber(ink, thr, pxPerPt, s);
    if (wrapped && !pointLost(wrapped.text)) return { ...wrapped, ink: pageInk };
  }
  const best = await readLabel(g, ink, thr, pxPerPt, s);
  // A number the digit model would not vouch for (it read something else, or was unsure) is doubtful.
  const unconfirmed = mayBeNumber && /\d/.test(best.text) && NUMBER.test(best.text.replace(/\s+/g, ''));
  if (unconfirmed && tooShort) return null;
  // Digits read apart ("654 21") are a lost point or two numbers: no reading of one number.
  const doubtful = (t: string) => !digitShape(t.replace(/\s+/g, ''), inkW, inkH, ink.glyphs) || pointLost(t) || /\d\s+\d/.test(t.trim());
  if (unconfirmed && doubtful(best.text)) return { text: UNREADABLE, confidence: 0, kind: 'label', ink: pageInk };
  // Ink the size of a digit that no model could read is not a blank cell: the cell is marked unreadable
  // (it is then left out and named in the notes), never taken as blank.
  // …and so is ink the digit model took for a number that the label model reads as no word either ($ for a 5).
  if (digitsSeen && !unconfirmed && !/\p{Script=Han}/u.test(best.text)) return { text: UNREADABLE, confidence: 0, kind: 'label', ink: pageInk };
  if (mayBeNumber && !best.text.trim() && !tooShort) return { text: UNREADABLE, confidence: 0, kind: 'label', ink: pageInk };
  return { text: best.text, confidence: unconfirmed ? Math.min(best.confidence, CONFIDENCE.unconfirmedLabel) : best.confidence, kind: 'label', ink: pageInk };
}

/**
 * The cell's ink read as a label: its lines set side by side; where the reading is no official label, a sharper
 * image, other cuts of the block and (a lone glyph) the block as one character, the best by the vocabulary.
 */
async function readLabel(g: Gray, ink: Ink, thr: number, pxPerPt: number, s: CellSettings): Promise<{ text: string; confidence: number; score: number }> {
  const [inkW, inkH] = [ink.x1 - ink.x0, ink.y1 - ink.y0];
  const gapPx = Math.round(pxPerPt * 4);
  const line = ink.strips.length > 1 ? sideBySide(g, ink.strips.map(([a, b]) => [ink.x0, a, ink.x1, b]), gapPx) : crop(g, ink.x0, ink.y0, ink.x1, ink.y1);
  const first = await readLine(line, pxPerPt, s);
  let best = { ...first, score: vocabularyScore(first.text) };
  // A confident reading that resembles no label is a heading of the cell's own (信息内容, a note): kept.
  if (best.score < 1 && (first.confidence < s.sureLabel || best.score >= 0.5)) {
    // Not an official label as read: a sharper image or another cut of the block may read as one.
    const tries = [binarizeCopy(line, thr), ...otherLayouts(g, ink, thr, pxPerPt).map((boxes) => sideBySide(g, boxes, gapPx))];
    // A lone square glyph (总 over a header cut by a page break) reads better as one character than as a line.
    // Its strokes may part it into strips (总's top over its 心): the block is read whole.
    const lone = inkW <= s.loneGlyphRatio * inkH && inkH <= s.loneGlyphRatio * inkW && inkH <= s.maxGlyphPt * pxPerPt;
    const readings = tries.map((img) => [img, LABEL_LINE] as const);
    const whole = crop(g, ink.x0, ink.y0, ink.x1, ink.y1);
    if (lone) readings.push([whole, LABEL_CHAR], [binarizeCopy(whole, thr), LABEL_CHAR]);
    for (const [img, mode] of readings) {
      const r = await readLine(img, pxPerPt, s, mode);
      const score = vocabularyScore(r.text);
      if (score > best.score + 0.05 || (score >= best.score && r.confidence > best.confidence)) best = { ...r, score };
      if (best.score === 1) break;
    }
  }
  return best;
}

/**
 * Tesseract's layout analysis sometimes finds no line at all in a small or blurred cell (PSM 7 reads nothing):
 * read as a raw line, and a lone glyph as one character. Neither is the first reading, so neither is taken as
 * sure; and where both read a digit and the two differ (a 1 read as 3 by one of them), the cell holds ink
 * no reading vouches for: unreadable, never a guess.
 */
async function secondChanceDigits(tight: Gray, thr: number, f: number, ink: Ink, ok: (t: string) => boolean, s: CellSettings): Promise<Omit<CellReading, 'ink'> | null> {
  const raw = await recognize('eng', toPgm(pad(scale(tight, f), 12)), DIGITS_RAW);
  const t = raw.text.replace(/\s+/g, '');
  const rawOk = ok(t) && raw.confidence >= s.minDigits;
  const inkW = ink.x1 - ink.x0;
  const inkH = ink.y1 - ink.y0;
  let c = '';
  if (inkW <= 1.2 * inkH && (!rawOk || /^\d$/.test(t))) {
    const lone = await recognize('eng', toPgm(pad(scale(binarizeCopy(tight, thr), f * 1.3), 16)), DIGIT_CHAR);
    c = lone.text.replace(/\s+/g, '');
    if (!(/^\d$/.test(c) && ok(c) && lone.confidence >= s.minDigits)) c = '';
    else if (!rawOk) return { text: c, confidence: Math.min(0.85, lone.confidence / 100), kind: 'number' };
  }
  if (!rawOk) return null;
  if (c && c !== t) {
    // A third look settles it only where it sides with one of the two, surely: otherwise no reading vouches.
    const third = await secondLook(tight, thr, f);
    const sides = third.confidence >= s.sureDigits && (third.text === c || third.text === t) && ok(third.text);
    return sides ? { text: third.text, confidence: CONFIDENCE.doubted, kind: 'number' } : { text: UNREADABLE, confidence: 0, kind: 'label' };
  }
  return { text: t, confidence: Math.min(0.85, raw.confidence / 100), kind: 'number' };
}

/**
 * A number too wide for its cell, wrapped by the print (the text layer reads its lines as one): each line of
 * the ink read by the digit model, surely (or confirmed by a second look), and the lines joined. Null where
 * any line is no digits.
 */
async function wrappedNumber(ink: Ink, thr: number, pxPerPt: number, s: CellSettings): Promise<Omit<CellReading, 'ink'> | null> {
  const g = ink.clean;
  const m = Math.round(pxPerPt * 0.8);
  let text = '';
  let confidence = 1;
  for (const [a, b] of ink.strips) {
    const cols = new Uint32Array(g.width);
    for (let y = a; y < b; y++) for (let x = 0; x < g.width; x++) if (g.data[y * g.width + x] <= thr) cols[x]++;
    const glyphs = runs(cols, 0, g.width, 0);
    if (!glyphs.length || b - a < s.minDigitPt * pxPerPt) return null;
    const [x0, x1] = [glyphs[0][0], glyphs[glyphs.length - 1][1]];
    const tight = crop(g, x0 - m, a - m, x1 + m, b + m);
    const f = Math.min(4, Math.max(1, s.digitHeight / (b - a)));
    const r = await recognize('eng', toPgm(pad(scale(tight, f), 12)), DIGITS);
    const t = r.text.replace(/\s+/g, '');
    if (!/^[\d.]+$/.test(t) || r.confidence < s.minDigits || !digitShape(t, x1 - x0, b - a, glyphs.length)) return null;
    if (r.confidence < s.sureDigits && (await secondLook(tight, thr, f)).text !== t) return null;
    text += t;
    confidence = Math.min(confidence, r.confidence / 100);
  }
  return NUMBER.test(text) ? { text, confidence, kind: 'number' } : null;
}

/** The digit model on the cell's ink at a hard threshold and a larger scale than the first reading's. */
async function secondLook(tight: Gray, thr: number, f: number): Promise<{ text: string; confidence: number }> {
  const r = await recognize('eng', toPgm(pad(scale(binarizeCopy(tight, thr), f * 1.3), 12)), DIGITS);
  return { text: r.text.replace(/\s+/g, ''), confidence: r.confidence };
}

async function readLine(line: Gray, pxPerPt: number, s: CellSettings, mode: typeof LABEL_LINE = LABEL_LINE): Promise<{ text: string; confidence: number }> {
  const f = Math.min(3, Math.max(1, s.labelHeight / line.height));
  const r = await recognize('chi_sim', toPgm(pad(scale(line, f), Math.round(pxPerPt * 3))), mode);
  return { text: tidyCjk(r.text).replace(/\n/g, ''), confidence: r.confidence / 100 };
}

/**
 * Printed digits are taller than wide: n digits span about 0.4–0.75 of their height each. They stand apart
 * in print; where fewer runs of inked columns than characters show (digits blurred together in a low
 * resolution scan) the ink must be as wide as n such digits (a lone 7 was once read as 72).
 */
function digitShape(text: string, inkW: number, inkH: number, glyphs: number): boolean {
  if (/^-+$/.test(text)) return inkW > inkH;
  const n = text.replace(/\./g, '').length;
  const ratio = inkW / inkH;
  if (text.length > glyphs && ratio < n * 0.45) return false;
  return ratio <= n * 0.85 + 0.35 && ratio >= n * 0.3 - 0.3;
}

function binarizeCopy(g: Gray, thr: number): Gray {
  const data = new Uint8Array(g.data.length);
  for (let i = 0; i < data.length; i++) data[i] = g.data[i] <= thr ? 0 : 255;
  return { width: g.width, height: g.height, data };
}
