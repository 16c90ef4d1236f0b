/**
 * Pages scanned sideways (a landscape table fed in upright, a sheet put on the glass turned): their text
 * runs down the page. Told from the ink itself: lines of text leave blank rows between them, and a
 * sideways page leaves blank columns instead. Which way to turn it back is read off the text: the turn
 * under which the Chinese model reads it with more confidence.
 */
import { recognize } from './engine.js';
import { scale, toPgm, type Bin, type Gray } from './raster.js';

export type QuarterTurn = 0 | 90 | -90;

export const ORIENTATION_SETTINGS = {
  /**
   * Share of a page's ink left out at each end of an axis before its blank lines are counted: the page's
   * furniture (a browser's print date, the file's address) stands alone in the margins, and the gaps between
   * its glyphs would count as blank lines across a page whose body (a table, full of rules) has none.
   */
  marginInk: 0.03,
};

/** Share of blank lines across the ink's extent, and how many blank stretches, along one axis. */
function blankLines(bin: Bin, alongRows: boolean, marginInk = ORIENTATION_SETTINGS.marginInk): { share: number; runs: number } {
  const { width: w, height: h, data } = bin;
  const n = alongRows ? h : w;
  const profile = new Uint32Array(n);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if (data[y * w + x]) profile[alongRows ? y : x]++;
  let total = 0;
  for (let i = 0; i < n; i++) total += profile[i];
  // The extent holds the body's ink: from where `marginInk` of it lies before to where as much lies after.
  let a = 0;
  for (let seen = 0; a < n && (profile[a] <= 1 || seen + profile[a] <= marginInk * total); a++) seen += profile[a];
  let b = n - 1;
  for (let seen = 0; b > a && (profile[b] <= 1 || seen + profile[b] <= marginInk * total); b--) seen += profile[b];
  let blank = 0;
  let runs = 0;
  let prev = false;
  for (let i = a; i <= b; i++) {
    const empty = profile[i] <= 1;
    if (empty) blank++;
    if (empty && !prev) runs++;
    prev = empty;
  }
  return { share: b > a ? blank / (b - a + 1) : 0, runs };
}

/**
 * Whether a page's text runs across (0) or down it (sideways): null where the ink does not say (a page
 * of one table, a near-empty page). `bin`: the page's ink, at any resolution.
 */
export function sideways(bin: Bin): boolean | null {
  const rows = blankLines(bin, true);
  const cols = blankLines(bin, false);

  // Several blank stretches on one axis and clearly fewer blank lines on the other.
  if (cols.runs >= 3 && cols.share >= 0.1 && cols.share > 3 * rows.share) return true;
  if (rows.runs >= 3 && rows.share >= 0.1 && rows.share > 3 * cols.share) return false;
  return null;
}

/** The image (grey or ink) turned a quarter: 90 clockwise, -90 counter-clockwise. */
export function turnQuarter<T extends Gray | Bin>(img: T, turn: QuarterTurn): T {
  if (!turn) return img;
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      // Clockwise: (x, y) goes to (h-1-y, x); counter-clockwise: to (y, w-1-x). The new width is h.
      const [nx, ny] = turn === 90 ? [h - 1 - y, x] : [y, w - 1 - x];
      out[ny * h + nx] = data[y * w + x];
    }
  return { width: h, height: w, data: out } as T;
}

/** Of the two quarter turns, the one under which the text reads best (chi_sim's mean confidence). */
export async function uprightTurn(img: Gray, dpi: number): Promise<QuarterTurn> {
  // Body text reads at 100 dpi; a smaller image keeps the two readings quick.
  const small = scale(img, Math.min(1, 100 / dpi));
  const score = async (t: QuarterTurn) => {
    const r = await recognize('chi_sim', toPgm(turnQuarter(small, t)), { tessedit_pageseg_mode: '3', tessedit_char_whitelist: '' });
    return r.confidence * Math.min(1, r.text.replace(/\s/g, '').length / 50);
  };
  return (await score(90)) >= (await score(-90)) ? 90 : -90;
}
