import { describe, expect, it } from 'vitest';
import { documentTables } from '../src/extract/pdf-reading.js';
import type { PageContent, Segment, TextItem } from '../src/extract/types.js';
import { mapTables } from '../src/normalize/tables.js';
import { T3_HEADER, placeSpecs, table, t3Row, type Spec } from './helpers/tables.js';

/**
 * Tables as browsers print them across page breaks (issue 15), on hand-made pages: each cell drawn with its
 * four rules, as a browser draws collapsed borders, and a row cut by a page break sliced: its first part has
 * no rule under it, its rest on the next page no rule over it.
 */
const COL = 40;
const ROW = 20;
const LEFT = 50;
const TOP = 60;

/** `open`: the outer rule above the first row or under the last not drawn; `frameless`: no outer rule at all. */
function ruledPage(page: number, rows: Spec[][], open: { top?: boolean; bottom?: boolean; frameless?: boolean } = {}): PageContent {
  const items: TextItem[] = [];
  const all: Segment[] = [];
  const last = rows.length;
  for (const { t, r, c, cs, rs } of placeSpecs(rows)) {
    const [x0, y0, x1, y1] = [LEFT + c * COL, TOP + r * ROW, LEFT + (c + cs) * COL, TOP + (r + rs) * ROW];
    if (t) items.push({ text: t, bbox: [x0 + 2, (y0 + y1) / 2 - 4, x1 - 2, (y0 + y1) / 2 + 4], vertical: false });
    all.push({ orient: 'v', at: x0, from: y0, to: y1 }, { orient: 'v', at: x1, from: y0, to: y1 });
    if (!(open.top && r === 0)) all.push({ orient: 'h', at: y0, from: x0, to: x1 });
    if (!(open.bottom && r + rs === last)) all.push({ orient: 'h', at: y1, from: x0, to: x1 });
  }
  const [left, right] = [LEFT, Math.max(...all.map((g) => (g.orient === 'v' ? g.at : g.to)))];
  const [top, bottom] = [TOP, TOP + last * ROW];
  const outer = (g: Segment) => (g.orient === 'v' ? g.at === left || g.at === right : g.at === top || g.at === bottom);
  const segments = open.frameless ? all.filter((g) => !outer(g)) : all;
  return { page, width: 800, height: 800, items, segments };
}

const seven = (total: number, natural = total): string[] => [natural, total - natural, 0, 0, 0, 0, total].map(String);
const T3_COLUMN_ROW: Spec[] = [{ t: '', cs: 3 }, '自然人', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', '总计'];

describe('a row cut by a page break (classes 1 and 2)', () => {
  it('joins the two parts of a cut row: its label reads whole, its numbers stay under their columns', () => {
    const first = ruledPage(4, [
      T3_COLUMN_ROW,
      [{ t: '三、本年度办理结果', rs: 2 }, { t: '（六）其他处理', rs: 2 }, '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', ...seven(3, 2)],
      ['2.申请人逾期', ...seven(5, 4)],
    ], { bottom: true });
    // The rest: the label's end, cells without numbers; the group columns go on without text.
    const rest = ruledPage(5, [
      [{ t: '', rs: 2 }, { t: '', rs: 2 }, '未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', '', '', '', '', '', '', ''],
      ['3.其他', ...seven(1)],
      [{ t: '四、结转下年度继续办理', cs: 3 }, ...seven(0)],
    ], { top: true });
    const tables = documentTables([first, rest]);
    expect(tables).toHaveLength(1);
    const m = mapTables(tables);
    expect(m.cells['t3.other.no_fee.natural']).toBe(4);
    expect(m.cells['t3.other.no_fee.commercial']).toBe(1);
    expect(m.cells['t3.other.no_fee.total']).toBe(5);
    expect(m.provenance['t3.other.no_fee.total'].page).toBe(4);
    expect(m.cells['t3.other.misc.total']).toBe(1);
    expect(m.provenance['t3.other.misc.total'].page).toBe(5);
    expect(m.cells['t3.carried_out.total']).toBe(0);
    expect(m.notes.map((n) => n.text).join('\n')).not.toContain('matches no official row');
  });

  it('keeps the group label over the break, whole, where the break cut it too', () => {
    const first = ruledPage(4, [
      T3_COLUMN_ROW,
      [{ t: '一、本年新收政府信息公开申请数量', cs: 3 }, ...seven(9)],
      [{ t: '三、本年', rs: 2 }, { t: '（一）予以公开', cs: 2 }, ...seven(6)],
      [{ t: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）', cs: 2 }, ...seven(1)],
    ], { bottom: true });
    const rest = ruledPage(5, [
      [{ t: '度办理结果', rs: 2 }, { t: '', cs: 2 }, '', '', '', '', '', '', ''],
      [{ t: '（七）总计', cs: 2 }, ...seven(7)],
    ], { top: true });
    const tables = documentTables([first, rest]);
    expect(tables).toHaveLength(1);
    expect(tables[0].cells.some((c) => c.text === '三、本年度办理结果')).toBe(true);
    const m = mapTables(tables);
    expect(m.cells['t3.partial.total']).toBe(1);
    expect(m.cells['t3.total_handled.total']).toBe(7);
  });

  it('counts a group label printed again on the rest of its cut cell once', () => {
    const first = ruledPage(4, [
      T3_COLUMN_ROW,
      [{ t: '三、本年度办理结果', rs: 2 }, { t: '（三）不予公开', rs: 2 }, '1.属于国家秘密', ...seven(2)],
      ['2.其他法律行政法规禁止公开', ...seven(3)],
    ], { bottom: true });
    const rest = ruledPage(5, [
      [{ t: '三、本年度办理结果', rs: 2 }, { t: '（三）不予公开', rs: 2 }, '', '', '', '', '', '', '', ''],
      ['3.危及“三安全一稳定”', ...seven(4)],
    ], { top: true });
    const tables = documentTables([first, rest]);
    expect(tables[0].cells.filter((c) => c.text === '（三）不予公开')).toHaveLength(1);
    const m = mapTables(tables);
    expect(m.cells['t3.denied.law_prohibited.total']).toBe(3);
    expect(m.cells['t3.denied.security.total']).toBe(4);
    expect(m.provenance['t3.denied.security.total'].confidence).toBe(1);
  });

  it('does not join tables whose rules are closed, nor parts whose columns do not line up', () => {
    const closed = documentTables([ruledPage(4, [T3_COLUMN_ROW, [{ t: '一、本年新收政府信息公开申请数量', cs: 3 }, ...seven(9)]]), ruledPage(5, [['信息内容', '本年处理决定数量']])]);
    expect(closed).toHaveLength(2);
    const first = ruledPage(4, [['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'], ['规章', '1', '0', '1']], { bottom: true });
    const other = ruledPage(5, [[{ t: '行政复议', cs: 5 }], ['1', '0', '0', '0', '1']], { top: true });
    expect(documentTables([first, other])).toHaveLength(2);
  });

  it('does not join tables printed without a frame, nor a "cut" with a number on both sides', () => {
    // Section 二's rows on two pages, a blank cell (a producer that leaves zeros blank) first on the second.
    const penalty: Spec[][] = [['信息内容', { t: '本年处理决定数量', cs: 2 }], ['行政处罚', { t: '5', cs: 2 }]];
    const coercion: Spec[][] = [['行政强制', { t: '', cs: 2 }], ['信息内容', { t: '本年收费金额（单位：万元）', cs: 2 }], ['行政事业性收费', { t: '2', cs: 2 }]];
    const frameless = documentTables([ruledPage(3, penalty, { frameless: true }), ruledPage(4, coercion, { frameless: true })]);
    expect(frameless).toHaveLength(2);
    const m = mapTables(frameless);
    expect(m.cells['t2.penalty.decisions']).toBe(5);
    expect(m.cells['t2.coercion.decisions']).toBeNull();
    expect(m.cells['t2.fee.amount']).toBe(2);
    const numbers = documentTables([
      ruledPage(4, [T3_COLUMN_ROW, [{ t: '一、本年新收政府信息公开申请数量', cs: 3 }, ...seven(9)]], { bottom: true }),
      ruledPage(5, [[{ t: '', cs: 3 }, ...seven(2)], [{ t: '四、结转下年度继续办理', cs: 3 }, ...seven(0)]], { top: true }),
    ]);
    expect(numbers).toHaveLength(2);
  });

  it('takes a continuation with the header printed again, or its last header row alone, as the same table', () => {
    const top = table(3, [...T3_HEADER, t3Row([{ t: '一、本年新收政府信息公开申请数量', cs: 3 }], seven(9).map(Number))]);
    const again = table(4, [...T3_HEADER, t3Row([{ t: '四、结转下年度继续办理', cs: 3 }], seven(2).map(Number))]);
    const lastRowOnly = table(4, [[{ t: '', cs: 3 }, '', ...T3_HEADER[2], ''], t3Row([{ t: '四、结转下年度继续办理', cs: 3 }], seven(2).map(Number))]);
    for (const next of [again, lastRowOnly]) {
      const m = mapTables([top, next]);
      expect(m.cells['t3.new.total']).toBe(9);
      expect(m.cells['t3.carried_out.natural']).toBe(2);
      expect(m.cells['t3.carried_out.total']).toBe(2);
    }
  });
});

describe('sections from the tables themselves (class 3)', () => {
  const t2 = table(2, [['信息内容', { t: '本年收费金额（单位：万元）', cs: 3 }], ['行政事业性收费', { t: '0', cs: 3 }]]);
  it('reads section 三 whose header a page break parts, after section 二: its row labels are section 三\'s', () => {
    // The header's first rows end one page; its last row, over the five 法人 columns, starts the next.
    const headerPart = table(3, [
      [{ t: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', cs: 3, rs: 2 }, { t: '申请人情况', cs: 7 }],
      ['自然人', { t: '法人或其他组织', cs: 5 }, '总计'],
    ]);
    const rest = table(4, [
      [{ t: '', cs: 3 }, '', '商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他', ''],
      [{ t: '一、本年新收政府信息公开申请数量', cs: 3 }, '26', '', '', '', '', '', '26'],
      [{ t: '二、上年结转政府信息公开申请数量', cs: 3 }, '0', '', '', '', '', '', '0'],
    ]);
    const m = mapTables([t2, headerPart, rest]);
    expect(m.cells['t3.new.natural']).toBe(26);
    expect(m.cells['t3.new.commercial']).toBeNull();
    expect(m.cells['t3.new.total']).toBe(26);
    expect(m.cells['t3.carried_in.total']).toBe(0);
    expect(m.notes.map((n) => n.text).join('\n')).not.toContain('section 二');
  });

  it('names a body of section 三 without any header as section 三\'s, never section 二\'s', () => {
    const body = table(3, [t3Row([{ t: '一、本年新收政府信息公开申请数量', cs: 3 }], seven(26).map(Number))]);
    const m = mapTables([t2, body]);
    expect(Object.keys(m.cells).filter((k) => k.startsWith('t3.'))).toHaveLength(0);
    expect(m.notes.map((n) => n.text).join('\n')).toContain('section 三 without its column header');
    expect(m.notes.map((n) => n.text).join('\n')).not.toContain('section 二');
  });
});

describe('section 四 cut by a page break (class 4)', () => {
  const header: Spec[][] = [
    [{ t: '行政复议', cs: 5 }, { t: '行政诉讼', cs: 10 }],
    [{ t: '结果维持', rs: 2 }, { t: '结果纠正', rs: 2 }, { t: '其他结果', rs: 2 }, { t: '尚未审结', rs: 2 }, { t: '总计', rs: 2 }, { t: '未经复议直接起诉', cs: 5 }, { t: '复议后起诉', cs: 5 }],
  ];
  const numbers = ['1', '2', '3', '4', '10', '5', '0', '0', '0', '5', '0', '0', '0', '1', '1'];
  it('reads the header cut inside its last row, and its numbers on the next page', () => {
    // 结果|维持: each result's label cut in two by the break.
    const first = ruledPage(6, [...header, ['结果', '结果', '其他', '尚未', '总计', '结果', '结果', '其他', '尚未', '总计']], { bottom: true });
    const rest = ruledPage(7, [['', '', '', '', '', '维持', '纠正', '结果', '审结', '', '维持', '纠正', '结果', '审结', ''], numbers], { top: true });
    const m = mapTables(documentTables([first, rest]));
    expect(m.cells['t4.review.upheld']).toBe(1);
    expect(m.cells['t4.review.total']).toBe(10);
    expect(m.cells['t4.suit_direct.upheld']).toBe(5);
    expect(m.cells['t4.suit_direct.total']).toBe(5);
    expect(m.cells['t4.suit_after_review.pending']).toBe(1);
    expect(m.provenance['t4.suit_after_review.pending'].page).toBe(7);
    expect(Object.keys(m.cells).filter((k) => k.startsWith('t4.'))).toHaveLength(15);
    expect(m.notes.map((n) => n.text).join('\n')).not.toContain('no row of numbers');
  });
});
