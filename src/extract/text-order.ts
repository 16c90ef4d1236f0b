import { parseCellNumber } from '../format/numbers.js';
import type { RowSpec } from './text-align.js';
import type { Piece } from './text-stream.js';

/**
 * A table whose numbers all came through, in the order of its rows, but away from their labels
 * (text pulled from a PDF in reading order: a page's labels in one run, its numbers in another,
 * each stretch of rows printed across the rows or down the columns). The labels no longer say
 * which number is whose; the count and the rows' own totals can.
 *
 * The numbers are read as consecutive stretches of rows, each stretch either across its rows or
 * down its columns, and every row's identity (its applicant columns summing to its total) must
 * hold. A row is read where every such reading of the whole table gives it the same values;
 * where two readings differ on it, it is left out.
 */
export type OrderReading =
  | {
      kind: 'read';
      rows: ({ values: (number | null)[]; pieces: Piece[] } | null)[];
      /** Some rows do not add up as printed; the identities across the rows alone checked the reading. */
      broken?: true;
    }
  | { kind: 'none'; why: string };

interface Stretch {
  from: number;
  len: number;
  /** Index into the numbers of each cell, row by row. */
  cells: number[];
}

/** Distinct readings of the whole table weighed against its identities across rows, at most; past this, rows alone decide. */
const MAX_READINGS = 256;

/**
 * `tableHolds`, where the table has identities across its rows (section 三's columns), narrows the
 * readings further: among readings under which they hold too, a row is read where all agree. Where
 * no reading satisfies them (the report's own sums are broken), the rows' identities alone decide.
 */
export function readByOrder(nums: Piece[], rows: RowSpec[], tableHolds?: (rows: number[][]) => boolean): OrderReading {
  const width = rows[0]?.cols.length ?? 0;
  const holds = rows[0]?.holds;
  if (!holds || !rows.every((r) => r.cols.length === width && r.holds === holds)) return { kind: 'none', why: 'the rows have no common identity' };
  const n = rows.length;
  if (nums.length !== n * width) return { kind: 'none', why: `${nums.length} number(s) where ${n * width} expected` };
  const parsed = nums.map((p) => parseCellNumber(p.text).value);
  if (parsed.some((v) => v === null)) return { kind: 'none', why: 'some cells are placeholders, not numbers' };
  const values = parsed as number[];

  // Every stretch of rows under which its rows add up, in either order.
  const stretches: Stretch[] = [];
  for (let from = 0; from < n; from++) {
    const start = from * width;
    for (let len = 1; len <= n - from; len++) {
      for (const down of len === 1 ? [false] : [false, true]) {
        // Across: row i, column c is start + i·width + c. Down: start + c·len + i.
        const cells: number[] = [];
        let ok = true;
        for (let i = 0; i < len && ok; i++) {
          const row = Array.from({ length: width }, (_, c) => (down ? start + c * len + i : start + i * width + c));
          ok = holds(row.map((k) => values[k]));
          cells.push(...row);
        }
        if (ok) stretches.push({ from, len, cells });
      }
    }
  }
  // Only stretches on some reading of the whole table count: reachable from the first row, reaching past the last.
  const reach = new Array<boolean>(n + 1).fill(false);
  reach[0] = true;
  for (let p = 0; p < n; p++) if (reach[p]) for (const s of stretches) if (s.from === p) reach[p + s.len] = true;
  const finish = new Array<boolean>(n + 1).fill(false);
  finish[n] = true;
  for (let p = n - 1; p >= 0; p--) finish[p] = stretches.some((s) => s.from === p && finish[p + s.len]);
  const rowsOf = (cells: number[]) => Array.from({ length: n }, (_, r) => cells.slice(r * width, (r + 1) * width).map((k) => values[k]));
  const brokenReadings = () => (tableHolds ? readingsWithBrokenRows(stretches, n, width, values).filter((cells) => tableHolds(rowsOf(cells))) : []);
  if (!reach[n]) {
    const broken = brokenReadings();
    if (!broken.length) return { kind: 'none', why: 'no reading of the numbers lets every row add up' };
    return { kind: 'read', rows: agreement(broken.map((cells) => ({ from: 0, cells })), n, width, values, nums), broken: true };
  }

  const onPath = stretches.filter((s) => reach[s.from] && finish[s.from + s.len]);
  const agreed = agreement(onPath.map((s) => ({ from: s.from, cells: s.cells })), n, width, values, nums);
  if (!tableHolds) return { kind: 'read', rows: agreed };

  const whole = wholeReadings(onPath, n, values);
  if (!whole) return { kind: 'read', rows: agreed };
  const kept = whole.filter((cells) => tableHolds(rowsOf(cells)));
  if (kept.length) return { kind: 'read', rows: agreement(kept.map((cells) => ({ from: 0, cells })), n, width, values, nums) };
  // No reading in which every row adds up satisfies the identities across the rows: as printed, either some
  // column sums or some rows are broken. Readings of both kinds stand; a row is read where they all agree.
  const broken = brokenReadings();
  if (!broken.length) return { kind: 'read', rows: agreed };
  const both = [...onPath.map((s) => ({ from: s.from, cells: s.cells })), ...broken.map((cells) => ({ from: 0, cells }))];
  return { kind: 'read', rows: agreement(both, n, width, values, nums), broken: true };
}

/**
 * Readings of a table some of whose rows do not add up as printed (a report's own error: its 总计 column
 * copying another), for the identities across its rows to check: a row that does not add up is read across,
 * as reading order prints a row; a stretch is read down its columns only where each of its rows adds up so.
 * Empty past MAX_READINGS.
 */
function readingsWithBrokenRows(stretches: Stretch[], n: number, width: number, values: number[]): number[][] {
  const all = [...stretches];
  for (let from = 0; from < n; from++) {
    if (!stretches.some((s) => s.from === from && s.len === 1)) {
      all.push({ from, len: 1, cells: Array.from({ length: width }, (_, c) => from * width + c) });
    }
  }
  return wholeReadings(all, n, values) ?? [];
}

/** Per row, its values where every reading covering it agrees on them; null where two differ. */
function agreement(readings: { from: number; cells: number[] }[], n: number, width: number, values: number[], nums: Piece[]) {
  const seen: ({ values: number[]; pieces: Piece[] } | null | 'differs')[] = new Array(n).fill(null);
  for (const { from, cells } of readings) {
    for (let i = 0; i < cells.length / width; i++) {
      const r = from + i;
      const idx = cells.slice(i * width, (i + 1) * width);
      const vals = idx.map((k) => values[k]);
      const prev = seen[r];
      if (prev === 'differs') continue;
      if (!prev) seen[r] = { values: vals, pieces: idx.map((k) => nums[k]) };
      else if (prev.values.some((v, c) => v !== vals[c])) seen[r] = 'differs';
    }
  }
  return seen.map((x) => (x === 'differs' || x === null ? null : x));
}

/** Every whole-table reading with distinct values (cells as indices into the numbers), or null past MAX_READINGS. */
function wholeReadings(onPath: Stretch[], n: number, values: number[]): number[][] | null {
  const memo = new Map<number, number[][] | null>();
  const from = (p: number): number[][] | null => {
    if (p === n) return [[]];
    if (memo.has(p)) return memo.get(p)!;
    const out = new Map<string, number[]>();
    let over = false;
    for (const s of onPath) {
      if (s.from !== p || over) continue;
      const rest = from(p + s.len);
      if (!rest) {
        over = true;
        break;
      }
      for (const tail of rest) {
        const cells = [...s.cells, ...tail];
        // Readings that give every cell the same value are one reading (rows of zeros read across or down alike).
        const key = cells.map((k) => values[k]).join(',');
        if (!out.has(key)) out.set(key, cells);
        if (out.size > MAX_READINGS) over = true;
      }
    }
    const res = over ? null : [...out.values()];
    memo.set(p, res);
    return res;
  };
  return from(0);
}

/**
 * Rows with no identity to check (section 二, each row a small table of its own): the numbers taken in the
 * rows' order, across each row, where their count is exactly the rows' cells. Nothing here checks the
 * reading; the caller takes it only where it agrees with the rows the labels placed.
 */
export function readInRowOrder(nums: Piece[], rows: RowSpec[]): OrderReading {
  const want = rows.reduce((n, r) => n + r.cols.length, 0);
  if (nums.length !== want) return { kind: 'none', why: `${nums.length} number(s) where ${want} expected` };
  let at = 0;
  return {
    kind: 'read',
    rows: rows.map((r) => {
      const pieces = nums.slice(at, (at += r.cols.length));
      return { values: pieces.map((p) => parseCellNumber(p.text).value), pieces };
    }),
  };
}
