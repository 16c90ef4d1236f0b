import type { BBox, GridCell, PageContent, Segment, Table, TextItem } from './types.js';
import { groupLines } from './lines.js';

/**
 * Ruled tables from drawn lines, in named steps (after pdfplumber's table finder):
 * edges → merged edges → tables (connected edges) → grid lines → cells (elementary
 * cells joined where no rule separates them) → text assigned to cells by its centre.
 * Every step is a pure function; every tolerance lives in GRID_SETTINGS.
 */
export const GRID_SETTINGS = {
  /** Lines this close (points) across their direction are one line. */
  snap: 1.5,
  /** Collinear pieces with gaps up to this are joined. */
  join: 3,
  /** Shorter lines are dropped (text decorations, bullets). */
  minLength: 6,
  /** A line reaches another if it ends within this distance of it. */
  touch: 2.5,
  /** A separator counts as drawn when it covers this share of the shared edge. */
  coverage: 0.5,
  /** Tables need at least this many grid rows and columns. */
  minRows: 1,
  minCols: 2,
};
export type GridSettings = typeof GRID_SETTINGS;

export interface CellGeom {
  bbox: BBox;
  /** Inclusive spans over the grid's rows (between ys) and columns (between xs). */
  r0: number;
  r1: number;
  c0: number;
  c1: number;
  /** Its rule on the table's outer edge is not drawn: a row cut by a page break (see GridCell.openTop). */
  openTop?: boolean;
  openBottom?: boolean;
}

export interface GridGeometry {
  bbox: BBox;
  xs: number[];
  ys: number[];
  cells: CellGeom[];
}

/** Step 1–2: snap collinear pieces together and join those that touch or overlap. */
export function mergeSegments(segments: Segment[], s: GridSettings = GRID_SETTINGS): Segment[] {
  const out: Segment[] = [];
  for (const orient of ['h', 'v'] as const) {
    const lines = segments.filter((g) => g.orient === orient).sort((a, b) => a.at - b.at);
    // Cluster by position across the line.
    const clusters: Segment[][] = [];
    for (const g of lines) {
      const last = clusters[clusters.length - 1];
      if (last && g.at - last[last.length - 1].at <= s.snap) last.push(g);
      else clusters.push([g]);
    }
    for (const cl of clusters) {
      const at = cl.reduce((sum, g) => sum + g.at * (g.to - g.from), 0) / Math.max(1e-9, cl.reduce((sum, g) => sum + (g.to - g.from), 0));
      const pieces = cl.map((g) => [g.from, g.to]).sort((a, b) => a[0] - b[0]);
      let [from, to] = pieces[0];
      for (const [f, t] of pieces.slice(1)) {
        if (f <= to + s.join) to = Math.max(to, t);
        else {
          out.push({ orient, at, from, to });
          [from, to] = [f, t];
        }
      }
      out.push({ orient, at, from, to });
    }
  }
  return out.filter((g) => g.to - g.from >= s.minLength);
}

const touches = (h: Segment, v: Segment, tol: number) =>
  v.at >= h.from - tol && v.at <= h.to + tol && h.at >= v.from - tol && h.at <= v.to + tol;

/** Step 3: groups of lines connected by crossings or touching ends: one group per table. */
export function groupTables(lines: Segment[], s: GridSettings = GRID_SETTINGS): Segment[][] {
  const parent = lines.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const [a, b] = [lines[i], lines[j]];
      if (a.orient === b.orient) continue;
      const [h, v] = a.orient === 'h' ? [a, b] : [b, a];
      if (touches(h, v, s.touch)) parent[find(i)] = find(j);
    }
  }
  const groups = new Map<number, Segment[]>();
  lines.forEach((g, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), g]);
  });
  return [...groups.values()].filter((g) => g.some((x) => x.orient === 'h') && g.some((x) => x.orient === 'v'));
}

function distinct(values: number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of sorted) if (!out.length || v - out[out.length - 1] > tol) out.push(v);
  return out;
}

/** Length of [a0,a1] covered by the union of the lines' extents. */
function covered(lines: Segment[], a0: number, a1: number): number {
  const parts = lines.map((g) => [Math.max(a0, g.from), Math.min(a1, g.to)]).filter(([f, t]) => t > f).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = a0;
  for (const [f, t] of parts) {
    if (t <= end) continue;
    total += t - Math.max(f, end);
    end = t;
  }
  return total;
}

/**
 * A table printed without its outer frame (border-style: hidden, 三线表-like styles)
 * still has horizontal rules that run to its edges: where they reach past the outermost
 * vertical rule, the frame is drawn at their end, so the outer columns are not lost.
 */
function openSides(lines: Segment[], s: GridSettings): Segment[] {
  const hs = lines.filter((g) => g.orient === 'h');
  const vs = lines.filter((g) => g.orient === 'v');
  if (!hs.length || !vs.length) return [];
  const top = Math.min(...vs.map((g) => g.from), ...hs.map((g) => g.at));
  const bottom = Math.max(...vs.map((g) => g.to), ...hs.map((g) => g.at));
  const out: Segment[] = [];
  for (const edge of [Math.min(...hs.map((g) => g.from)), Math.max(...hs.map((g) => g.to))]) {
    const framed = vs.some((g) => Math.abs(g.at - edge) <= s.snap * 2);
    if (!framed) out.push({ orient: 'v', at: edge, from: top, to: bottom });
  }
  return out;
}

/**
 * Step 4–5: grid lines and cells of one table. Grid rows also end where vertical
 * rules end: a table cut by a page break has no closing rule, but its columns stop.
 */
export function buildGrid(lines: Segment[], s: GridSettings = GRID_SETTINGS): GridGeometry | null {
  const hs = lines.filter((g) => g.orient === 'h');
  const sides = openSides(lines, s);
  const vs = [...lines.filter((g) => g.orient === 'v'), ...sides];
  const xs = distinct(vs.map((g) => g.at), s.snap * 2);
  const ys = distinct([...hs.map((g) => g.at), ...vs.flatMap((g) => [g.from, g.to])], s.snap * 2);
  if (xs.length < s.minCols + 1 || ys.length < s.minRows + 1) return null;
  const nr = ys.length - 1;
  const nc = xs.length - 1;
  const near = (list: Segment[], at: number) => list.filter((g) => Math.abs(g.at - at) <= s.snap * 2);
  // A vertical boundary between columns c and c+1 in row r, and a horizontal one between rows r and r+1 in column c.
  const vDrawn = (r: number, c: number) => covered(near(vs, xs[c + 1]), ys[r], ys[r + 1]) >= s.coverage * (ys[r + 1] - ys[r]);
  const hDrawn = (r: number, c: number) => covered(near(hs, ys[r + 1]), xs[c], xs[c + 1]) >= s.coverage * (xs[c + 1] - xs[c]);
  // An elementary cell is inside the table when rules enclose it on its left and right.
  const inside = (r: number, c: number) => {
    const mid = (ys[r] + ys[r + 1]) / 2;
    const left = vs.some((g) => g.at <= xs[c] + s.snap && g.from <= mid && g.to >= mid);
    const right = vs.some((g) => g.at >= xs[c + 1] - s.snap && g.from <= mid && g.to >= mid);
    return left && right;
  };
  const id = (r: number, c: number) => r * nc + c;
  const parent = Array.from({ length: nr * nc }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      if (!inside(r, c)) continue;
      if (c + 1 < nc && inside(r, c + 1) && !vDrawn(r, c)) parent[find(id(r, c))] = find(id(r, c + 1));
      if (r + 1 < nr && inside(r + 1, c) && !hDrawn(r, c)) parent[find(id(r, c))] = find(id(r + 1, c));
    }
  }
  const spans = new Map<number, CellGeom>();
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      if (!inside(r, c)) continue;
      const root = find(id(r, c));
      const g = spans.get(root);
      if (!g) spans.set(root, { bbox: [xs[c], ys[r], xs[c + 1], ys[r + 1]], r0: r, r1: r, c0: c, c1: c });
      else {
        g.r0 = Math.min(g.r0, r);
        g.r1 = Math.max(g.r1, r);
        g.c0 = Math.min(g.c0, c);
        g.c1 = Math.max(g.c1, c);
        g.bbox = [xs[g.c0], ys[g.r0], xs[g.c1 + 1], ys[g.r1 + 1]];
      }
    }
  }
  const cells = [...spans.values()].sort((a, b) => a.r0 - b.r0 || a.c0 - b.c0);
  if (!cells.length) return null;
  // A table printed without its frame has no outer rule a page break could have cut.
  if (!sides.length) markOpenEdges(cells, hs, xs, ys, s);
  return { bbox: [xs[0], ys[0], xs[nc], ys[nr]], xs, ys, cells };
}

/** Cells of the first and last grid row with no rule drawn on the table's outer edge (a row cut by a page break). */
function markOpenEdges(cells: CellGeom[], hs: Segment[], xs: number[], ys: number[], s: GridSettings) {
  const nr = ys.length - 1;
  const drawnAt = (y: number, g: CellGeom) =>
    covered(hs.filter((h) => Math.abs(h.at - y) <= s.snap * 2), xs[g.c0], xs[g.c1 + 1]) >= s.coverage * (xs[g.c1 + 1] - xs[g.c0]);
  for (const g of cells) {
    if (g.r0 === 0 && !drawnAt(ys[0], g)) g.openTop = true;
    if (g.r1 === nr - 1 && !drawnAt(ys[nr], g)) g.openBottom = true;
  }
}

/** Rules → the geometry of every table on the page, top to bottom. */
export function findGrids(segments: Segment[], s: GridSettings = GRID_SETTINGS): GridGeometry[] {
  return groupTables(mergeSegments(segments, s), s)
    .map((g) => buildGrid(g, s))
    .filter((g): g is GridGeometry => g !== null)
    .sort((a, b) => a.bbox[1] - b.bbox[1]);
}

const centre = (b: BBox): [number, number] => [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
const contains = (b: BBox, [x, y]: [number, number]) => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];

/** A cell's text: its items in lines top to bottom, each line left to right; wrapped lines join without spaces. */
export function cellText(items: TextItem[]): string {
  const text = groupLines(items).map((l) => l.items.map((i) => i.text).join('')).join('');
  const vertical = items.filter((i) => i.vertical).sort((a, b) => a.bbox[0] - b.bbox[0] || a.bbox[1] - b.bbox[1]).map((i) => i.text).join('');
  return text + vertical;
}

export const unionBox = (boxes: BBox[]): BBox => [
  Math.min(...boxes.map((b) => b[0])),
  Math.min(...boxes.map((b) => b[1])),
  Math.max(...boxes.map((b) => b[2])),
  Math.max(...boxes.map((b) => b[3])),
];

/**
 * A run of text that crosses a column rule (a producer that wrote a row's labels as one run, spaces between)
 * is cut at the rule, each character placed by its advance: full-width characters one em, the others half.
 */
export function cutAtRules(it: TextItem, xs: number[]): TextItem[] {
  const [x0, y0, x1, y1] = it.bbox;
  // OCR reads each cell on its own: its text never runs across a rule.
  const cuts = it.vertical || it.via === 'ocr' ? [] : xs.filter((x) => x > x0 + 1 && x < x1 - 1);
  if (!cuts.length) return [it];
  const chars = [...it.text];
  const weights = chars.map((ch) => (/[\u0000-\u00ff]/.test(ch) ? 0.5 : 1));
  const unit = (x1 - x0) / weights.reduce((a, b) => a + b, 0);
  const parts = new Map<number, { text: string; a: number; b: number }>();
  let at = x0;
  chars.forEach((ch, i) => {
    const [a, b] = [at, (at += weights[i] * unit)];
    const slot = cuts.filter((x) => x < (a + b) / 2).length;
    if (/\s/.test(ch)) return;
    const part = parts.get(slot);
    if (part) {
      part.text += ch;
      part.b = b;
    } else parts.set(slot, { text: ch, a, b });
  });
  return [...parts.values()].map((p) => ({ ...it, text: p.text, bbox: [p.a, y0, p.b, y1] }));
}

/** Step 6: every item whose centre falls in a cell becomes part of that cell's text. */
export function fillGrid(page: number, grid: GridGeometry, items: TextItem[]): Table {
  // Centres once, and only the items inside the table: every cell looks through them.
  const placed = items
    .flatMap((it) => (contains(grid.bbox, centre(it.bbox)) ? cutAtRules(it, grid.xs) : [it]))
    .map((it) => ({ it, at: centre(it.bbox) }))
    .filter(({ at }) => contains(grid.bbox, at));
  const cells: GridCell[] = grid.cells.map((g) => {
    const mine: TextItem[] = [];
    for (const { it, at } of placed) if (contains(g.bbox, at)) mine.push(it);
    const conf = mine.reduce((m, it) => Math.min(m, it.confidence ?? 1), 1);
    return {
      text: cellText(mine),
      x0: g.bbox[0],
      x1: g.bbox[2],
      row0: g.r0,
      row1: g.r1,
      source: { page, bbox: mine.length ? unionBox(mine.map((i) => i.bbox)) : g.bbox },
      confidence: conf,
      via: mine.some((i) => i.via === 'ocr') ? 'ocr' : 'text',
      ...(g.openTop ? { openTop: true } : {}),
      ...(g.openBottom ? { openBottom: true } : {}),
    };
  });
  return { page, cells, rowCount: grid.ys.length - 1, ruled: true, bbox: grid.bbox };
}

/** The ruled tables of one page, with their text. */
export function pageTables(content: PageContent, s: GridSettings = GRID_SETTINGS): Table[] {
  return findGrids(content.segments, s).map((g) => fillGrid(content.page, g, content.items));
}
