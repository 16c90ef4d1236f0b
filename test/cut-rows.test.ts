import { describe, expect, it } from 'vitest';
import { mapTables } from '../src/normalize/tables.js';
import { T3_HEADER, table, t3Row } from './helpers/tables.js';

/**
 * Rows cut by a page break, as LibreOffice prints a tall row: its top on one page (ruled off as a row of its
 * own), the rest at the head of the next page.
 */
const blank = ['', '', '', '', '', '', ''];

describe('a section 三 row cut by a page break', () => {
  it('joins the label and takes each number from the half that prints it', () => {
    const before = table(5, [
      ...T3_HEADER,
      t3Row([{ t: '三、本年', rs: 2 }, { t: '（一）予以公开', cs: 2 }], [26, 0, 0, 0, 0, 0, 26]),
      [{ t: '（二）部分公开', cs: 2 }, '0', '', '', '', '', '', '0'],
    ]);
    const after = table(6, [
      [{ t: '度办理结果', rs: 2 }, { t: '（区分处理的，只计这一情形，不计其他情形）', cs: 2 }, ...blank],
      t3Row([{ t: '（三）不予公开' }, '1.属于国家秘密'], [3, 0, 0, 0, 0, 0, 3]),
    ]);
    const m = mapTables([before, after]);
    expect(m.cells['t3.partial.natural']).toBe(0);
    expect(m.cells['t3.partial.total']).toBe(0);
    expect(m.provenance['t3.partial.total'].page).toBe(5);
    expect(m.cells['t3.partial.commercial']).toBeNull();
    expect(m.cells['t3.denied.state_secret.total']).toBe(3);
  });

  it('takes the numbers from the half that prints them, above the break or under it', () => {
    const above = table(6, [...T3_HEADER, t3Row(['', '（三）不予公开', '4.保护第三方合法权益'], [1, 0, 0, 0, 0, 0, 1]), ['', '', '5.属于', '2', '', '', '', '', '', '2']]);
    const rest = table(7, [['', '', '三类内部事务信息', ...blank], t3Row(['', '', '6.属于四类过程性信息'], [4, 0, 0, 0, 0, 0, 4])]);
    const m = mapTables([above, rest]);
    expect(m.cells['t3.denied.internal.natural']).toBe(2);
    expect(m.cells['t3.denied.internal.total']).toBe(2);
    expect(m.provenance['t3.denied.internal.total'].page).toBe(6);
    expect(m.cells['t3.denied.process.total']).toBe(4);

    const under = table(7, [['', '', '三类内部事务信息', '5', '0', '0', '0', '0', '0', '5'], t3Row(['', '', '6.属于四类过程性信息'], [4, 0, 0, 0, 0, 0, 4])]);
    const top = table(6, [...T3_HEADER, t3Row(['', '（三）不予公开', '4.保护第三方合法权益'], [1, 0, 0, 0, 0, 0, 1]), ['', '', '5.属于', ...blank]]);
    const n = mapTables([top, under]);
    expect(n.cells['t3.denied.internal.total']).toBe(5);
    expect(n.provenance['t3.denied.internal.total'].page).toBe(7);
  });

  it('keeps two rows apart where both halves print numbers, or the next one opens with its enumerator', () => {
    const before = table(6, [...T3_HEADER, t3Row(['', '（三）不予公开', '4.保护第三方合法权益'], [1, 0, 0, 0, 0, 0, 1])]);
    const after = table(7, [t3Row(['', '', '5.属于三类内部事务信息'], [2, 0, 0, 0, 0, 0, 2])]);
    const m = mapTables([before, after]);
    expect(m.cells['t3.denied.third_party.total']).toBe(1);
    expect(m.cells['t3.denied.internal.total']).toBe(2);
  });

  it('keeps apart a next page whose first label runs into the next row’s (政府信息2.没有现成信息…)', () => {
    // without rules, the rest of the cut label and the blank row after it read as one label
    const before = table(4, [...T3_HEADER, t3Row(['', '（四）无法提供', '1.本机关不掌握相关'], [10, 0, 0, 0, 0, 0, 10])]);
    const after = table(5, [['', '', '政府信息2.没有现成信息需要另行制作', ...blank], t3Row(['', '', '3.补正后申请内容仍不明确'], [0, 0, 0, 0, 0, 0, 0])]);
    const m = mapTables([before, after]);
    expect(m.cells['t3.unable.not_held.natural']).toBe(10);
    expect(m.cells['t3.unable.not_held.total']).toBe(10);
    expect(m.cells['t3.unable.needs_creation.natural'] ?? null).toBeNull();
  });

  it('leaves out the numbers of a label holding two rows’ labels: they are not known to be either’s', () => {
    const t = table(4, [...T3_HEADER, t3Row(['', '（四）无法提供', '1.本机关不掌握相关政府信息2.没有现成信息需要另行制作'], [10, 0, 0, 0, 0, 0, 10])]);
    const m = mapTables([t]);
    expect(Object.keys(m.cells).filter((k) => k.startsWith('t3.unable.'))).toEqual([]);
    expect(m.notes.some((n) => n.code === 'row_unmatched')).toBe(true);
  });
});

describe('a section 四 header cut by a page break', () => {
  it('reads a result label whose characters fall on two pages (总 | 计)', () => {
    const before = table(10, [
      [{ t: '行政复议', cs: 5 }, { t: '行政诉讼', cs: 10 }],
      [{ t: '结果维持', rs: 2 }, { t: '结果纠正', rs: 2 }, { t: '其他结果', rs: 2 }, { t: '尚未审结', rs: 2 }, { t: '总', rs: 2 }, { t: '未经复议直接起诉', cs: 5 }, { t: '复议后起诉', cs: 5 }],
    ]);
    const after = table(11, [
      ['', '', '', '', '计', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
      ['1', '2', '3', '4', '10', '5', '0', '0', '0', '5', '0', '0', '0', '1', '1'],
    ]);
    const m = mapTables([before, after]);
    expect(m.cells['t4.review.total']).toBe(10);
    // Read under its own label, not placed by the official order of the fifteen numbers.
    expect(m.provenance['t4.review.total'].confidence).toBe(1);
    expect(m.cells['t4.review.upheld']).toBe(1);
    expect(m.cells['t4.suit_after_review.pending']).toBe(1);
  });
});
