import { describe, expect, it } from 'vitest';
import { unruledTables } from '../src/extract/unruled.js';
import type { PageContent, TextItem } from '../src/extract/types.js';

/**
 * A table printed without rules (LibreOffice at its wide leading) whose last rows are a row of blank cells,
 * （六）其他处理, and under it a row of numbers whose label lost its enumerator (OCR read （七）总计 as 总计) or was
 * not read at all. The numbers are that row's: never the blank row's above them, whose one-line label ends well
 * short of the label column (a label wraps only where its line is full).
 */
const LABEL_X = 122.4;
const NUMBER_X = [284, 326, 364, 394, 432, 470, 502];
const CHAR = 10.5;

function label(y: number, text: string, x = LABEL_X): TextItem {
  const w = [...text].reduce((s, ch) => s + (/[\x00-\xff]/.test(ch) ? CHAR * 0.6 : CHAR), 0);
  return { text, bbox: [x, y, x + w, y + CHAR + 1], vertical: false };
}
const numbers = (y: number, ns: number[]): TextItem[] =>
  ns.map((n, i) => ({ text: String(n), bbox: [NUMBER_X[i], y, NUMBER_X[i] + 6 * String(n).length, y + 10.3], vertical: false }));

/** Rows above: one with numbers, one whose label wraps (its first line full) with its numbers between the lines. */
const above: TextItem[] = [
  label(300, '（四）无法提供'), ...numbers(300.5, [10, 0, 0, 0, 0, 0, 10]),
  label(330, '（五）申请人逾期未按收费通知'), label(360, '要求缴纳费用'), ...numbers(345, [2, 0, 0, 0, 0, 0, 2]),
  label(390, '（六）其他处理'),
];

const rowsOf = (items: TextItem[]) => {
  const page: PageContent = { page: 5, width: 595, height: 842, segments: [], items };
  const tables = unruledTables(page);
  expect(tables).toHaveLength(1);
  const t = tables[0];
  return Array.from({ length: t.rowCount }, (_, i) => t.cells.filter((c) => c.row0 === i).sort((a, b) => a.x0 - b.x0))
    .map((r) => [r[0].text, r.slice(1).map((c) => c.text).join(' ')]);
};

describe('a row of numbers beside no label of a row above', () => {
  it('keeps the blank row blank and gives the numbers to the label on their line', () => {
    expect(rowsOf([...above, label(418, '总计'), ...numbers(418.5, [15, 0, 0, 0, 0, 0, 15])])).toEqual([
      ['（四）无法提供', '10 0 0 0 0 0 10'],
      ['（五）申请人逾期未按收费通知要求缴纳费用', '2 0 0 0 0 0 2'],
      ['（六）其他处理', '      '],
      ['总计', '15 0 0 0 0 0 15'],
    ]);
  });

  it('gives numbers without any label beside them to no row that has one', () => {
    const rows = rowsOf([...above, ...numbers(418.5, [15, 0, 0, 0, 0, 0, 15])]);
    expect(rows.find((r) => r[0].includes('其他处理'))).toEqual(['（六）其他处理', '      ']);
    expect(rows.find((r) => r[1].startsWith('15'))).toEqual(['', '15 0 0 0 0 0 15']);
  });

  it('still gives numbers centred on a wrapped label of a blank row above to that label', () => {
    const rows = rowsOf([...above, label(418, '（七）本机关不掌握相关政府'), label(448, '信息'), ...numbers(433, [1, 0, 0, 0, 0, 0, 1])]);
    expect(rows[rows.length - 1]).toEqual(['（七）本机关不掌握相关政府信息', '1 0 0 0 0 0 1']);
    expect(rows[rows.length - 2]).toEqual(['（六）其他处理', '      ']);
  });
});
