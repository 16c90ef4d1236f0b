import type { GridCell, Table } from '../extract/types.js';
import { enumeratorOf, holdsAnotherLabel, normalizeLabel } from '../format/labels.js';
import { parseCellNumber } from '../format/numbers.js';

/**
 * A row cut by a page break. A word processor (LibreOffice) that breaks a tall row across two pages prints
 * its top on one page, ruled off as a row of its own, and the rest at the head of the next: the label's first
 * words and maybe the numbers above the break, the label's last words (and the other numbers) below it. Read
 * apart, the first half matches its row poorly and the second half matches it too, with blank cells.
 */

export interface CutRowsSettings {
  /** A column's cells of the two halves lie within this share of the narrower one of each other. */
  minColumnOverlap: number;
}

export const CUT_ROWS_SETTINGS: CutRowsSettings = { minColumnOverlap: 0.5 };

interface RowLike {
  table: Table;
  index: number;
  /** Every cell that covers this grid row, left to right. */
  cells: GridCell[];
  columns: { x0: number; x1: number }[];
}

const hasText = (c: GridCell) => normalizeLabel(c.text) !== '' || !parseCellNumber(c.text).blank;
const share = (a: { x0: number; x1: number }, b: { x0: number; x1: number }) =>
  Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) / Math.max(1e-9, Math.min(a.x1 - a.x0, b.x1 - b.x0));

/** The row's own label (the last label cell left of the numbers) and its value cells. */
function partsOf(row: RowLike): { leaf?: GridCell; values: GridCell[] } {
  const dataX = Math.min(...row.columns.map((c) => c.x0));
  const tol = Math.min(...row.columns.map((c) => c.x1 - c.x0)) * 0.25;
  const labels = row.cells.filter((c) => c.x1 <= dataX + tol && normalizeLabel(c.text));
  const values = row.cells.filter((c) => c.x0 >= dataX - tol && c.row0 === row.index);
  return { leaf: labels.filter((c) => c.row0 === row.index).pop(), values };
}

/**
 * Whether `lower` (the first row of the table on the next page) is the rest of `upper` (the last row of the
 * table before): its label goes on without an enumerator of its own, no column holds text in both halves, and
 * the joined label fits an official row better than the upper half's does.
 */
function continues(upper: RowLike, lower: RowLike, fit: (label: string) => number, S: CutRowsSettings): boolean {
  if (upper.table === lower.table || lower.index !== 0 || upper.index !== upper.table.rowCount - 1) return false;
  if (lower.table.page !== upper.table.page + 1) return false;
  const a = partsOf(upper);
  const b = partsOf(lower);
  // the rest of a label has no enumerator of its own, at its start or further on (where the next row's label begins)
  if (!a.leaf || !b.leaf || enumeratorOf(b.leaf.text) || holdsAnotherLabel(b.leaf.text)) return false;
  for (const col of upper.columns) {
    const inA = a.values.filter((c) => share(c, col) >= S.minColumnOverlap && hasText(c));
    const inB = b.values.filter((c) => share(c, col) >= S.minColumnOverlap && hasText(c));
    if (inA.length && inB.length) return false;
  }
  return fit(a.leaf.text + b.leaf.text) > fit(a.leaf.text);
}

/** The two halves as one row of the upper table: the label joined, each column's cell from the half that has text. */
function join<R extends RowLike>(upper: R, lower: R, S: CutRowsSettings): R {
  const a = partsOf(upper);
  const b = partsOf(lower);
  const leaf: GridCell = { ...a.leaf!, text: a.leaf!.text + b.leaf!.text };
  const filled = b.values.filter(hasText).map((c) => ({ ...c, row0: upper.index, row1: upper.index }));
  const cells = upper.cells
    .filter((c) => c !== a.leaf && !(a.values.includes(c) && !hasText(c) && filled.some((f) => share(f, c) >= S.minColumnOverlap)))
    .concat(leaf, filled)
    .sort((p, q) => p.x0 - q.x0);
  return { ...upper, cells };
}

/**
 * Rows in reading order, the halves of each row cut by a page break joined into one. `fit` scores a label
 * against the official rows (0..1).
 */
export function joinCutRows<R extends RowLike>(rows: R[], fit: (label: string) => number, S: CutRowsSettings = CUT_ROWS_SETTINGS): R[] {
  const out: R[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i + 1 < rows.length && continues(rows[i], rows[i + 1], fit, S)) {
      out.push(join(rows[i], rows[i + 1], S));
      i++;
    } else out.push(rows[i]);
  }
  return out;
}

/**
 * Header cells cut by a page break (总 | 计): a cell carried over from the page before and the cell of the
 * first row right under it at the head of the next page, in the same column, are one label where neither
 * half is a label of its own and the two read together are. `isLabel` says whether a text is a header label.
 */
export function joinCutHeader(carried: GridCell[], own: GridCell[], isLabel: (text: string) => boolean, S: CutRowsSettings = CUT_ROWS_SETTINGS): GridCell[] {
  const lowest = new Map<GridCell, GridCell>();
  for (const c of carried) {
    if (isLabel(c.text)) continue;
    const under = carried.filter((o) => o !== c && o.row0 > c.row1 && share(o, c) >= S.minColumnOverlap);
    if (under.length) continue; // only the lowest carried row ran on over the break
    const head = own.find((d) => d.row0 === 0 && share(d, c) >= S.minColumnOverlap && !isLabel(d.text) && isLabel(c.text + d.text));
    if (head) lowest.set(head, c);
  }
  return own.map((d) => (lowest.has(d) ? { ...d, text: lowest.get(d)!.text + d.text } : d));
}
