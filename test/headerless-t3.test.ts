import { describe, expect, it } from 'vitest';
import { CONFIDENCE } from '../src/format/confidence.js';
import { mapTables } from '../src/normalize/tables.js';
import { table, t3Row } from './helpers/tables.js';

/**
 * Section 三's body where its header was not read with it: a page break between them in a table printed
 * without rules (a Word file exported to PDF with its borders lost), so nothing ties the parts into one table.
 */
const body = (rows: [string, number[]][]) => table(4, rows.map(([label, n]) => t3Row([label], n)));

describe('a section 三 body without its header', () => {
  const rows: [string, number[]][] = [
    ['一、本年新收政府信息公开申请数量', [15, 2, 0, 0, 1, 0, 18]],
    ['二、上年结转政府信息公开申请数量', [1, 0, 0, 0, 0, 0, 1]],
    ['（一）予以公开', [4, 1, 0, 0, 0, 0, 5]],
    ['（二）部分公开（区分处理的，只计这一情形，不计其他情形）', [0, 0, 0, 0, 0, 0, 0]],
  ];

  it('takes the format’s columns in their printed order where every row’s last number is the sum of the others', () => {
    const m = mapTables([body(rows)]);
    expect(m.cells['t3.new.natural']).toBe(15);
    expect(m.cells['t3.new.commercial']).toBe(2);
    expect(m.cells['t3.new.legal']).toBe(1);
    expect(m.cells['t3.new.total']).toBe(18);
    expect(m.cells['t3.granted.total']).toBe(5);
    // placed by position, not by a heading: its cells say so
    expect(m.provenance['t3.new.total'].confidence).toBe(CONFIDENCE.positional);
  });

  it('takes nothing where a row does not add up, or the rows that do are all 0', () => {
    const broken = rows.map(([l, n], i): [string, number[]] => [l, i === 2 ? [4, 1, 0, 0, 0, 0, 6] : n]);
    for (const tables of [[body(broken)], [body(rows.map(([l, n]) => [l, n.map(() => 0)]))]]) {
      const m = mapTables(tables);
      expect(Object.keys(m.cells).filter((k) => k.startsWith('t3.'))).toEqual([]);
      expect(m.notes.some((n) => n.code === 'headings_not_recognised' && n.section === 't3')).toBe(true);
    }
  });
});
