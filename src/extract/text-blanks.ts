import { CONFIDENCE } from '../format/confidence.js';
import { T3_COLUMNS, t3ResultRows } from '../format/catalog.js';
import { parseCellNumber } from '../format/numbers.js';
import type { RowSpec, ShortRow, StreamCell } from './text-align.js';
import { headingColumns } from './text-columns.js';
import type { Piece } from './text-stream.js';
import { t3ColumnIdentities, t3RowHolds } from './text-split.js';
import { note, type Note } from '../record/notes.js';

/**
 * Rows of section 三 printed with blank cells: a line of three numbers under seven columns.
 * Which columns they stand in is what the table itself allows: each row's numbers keep
 * their printed order and add up to its 总计; the table's column identities (新收 + 上年结转
 * = 总计 + 结转, and （七）总计 = the result rows) tie the rows together; and in layout text
 * a number can only stand under a heading within the drift its row shows. A row is placed
 * only where every reading those allow agrees on it, and its cells say they were placed.
 */

export const PLACED_CONFIDENCE = CONFIDENCE.impliedBlank;

/** Least drift, in characters, allowed between a number and its column heading. */
const MIN_DRIFT = 2;

/** Beyond this many combinations tried, the rows are reported rather than searched. */
const MAX_TRIED = 200_000;

const COLS = T3_COLUMNS.map((c) => c.id);
const HEADING_CHARS = new Set([...T3_COLUMNS.map((c) => c.label).join('')]);

export interface ShortRowsInput {
  rows: RowSpec[];
  /** The cells already read in the section (full rows, blank rows). */
  cells: StreamCell[];
  short: ShortRow[];
  /** The section's pieces before its first number: the column headings among them. */
  header: Piece[];
  otherSplit: boolean;
}

/** Every order-keeping placement of a row's numbers into the seven columns under which its total adds up. */
export function rowPlacements(values: number[]): number[][] {
  const out: number[][] = [];
  const at: number[] = [];
  const walk = (k: number, from: number) => {
    if (k === values.length) {
      const row = COLS.map(() => 0);
      at.forEach((c, j) => (row[c] = values[j]));
      if (t3RowHolds(row)) out.push([...at]);
      return;
    }
    for (let c = from; c <= COLS.length - (values.length - k); c++) {
      at.push(c);
      walk(k + 1, c + 1);
      at.pop();
    }
  };
  walk(0, 0);
  return out;
}

/**
 * Of a row's placements, those that keep each number within the row's drift of its
 * column heading. The drift is what the numbers whose column is certain (the 总计, last)
 * show between themselves and their headings. Null where the headings do not describe the row.
 */
export function nearHeadings(nums: Piece[], placements: number[][], heads: number[]): number[][] | null {
  if (!placements.length) return null;
  const centers = nums.map((n) => n.col + (n.text.length - 1) / 2);
  let drift = MIN_DRIFT;
  nums.forEach((_, k) => {
    const c = placements[0][k];
    if (placements.every((p) => p[k] === c)) drift = Math.max(drift, Math.abs(centers[k] - heads[c]));
  });
  const kept = placements.filter((p) => p.every((c, k) => Math.abs(centers[k] - heads[c]) <= drift));
  return kept.length ? kept : null;
}

interface Identity {
  /** Σ left = Σ right, over cell keys. */
  left: string[];
  right: string[];
}

function identities(otherSplit: boolean): Identity[] {
  const rowIdentities = t3ColumnIdentities(t3ResultRows(otherSplit).map((r) => r.id));
  const cellsOf = (rows: string[], c: string) => rows.map((r) => `t3.${r}.${c}`);
  return COLS.flatMap((c) => rowIdentities.map(({ left, right }) => ({ left: cellsOf(left, c), right: cellsOf(right, c) })));
}

export function placeShortRows(input: ShortRowsInput): { cells: StreamCell[]; notes: Note[] } {
  const options = input.short.map((s) => candidatePlacements(s, input.header));
  const search = placementsThatHold(input, options.map((o) => o.placements));
  const cells: StreamCell[] = [];
  const notes: Note[] = [];
  const leftOut = (s: ShortRow, why: string) => notes.push({ ...s.note, text: `${s.note.text}; ${why}` });
  input.short.forEach((s, i) => {
    if (search.tooMany) return void leftOut(s, 'too many ways to place it among blank cells');
    if (search.solutions === 0) return void leftOut(s, "no placement among blank cells satisfies the table's totals");
    const readings = [...search.seen[i]].map((o) => options[i].placements[o]);
    const agreed = agreedCells(s, readings, input.rows[s.row].key);
    cells.push(...agreed.cells);
    const label = input.rows[s.row].label.label;
    const how = options[i].byHeadings ? 'its column headings and the table\'s totals' : 'the table\'s totals';
    const where = { section: 't3' as const, row: label, keys: s.note.keys };
    if (readings.length === 1) return void notes.push(note('numbers_placed', `三: row ${label}: ${s.nums.length} number(s) placed among blank cells by ${how}`, where));
    if (!agreed.columns.length) return void leftOut(s, 'its numbers fit more than one set of columns');
    const names = agreed.columns.map((c) => T3_COLUMNS.find((x) => x.id === c)!.label).join(', ');
    notes.push(note('numbers_left_out', `三: row ${label}: ${s.nums.length} number(s) among blank cells fit more than one set of columns; only ${names} read (the same in every reading), the rest left out`, where));
  });
  return { cells, notes };
}

/** A short row's candidate placements: those near its column headings where the headings describe it, else all. */
function candidatePlacements(s: ShortRow, header: ShortRowsInput['header']): { placements: number[][]; byHeadings: boolean } {
  const values = s.nums.map((n) => parseCellNumber(n.text).value ?? 0);
  const all = rowPlacements(values);
  const heads = headingColumns(
    header.filter((h) => h.page === s.nums[0].page && [...h.text].every((ch) => HEADING_CHARS.has(ch))),
    COLS.length,
  );
  const near = heads ? nearHeadings(s.nums, all, heads) : null;
  return { placements: near ?? all, byHeadings: !!near && near.length < all.length };
}

/**
 * Every combination of the short rows' placements under which the table's identities hold (those whose cells
 * are all read or in a short row): which placement of each row appears in some such reading.
 */
function placementsThatHold(input: ShortRowsInput, options: number[][][]): { seen: Set<number>[]; solutions: number; tooMany: boolean } {
  const { rows, short } = input;
  const known = new Map<string, number>();
  for (const c of input.cells) known.set(c.key, c.value ?? 0);
  const shortOf = new Map<string, number>();
  short.forEach((s, i) => shortOf.set(rows[s.row].key, i));
  const rowOfKey = (k: string) => k.slice(0, k.lastIndexOf('.'));
  const usable = identities(input.otherSplit)
    .filter((id) => [...id.left, ...id.right].every((k) => known.has(k) || shortOf.has(rowOfKey(k))))
    .map((id) => ({ ...id, last: Math.max(-1, ...[...id.left, ...id.right].map((k) => shortOf.get(rowOfKey(k)) ?? -1)) }))
    // One with no short row in it cannot place anything (whether it holds is the validator's business).
    .filter((id) => id.last >= 0);

  const chosen: number[] = [];
  const value = (key: string) => {
    const i = shortOf.get(rowOfKey(key));
    if (i === undefined) return known.get(key)!;
    const col = COLS.indexOf(key.slice(key.lastIndexOf('.') + 1));
    const k = options[i][chosen[i]].indexOf(col);
    return k < 0 ? 0 : parseCellNumber(short[i].nums[k].text).value ?? 0;
  };
  const holds = (id: Identity) => {
    const sum = (ks: string[]) => ks.reduce((n, k) => n + value(k), 0);
    return Math.abs(sum(id.left) - sum(id.right)) < 1e-6;
  };
  const seen: Set<number>[] = short.map(() => new Set());
  let solutions = 0;
  let tried = 0;
  const walk = (i: number): void => {
    if (tried > MAX_TRIED) return;
    if (i === short.length) {
      solutions++;
      chosen.forEach((o, k) => seen[k].add(o));
      return;
    }
    for (let o = 0; o < options[i].length; o++) {
      tried++;
      chosen[i] = o;
      if (usable.every((id) => id.last !== i || holds(id))) walk(i + 1);
    }
    chosen.length = i;
  };
  walk(0);
  return { seen, solutions, tooMany: tried > MAX_TRIED };
}

/** A column every reading fills alike (the 总计, as a rule) is known even where the others are not. */
function agreedCells(s: ShortRow, readings: number[][], prefix: string): { cells: StreamCell[]; columns: string[] } {
  const blank: Piece = { ...s.nums[0], text: '' };
  const cells: StreamCell[] = [];
  const columns: string[] = [];
  COLS.forEach((col, c) => {
    const ks = readings.map((at) => at.indexOf(c));
    const texts = new Set(ks.map((k) => (k < 0 ? '' : s.nums[k].text)));
    if (texts.size !== 1) return;
    const k = ks[0];
    columns.push(col);
    cells.push({
      key: `${prefix}.${col}`,
      value: k < 0 ? null : parseCellNumber(s.nums[k].text).value,
      piece: k < 0 ? blank : s.nums[k],
      confidence: PLACED_CONFIDENCE,
    });
  });
  return { cells, columns };
}
