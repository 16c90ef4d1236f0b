/**
 * Table rules in a page image: skew estimate, then long thin runs of ink merged into line segments.
 * Works on binary images (1 = ink); lengths are given in pixels by the caller.
 */
import type { Bin } from './raster.js';

export interface PixelRule {
  orient: 'h' | 'v';
  /** Centre line: y for horizontal, x for vertical (pixels). */
  at: number;
  from: number;
  to: number;
  /** Stroke thickness in pixels. */
  thick: number;
}

export interface RuleSettings {
  /** Shortest horizontal rule (px): longer than any stroke of a glyph. */
  minH: number;
  /** Shortest vertical rule (px). */
  minV: number;
  /** Horizontal rules shorter than this (px) are checked, like vertical ones, for glyph strokes branching off. */
  shortH: number;
  /** Gaps in a run that are bridged (noise, JPEG blocks). */
  gap: number;
  /** Thicker bands are filled areas, not rules. */
  maxThick: number;
  /** How near a rule must come to a perpendicular one to count as touching it. */
  touch: number;
  /**
   * Largest share of a vertical rule's length along which ink sticks out beside it. Strokes of glyphs stacked in a
   * tight two-line cell line up into a run as tall as the cell, but the glyphs' other strokes branch off
   * it; a table rule stands clear of the text (0–2 % where a glyph touches it, 10–40 % for glyph strokes).
   */
  maxBranching: number;
}

/**
 * Skew of the page in degrees (lines run along y = y0 + x·tan(angle), y downwards), by the projection
 * profile method: the angle whose row histogram of ink is sharpest. Rules and text lines both vote.
 */
export function estimateSkew(bin: Bin, maxDeg = 2): number {
  const { width: w, height: h, data } = bin;
  // Sample ink pixels in every other column; every row is kept, as skipping rows would favour angle 0
  // (all samples land on even bins there).
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x += 2) if (data[row + x]) {
      xs.push(x);
      ys.push(y);
    }
  }
  if (xs.length < 50) return 0;
  const margin = Math.ceil(w * Math.tan((maxDeg * Math.PI) / 180)) + 2;
  const hist = new Float64Array(h + 2 * margin);
  const score = (deg: number) => {
    hist.fill(0);
    const t = Math.tan((deg * Math.PI) / 180);
    for (let i = 0; i < xs.length; i++) hist[Math.round(ys[i] - xs[i] * t) + margin]++;
    let s = 0;
    for (let i = 0; i < hist.length; i++) s += hist[i] * hist[i];
    return s;
  };
  let best = 0;
  let bestScore = score(0);
  for (let d = -maxDeg; d <= maxDeg + 1e-9; d += 0.1) {
    const s = score(d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  const coarse = best;
  for (let d = coarse - 0.1; d <= coarse + 0.1 + 1e-9; d += 0.02) {
    const s = score(d);
    if (s > bestScore) [best, bestScore] = [d, s];
  }
  return Math.abs(best) < 0.02 ? 0 : Math.round(best * 100) / 100;
}

export function transpose(bin: Bin): Bin {
  const { width: w, height: h, data } = bin;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + y] = data[y * w + x];
  return { width: h, height: w, data: out };
}

interface Band {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Ink per row: a glyph touching a rule adds a few short rows, which must not count as thickness. */
  rows: Map<number, number>;
}

/** Horizontal bands of long runs: runs in adjacent rows that overlap are one band. */
function horizontalBands(bin: Bin, minRun: number, gap: number): Band[] {
  const { width: w, height: h, data } = bin;
  const open: Band[] = [];
  const done: Band[] = [];
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let x = 0;
    while (x < w) {
      if (!data[row + x]) {
        x++;
        continue;
      }
      const start = x;
      let end = x; // last ink pixel
      let ink = 0;
      while (x < w) {
        if (data[row + x]) {
          end = x;
          ink++;
          x++;
        } else if (x - end <= gap) x++;
        else break;
      }
      if (end - start + 1 < minRun) continue;
      // A run may touch several open bands (a rule that began as pieces): they become one.
      let band: Band | undefined;
      for (let i = 0; i < open.length; i++) {
        const b = open[i];
        if (b.y1 < y - 2 || Math.min(b.x1, end) - Math.max(b.x0, start) <= 0.5 * Math.min(b.x1 - b.x0, end - start)) continue;
        if (!band) {
          band = b;
          continue;
        }
        band.x0 = Math.min(band.x0, b.x0);
        band.x1 = Math.max(band.x1, b.x1);
        band.y0 = Math.min(band.y0, b.y0);
        for (const [ry, n] of b.rows) band.rows.set(ry, (band.rows.get(ry) ?? 0) + n);
        open.splice(i--, 1);
      }
      if (band) {
        band.x0 = Math.min(band.x0, start);
        band.x1 = Math.max(band.x1, end);
        band.y1 = Math.max(band.y1, y);
        band.rows.set(y, (band.rows.get(y) ?? 0) + ink);
      } else open.push({ x0: start, x1: end, y0: y, y1: y, rows: new Map([[y, ink]]) });
    }
    for (let i = open.length - 1; i >= 0; i--) if (open[i].y1 < y - 2) done.push(...open.splice(i, 1));
  }
  return done.concat(open);
}

function bandsToRules(bands: Band[], orient: 'h' | 'v', minLen: number, maxThick: number, gap: number): PixelRule[] {
  const rules: PixelRule[] = [];
  for (const b of bands) {
    // The rule's own rows carry ink over a good part of its length; rows of touching glyphs do not.
    const len = b.x1 - b.x0 + 1;
    let wy = 0;
    let wn = 0;
    let thick = 0;
    for (const [y, n] of b.rows)
      if (n >= 0.3 * len) {
        wy += y * n;
        wn += n;
        thick++;
      }
    if (!thick || thick > maxThick) continue;
    rules.push({ orient, at: wy / wn + 0.5, from: b.x0, to: b.x1 + 1, thick });
  }
  rules.sort((a, b) => a.at - b.at || a.from - b.from);
  // Join collinear pieces split by a gap (an intersection, a speck of lost ink).
  const joined: PixelRule[] = [];
  for (const r of rules) {
    const prev = joined.find((p) => Math.abs(p.at - r.at) <= 2 && r.from - p.to <= gap * 1.5 && p.from - r.to <= gap * 1.5);
    if (prev) {
      const lp = prev.to - prev.from;
      const lr = r.to - r.from;
      prev.at = (prev.at * lp + r.at * lr) / (lp + lr);
      prev.from = Math.min(prev.from, r.from);
      prev.to = Math.max(prev.to, r.to);
      prev.thick = Math.max(prev.thick, r.thick);
    } else joined.push({ ...r });
  }
  return joined.filter((r) => r.to - r.from >= minLen);
}

/**
 * Horizontal and vertical rules of a deskewed binary image. A table rule ends on perpendicular rules;
 * a stroke of a glyph touches a rule at one end at most, so a rule meeting others at only one end must be
 * long (a table cut by the page edge), and one meeting none is dropped.
 */
export function findRules(bin: Bin, s: RuleSettings): PixelRule[] {
  const minRun = Math.min(s.minH, s.minV) / 2;
  const h = bandsToRules(horizontalBands(bin, minRun, s.gap), 'h', s.minH, s.maxThick, s.gap);
  const v = bandsToRules(horizontalBands(transpose(bin), minRun, s.gap), 'v', s.minV, s.maxThick, s.gap);
  const ok = (r: PixelRule, others: PixelRule[], min: number) => {
    const near = (pos: number) => others.some((q) => Math.abs(q.at - pos) <= s.touch && r.at >= q.from - s.touch && r.at <= q.to + s.touch);
    const crossed = others.some((q) => q.at > r.from && q.at < r.to && r.at >= q.from - s.touch && r.at <= q.to + s.touch);
    const ends = Number(near(r.from)) + Number(near(r.to));
    if (ends === 2) return true;
    if (ends === 1) return r.to - r.from >= 2.5 * min;
    return crossed && r.to - r.from >= 4 * min;
  };
  // A short horizontal run may be the strokes of a line of glyphs in a narrow cell (未按收费 lines up its
  // cross strokes over four glyphs): their upright strokes branch off it, as a rule's do not.
  const hk = h.filter((r) => ok(r, v, s.minH) && (r.to - r.from >= s.shortH || branching(bin, r, v, s.touch) <= s.maxBranching));
  // Only short vertical runs can be glyph strokes (a horizontal rule is longer than any line of glyphs);
  // text touching a horizontal rule over part of its length must not cost it.
  const vk = v.filter((r) => ok(r, h, s.minV) && branching(bin, r, hk, s.touch) <= s.maxBranching);
  return [...hk, ...vk];
}

/**
 * Share of a rule's length where ink branches off it sideways: at each step along the rule, the run of ink
 * across it is measured, and a run wider than the rule's stroke (plus a pixel of blur each side) counts.
 * Steps where a perpendicular rule crosses or ends are skipped, and so are steps without ink (bridged gaps).
 */
export function branching(bin: Bin, r: PixelRule, across: PixelRule[], touch: number): number {
  const { width: w, height: h, data } = bin;
  // In (along, side) coordinates: along runs with the rule, side across it.
  const at = (along: number, side: number) => (r.orient === 'v' ? data[along * w + side] : data[side * w + along]);
  const sideMax = r.orient === 'v' ? w - 1 : h - 1;
  const c = Math.round(r.at);
  const reach = Math.ceil(r.thick / 2) + 1;
  const crossings = across.filter((q) => r.at >= q.from - touch && r.at <= q.to + touch).map((q) => [q.at - q.thick / 2 - 2, q.at + q.thick / 2 + 2]);
  let inked = 0;
  let branched = 0;
  for (let a = Math.ceil(r.from); a < Math.floor(r.to); a++) {
    if (crossings.some(([lo, hi]) => a >= lo && a <= hi)) continue;
    let x = -1;
    for (let d = 0; d <= reach && x < 0; d++) {
      if (c + d <= sideMax && at(a, c + d)) x = c + d;
      else if (c - d >= 0 && at(a, c - d)) x = c - d;
    }
    if (x < 0) continue;
    inked++;
    let lo = x;
    let hi = x;
    while (lo > 0 && at(a, lo - 1)) lo--;
    while (hi < sideMax && at(a, hi + 1)) hi++;
    if (hi - lo + 1 > r.thick + 2) branched++;
  }
  return inked ? branched / inked : 1;
}
