import { describe, expect, it } from 'vitest';
import { buildGrid, cellText, fillGrid, findGrids, groupTables, mergeSegments } from '../src/extract/grid.js';
import type { Segment, TextItem } from '../src/extract/types.js';

const h = (at: number, from: number, to: number): Segment => ({ orient: 'h', at, from, to });
const v = (at: number, from: number, to: number): Segment => ({ orient: 'v', at, from, to });
const item = (text: string, x0: number, y0: number, x1: number, y1: number, vertical = false): TextItem => ({ text, bbox: [x0, y0, x1, y1], vertical });

/** A full grid of rules: rows at ys, columns at xs. */
const ruled = (xs: number[], ys: number[]) => [
  ...ys.map((y) => h(y, xs[0], xs[xs.length - 1])),
  ...xs.map((x) => v(x, ys[0], ys[ys.length - 1])),
];

describe('step 1–2: merging edges', () => {
  it('snaps near-collinear pieces and joins touching ones', () => {
    const merged = mergeSegments([h(100, 0, 50), h(100.8, 51, 120), h(200, 0, 40)]);
    expect(merged.filter((s) => s.orient === 'h')).toHaveLength(2);
    const top = merged.find((s) => s.at < 150)!;
    expect(top.from).toBe(0);
    expect(top.to).toBe(120);
  });
  it('keeps pieces apart when the gap is wider than a join', () => {
    expect(mergeSegments([h(100, 0, 50), h(100, 80, 120)])).toHaveLength(2);
  });
  it('drops lines shorter than a rule (underlines of a glyph, dots)', () => {
    expect(mergeSegments([h(10, 0, 3), v(10, 0, 2)])).toHaveLength(0);
  });
});

describe('step 3: tables are groups of connected rules', () => {
  it('separates two tables that do not touch', () => {
    const groups = groupTables(mergeSegments([...ruled([0, 50, 100], [0, 20, 40]), ...ruled([0, 50, 100], [100, 120, 140])]));
    expect(groups).toHaveLength(2);
  });
  it('ignores a lone horizontal rule (a separator line, not a table)', () => {
    expect(groupTables(mergeSegments([h(300, 0, 500)]))).toHaveLength(0);
  });
});

describe('step 4–5: grid and cells', () => {
  it('two rules crossing a frame give four cells', () => {
    const g = buildGrid(mergeSegments(ruled([0, 50, 100], [0, 20, 40])))!;
    expect(g.xs).toEqual([0, 50, 100]);
    expect(g.ys).toEqual([0, 20, 40]);
    expect(g.cells).toHaveLength(4);
  });
  it('a missing separator merges cells: a header spanning two columns', () => {
    // The vertical rule at x=50 stops at y=20: row 0 is one cell across both columns.
    const lines = [h(0, 0, 100), h(20, 0, 100), h(40, 0, 100), v(0, 0, 40), v(100, 0, 40), v(50, 20, 40)];
    const g = buildGrid(mergeSegments(lines))!;
    expect(g.cells).toHaveLength(3);
    const top = g.cells.find((c) => c.r0 === 0)!;
    expect([top.c0, top.c1]).toEqual([0, 1]);
  });
  it('a row label merged over three rows (a vertical label cell)', () => {
    const lines = [
      ...[0, 20, 40, 60].map((y) => h(y, 20, 100)),
      h(0, 0, 20), h(60, 0, 20),
      v(0, 0, 60), v(20, 0, 60), v(100, 0, 60),
    ];
    const g = buildGrid(mergeSegments(lines))!;
    const label = g.cells.find((c) => c.c0 === 0)!;
    expect([label.r0, label.r1]).toEqual([0, 2]);
    expect(g.cells).toHaveLength(4);
  });
  it('a table cut by a page break, with no closing rule, still has its last row', () => {
    // Columns run down to y=60, the last horizontal rule is at y=40.
    const lines = [h(0, 0, 100), h(20, 0, 100), h(40, 0, 100), v(0, 0, 60), v(50, 0, 60), v(100, 0, 60)];
    const g = buildGrid(mergeSegments(lines))!;
    expect(g.ys).toEqual([0, 20, 40, 60]);
    expect(g.cells.filter((c) => c.r0 === 2)).toHaveLength(2);
  });
  it('finds the tables of a page top to bottom', () => {
    const grids = findGrids([...ruled([0, 50, 100], [300, 320]), ...ruled([0, 30, 60, 100], [0, 20])]);
    expect(grids.map((g) => g.xs.length)).toEqual([4, 3]);
  });
});

describe('step 6: text into cells', () => {
  it('joins a header wrapped one or two characters per line (自/然/人, 法律/服务/机构)', () => {
    expect(cellText([item('然', 0, 12, 10, 22), item('自', 0, 0, 10, 10), item('人', 0, 24, 10, 34)])).toBe('自然人');
    expect(cellText([item('服务', 0, 12, 20, 22), item('法律', 0, 0, 20, 10), item('机构', 0, 24, 20, 34)])).toBe('法律服务机构');
  });
  it('joins a list prefix and its label that arrive as two items on one line', () => {
    expect(cellText([item('属于国家秘密', 8, 0.5, 60, 10.5), item('1.', 0, 0, 8, 10)])).toBe('1.属于国家秘密');
  });
  it('assigns items by their centre and keeps the number and the label apart', () => {
    const g = buildGrid(mergeSegments(ruled([0, 100, 150], [0, 20])))!;
    const t = fillGrid(3, g, [item('行政许可', 5, 5, 60, 15), item('41169', 110, 5, 140, 15), item('页眉', 5, -30, 40, -20)]);
    expect(t.cells.map((c) => c.text)).toEqual(['行政许可', '41169']);
    expect(t.cells[1].source.bbox).toEqual([110, 5, 140, 15]);
    expect(t.cells[1].source.page).toBe(3);
    expect(t.cells[1].confidence).toBe(1);
  });
  it('carries an OCR reading\'s confidence into the cell', () => {
    const g = buildGrid(mergeSegments(ruled([0, 100, 150], [0, 20])))!;
    const t = fillGrid(1, g, [item('行政强制', 5, 5, 60, 15), { ...item('7', 120, 5, 130, 15), confidence: 0.6, via: 'ocr' }]);
    expect(t.cells.map((c) => [c.confidence, c.via])).toEqual([[1, 'text'], [0.6, 'ocr']]);
  });
});
