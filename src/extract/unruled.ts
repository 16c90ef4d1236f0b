import { CONFIDENCE } from '../format/confidence.js';
import { parseCellNumber } from '../format/numbers.js';
import { cellText, fillGrid, findGrids, mergeSegments } from './grid.js';
import { groupLines, type TextLine } from './lines.js';
import { UNREADABLE } from './ocr/cells.js';
import type { PageContent, Segment, Table, TextItem } from './types.js';

/**
 * Tables printed without rules: the columns are where the numbers stand, the rows
 * are the lines that carry numbers, and the header is the text above them. The
 * layout is drawn as virtual rules so that the ruled pipeline (grid → cells →
 * mapping) runs unchanged. Such a reading is less sure: every cell gets
 * UNRULED_CONFIDENCE.
 */
export const UNRULED_CONFIDENCE = CONFIDENCE.unruled;

/** Tolerances of the layout of tables without rules. */
export const UNRULED_SETTINGS = {
  /** How far apart (in line heights) two lines of one table may be, with nothing of the table between them. */
  rowGapLines: 4,
  /** How far above its first row of numbers a table's header may begin (points): a header of four lines at
   * LibreOffice's wide leading (section 四) reaches some 110 pt up; a caption or a gap ends it sooner. */
  headerReach: 160,
  /** How far apart (in line heights) the lines of one wrapped label may be: LibreOffice's leading is 2.7 heights. */
  labelLeadingLines: 2.5,
  /** How far (in characters, a character as wide as its line is high) a wrapped label's line may end short of the
   * label column's right edge: a line breaks only where it is full, but a closing mark may not start the next. */
  wrapSlackChars: 2,
  /** Share of the lower line's height by which a label's line and a row of numbers must overlap to be one line. */
  sameLineOverlap: 0.25,
};

interface Line extends TextLine {
  numbers: TextItem[];
  labels: TextItem[];
}

const isNumeric = (it: TextItem) => {
  // Ink OCR could not read where a number may stand holds a cell's place (it is left out, with a note).
  if (it.via === 'ocr' && it.text === UNREADABLE) return true;
  const n = parseCellNumber(it.text);
  return n.ok && (!n.blank || /\S/.test(it.text));
};
const mid = (a: number, b: number) => (a + b) / 2;

function linesOf(items: TextItem[]): Line[] {
  return groupLines(items).map((l) => {
    // Numbers count as cells only to the right of the line's last word: "2020年" in prose is no cell.
    const lastLabel = l.items.reduce((m, it) => (isNumeric(it) ? m : Math.max(m, it.bbox[2])), -Infinity);
    const numbers = l.items.filter((it) => isNumeric(it) && it.bbox[0] >= lastLabel);
    return { ...l, numbers, labels: l.items.filter((it) => !numbers.includes(it)) };
  });
}

/** A line that starts a new table or section: a caption or a header, never a row. */
const isBoundary = (l: Line) => /^(第二十条|信息内容|[一二三四五六七八九十]+、(?!本年|上年|结转)|申请人情况|行政复议|（本列)/.test(l.items.map((i) => i.text).join('').replace(/\s/g, ''));

/** Columns: numbers of one column overlap horizontally; neighbouring columns do not. */
function columnsOf(numbers: TextItem[]): [number, number][] {
  const spans = numbers.map((n) => [n.bbox[0], n.bbox[2]] as [number, number]).sort((a, b) => a[0] - b[0]);
  const cols: [number, number][] = [];
  for (const [x0, x1] of spans) {
    const last = cols[cols.length - 1];
    if (last && x0 <= last[1] + 0.5) last[1] = Math.max(last[1], x1);
    else cols.push([x0, x1]);
  }
  return cols;
}

/**
 * Horizontal rules stacked over each other (a table drawn with row rules only) bound
 * its rows: a row of blank cells is still a row. Stacks need three rules (two rows).
 */
function ruleStacks(segments: Segment[]): Segment[][] {
  const hs = mergeSegments(segments.filter((g) => g.orient === 'h')).filter((g) => g.orient === 'h' && g.to - g.from >= 40);
  const stacks: Segment[][] = [];
  for (const g of hs.sort((a, b) => a.at - b.at)) {
    const stack = stacks.find((st) => {
      const last = st[st.length - 1];
      const overlap = Math.min(last.to, g.to) - Math.max(last.from, g.from);
      return g.at - last.at <= 80 && st.some((o) => Math.min(o.to, g.to) - Math.max(o.from, g.from) >= 0.5 * Math.min(o.to - o.from, g.to - g.from)) && overlap > 0;
    });
    if (stack) stack.push(g);
    else stacks.push([g]);
  }
  return stacks.filter((st) => new Set(st.map((g) => Math.round(g.at))).size >= 3);
}

/** A table bounded by a stack of horizontal rules: its columns from the numbers, its rows from the rules. */
function stackSegments(stack: Segment[], lines: Line[], pieces: Segment[]): Segment[] {
  const ys = [...new Set(stack.map((g) => g.at))].sort((a, b) => a - b).filter((y, i, a) => i === 0 || y - a[i - 1] > 3);
  const left = Math.min(...stack.map((g) => g.from));
  const right = Math.max(...stack.map((g) => g.to));
  const bandOf = (i: number) => lines.filter((l) => mid(l.y0, l.y1) > ys[i] && mid(l.y0, l.y1) < ys[i + 1]);
  // A caption or a header line starts another table under the same rules: its columns are its own.
  const starts = [0, ...ys.slice(1, -1).map((_, k) => k + 1).filter((i) => bandOf(i).some(isBoundary))];
  const segments: Segment[] = [];
  starts.forEach((from, k) => {
    const to = k + 1 < starts.length ? starts[k + 1] : ys.length - 1;
    const [top, bottom] = [ys[from], ys[to]];
    const inside = lines.filter((l) => mid(l.y0, l.y1) > top && mid(l.y0, l.y1) < bottom);
    const body = inside.filter((l) => l.numbers.length >= 3 || (l.numbers.length >= 1 && l.labels.length >= 1));
    if (!body.length) return;
    const cols = columnsOf(body.flatMap((l) => l.numbers));
    // Labels of rows of blank cells count too: they may be the longest (a wrapped label fills its cell).
    const rowLines = inside.filter((l) => l.y0 >= body[0].y0 - 0.5);
    const labelRight = Math.max(-Infinity, ...rowLines.flatMap((l) => l.labels.filter((i) => i.bbox[0] < cols[0][0]).map((i) => i.bbox[2])));
    // Rules drawn cell by cell (one piece per cell) end where the cells do: the surest column boundary.
    const ends = pieces.filter((g) => g.at >= top - 0.5 && g.at <= bottom + 0.5).flatMap((g) => [g.from, g.to]);
    // Of several ends in a gap, the one nearest the text it bounds (the labels' cell ends right after them).
    const endIn = (a: number, b: number, near: number) => {
      const inGap = ends.filter((x) => x > a && x < b);
      return inGap.length >= 2 ? inGap.reduce((m, x) => (Math.abs(x - near) < Math.abs(m - near) ? x : m)) : undefined;
    };
    const labelEnd = endIn(Math.max(labelRight, left + 3), cols[0][0], Math.max(labelRight, left + 3)) ?? (labelRight > -Infinity && labelRight < cols[0][0] ? mid(labelRight, cols[0][0]) : cols[0][0] - 1);
    // Rows without labels (section 四's single row of numbers): the first column reaches the table's left edge.
    const xs = [...(labelRight > -Infinity ? [labelEnd] : []), ...cols.slice(1).map((c, i) => endIn(cols[i][1], c[0], mid(cols[i][1], c[0])) ?? mid(cols[i][1], c[0]))];
    // Row rules that start inside the label column mark where a group label's cell ends and the row's own label begins.
    const rulesAt = stack.filter((g) => g.at > top && g.at < bottom && g.from > left + 3 && g.from < labelEnd - 3).map((g) => g.from);
    for (const x of rulesAt.sort((a, b) => a - b)) if (!xs.some((o) => Math.abs(o - x) < 2)) xs.push(x);
    const firstBody = mid(body[0].y0, body[0].y1);
    segments.push(...stack.filter((g) => g.at >= top - 0.5 && g.at <= bottom + 0.5));
    segments.push({ orient: 'v', at: left, from: top, to: bottom }, { orient: 'v', at: right, from: top, to: bottom });
    // Header bands: a word that spans columns there makes a cell across them (the rule is not drawn through it).
    for (const x of xs) {
      for (let i = from; i < to; i++) {
        const crossed = (ys[i + 1] <= firstBody || x < labelEnd - 1) && bandOf(i).some((l) => spanningRuns(l.items, [x]).length > 0);
        if (!crossed) segments.push({ orient: 'v', at: x, from: ys[i], to: ys[i + 1] });
      }
    }
  });
  return segments;
}

/**
 * What a document's previous page left: the columns of its last unruled table. A table
 * that runs on over a page break keeps its label column's edge, so that its rows line
 * up with the header read on the page before.
 */
export interface UnruledCarry {
  last?: { cols: [number, number][]; labelEnd: number };
}

const sameColumns = (a: [number, number][], b: [number, number][]) =>
  a.length === b.length && a.every(([x0, x1], i) => Math.min(x1, b[i][1]) - Math.max(x0, b[i][0]) > 0);

export function unruledTables(content: PageContent, carry: UnruledCarry = {}): Table[] {
  const stacks = ruleStacks(content.segments);
  const pieces = content.segments.filter((g) => g.orient === 'h');
  const stackSegs = stacks.flatMap((st) => stackSegments(st, linesOf(content.items), pieces));
  const inStack = (it: TextItem) =>
    stacks.some((st) => {
      const y = mid(it.bbox[1], it.bbox[3]);
      return y > Math.min(...st.map((g) => g.at)) && y < Math.max(...st.map((g) => g.at));
    });
  const lines = linesOf(content.items.filter((it) => !inStack(it)));
  // A line of prose that ends in a number (its sentence runs on to the next line) is no row: a row's label
  // is no sentence.
  const isProse = (l: Line) => /[。；]/.test(runText(l.labels));
  const rows = lines.filter((l) => (l.numbers.length >= 3 || (l.numbers.length >= 1 && l.labels.length >= 1)) && !isProse(l));
  // Rows of one table follow each other without a caption or header between them.
  const blocks: Line[][] = [];
  for (const row of rows) {
    const block = blocks[blocks.length - 1];
    const prev = block?.[block.length - 1];
    const between = prev ? lines.filter((l) => l.y0 >= prev.y1 && l.y1 <= row.y0) : [];
    if (prev && !between.some(isBoundary) && joinsBlock(prev, row, between)) block.push(row);
    else blocks.push([row]);
  }
  const segments: Segment[] = [];
  const spanning = new Set<TextItem>();
  for (const numberRows of blocks) drawBlock(numberRows, lines, carry, segments, spanning);
  if (!blocks.length) carry.last = undefined;
  return gridTables(content, [...segments, ...stackSegs], content.items.filter((it) => !spanning.has(it)));
}

/** The tables of the drawn rules, each cell's text from the items inside it (a wrapped label read in order). */
function gridTables(content: PageContent, segments: Segment[], items: TextItem[]): Table[] {
  return findGrids(segments).map((g) => {
    const t = fillGrid(content.page, g, items);
    const cells = t.cells.map((c) => {
      const inside = items.filter((it) => !it.vertical && it.bbox[0] >= c.x0 - 1 && it.bbox[2] <= c.x1 + 1 && mid(it.bbox[1], it.bbox[3]) >= (c.source.bbox?.[1] ?? 0) - 0.01 && mid(it.bbox[1], it.bbox[3]) <= (c.source.bbox?.[3] ?? 0) + 0.01);
      const text = inside.length > 1 ? columnText(inside) : c.text;
      return { ...c, text, confidence: Math.min(c.confidence, UNRULED_CONFIDENCE) };
    });
    return { ...t, ruled: false, cells };
  });
}

/**
 * Draws one block of rows of numbers as rules: its label column's edge (carried over a page break), its
 * columns, its rows' boundaries, and its header's rows.
 */
function drawBlock(numberRows: Line[], lines: Line[], carry: UnruledCarry, segments: Segment[], spanning: Set<TextItem>) {
  const cols = columnsOf(numberRows.flatMap((l) => l.numbers));
  const header = headerAbove(numberRows[0], lines);
  const block = withBlankRows(numberRows, lines, header.length > 0);
  const [first, last] = [block[0], block[block.length - 1]];
  // Row labels end well before the numbers; header words over the first column may start earlier.
  // A row's label may begin above its numbers and end below them (numbers centred on a wrapped label), on
  // lines of their own: those count too.
  const reachTop = header.length ? first.y0 : labelReach(first, lines, cols[0][0], 'up');
  const reachBottom = labelReach(last, lines, cols[0][0], 'down');
  const labelLines = lines.filter((l) => !l.numbers.length && l.y0 >= reachTop - 0.5 && l.y1 <= reachBottom + 0.5);
  const labelRight = Math.max(-Infinity, ...block.flatMap((l) => l.labels.map((i) => i.bbox[2])), ...labelLines.flatMap((l) => l.items.filter((i) => i.bbox[2] <= cols[0][0]).map((i) => i.bbox[2])));
  // As far right as the header allows (a word over the first column starts where its cell does, or later):
  // the rows of the next page, if the table runs on, may have longer labels.
  const midEnd = mid(labelRight, cols[0][0]);
  const rightOfMid = header.flatMap((l) => runsOf(l.items)).map((r) => [r[0].bbox[0], r[r.length - 1].bbox[2]]).filter(([x0, x1]) => mid(x0, x1) > midEnd);
  let labelEnd = labelRight > -Infinity && labelRight < cols[0][0] ? Math.max(midEnd, Math.min(cols[0][0] - 1, ...rightOfMid.map(([x0]) => x0 - 0.5))) : cols[0][0] - 1;
  // So does a table parted on its page by rows of blank cells (no numbers to find them by): the block before.
  const runsOn = !header.length && carry.last && sameColumns(carry.last.cols, cols);
  if (runsOn && carry.last!.labelEnd > labelRight) labelEnd = carry.last!.labelEnd;
  carry.last = { cols, labelEnd };
  const all = [...block, ...header, ...labelLines].flatMap((l) => l.items);
  const left = Math.min(...all.map((i) => i.bbox[0])) - 2;
  const right = Math.max(cols[cols.length - 1][1], ...all.map((i) => i.bbox[2])) + 2;
  const centres = block.map((l) => mid(l.y0, l.y1));
  const gap = block.length > 1 ? Math.min(...centres.slice(1).map((c, i) => c - centres[i])) : (first.y1 - first.y0) * 2;
  const [fence0, fence1] = fences(block, labelLines, lines);
  const bodyTop = Math.max(Math.min(centres[0] - gap / 2, reachTop - 1), header.length ? header[0].y1 + 0.5 : fence0);
  const top = header.length ? header[header.length - 1].y0 - 2 : bodyTop;
  const bottom = Math.min(Math.max(mid(last.y0, last.y1) + gap / 2, reachBottom + 1), fence1);
  const ys = [top, ...(header.length ? [bodyTop] : []), ...block.slice(1).map((l, i) => rowBoundary(block[i], l, lines, cols[0][0])), bottom];
  // Rows without labels (section 四's row of numbers): no label column, the first column reaches the left edge.
  const xs = [left, ...(labelRight > -Infinity ? [labelEnd] : []), ...columnBoundaries(cols, header), right];
  for (const y of ys) segments.push({ orient: 'h', at: y, from: left, to: right });
  const grouped = drawHeaderRows(header, xs, top, bottom, segments);
  for (const l of header) for (const it of spanningRuns(l.items, xs.slice(1))) if (!grouped.has(it)) spanning.add(it);
}

/**
 * Header words over several columns (行政复议 over its five) become cells of their own: a rule under their line
 * across the columns they span, and no rule through them. The vertical rules are drawn here, cut where such
 * words cross them. Returns the items of those group words.
 */
function drawHeaderRows(header: Line[], xs: number[], top: number, bottom: number, segments: Segment[]): Set<TextItem> {
  const hLines = [...header].reverse();
  const inner = xs.slice(1, -1);
  const cuts: number[] = [];
  const crossings: Map<number, TextItem[][]> = new Map();
  hLines.forEach((l, i) => {
    // Only a line of group words alone (every word over the columns spans several) is a header row of its own.
    const over = runsOf(l.items).filter((r) => r[r.length - 1].bbox[2] > inner[0] + 1.5);
    const runs = over.filter((r) => inner.some((b) => b > r[0].bbox[0] + 1.5 && b < r[r.length - 1].bbox[2] - 1.5));
    if (!runs.length || runs.length < over.length || i === hLines.length - 1) return;
    const cut = mid(l.y1, hLines[i + 1].y0);
    cuts.push(cut);
    crossings.set(cut, runs);
    for (const r of runs) {
      const from = Math.max(...xs.filter((x) => x <= r[0].bbox[0] + 1.5));
      const to = Math.min(...xs.filter((x) => x >= r[r.length - 1].bbox[2] - 1.5));
      segments.push({ orient: 'h', at: cut, from, to });
    }
  });
  const edges = [top, ...cuts, bottom];
  for (const x of xs) {
    for (let k = 0; k + 1 < edges.length; k++) {
      const runs = k < cuts.length ? crossings.get(cuts[k])! : [];
      const crossed = runs.some((r) => x > r[0].bbox[0] + 1.5 && x < r[r.length - 1].bbox[2] - 1.5);
      if (!crossed) segments.push({ orient: 'v', at: x, from: edges[k], to: edges[k + 1] });
    }
  }
  return new Set([...crossings.values()].flat(2));
}

/**
 * How far up and down a block's rows may reach: not to the middle of the caption or heading next to it
 * (三、收到和处理… right under a table's last row, whose padding would take it in), though always past
 * the block's own text.
 */
function fences(block: Line[], labelLines: Line[], lines: Line[]): [number, number] {
  const centres = [...block, ...labelLines].flatMap((l) => l.items.map((i) => mid(i.bbox[1], i.bbox[3])));
  const [high, low] = [Math.min(...centres), Math.max(...centres)];
  const [first, last] = [block[0], block[block.length - 1]];
  const above = lines.filter((l) => isBoundary(l) && mid(l.y0, l.y1) < mid(first.y0, first.y1)).pop();
  const below = lines.find((l) => isBoundary(l) && mid(l.y0, l.y1) > mid(last.y0, last.y1));
  return [above ? Math.min(mid(above.y0, above.y1) + 0.5, high - 0.5) : -Infinity, below ? Math.max(mid(below.y0, below.y1) - 0.5, low + 0.5) : Infinity];
}

/** The enumerator a row label opens with: （三）, 1., 一、 */
// OCR reads an opening bracket as 《 or 〈 now and then: （七）总计 comes out 《七)总计.
const ROW_ENUMERATOR = /^([（(《〈][一二三四五六七八九十]+[)）]|\d+[.．、]|[一二三四五六七八九十]+、)/;

/**
 * Two rows of numbers are of one table when they are close, or when the lines between them are row labels
 * (text left of the numbers only, blank rows' labels among them) each close to the next: labels wrapped over
 * many lines at a wide leading (LibreOffice keeps the HTML's line height) set the rows of numbers far apart.
 */
function joinsBlock(prev: Line, row: Line, between: Line[]): boolean {
  const maxGap = UNRULED_SETTINGS.rowGapLines * (row.y1 - row.y0);
  if (row.y0 - prev.y1 < maxGap) return true;
  const numbersLeft = Math.min(...[...prev.numbers, ...row.numbers].map((n) => n.bbox[0]));
  if (!between.length || between.some((l) => l.items.some((i) => i.bbox[2] > numbersLeft))) return false;
  // Label openings there other than the row's own are rows of blank cells (withBlankRows makes them rows).
  const chain = [prev, ...between, row];
  return chain.every((l, i) => i === 0 || l.y0 - chain[i - 1].y1 < maxGap);
}

const runText = (r: TextItem[]) => r.map((i) => i.text).join('').replace(/\s/g, '');

/**
 * A block's rows of numbers with the rows of blank cells among them, after them and (where the table has no
 * header on this page) before them: label lines (left of the numbers alone, each a few lines from the next)
 * whose own label, their last run, opens with an enumerator. A group label (（三）不予公开) opens one too,
 * centred over its rows: it is told by the deeper labels (1., 2.) that follow it before the next label as
 * far left as it.
 */
function withBlankRows(rows: Line[], lines: Line[], hasHeader: boolean): Line[] {
  const numbersLeft = Math.min(...rows.flatMap((l) => l.numbers.map((n) => n.bbox[0])));
  const maxGap = UNRULED_SETTINGS.rowGapLines * (rows[0].y1 - rows[0].y0);
  const isLabelLine = (l: Line) => !l.numbers.length && !isBoundary(l) && l.items.every((i) => i.bbox[2] <= numbersLeft);
  const region: Line[] = lines.filter((l) => mid(l.y0, l.y1) > mid(rows[0].y0, rows[0].y1) && mid(l.y0, l.y1) < mid(rows[rows.length - 1].y0, rows[rows.length - 1].y1) && isLabelLine(l));
  const walk = (from: Line, way: 1 | -1) => {
    const seq = way > 0 ? lines.filter((l) => l.y0 >= from.y1) : lines.filter((l) => l.y1 <= from.y0).reverse();
    let edge = from;
    for (const l of seq) {
      if ((way > 0 ? l.y0 - edge.y1 : edge.y0 - l.y1) >= maxGap || !isLabelLine(l)) break;
      region.push(l);
      edge = l;
    }
  };
  walk(rows[rows.length - 1], 1);
  if (!hasHeader) walk(rows[0], -1);
  const all = [...rows, ...region].sort((a, b) => a.y0 - b.y0);
  const labelRuns = (l: Line) => runsOf(l.items.filter((i) => i.bbox[2] <= numbersLeft));
  const openingsOf = (l: Line) => labelRuns(l).filter((r) => ROW_ENUMERATOR.test(runText(r))).map((r) => r[0].bbox[0]);
  const isGroupHead = (at: number, x: number) => {
    for (const l of all.slice(at + 1)) {
      const xs = openingsOf(l);
      if (xs.some((o) => o <= x + 2)) return false;
      if (xs.some((o) => o > x + 5)) return true;
    }
    return false;
  };
  const opening = all.filter((l, at) => {
    if (rows.includes(l)) return false;
    const runs = labelRuns(l);
    const own = runs[runs.length - 1];
    return own && ROW_ENUMERATOR.test(runText(own)) && !isGroupHead(at, own[0].bbox[0]);
  });
  // Numbers centred on a wrapped label stand below its first line: a row of numbers whose line opens no label
  // owns the nearest opening above it, if that label reaches its line. Else they are a row of their own (their
  // label, if any, on their line), never the blank row's above.
  const owned = new Set<Line>();
  const edge = Math.max(-Infinity, ...all.flatMap((l) => labelRuns(l).map((r) => r[r.length - 1].bbox[2])));
  rows.forEach((row, i) => {
    const ownRuns = labelRuns(row);
    if (ownRuns.length && ROW_ENUMERATOR.test(runText(ownRuns[ownRuns.length - 1]))) return;
    const after = i > 0 ? mid(rows[i - 1].y0, rows[i - 1].y1) : -Infinity;
    const above = opening.filter((l) => mid(l.y0, l.y1) < mid(row.y0, row.y1) && mid(l.y0, l.y1) > after);
    const nearest = above[above.length - 1];
    if (nearest && labelReachesRow(nearest, row, all, labelRuns, edge)) owned.add(nearest);
  });
  return [...rows, ...opening.filter((l) => !owned.has(l))].sort((a, b) => a.y0 - b.y0);
}

/**
 * Whether the label opening on `opening` runs on to the line of numbers `row`: the two lines are one (they
 * overlap), or every label line from the opening down to the row's is full (a label wraps only where its line
 * is: a label that ends short of the label column's right edge `edge` ends there).
 */
function labelReachesRow(opening: Line, row: Line, all: Line[], labelRuns: (l: Line) => TextItem[][], edge: number): boolean {
  const S = UNRULED_SETTINGS;
  const overlap = Math.min(opening.y1, row.y1) - Math.max(opening.y0, row.y0);
  if (overlap >= S.sameLineOverlap * Math.min(opening.y1 - opening.y0, row.y1 - row.y0)) return true;
  const wrapped = all.filter((l) => l.y0 >= opening.y0 && mid(l.y0, l.y1) < mid(row.y0, row.y1) && l !== row && labelRuns(l).length);
  return wrapped.every((l) => {
    const runs = labelRuns(l);
    const own = runs[runs.length - 1];
    const right = own[own.length - 1].bbox[2];
    return right >= edge - S.wrapSlackChars * (own[0].bbox[3] - own[0].bbox[1]);
  });
}

/** The header: the lines right above a table's first row, up to a caption or a heading. */
function headerAbove(first: Line, lines: Line[]): Line[] {
  const above = lines.filter((l) => l.y1 <= first.y0 && first.y0 - l.y1 < UNRULED_SETTINGS.headerReach).reverse();
  const header: Line[] = [];
  // Above the 信息内容 line only the first line of a header label wrapped in two (本年 over 增/减) belongs.
  let topRowEnd: number | null = null;
  for (const l of above) {
    const top = header[header.length - 1] ?? first;
    if (top.y0 - l.y1 > 2 * (l.y1 - l.y0)) break;
    const text = l.items.map((i) => i.text).join('').replace(/\s/g, '');
    const isCaption = /^(第二十条|[一二三四五六七八九十]+、)/.test(text);
    // A line opening with a row enumerator is a row label cut by a page break, not a header.
    const isRowLabel = /^([（(][一二三四五六七八九十]+[)）]|\d+[.．、])/.test(text);
    if (isCaption || isRowLabel || (topRowEnd !== null && l.items.some((i) => i.bbox[0] <= topRowEnd!))) break;
    header.push(l);
    if (/^信息内容/.test(text)) topRowEnd = runsOf(l.items)[0].reduce((m, i) => Math.max(m, i.bbox[2]), -Infinity);
  }
  return header;
}

/**
 * The boundaries between number columns: halfway between their numbers, unless a header word of one column
 * alone (上一年项目数量 over a narrow column of numbers) would be cut there while the header leaves a gap
 * between the numbers free of words: then in that gap. A word over several columns (申请人情况) stays cut.
 */
function columnBoundaries(cols: [number, number][], header: Line[]): number[] {
  const runs = header.flatMap((l) => runsOf(l.items)).map((r) => [r[0].bbox[0], Math.max(...r.map((i) => i.bbox[2]))] as [number, number]);
  const halves = cols.slice(1).map((c, i) => mid(cols[i][1], c[0]));
  const crosses = (r: [number, number], x: number) => x > r[0] + 1.5 && x < r[1] - 1.5;
  return halves.map((x, i) => {
    const cut = runs.filter((r) => crosses(r, x));
    if (!cut.length || cut.some((r) => halves.some((o, j) => j !== i && crosses(r, o)))) return x;
    // Free stretches of the gap between the two columns' numbers, nearest halfway first.
    const [a, b] = [cols[i][1], cols[i + 1][0]];
    const taken = runs.filter((r) => r[1] > a && r[0] < b).sort((p, q) => p[0] - q[0]);
    const free: [number, number][] = [];
    let from = a;
    for (const r of taken) {
      if (r[0] > from) free.push([from, r[0]]);
      from = Math.max(from, r[1]);
    }
    if (b > from) free.push([from, b]);
    const best = free.filter(([p, q]) => q - p >= 3).sort((p, q) => Math.abs(mid(...p) - x) - Math.abs(mid(...q) - x))[0];
    return best ? mid(...best) : x;
  });
}

/**
 * How far a row's wrapped label reaches from its line of numbers, up (to the line its enumerator opens, which
 * must be found) or down (over lines that open none): lines of the label column alone, each a leading from
 * the next. Where nothing reaches further, the row's own line.
 */
function labelReach(row: Line, lines: Line[], numbersLeft: number, way: 'up' | 'down'): number {
  // The row's own label is its last run left of the numbers (a group label's characters may stand before it).
  // Numbers centred on a label of several lines may stand on a line of their own: then all left of them counts.
  const ownRuns = runsOf(row.labels.filter((i) => i.bbox[2] <= numbersLeft));
  const own = ownRuns[ownRuns.length - 1] ?? [];
  const leafLeft = own.length ? own[0].bbox[0] : -Infinity;
  const opens = (l: Line) => runsOf(l.items).some((r) => ROW_ENUMERATOR.test(runText(r)));
  const ofLabel = (l: Line) => !l.numbers.length && !isBoundary(l) && l.items.every((i) => i.bbox[0] >= leafLeft - 2 && i.bbox[2] <= numbersLeft);
  const maxGap = UNRULED_SETTINGS.labelLeadingLines * (row.y1 - row.y0);
  if (way === 'up') {
    if (ROW_ENUMERATOR.test(runText(own))) return row.y0;
    let edge = row;
    for (const l of lines.filter((o) => o.y1 <= row.y0).reverse()) {
      if (edge.y0 - l.y1 > maxGap || !ofLabel(l)) return row.y0;
      if (opens(l)) return l.y0;
      edge = l;
    }
    return row.y0;
  }
  let edge = row;
  for (const l of lines.filter((o) => o.y0 >= row.y1)) {
    if (l.y0 - edge.y1 > maxGap || !ofLabel(l) || opens(l)) break;
    edge = l;
  }
  return edge.y1;
}

/**
 * Where one row ends and the next begins, between two lines of numbers: in the widest gap
 * between the lines of their label column there. A wrapped label's lines are a line's leading
 * apart, two rows' labels that plus the cells' padding; halfway between the numbers would cut
 * a label of three lines (its numbers on the middle one) above its first line, or below it.
 * Only text in the rows' own label column counts (a group label's stacked characters to its
 * left keep their own spacing); rows without a label there are cut halfway.
 */
function rowBoundary(upper: Line, lower: Line, lines: Line[], numbersLeft: number): number {
  const half = mid(mid(upper.y0, upper.y1), mid(lower.y0, lower.y1));
  const leafLeft = (l: Line) => {
    const runs = runsOf(l.labels.filter((i) => i.bbox[2] <= numbersLeft));
    return runs.length ? runs[runs.length - 1][0].bbox[0] : null;
  };
  const [a, b] = [leafLeft(upper), leafLeft(lower)];
  if (a === null || b === null) return half;
  const from = Math.min(a, b) - 1;
  const leafText = (its: TextItem[]) => its.filter((i) => i.bbox[2] > from && i.bbox[0] < numbersLeft).map((i) => i.text).join('');
  const spans = lines
    .map((l) => l.items.filter((i) => i.bbox[2] > from && i.bbox[0] < numbersLeft))
    .filter((its) => its.length)
    .map((its) => ({ y0: Math.min(...its.map((i) => i.bbox[1])), y1: Math.max(...its.map((i) => i.bbox[3])), text: leafText(its) }))
    .filter(({ y0, y1 }) => mid(y0, y1) > mid(upper.y0, upper.y1) && mid(y0, y1) < mid(lower.y0, lower.y1))
    .sort((p, q) => p.y0 - q.y0);
  const edges: [number, number][] = [[upper.y0, upper.y1], ...spans.map((sp) => [sp.y0, sp.y1] as [number, number]), [lower.y0, lower.y1]];
  // A label starts with its enumerator (1., （三）): where exactly one line between opens with one, or the lower
  // row's own line does, the row begins there. Lines of a wrapped label and two rows' labels may be spaced alike.
  const opening = [...spans.map((sp) => sp.text), leafText(lower.labels)].map((t) => ROW_ENUMERATOR.test(t.replace(/\s/g, '')));
  const opens = opening.flatMap((o, i) => (o ? [i] : []));
  if (opens.length === 1) return mid(edges[opens[0]][1], edges[opens[0] + 1][0]);
  let best = half;
  let widest = -Infinity;
  for (let i = 0; i + 1 < edges.length; i++) {
    const gap = edges[i + 1][0] - edges[i][1];
    const at = mid(edges[i][1], edges[i + 1][0]);
    // Of gaps alike (within half a point), the one nearer halfway.
    if (gap > widest + 0.5 || (Math.abs(gap - widest) <= 0.5 && Math.abs(at - half) < Math.abs(best - half))) {
      widest = Math.max(widest, gap);
      best = at;
    }
  }
  return best;
}

/**
 * Without rules, a group label (（三）不予公开) and its row's label (1.属于国家秘密) share a
 * cell; read each left-aligned column of text top to bottom, then the columns left to right.
 */
function columnText(items: TextItem[]): string {
  // Columns are made of runs (a line's adjacent words), not of single items: the first character of a
  // wrapped line lies under the first characters of the line above, and would start a column of its own.
  const runs = groupLines(items).flatMap((l) => runsOf(l.items)).sort((a, b) => a[0].bbox[0] - b[0].bbox[0]);
  const cols: { x0: number; x1: number; items: TextItem[] }[] = [];
  for (const run of runs) {
    const [x0, x1] = [run[0].bbox[0], Math.max(...run.map((i) => i.bbox[2]))];
    const col = cols.find((c) => x0 < c.x1 - 1 && c.x0 < x1 - 1);
    if (!col) cols.push({ x0, x1, items: [...run] });
    else {
      [col.x0, col.x1] = [Math.min(col.x0, x0), Math.max(col.x1, x1)];
      col.items.push(...run);
    }
  }
  return cols.map((c) => cellText(c.items)).join('');
}

/**
 * Header words over several columns (申请人情况, 法人或其他组织) would blur one column's
 * label. Adjacent items form a run; a run that crosses a column boundary is such a word.
 */
function spanningRuns(items: TextItem[], boundaries: number[]): TextItem[] {
  const runs = runsOf(items);
  const margin = 1.5;
  return runs
    .filter((run) => {
      const [x0, x1] = [run[0].bbox[0], run[run.length - 1].bbox[2]];
      return boundaries.some((b) => b > x0 + margin && b < x1 - margin);
    })
    .flat();
}

/** Adjacent items of a line (no more than a third of a character apart): one word or phrase. */
function runsOf(items: TextItem[]): TextItem[][] {
  const sorted = [...items].sort((a, b) => a.bbox[0] - b.bbox[0]);
  const runs: TextItem[][] = [];
  for (const it of sorted) {
    const run = runs[runs.length - 1];
    const prev = run?.[run.length - 1];
    if (prev && it.bbox[0] - prev.bbox[2] < 0.3 * (it.bbox[3] - it.bbox[1])) run.push(it);
    else runs.push([it]);
  }
  return runs;
}
