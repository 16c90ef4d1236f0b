import { parseCellNumber } from '../format/numbers.js';
import type { GridCell, Table } from './types.js';

/** Tolerances of putting a ruled table cut by a page break back together. */
export const PAGE_BREAK_SETTINGS = {
  /** The two parts' cells line up within this (points): a document prints a table at the same place on every page. */
  align: 2,
};
export type PageBreakSettings = typeof PAGE_BREAK_SETTINGS;

/**
 * A ruled table cut by a page break goes on as one table. A browser slices a row cut by the break, its borders
 * too: the cells of the row's first part have no rule under them, those of its rest on the next page none over
 * them. Where the last table of a page ends so and the first of the next page begins so, cell by cell at the
 * same x, the cut cells are joined (their texts one after the other) and the rest's rows follow the part's:
 * the table keeps its header, its label columns and its group labels over the break. A table cut between rows
 * leaves no such trace and stays as it is (its section reads it as a continuation).
 */
export function joinPageBreaks(tables: Table[], s: PageBreakSettings = PAGE_BREAK_SETTINGS): Table[] {
  const out: { table: Table; lastPage: number }[] = [];
  for (const table of tables) {
    const prev = out[out.length - 1];
    const joined = prev && prev.lastPage + 1 === table.page ? joinCut(prev.table, table, s) : null;
    if (joined) out[out.length - 1] = { table: joined, lastPage: table.page };
    else out.push({ table, lastPage: table.page });
  }
  return out.map((t) => t.table);
}

const bare = (s: string) => s.replace(/\s/g, '');
const isNumber = (c: GridCell) => {
  const n = parseCellNumber(c.text);
  return n.ok && !n.blank;
};
const aligned = (p: GridCell, q: GridCell, s: PageBreakSettings) => Math.abs(p.x0 - q.x0) <= s.align && Math.abs(p.x1 - q.x1) <= s.align;
const crosses = (p: GridCell, q: GridCell, s: PageBreakSettings) => Math.min(p.x1, q.x1) - Math.max(p.x0, q.x0) > s.align;

/** Part `a` with its rest `b` (the next page's first table), or null where `b` does not go on from `a`'s cut. */
function joinCut(a: Table, b: Table, s: PageBreakSettings): Table | null {
  if (!a.ruled || !b.ruled) return null;
  const cut = a.cells.filter((c) => c.openBottom && c.row1 === a.rowCount - 1);
  const rest = b.cells.filter((c) => c.openTop && c.row0 === 0);
  // The rest's cell of each cut cell; a cell of the rest across a cut cell's column rules is another table.
  const restOf = new Map<GridCell, GridCell>();
  for (const q of rest) {
    const p = cut.find((p) => aligned(p, q, s));
    if (p) restOf.set(p, q);
    else if (cut.some((p) => crosses(p, q, s))) return null;
  }
  // A number is one line, never cut in two: text on both sides of a number's cell says this is no cut row.
  if (!restOf.size || [...restOf].some(([p, q]) => bare(p.text) && bare(q.text) && (isNumber(p) || isNumber(q)))) return null;
  const n = a.rowCount;
  const last = n + b.rowCount - 1;
  const continued = new Set(restOf.values());
  const cells = a.cells.map((p) => {
    const q = restOf.get(p);
    if (q) return joinCells(p, q, n);
    // A column the rest does not draw (a group label's cell without text on a page of its own) goes on through it.
    if (cut.includes(p) && !b.cells.some((o) => crosses(o, p, s))) return { ...p, row1: last };
    return p;
  });
  for (const q of b.cells) if (!continued.has(q)) cells.push({ ...q, row0: q.row0 + n, row1: q.row1 + n });
  return { ...a, cells, rowCount: n + b.rowCount };
}


/**
 * A cut cell and its rest: one cell, its text the two parts' in order (a label printed again over the break
 * counts once), found where its text was printed.
 */
function joinCells(p: GridCell, q: GridCell, rowsBefore: number): GridCell {
  const { openBottom: _, ...top } = p;
  return {
    ...top,
    text: bare(p.text) === bare(q.text) ? p.text : p.text + q.text,
    row1: q.row1 + rowsBefore,
    source: p.text || !q.text ? p.source : q.source,
    confidence: Math.min(p.confidence, q.confidence),
    ...(q.openBottom ? { openBottom: true } : {}),
  };
}
