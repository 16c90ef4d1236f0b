import { describe, expect, it } from 'vitest';
import { unruledTables } from '../src/extract/unruled.js';
import type { PageContent, TextItem } from '../src/extract/types.js';

/**
 * A table printed without rules at a wide leading, as LibreOffice prints an HTML table whose borders it did not
 * take over: row labels wrapped over up to five lines 28 pt apart, the row's numbers centred on them (between
 * two label lines), so that rows of numbers stand 60–130 pt apart.
 */
const LABEL_X = 172.9;
const NUMBER_X = [284, 326, 364, 394, 432, 470, 502];
const CHAR = 10.5;

/** A label line of runs laid end to end from the label column's edge (each run's width by its characters). */
function labelLine(y: number, ...runs: string[]): TextItem[] {
  let x = LABEL_X;
  return runs.map((text) => {
    const w = [...text].reduce((s, ch) => s + (/[\x00-\xff]/.test(ch) ? CHAR * 0.75 : CHAR), 0);
    const it: TextItem = { text, bbox: [x, y, x + w, y + CHAR], vertical: false };
    x += w;
    return it;
  });
}
const numbers = (y: number, ns: number[]): TextItem[] =>
  ns.map((n, i) => ({ text: String(n), bbox: [NUMBER_X[i], y, NUMBER_X[i] + 6 * String(n).length, y + 12], vertical: false }));

const page: PageContent = {
  page: 4,
  width: 595,
  height: 842,
  segments: [],
  items: [
    ...labelLine(121.8, '4.', '保', '护第三方合法权'), ...labelLine(150.7, '益'), ...numbers(133.9, [1, 0, 0, 0, 0, 0, 1]),
    ...labelLine(180.6, '5.', '属于三类内部事务'), ...labelLine(209.5, '信息'), ...numbers(192.7, [2, 0, 0, 0, 0, 0, 2]),
    ...labelLine(239.5, '1.', '申请人无正当理由'), ...labelLine(267.5, '逾期不补正、行政'), ...labelLine(295.5, '机关不再处理其政'),
    ...labelLine(323.5, '府信息公开申请'), ...numbers(279.5, [25, 2, 0, 0, 6, 1, 34]),
    ...labelLine(353.5, '2.', '申请人逾期未按收'), ...labelLine(381.5, '费通知要求缴纳费'), ...labelLine(409.5, '用、行政机关不再'),
    ...labelLine(437.5, '处理其政府信息公'), ...labelLine(465.5, '开申请'), ...numbers(406.7, [1, 0, 0, 0, 1, 0, 2]),
    ...labelLine(495.4, '3.', '其他'), ...numbers(494.5, [20, 4, 0, 0, 6, 0, 30]),
  ],
};

describe('an unruled table at a wide leading', () => {
  it('reads one table whose rows hold their whole labels, each in reading order', () => {
    const tables = unruledTables(page);
    expect(tables).toHaveLength(1);
    const t = tables[0];
    const rows = Array.from({ length: t.rowCount }, (_, i) => t.cells.filter((c) => c.row0 === i).sort((a, b) => a.x0 - b.x0));
    expect(rows.map((r) => r[0].text)).toEqual([
      '4.保护第三方合法权益',
      '5.属于三类内部事务信息',
      '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请',
      '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
      '3.其他',
    ]);
    expect(rows.map((r) => r.slice(1).map((c) => c.text).join(' '))).toEqual([
      '1 0 0 0 0 0 1', '2 0 0 0 0 0 2', '25 2 0 0 6 1 34', '1 0 0 0 1 0 2', '20 4 0 0 6 0 30',
    ]);
  });
});

describe('rows of blank cells between rows of numbers', () => {
  /** A label line starting left of the leaf labels: a group label (its rows' labels start further right). */
  const groupLine = (y: number, text: string): TextItem[] => [{ text, bbox: [120, y, 120 + CHAR * text.length, y + CHAR], vertical: false }];
  const withBlanks: PageContent = {
    ...page,
    items: [
      ...labelLine(121.8, '1.', '信访举报投诉类申请'), ...numbers(121.3, [3, 0, 0, 0, 0, 0, 3]),
      ...labelLine(149.8, '2.', '重复申请'),
      ...groupLine(163.8, '（五）不'),
      ...labelLine(177.8, '3.', '要求提供公开出版'), ...labelLine(191.8, '物'),
      ...groupLine(198.8, '予处理'),
      ...labelLine(205.8, '4.', '无正当理由大量反复'), ...labelLine(233.8, '申请'), ...numbers(219.5, [1, 0, 0, 0, 0, 0, 1]),
      ...groupLine(261.8, '（六）其他处理'),
    ],
  };
  const rowsOf = () => {
    const tables = unruledTables(withBlanks);
    expect(tables).toHaveLength(1);
    const t = tables[0];
    return Array.from({ length: t.rowCount }, (_, i) => t.cells.filter((c) => c.row0 === i).sort((a, b) => a.x0 - b.x0));
  };

  it('are rows of their own, their cells blank, not read into a neighbour row', () => {
    const rows = rowsOf();
    const leaf = (r: (typeof rows)[number]) => r[0].text.replace(/（五）不|予处理/g, '');
    expect(rows.map(leaf)).toEqual(['1.信访举报投诉类申请', '2.重复申请', '3.要求提供公开出版物', '4.无正当理由大量反复申请', '（六）其他处理']);
    expect(rows.map((r) => r.slice(1).map((c) => c.text).join(' ').trim())).toEqual(['3 0 0 0 0 0 3', '', '', '1 0 0 0 0 0 1', '']);
    expect(rows.every((r) => r.length === 8)).toBe(true);
  });

  it('are told from a group label centred over its rows', () => {
    // （五）不予处理 opens with an enumerator too, but the rows under it start further right: no row of its own.
    const labels = rowsOf().map((r) => r[0].text);
    expect(labels).toHaveLength(5);
    expect(labels.filter((t) => /^(（五）不|予处理|（五）不予处理)$/.test(t))).toEqual([]);
  });
});

describe('prose', () => {
  it('is no table where a justified line ends in a number whose sentence runs on', () => {
    const line = (y: number, text: string, x1: number): TextItem => ({ text, bbox: [78, y, x1, y + 16], vertical: false });
    const prose: PageContent = {
      ...page,
      items: [
        line(599, '2020年，我办共收到政府信息公开申请15件，其中自然人申请', 540),
        line(622, '15件，法人或其他组织申请0件；上年结转0件。已办结15件，', 540),
        line(645, '其中予以公开4件，部分公开1件，不予公开0件，无法提供', 540),
        line(668, '10件，不予处理0件，其他处理0件；结转下年度继续办理', 497),
        { text: '0', bbox: [513, 668, 540, 684], vertical: false },
        line(691, '件。', 110),
      ],
    };
    expect(unruledTables(prose)).toEqual([]);
  });
});
