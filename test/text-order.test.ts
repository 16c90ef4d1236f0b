// Rows read from the order of the numbers alone (src/extract/text-order.ts): small tables of three
// columns whose rows hold a + b = c, with expected values worked out by hand from the printed tables.
import { describe, expect, it } from 'vitest';
import type { RowSpec } from '../src/extract/text-align.js';
import { readByOrder } from '../src/extract/text-order.js';
import type { Piece } from '../src/extract/text-stream.js';

const holds = (v: number[]) => v.length === 3 && v[0] + v[1] === v[2];
const rows = (n: number): RowSpec[] =>
  Array.from({ length: n }, (_, i) => ({ key: `t.r${i}`, label: { id: `r${i}`, label: `row ${i}` }, cols: ['a', 'b', 'sum'], holds }));
const stream = (text: string): Piece[] => text.split(' ').map((t, i) => ({ kind: 'num', text: t, line: i + 1, col: 0 }));
const valuesOf = (r: ReturnType<typeof readByOrder>) => (r.kind === 'read' ? r.rows.map((x) => x?.values ?? null) : r.kind);

describe('reading a table from the order of its numbers', () => {
  it('reads rows across, then a stretch printed down its columns', () => {
    // Printed: [1 2 3] [4 5 9] [2 0 2] [0 3 3]; the last two rows came down their columns: 2 0 | 0 3 | 2 3.
    expect(valuesOf(readByOrder(stream('1 2 3 4 5 9 2 0 0 3 2 3'), rows(4)))).toEqual([
      [1, 2, 3],
      [4, 5, 9],
      [2, 0, 2],
      [0, 3, 3],
    ]);
  });

  it('gives each number its own piece, for the provenance', () => {
    const r = readByOrder(stream('1 2 3 4 5 9 2 0 0 3 2 3'), rows(4));
    expect(r.kind).toBe('read');
    if (r.kind !== 'read') return;
    // The last row, 0 3 3, came down the columns: the stream's 8th, 10th and 12th numbers.
    expect(r.rows[3]!.pieces.map((p) => p.line)).toEqual([8, 10, 12]);
  });

  it('does not take a reading that another, equally valid, contradicts', () => {
    // 1 2 3 | 2 0 2 | 0 3 3 with the last two rows down their columns; but all three rows read down
    // their columns add up too (1 2 3 | 2 0 2 | 3 0 3): the last row is left out.
    expect(valuesOf(readByOrder(stream('1 2 3 2 0 0 3 2 3'), rows(3)))).toEqual([[1, 2, 3], [2, 0, 2], null]);
  });

  it('leaves out a row that two readings fill differently, and keeps the row they agree on', () => {
    // Across: [0 1 1] [2 1 3]. Down the columns: [0 1 1] [1 2 3]. Both add up; only the first row is sure.
    expect(valuesOf(readByOrder(stream('0 1 1 2 1 3'), rows(2)))).toEqual([[0, 1, 1], null]);
  });

  it('lets identities across the rows decide between readings the rows alone cannot', () => {
    // The first column must come to 2 (as 本年新收 + 上年结转 = 总计 + 结转 ties a table's rows): across gives 0 + 2.
    const firstColumnIsTwo = (vs: number[][]) => vs[0][0] + vs[1][0] === 2;
    expect(valuesOf(readByOrder(stream('0 1 1 2 1 3'), rows(2), firstColumnIsTwo))).toEqual([
      [0, 1, 1],
      [2, 1, 3],
    ]);
  });

  it('falls back on the rows alone when no reading satisfies the identities across rows (the report broke them)', () => {
    const never = () => false;
    expect(valuesOf(readByOrder(stream('0 1 1 2 1 3'), rows(2), never))).toEqual([[0, 1, 1], null]);
  });

  it('reads nothing when a number is missing or extra, or when no reading lets every row add up', () => {
    expect(valuesOf(readByOrder(stream('1 2 3 4 5'), rows(2)))).toBe('none');
    expect(valuesOf(readByOrder(stream('1 2 3 4 5 9 1'), rows(2)))).toBe('none');
    expect(valuesOf(readByOrder(stream('1 2 4 4 5 9'), rows(2)))).toBe('none');
  });

  it('reads nothing from placeholders (— / 无): they are not numbers the totals can check', () => {
    expect(valuesOf(readByOrder(stream('1 2 3 — 0 0'), rows(2)))).toBe('none');
  });
});
