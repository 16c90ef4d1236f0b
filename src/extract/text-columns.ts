import type { Piece } from './text-stream.js';

/**
 * `pdftotext -layout` keeps a table's columns as character positions, so a row printed
 * with blank cells can still say which column each number stands in. Positions are only
 * roughly comparable between a heading line and a number line (poppler spaces each line
 * from what lies to its left), so a number is placed only where one column is clearly
 * nearest and the whole placement keeps the printed order; the caller then checks the
 * table's own identities before taking it.
 */

/** Character columns of a table's column headings, left to right, one per column; null unless exactly `count` are found. */
export function headingColumns(heads: Piece[], count: number): number[] | null {
  // Stacked headings (结果 / 维持) print their words at the same position, give or take one.
  const centers = heads.map((p) => p.col + (p.text.length - 1) / 2).sort((a, b) => a - b);
  const clusters: number[][] = [];
  for (const c of centers) {
    const last = clusters[clusters.length - 1];
    if (last && c - last[last.length - 1] <= 1) last.push(c);
    else clusters.push([c]);
  }
  if (clusters.length !== count) return null;
  return clusters.map((cl) => cl.reduce((a, b) => a + b, 0) / cl.length);
}

/** Least lead, in characters summed over the row, of the best placement over the next one the identities allow. */
const MIN_LEAD = 2;

export type Placement = { kind: 'placed'; columns: number[]; values: (number | null)[] } | { kind: 'none' | 'ambiguous' };

/**
 * Places a row's numbers (in printed order) into `columns.length` cells, the rest blank:
 * of the order-keeping placements the row's identity allows (`holds`, blanks read as 0),
 * the one whose numbers sit nearest their columns, if it is clearly nearer than any other.
 */
export function placeByColumns(nums: Piece[], values: number[], columns: number[], holds: (v: number[]) => boolean): Placement {
  const centers = nums.map((n) => n.col + (n.text.length - 1) / 2);
  const scored: { at: number[]; cost: number; worst: number }[] = [];
  const at: number[] = [];
  const walk = (k: number, from: number, cost: number, worst: number) => {
    if (k === nums.length) {
      const row = columns.map(() => 0);
      at.forEach((c, j) => (row[c] = values[j]));
      if (holds(row)) scored.push({ at: [...at], cost, worst });
      return;
    }
    for (let c = from; c <= columns.length - (nums.length - k); c++) {
      const d = Math.abs(columns[c] - centers[k]);
      at.push(c);
      walk(k + 1, c + 1, cost + d, Math.max(worst, d));
      at.pop();
    }
  };
  walk(0, 0, 0, 0);
  if (!scored.length) return { kind: 'none' };
  scored.sort((a, b) => a.cost - b.cost);
  // Headings and numbers drift apart by as much as the best placement's worst misfit: a
  // runner-up within that drift could be the truth just as well.
  const lead = Math.max(MIN_LEAD, scored[0].worst);
  if (scored.length > 1 && scored[1].cost - scored[0].cost <= lead) return { kind: 'ambiguous' };
  const out: (number | null)[] = columns.map(() => null);
  scored[0].at.forEach((c, j) => (out[c] = values[j]));
  return { kind: 'placed', columns: scored[0].at, values: out };
}
