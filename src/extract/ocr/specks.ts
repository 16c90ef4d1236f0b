/**
 * Ink of a cell crop that is not text: specks of scanner noise and slivers of the cell's rules along its
 * edges. Both are found as connected pieces of ink and judged by size, so a speck never becomes a digit
 * and a sliver never becomes a "1" beside the real one.
 */
import type { Bin } from './raster.js';

export interface Piece {
  x0: number;
  y0: number;
  /** Exclusive. */
  x1: number;
  y1: number;
  area: number;
}

/** 8-connected pieces of ink; `labels` holds each pixel's piece index + 1 (0 = paper). */
export function pieces(bin: Bin): { labels: Int32Array; pieces: Piece[] } {
  const { width: w, height: h, data } = bin;
  const labels = new Int32Array(w * h);
  const out: Piece[] = [];
  const stack: number[] = [];
  for (let start = 0; start < data.length; start++) {
    if (!data[start] || labels[start]) continue;
    const id = out.length + 1;
    const p: Piece = { x0: w, y0: h, x1: 0, y1: 0, area: 0 };
    labels[start] = id;
    stack.push(start);
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % w;
      const y = (i - x) / w;
      p.area++;
      if (x < p.x0) p.x0 = x;
      if (x >= p.x1) p.x1 = x + 1;
      if (y < p.y0) p.y0 = y;
      if (y >= p.y1) p.y1 = y + 1;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const j = yy * w + xx;
          if (data[j] && !labels[j]) {
            labels[j] = id;
            stack.push(j);
          }
        }
      }
    }
    out.push(p);
  }
  return { labels, pieces: out };
}

export interface SpeckSettings {
  /** Pieces of at most this many pixels are noise wherever they are. */
  tinyArea: number;
  /** Pieces no wider and no taller than this (px), and of at most `dotArea` pixels, are noise when no larger ink is within `near` of them. */
  dot: number;
  dotArea: number;
  /** How far (px) a dot may sit from larger ink and still belong to it (a decimal point, the dots of 心). */
  near: number;
  /** A piece touching the crop's edge and at most this thick across it is a rule's sliver. */
  sliver: number;
  /**
   * A dot sitting on the baseline between two glyphs, each within this many px of it sideways, is a decimal
   * point (proportional fonts set it further from its digits than `near`): dropped, 654.21 reads as 65421.
   */
  pointReach: number;
  /** How far (px) the dot's bottom may lie from its neighbours' bottoms to sit on their baseline. */
  baseline: number;
}

/** Settings for a page image of `pxPerPt` pixels per point. */
export function speckSettings(pxPerPt: number): SpeckSettings {
  return {
    // Under half a square point: smaller than the dot of a 7 pt full stop.
    tinyArea: Math.floor(0.5 * pxPerPt * pxPerPt),
    // A decimal point or a glyph's dot of 9 pt print is about a point across; JPEG smears a speck of
    // noise over a few pixels more. A hyphen of 7 pt print is longer (~2.3 pt), and is kept.
    dot: Math.max(2, Math.round(1.8 * pxPerPt)),
    dotArea: Math.floor(1.5 * pxPerPt * pxPerPt),
    near: Math.round(1.5 * pxPerPt),
    sliver: Math.max(2, Math.round(1.2 * pxPerPt)),
    pointReach: Math.round(3 * pxPerPt),
    baseline: Math.max(2, Math.round(0.8 * pxPerPt)),
  };
}

/** Piece p lies within `d` pixels of piece q's box. */
const within = (p: Piece, q: Piece, d: number) => q.x0 - d < p.x1 && p.x0 < q.x1 + d && q.y0 - d < p.y1 && p.y0 < q.y1 + d;

/**
 * Whether small piece p sits on the baseline between two larger pieces, left and right of it, each within
 * `pointReach`: the place of a decimal point, and the dot is no taller than a third of them.
 */
export function onBaselineBetween(p: Piece, anchors: Piece[], s: SpeckSettings): boolean {
  const beside = (q: Piece) =>
    Math.abs(q.y1 - p.y1) <= s.baseline && (p.y1 - p.y0) * 3 <= q.y1 - q.y0 && p.y0 >= q.y0 + (q.y1 - q.y0) / 2;
  const left = anchors.some((q) => beside(q) && q.x1 <= p.x0 && p.x0 - q.x1 <= s.pointReach);
  const right = anchors.some((q) => beside(q) && q.x0 >= p.x1 && q.x0 - p.x1 <= s.pointReach);
  return left && right;
}

/**
 * Indices of the pieces that are not text: tiny specks, small dots far from any larger ink, and thin
 * slivers along the crop's edges (a rule the cell box did not quite exclude).
 */
export function noisePieces(all: Piece[], width: number, height: number, s: SpeckSettings): Set<number> {
  const noise = new Set<number>();
  const small = (p: Piece) => p.x1 - p.x0 <= s.dot && p.y1 - p.y0 <= s.dot && p.area <= s.dotArea;
  all.forEach((p, i) => {
    if (p.area <= s.tinyArea) noise.add(i);
    else if ((p.x0 === 0 || p.x1 === width) && p.x1 - p.x0 <= s.sliver) noise.add(i);
    else if ((p.y0 === 0 || p.y1 === height) && p.y1 - p.y0 <= s.sliver) noise.add(i);
  });
  const anchors = all.filter((q, j) => !noise.has(j) && !small(q));
  all.forEach((p, i) => {
    if (noise.has(i) || !small(p)) return;
    if (!anchors.some((q) => within(p, q, s.near)) && !onBaselineBetween(p, anchors, s)) noise.add(i);
  });
  return noise;
}

/**
 * Clears the noise pieces of `bin` (and returns it): what is left is text. `strays`, when given, is set
 * to 1 under the noise that is not right beside text: specks a reader may safely lose, where the tiny
 * pieces beside text may be the broken strokes of a faint glyph.
 */
export function dropNoise(bin: Bin, s: SpeckSettings, strays?: Uint8Array): Bin {
  const { labels, pieces: all } = pieces(bin);
  const noise = noisePieces(all, bin.width, bin.height, s);
  if (!noise.size) return bin;
  const text = all.filter((_, i) => !noise.has(i));
  const stray = new Set([...noise].filter((i) => !text.some((q) => within(all[i], q, s.near))));
  for (let i = 0; i < labels.length; i++) {
    if (!labels[i] || !noise.has(labels[i] - 1)) continue;
    bin.data[i] = 0;
    if (strays && stray.has(labels[i] - 1)) strays[i] = 1;
  }
  return bin;
}

/** How many dots of `bin` (cleared of noise) sit where a decimal point does (see onBaselineBetween). */
export function decimalPoints(bin: Bin, s: SpeckSettings): number {
  const { pieces: all } = pieces(bin);
  const small = (p: Piece) => p.x1 - p.x0 <= s.dot && p.y1 - p.y0 <= s.dot && p.area <= s.dotArea;
  const anchors = all.filter((q) => !small(q));
  return all.filter((p) => small(p) && onBaselineBetween(p, anchors, s)).length;
}
