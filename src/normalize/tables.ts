import type { GridCell, Table } from '../extract/types.js';
import { Collector, SURE_LABEL, type MappedCells } from './collector.js';
import {
  formatOf, T2_COLUMNS, T2_ROWS, T3_COLUMNS, T3_GROUP_LABELS, T4_COLUMNS, T4_GROUPS, t3RowsFor,
  type Labelled, type Layout, type ReportFormat, type T2Format, type T3Row,
} from '../format/catalog.js';
import { enumeratorOf, holdsTwoLeaves, matchLabel, normalizeLabel, similarity } from '../format/labels.js';
import { t3RowHolds } from '../format/identities.js';
import { parseCellNumber } from '../format/numbers.js';
import { CONFIDENCE } from '../format/confidence.js';
import { joinCutHeader, joinCutRows } from './cut-rows.js';
import { note } from '../record/notes.js';

export type { MappedCells };

/**
 * Tables (from any reader: ruled PDF, OCR, HTML) → canonical cells. Columns are found
 * from the header labels, rows by aligning the printed row labels with the official row
 * order, so a row is never taken by position alone and a label that fits nothing is
 * reported instead of guessed.
 */

interface Column {
  id: string;
  x0: number;
  x1: number;
  /** Placed by its position in the official order, its header label being unreadable. */
  positional?: boolean;
}

/** Cells of a column or result placed by position rather than by its label. */
const POSITIONAL_CONFIDENCE = CONFIDENCE.positional;

interface Row {
  table: Table;
  index: number;
  /** Every cell that covers this grid row, left to right. */
  cells: GridCell[];
}

/** A body row of section 三 with the columns of the header it stands under (which may be a page earlier). */
type T3BodyRow = Row & { columns: Column[] };

const rowsOf = (t: Table): Row[] =>
  Array.from({ length: t.rowCount }, (_, index) => ({
    table: t,
    index,
    cells: t.cells.filter((c) => c.row0 <= index && c.row1 >= index).sort((a, b) => a.x0 - b.x0),
  }));

const isNumber = (c: GridCell) => {
  const n = parseCellNumber(c.text);
  return n.ok && !n.blank;
};
const overlap = (c: { x0: number; x1: number }, col: Column) => Math.max(0, Math.min(c.x1, col.x1) - Math.max(c.x0, col.x0));
const norm = (s: string) => normalizeLabel(s);

type Section = 't2' | 't3' | 't4';

export function mapTables(tables: Table[]): MappedCells {
  const out = new Collector();
  const t2State: T2State = { format: null, columns: [] };
  let t3Columns: Column[] | null = null;
  const t3Rows: T3BodyRow[] = [];
  const t4State: T4State = { header: [] };
  let previous: Section | null = null;
  // The first rows of section 三's header, where a page break left the rest of it to the next table.
  let t3HeaderPart: Row[] = [];
  for (const table of tables) {
    let rows = rowsOf(table);
    if (t3HeaderPart.length && t3Header([...t3HeaderPart, ...rows])) rows = [...t3HeaderPart, ...rows];
    else if (t3HeaderPart.length) out.unknownTables.push(t3HeaderPart[0].table.page);
    t3HeaderPart = [];
    const section: Section | null = classify(rows) ?? continuationOf(previous, rows, t4State);
    if (!section) {
      if (isT3HeaderPart(rows)) t3HeaderPart = rows;
      else out.unknownTables.push(table.page);
      continue;
    }
    if (section === 't2') mapT2(rows, out, t2State);
    else if (section === 't3') {
      const header = t3Header(rows);
      if (header) t3Columns = header.columns;
      // a header parted from its body where no rule tells the parts of one table (a page break, an unruled print)
      t3Columns ??= columnsFromTotals(rows);
      if (!t3Columns) {
        out.notes.push(note('headings_not_recognised', `page ${table.page}: a table of section 三 without its column header`, { section: 't3', page: table.page }));
        continue;
      }
      t3Rows.push(...rows.slice(header ? header.firstDataRow : 0).map((r) => ({ ...r, columns: t3Columns! })));
    } else mapT4(rows, out, t4State);
    previous = section;
  }
  if (t3HeaderPart.length) out.unknownTables.push(t3HeaderPart[0].table.page);
  if (t4State.header.length) {
    const page = t4State.header[0].source.page;
    out.notes.push(note('headings_not_recognised', `page ${page}: section 四 has no row of numbers under its header`, { section: 't4', page }));
  }
  const otherSplit = t3Rows.length ? mapT3(joinCutRows(t3Rows, t3LabelFit), out) : null;
  const t2 = t2State.format;
  const layout: Layout | null = t2 || otherSplit !== null ? { t2: t2 ?? (otherSplit ? '2021' : '2019'), otherSplit: otherSplit ?? t2 === '2021' } : null;
  return out.result(layout, layout ? formatOf(layout) : 'unknown');
}

// ---- Which section a table belongs to -------------------------------------------

const hasText = (rows: Row[], pred: (s: string) => boolean) => rows.some((r) => r.cells.some((c) => pred(norm(c.text))));

function classify(rows: Row[]): Section | null {
  if (t3Header(rows)) return 't3';
  if (hasText(rows, (s) => s.includes('行政复议')) && hasText(rows, (s) => s.includes('行政诉讼') || s.includes('复议后起诉'))) return 't4';
  if (hasText(rows, (s) => s === '信息内容' || /^第二十条/.test(s))) return 't2';
  return null;
}

/** Header rows of section 三 alone (two of its column labels, no numbers): the rest of the header may follow. */
function isT3HeaderPart(rows: Row[]): boolean {
  const cells = rows.flatMap((r) => r.cells.filter((c) => c.row0 === r.index));
  if (cells.some(isNumber)) return false;
  return new Set(cells.map((c) => matchLabel(c.text, T3_COLUMNS, { min: 0.75 })?.id).filter(Boolean)).size >= 2;
}

const T3_LABELS: string[] = [...new Set([...t3RowsFor(true), ...t3RowsFor(false)].map((r) => r.label).concat(Object.values(T3_GROUP_LABELS)))];
const T2_LABELS: string[] = [...new Set([...T2_ROWS['2019'], ...T2_ROWS['2021']].map((r) => r.label))];

/**
 * The section a table's row labels are surely of, where they are of one only: section 三's rows (本年新收…,
 * （一）予以公开, 1.属于国家秘密) are nobody else's, whatever heading or table came before.
 */
function sectionByLabels(rows: Row[]): 't2' | 't3' | null {
  const labels = rows.flatMap((r) => r.cells.filter((c) => c.row0 === r.index && !isNumber(c) && norm(c.text)).map((c) => c.text));
  const sure = (official: string[]) => labels.filter((l) => official.some((o) => leafSimilarity(l, o) >= SURE_LABEL)).length;
  const [t2, t3] = [sure(T2_LABELS), sure(T3_LABELS)];
  return t3 > t2 ? 't3' : t2 > t3 ? 't2' : null;
}

/** A table with no header of its own continues the section before it (a page break). */
function continuationOf(previous: Section | null, rows: Row[], t4: T4State): Section | null {
  // Section 四 cut between its header rows, or between its header and its numbers.
  if (previous === 't4' && t4.header.length) {
    const cells = rows.flatMap((r) => r.cells.filter((c) => c.row0 === r.index));
    if (cells.some((c) => isT4Leaf(c) || matchLabel(c.text, T4_GROUPS, { min: 0.75 }))) return 't4';
    const first = rows[0]?.cells ?? [];
    if (first.length && first.length === t4.header.filter(isT4Leaf).length && first.every((c) => parseCellNumber(c.text).ok)) return 't4';
  }
  // Section 二 without its header row is read only after section 二's columns (its rows have no columns of their own).
  const byLabels = rows.some((r) => r.cells.some(isNumber)) ? sectionByLabels(rows) : null;
  if (byLabels === 't3' || (byLabels === 't2' && previous === 't2')) return byLabels;
  if (previous === 't3' || previous === 't2') {
    const labels = rows.map((r) => r.cells[0]?.text ?? '').filter(Boolean);
    const candidates: Labelled[] = previous === 't3' ? t3RowsFor(true).concat(t3RowsFor(false)) : [...T2_ROWS['2019'], ...T2_ROWS['2021']];
    if (labels.some((l) => candidates.some((c) => similarity(l, c.label) >= SURE_LABEL)) || rows.some((r) => r.cells.some(isNumber))) return previous;
  }
  return null;
}

// ---- Section 二 -----------------------------------------------------------------

const T2_HEADER_CANDIDATES: Labelled[] = (['2019', '2021'] as const).flatMap((f) =>
  T2_COLUMNS[f].map((c) => ({ ...c, id: `${f}:${c.id}` })),
);

interface T2State {
  format: T2Format | null;
  /** The columns of the last header row: they hold across a page break. */
  columns: { id: string; format: T2Format; x0: number; x1: number }[];
}

/** Section 二 row by row: each header row sets the columns for the rows under it. */
function mapT2(rows: Row[], out: Collector, state: T2State) {
  for (const row of rows) {
    const { format, columns } = state;
    const [first, ...rest] = row.cells;
    if (!first) continue;
    if (norm(first.text) === '信息内容') {
      state.columns = rest
        .map((c) => ({ c, m: matchLabel(c.text, T2_HEADER_CANDIDATES, { min: 0.7, margin: 0.05 }) }))
        .filter((x) => x.m)
        .map(({ c, m }) => ({ id: m!.id.split(':')[1], format: m!.id.split(':')[0] as T2Format, x0: c.x0, x1: c.x1 }));
      const votes = { '2019': 0, '2021': 0 };
      for (const c of state.columns) votes[c.format]++;
      if (votes['2019'] !== votes['2021']) state.format = votes['2021'] > votes['2019'] ? '2021' : '2019';
      continue;
    }
    if (!format || !columns.length) continue;
    const m = matchLabel(first.text, T2_ROWS[format], { min: 0.6 });
    if (!m) {
      if (rest.some(isNumber)) {
        out.notes.push(note('row_unmatched', `page ${first.source.page}: section 二 row "${first.text}" matches no official row; left out`, { section: 't2', row: first.text, page: first.source.page }));
        out.unmatched.push(first.source.page);
      }
      continue;
    }
    const def = T2_ROWS[format].find((r) => r.id === m.id)!;
    for (const col of columns) {
      if (!def.cols.includes(col.id)) continue;
      const cell = bestCell(rest, col);
      if (cell) out.put(`t2.${def.id}.${col.id}`, cell, { printed: first.text, score: m.score });
    }
  }
}

/** The cell of a row that lies in a column: most of the cell inside the column's span. */
function bestCell(cells: GridCell[], col: { x0: number; x1: number }): GridCell | undefined {
  let best: GridCell | undefined;
  let bestShare = 0;
  for (const c of cells) {
    const share = overlap(c, { id: '', ...col }) / Math.max(1e-9, Math.min(c.x1 - c.x0, col.x1 - col.x0));
    if (share > bestShare) [best, bestShare] = [c, share];
  }
  return bestShare >= 0.5 ? best : undefined;
}

// ---- Section 三 -----------------------------------------------------------------

/** The applicant columns from the header rows above the first row of numbers. */
function t3Header(rows: Row[]): { columns: Column[]; firstDataRow: number } | null {
  // The body starts at the first row labelled like an official row, or the first row of numbers.
  const allRows = t3RowsFor(true).concat(t3RowsFor(false));
  const firstDataRow = rows.findIndex(
    (r) => r.cells.filter(isNumber).length >= 3 || (r.cells[0] && r.cells[0].row0 === r.index && allRows.some((d) => similarity(r.cells[0].text, d.label) >= SURE_LABEL)),
  );
  const headerRows = rows.slice(0, firstDataRow < 0 ? rows.length : firstDataRow);
  const found = new Map<string, Column>();
  for (const r of headerRows) {
    for (const c of r.cells) {
      if (c.row0 !== r.index) continue;
      const m = matchLabel(c.text, T3_COLUMNS, { min: 0.75 });
      if (m && !found.has(m.id)) found.set(m.id, { id: m.id, x0: c.x0, x1: c.x1 });
    }
  }
  const bodyStart = firstDataRow < 0 ? rows.length : firstDataRow;
  if (found.size < 4 || !(found.has('natural') || found.has('total'))) return null;
  const columns = found.size < T3_COLUMNS.length ? completeByPosition(found, rows.slice(bodyStart)) : [...found.values()];
  if (!columns) return null;
  return { columns, firstDataRow: bodyStart };
}

const numbersOf = (r: Row) => r.cells.filter((c) => c.row0 === r.index && isNumber(c));

/** The columns the body's numbers stand in, left to right: cells that overlap by half the narrower are one column. */
function numberSpans(body: Row[]): { x0: number; x1: number }[] {
  const spans: { x0: number; x1: number }[] = [];
  for (const c of body.flatMap(numbersOf)) {
    const same = spans.find((s) => Math.min(s.x1, c.x1) - Math.max(s.x0, c.x0) > 0.5 * Math.min(s.x1 - s.x0, c.x1 - c.x0));
    if (!same) spans.push({ x0: c.x0, x1: c.x1 });
  }
  return spans.sort((a, b) => a.x0 - b.x0);
}

/**
 * A header label that could not be read (a scan, a smudge) need not lose its column:
 * where the body has exactly the official number of number columns, and every label
 * that was read sits at its official place among them, the rest follow by position.
 */
function completeByPosition(found: Map<string, Column>, body: Row[]): Column[] | null {
  const spans = numberSpans(body);
  if (spans.length !== T3_COLUMNS.length) return found.size >= 5 && found.has('natural') && found.has('total') ? [...found.values()] : null;
  const agrees = [...found.values()].every((col) => {
    const at = T3_COLUMNS.findIndex((c) => c.id === col.id);
    return overlap(spans[at], col) > 0.5 * Math.min(spans[at].x1 - spans[at].x0, col.x1 - col.x0);
  });
  if (!agrees) return null;
  return T3_COLUMNS.map((c, i) => found.get(c.id) ?? { id: c.id, x0: spans[i].x0, x1: spans[i].x1, positional: true });
}

export const HEADERLESS_T3_SETTINGS = {
  /** Rows whose total is not 0 and equals the sum of the six columns before it: what vouches for the columns' order. */
  minRowsThatAddUp: 3,
};

/**
 * Section 三's columns where no header was read for its body: the body's numbers stand in exactly the format's
 * number of columns, and in every row that prints all of them the last is the sum of the others, as 总计 is of
 * the applicants, in enough rows that are not all 0. Then the columns are the format's, in its printed order; a
 * row that does not add up, or any other count of columns, and nothing is taken.
 */
function columnsFromTotals(rows: Row[], S = HEADERLESS_T3_SETTINGS): Column[] | null {
  const spans = numberSpans(rows);
  if (spans.length !== T3_COLUMNS.length) return null;
  let addUp = 0;
  for (const r of rows) {
    const cells = numbersOf(r);
    const values = spans.map((s) => cells.find((c) => overlap(c, { id: '', ...s }) > 0)).map((c) => (c ? parseCellNumber(c.text).value : null));
    if (values.some((v) => v === null)) continue;
    if (!t3RowHolds(values as number[])) return null;
    if (values[values.length - 1] !== 0) addUp++;
  }
  if (addUp < S.minRowsThatAddUp) return null;
  return T3_COLUMNS.map((c, i) => ({ id: c.id, x0: spans[i].x0, x1: spans[i].x1, positional: true }));
}

interface T3Observed {
  row: T3BodyRow;
  leaf: string;
  /** The page the row's label is printed on (a table cut by page breaks spans several). */
  page: number;
  groups: string[];
  /** Its label holds two rows' labels beside one row of numbers (holdsTwoLeaves): it matches no row. */
  twoRowsLabel: boolean;
}

/** Aligns the observed rows with the official order; returns whether （六） was split. */
function mapT3(rows: T3BodyRow[], out: Collector): boolean {
  const observed: T3Observed[] = [];
  for (const row of rows) {
    const dataX = Math.min(...row.columns.map((c) => c.x0));
    const tol = Math.min(...row.columns.map((c) => c.x1 - c.x0)) * 0.25;
    const labels = row.cells.filter((c) => c.x1 <= dataX + tol && normalizeLabel(c.text));
    const hasValues = row.cells.some((c) => c.x0 >= dataX - tol && c.row0 === row.index);
    if (!labels.length || !hasValues) continue;
    const leafCell = labels[labels.length - 1];
    // Two rows' labels beside one row of numbers: the numbers are not known to be either's. (A label cell spanning
    // several rows of numbers, where a rule between the labels was lost, keeps its rows apart: the order places them.)
    const twoRowsLabel = leafCell.row0 === leafCell.row1 && holdsTwoLeaves(leafCell.text);
    observed.push({ row, leaf: leafCell.text, page: leafCell.source.page, groups: labels.slice(0, -1).map((c) => c.text), twoRowsLabel });
  }
  const split = align(observed, t3RowsFor(true));
  const single = align(observed, t3RowsFor(false));
  const best = split.score > single.score ? split : single;
  const otherSplit = best === split;
  const used = new Set<number>();
  for (const [i, def, score] of best.pairs) {
    used.add(i);
    const o = observed[i];
    for (const col of o.row.columns) {
      const cell = bestCell(o.row.cells.filter((c) => c.row0 === o.row.index), col);
      if (cell) out.put(`t3.${def.id}.${col.id}`, cell, { printed: o.leaf, score }, col.positional ? POSITIONAL_CONFIDENCE : 1);
      else out.notes.push(note('cell_missing', `page ${o.page}: no cell under ${col.id} in row "${o.leaf}"`, { section: 't3', row: o.leaf, page: o.page, keys: [`t3.${def.id}.${col.id}`] }));
    }
  }
  observed.forEach((o, i) => {
    if (!used.has(i) && o.row.cells.some(isNumber)) {
      out.notes.push(note('row_unmatched', `page ${o.page}: section 三 row "${o.leaf}" matches no official row; left out`, { section: 't3', row: o.leaf, page: o.page }));
      out.unmatched.push(o.page);
    }
  });
  return otherSplit;
}

/**
 * A label cell may also hold its group's words (（三）不予公开1.属于国家秘密) where no
 * rule parts them: the text from its last enumerator on is a reading of its own.
 */
function labelVariants(label: string): string[] {
  const starts = [...label.matchAll(/[（(][一二三四五六七八九十]+[)）]|\d+[.．、]/g)].map((m) => m.index!).filter((i) => i > 0);
  return starts.length ? [label, label.slice(starts[starts.length - 1])] : [label];
}

const leafSimilarity = (leaf: string, official: string) => Math.max(...labelVariants(leaf).map((v) => similarity(v, official)));

/** How well a printed label fits the best official row of section 三 (either layout of （六）). */
const T3_ALL_ROWS = t3RowsFor(true).concat(t3RowsFor(false));
const t3LabelFit = (label: string) => Math.max(...T3_ALL_ROWS.map((d) => leafSimilarity(label, d.label)));

function rowScore(o: T3Observed, def: T3Row): number {
  if (o.twoRowsLabel) return 0;
  const s = leafSimilarity(o.leaf, def.label);
  if (s < 0.5) return 0;
  let bonus = 0;
  if (def.group && o.groups.some((g) => similarity(g, T3_GROUP_LABELS[def.group!]) >= SURE_LABEL)) bonus += 0.1;
  const e = enumeratorOf(o.leaf);
  if (e && e === enumeratorOf(def.label)) bonus += 0.05;
  return s + bonus;
}

/** Order-preserving alignment (as in sequence alignment) maximising the label similarity. */
function align(observed: T3Observed[], defs: T3Row[]) {
  const n = observed.length;
  const m = defs.length;
  const dp = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const s = rowScore(observed[i], defs[j]);
      dp[i][j] = Math.max(dp[i + 1][j], dp[i][j + 1], s > 0 ? s + dp[i + 1][j + 1] : 0);
    }
  }
  const pairs: [number, T3Row, number][] = [];
  let [i, j] = [0, 0];
  while (i < n && j < m) {
    const s = rowScore(observed[i], defs[j]);
    if (s > 0 && Math.abs(dp[i][j] - (s + dp[i + 1][j + 1])) < 1e-9) {
      pairs.push([i, defs[j], Math.min(1, leafSimilarity(observed[i].leaf, defs[j].label))]);
      i++;
      j++;
    } else if (dp[i][j] === dp[i + 1][j]) i++;
    else j++;
  }
  return { score: dp[0][0], pairs };
}

// ---- Section 四 -----------------------------------------------------------------

interface T4State {
  /** Header cells of section 四 read so far whose row of numbers has not come yet (a page break). */
  header: GridCell[];
}

const isT4Leaf = (c: GridCell) => matchLabel(c.text, T4_COLUMNS, { min: 0.75 }) !== null;

function mapT4(rows: Row[], out: Collector, state: T4State) {
  const cells = rows.flatMap((r) => r.cells.filter((c) => c.row0 === r.index));
  const isLeaf = isT4Leaf;
  // The numbers stand in the row under the lowest header row (blank cells included); a table
  // that continues a header cut by a page break starts with them.
  const leafRow = Math.max(-1, ...cells.filter(isLeaf).map((c) => c.row1));
  const dataIndex = leafRow >= 0 ? leafRow + 1 : state.header.some(isLeaf) ? 0 : rows.length;
  if (dataIndex >= rows.length) {
    state.header.push(...cells);
    return;
  }
  // Header cells from another page line up by x: the pages print the table at the same place.
  // A header printed again on the new page wins over the one carried over.
  const own = joinCutHeader(state.header, cells.filter((c) => c.row1 < dataIndex), (text) => matchLabel(text, T4_COLUMNS, { min: SURE_LABEL }) !== null);
  const header = [...own, ...state.header.filter((c) => !(leafRow >= 0 && isLeaf(c)))];
  state.header = [];
  const groupCell = (id: string) => header.find((c) => matchLabel(c.text, T4_GROUPS, { min: 0.75 })?.id === id);
  const groups = T4_GROUPS.map((g) => ({ id: g.id, cell: groupCell(g.id) })).filter((g) => g.cell);
  const leaves = header.filter(isLeaf);
  const data = rows[dataIndex].cells.filter((c) => c.row0 === dataIndex).sort((a, b) => a.x0 - b.x0);
  const placed = new Map<string, GridCell>();
  for (const leaf of leaves) {
    const mid = (leaf.x0 + leaf.x1) / 2;
    // The sub-groups of 行政诉讼 sit closer to the leaves than 行政复议; the narrowest group containing the leaf wins.
    const group = groups
      .filter((g) => g.cell!.x0 <= mid && g.cell!.x1 >= mid)
      .sort((a, b) => a.cell!.x1 - a.cell!.x0 - (b.cell!.x1 - b.cell!.x0))[0];
    if (!group) continue;
    const col = matchLabel(leaf.text, T4_COLUMNS, { min: 0.75 })!;
    const cell = bestCell(data, { x0: leaf.x0, x1: leaf.x1 });
    if (cell) {
      out.put(`t4.${group.id}.${col.id}`, cell, { printed: leaf.text, score: col.score });
      placed.set(`t4.${group.id}.${col.id}`, cell);
    }
  }
  // Headers that could not be read: the fifteen numbers follow the official order, if every one read agrees.
  const order = T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => `t4.${g.id}.${c.id}`));
  if (placed.size >= 5 && placed.size < order.length && data.length === order.length && [...placed].every(([key, cell]) => data[order.indexOf(key)] === cell)) {
    order.forEach((key, i) => {
      if (!placed.has(key)) out.put(key, data[i], undefined, POSITIONAL_CONFIDENCE);
    });
  }
}
