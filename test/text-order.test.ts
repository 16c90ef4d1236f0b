// Rows read from the order of the numbers alone (src/extract/text-order.ts): small tables of three
// columns whose rows hold a + b = c, with expected values worked out by hand from the printed tables.
import { describe, expect, it } from 'vitest';
import type { RowSpec } from '../src/extract/text-align.js';
import { readByOrder, readInRowOrder } from '../src/extract/text-order.js';
import { readText } from '../src/pipeline/text.js';
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

  it('counts readings by their values: rows of zeros read across or down are one reading', () => {
    // Nine rows of zeros (thousands of ways to cut them into stretches across or down, all giving zeros), then
    // the two rows only the identity across rows tells apart.
    const zeros = Array(27).fill('0').join(' ');
    const tenthAndLastSumToTwo = (vs: number[][]) => vs[9][0] + vs[10][0] === 2;
    expect(valuesOf(readByOrder(stream(`${zeros} 0 1 1 2 1 3`), rows(11), tenthAndLastSumToTwo))).toEqual([
      ...Array(9).fill([0, 0, 0]),
      [0, 1, 1],
      [2, 1, 3],
    ]);
  });

  it('reads a table whose rows do not add up as printed where its identities across the rows single out one reading', () => {
    // Printed: [2 1 4] [1 0 1] [0 2 2] [3 3 7], the last row the sum of the others column by column; the first
    // and last rows do not add up (2 + 1 ≠ 4). No reading lets every row add up; read across, the column sums
    // hold, and no other reading (a stretch down its columns where its rows add up so) keeps them.
    const lastIsSum = (vs: number[][]) => vs[0].every((_, c) => vs[0][c] + vs[1][c] + vs[2][c] === vs[3][c]);
    const r = readByOrder(stream('2 1 4 1 0 1 0 2 2 3 3 7'), rows(4), lastIsSum);
    expect(valuesOf(r)).toEqual([
      [2, 1, 4],
      [1, 0, 1],
      [0, 2, 2],
      [3, 3, 7],
    ]);
    expect(r.kind === 'read' && r.broken).toBe(true);
    // Without the identities across rows, or where no reading satisfies them, nothing is read.
    expect(valuesOf(readByOrder(stream('2 1 4 1 0 1 0 2 2 3 3 7'), rows(4)))).toBe('none');
    expect(valuesOf(readByOrder(stream('2 1 4 1 0 1 0 2 2 3 3 8'), rows(4), lastIsSum))).toBe('none');
  });

  it('reads only the rows agreed on where the rows add up in one reading and the columns in another', () => {
    // [2 1 4] [1 0 1] [3 1 5] [0 0 0], the third row the sum of the first two: read across the columns add up
    // but two rows do not; the first three rows read down their columns all add up, but the columns do not.
    // Either the report broke its rows or its columns: only the rows both readings fill alike are read.
    const thirdIsSum = (vs: number[][]) => vs[0].every((_, c) => vs[0][c] + vs[1][c] === vs[2][c]);
    expect(valuesOf(readByOrder(stream('2 1 4 1 0 1 3 1 5 0 0 0'), rows(4), thirdIsSum))).toEqual([
      null,
      [1, 0, 1],
      null,
      [0, 0, 0],
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

describe('rows without identities (section 二), taken in the rows\' order', () => {
  const t2rows: RowSpec[] = [
    { key: 't.a', label: { id: 'a', label: 'a' }, cols: ['x', 'y', 'z'] },
    { key: 't.b', label: { id: 'b', label: 'b' }, cols: ['x', 'y'] },
  ];
  it('takes the numbers across each row where their count is exactly the cells', () => {
    expect(valuesOf(readInRowOrder(stream('8 0 3 112 0'), t2rows))).toEqual([[8, 0, 3], [112, 0]]);
    expect(valuesOf(readInRowOrder(stream('8 0 3 112'), t2rows))).toBe('none');
  });

  it('fills the rows whose numbers drifted ahead of their labels, where the rows the labels placed agree', () => {
    // Raw reading order of a 2019 section 二: the last two small tables print their numbers before their row labels.
    const text = [
      '二、主动公开政府信息情况', '第二十条第（一）项', '信息内容', '本年新制作数量', '本年新公开数量', '对外公开总数量',
      '规章', '0', '0', '0', '规范性文件', '4', '4', '76', '第二十条第（五）项', '信息内容', '上一年项目数量', '本年增/减', '处理决定数量',
      '行政许可', '10', '1', '1637', '其他对外管理服务事项', '23', '0', '0', '第二十条第（六）项', '信息内容', '上一年项目数量', '本年增/减', '处理决定数量',
      '行政处罚', '11', '1', '262', '行政强制', '8', '0', '3', '第二十条第（八）项', '信息内容', '上一年项目数量', '本年增/减', '2', '0', '行政事业性收费',
      '第二十条第（九）项', '信息内容', '采购项目数量', '采购总金额', '112', '35.5', '政府集中采购', '三、收到和处理政府信息公开申请情况', '',
    ].join('\n');
    const ex = readText(text);
    const t2 = Object.fromEntries(Object.entries(ex.cells).filter(([k]) => k.startsWith('t2.')));
    expect(Object.values(t2)).toEqual([0, 0, 0, 4, 4, 76, 10, 1, 1637, 23, 0, 0, 11, 1, 262, 8, 0, 3, 2, 0, 112, 35.5]);
    const fee = Object.keys(t2).find((k) => k.startsWith('t2.fee'))!;
    expect(ex.provenance[fee].confidence).toBeLessThan(1);
    expect(ex.notes.map((n) => n.text).join('\n')).toMatch(/read from the order of the section's numbers/);
  });
});
