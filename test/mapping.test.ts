import { describe, expect, it } from 'vitest';
import { mapTables } from '../src/normalize/tables.js';
import { T3_HEADER, table, t3Row, type Spec } from './helpers/tables.js';

const seven = (total: number, natural = total): number[] => [natural, total - natural, 0, 0, 0, 0, total];

/** Section 三 with the given rows after the header, in one table on page 3. */
const t3 = (rows: Spec[][]) => table(3, [...T3_HEADER, ...rows]);

const T4 = table(4, [
  [{ t: '行政复议', cs: 5 }, { t: '行政诉讼', cs: 10 }],
  [{ t: '结果维持', rs: 2 }, { t: '结果纠正', rs: 2 }, { t: '其他结果', rs: 2 }, { t: '尚未审结', rs: 2 }, { t: '总计', rs: 2 }, { t: '未经复议直接起诉', cs: 5 }, { t: '复议后起诉', cs: 5 }],
  ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
  ['1', '2', '3', '4', '10', '5', '0', '0', '0', '5', '0', '0', '0', '1', '1'],
]);

describe('section 三', () => {
  it('maps columns by header label and rows by label, not by position', () => {
    const m = mapTables([t3([t3Row([{ t: '一、本年新收政府信息公开申请数量', cs: 3 }], seven(12, 10)), t3Row([{ t: '二、上年结转政府信息公开申请数量', cs: 3 }], seven(3))])]);
    expect(m.cells['t3.new.natural']).toBe(10);
    expect(m.cells['t3.new.commercial']).toBe(2);
    expect(m.cells['t3.new.total']).toBe(12);
    expect(m.cells['t3.carried_in.total']).toBe(3);
    expect(m.provenance['t3.new.total']).toMatchObject({ page: 3, text: '12', confidence: 1, via: 'text' });
  });

  it('lands a truncated label (2.其他法律行政止公开) with lowered confidence and the printed label', () => {
    const m = mapTables([t3([
      t3Row([{ t: '三、本年度办理结果', rs: 2 }, { t: '（三）不予公开', rs: 2 }, '1.属于国家秘密'], seven(1)),
      t3Row(['2.其他法律行政止公开'], seven(4)),
    ])]);
    expect(m.cells['t3.denied.state_secret.total']).toBe(1);
    expect(m.cells['t3.denied.law_prohibited.total']).toBe(4);
    expect(m.provenance['t3.denied.law_prohibited.total'].label).toBe('2.其他法律行政止公开');
    expect(m.provenance['t3.denied.law_prohibited.total'].confidence).toBeLessThan(1);
    expect(m.provenance['t3.denied.state_secret.total'].confidence).toBe(1);
  });

  it('reports a row whose label matches nothing instead of guessing', () => {
    const m = mapTables([t3([t3Row([{ t: '一、本年新收政府信息公开申请数量', cs: 3 }], seven(5)), t3Row([{ t: '附加统计项目', cs: 3 }], seven(9))])]);
    expect(Object.values(m.cells)).not.toContain(9);
    expect(m.notes.map((n) => n.text).join('\n')).toContain('附加统计项目');
  });

  it('keeps blanks as null with the printed placeholder', () => {
    const m = mapTables([t3([[{ t: '一、本年新收政府信息公开申请数量', cs: 3 }, '—', '', '无', '/', '0', '0', '１，２３４']])]);
    expect(m.cells['t3.new.natural']).toBeNull();
    expect(m.provenance['t3.new.natural'].text).toBe('—');
    expect(m.cells['t3.new.commercial']).toBeNull();
    expect(m.cells['t3.new.research']).toBeNull();
    expect(m.cells['t3.new.total']).toBe(1234);
  });

  it('tells a split （六） from a single row', () => {
    const split = mapTables([t3([
      t3Row([{ t: '三、本年度办理结果', rs: 4 }, { t: '（六）其他处理', rs: 3 }, '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请'], seven(1)),
      t3Row(['2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请'], seven(2)),
      t3Row(['3.其他'], seven(3)),
      t3Row([{ t: '（七）总计', cs: 2 }], seven(6)),
    ])]);
    expect(split.cells['t3.other.no_correction.total']).toBe(1);
    expect(split.cells['t3.other.no_fee.total']).toBe(2);
    expect(split.cells['t3.other.misc.total']).toBe(3);
    expect(split.cells['t3.total_handled.total']).toBe(6);
    expect('t3.other.total' in split.cells).toBe(false);
    expect(split.layout?.otherSplit).toBe(true);

    const single = mapTables([t3([t3Row([{ t: '', rs: 2 }, { t: '（六）其他处理', cs: 2 }], seven(4)), t3Row([{ t: '（七）总计', cs: 2 }], seven(4))])]);
    expect(single.cells['t3.other.total']).toBe(4);
    expect(single.layout?.otherSplit).toBe(false);
  });

  it('continues a table across a page break without a repeated header', () => {
    const first = t3([t3Row(['', '（四）无法提供', '1.本机关不掌握相关政府信息'], seven(7))]);
    const next = table(4, [t3Row(['', '', '2.没有现成信息需要另行制作'], seven(8)), t3Row([{ t: '四、结转下年度继续办理', cs: 3 }], seven(2))]);
    const m = mapTables([first, next]);
    expect(m.cells['t3.unable.not_held.total']).toBe(7);
    expect(m.cells['t3.unable.needs_creation.total']).toBe(8);
    expect(m.provenance['t3.unable.needs_creation.total'].page).toBe(4);
    expect(m.cells['t3.carried_out.total']).toBe(2);
  });
});

describe('headers that cannot be read (OCR)', () => {
  it('places a column whose header is garbled by its official position, with lowered confidence', () => {
    const header = T3_HEADER.map((r) => r.map((c) => (c === '科研机构' ? '科研杋枃' : c)));
    const m = mapTables([table(3, [...header, t3Row([{ t: '一、本年新收政府信息公开申请数量', cs: 3 }], [5, 1, 2, 0, 0, 0, 8])])]);
    expect(m.cells['t3.new.research']).toBe(2);
    expect(m.provenance['t3.new.research'].confidence).toBeLessThan(1);
    expect(m.provenance['t3.new.natural'].confidence).toBe(1);
  });
  it('does not place by position when the body does not have the official number of columns', () => {
    const header = T3_HEADER.map((r) => r.map((c) => (c === '科研机构' ? '科研杋枃' : c)));
    const m = mapTables([table(3, [...header, [{ t: '一、本年新收政府信息公开申请数量', cs: 3 }, '5', '1', '', '0', '0', '0', '8']])]);
    expect('t3.new.research' in m.cells).toBe(false);
  });
  it('places a garbled section 四 result by the official order of the fifteen numbers', () => {
    const garbled = table(4, [
      [{ t: '行政复议', cs: 5 }, { t: '行政诉讼', cs: 10 }],
      [{ t: '结果维持', rs: 2 }, { t: '结果纠正', rs: 2 }, { t: '其他结果', rs: 2 }, { t: '尚未审结', rs: 2 }, { t: '总计', rs: 2 }, { t: '未经复议直接起诉', cs: 5 }, { t: '夏议后趣诉', cs: 5 }],
      ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计', '结果维持', '结果纠正', '其他结果', '尚未审结', '总计'],
      ['1', '2', '3', '4', '10', '5', '0', '0', '0', '5', '0', '0', '0', '1', '1'],
    ]);
    const m = mapTables([garbled]);
    expect(m.cells['t4.suit_after_review.pending']).toBe(1);
    expect(m.provenance['t4.suit_after_review.pending'].confidence).toBeLessThan(1);
    expect(m.provenance['t4.review.total'].confidence).toBe(1);
  });
});

describe('section 四', () => {
  it('maps each number under its group and result header', () => {
    const m = mapTables([T4]);
    expect(m.cells['t4.review.upheld']).toBe(1);
    expect(m.cells['t4.review.total']).toBe(10);
    expect(m.cells['t4.suit_direct.upheld']).toBe(5);
    expect(m.cells['t4.suit_after_review.pending']).toBe(1);
    expect(Object.keys(m.cells).filter((k) => k.startsWith('t4.'))).toHaveLength(15);
  });
});

describe('section 二 and the format', () => {
  const t2in2021 = table(2, [
    [{ t: '第二十条第（一）项', cs: 4 }],
    ['信息内容', '本年制发件数', '本年废止件数', '现行有效件数'],
    ['规章', '0', '0', '3'],
    ['行政规范性文件', '2', '1', '30'],
    [{ t: '第二十条第（八）项', cs: 4 }],
    ['信息内容', { t: '本年收费金额（单位：万元）', cs: 3 }],
    ['行政事业性收费', { t: '7,730.28', cs: 3 }],
  ]);
  it('reads the 2021 table and keeps decimals of amounts', () => {
    const m = mapTables([t2in2021]);
    expect(m.cells['t2.normative.in_force']).toBe(30);
    expect(m.cells['t2.regulation.in_force']).toBe(3);
    expect(m.cells['t2.fee.amount']).toBe(7730.28);
    expect(m.layout?.t2).toBe('2021');
  });
  it('calls a 2021 table 二 with a single （六） row hybrid, and both new ones 2021', () => {
    const single = t3([t3Row(['', { t: '（六）其他处理', cs: 2 }], seven(4))]);
    expect(mapTables([t2in2021, single]).format).toBe('hybrid');
    const split = t3([t3Row(['', '（六）其他处理', '3.其他'], seven(4))]);
    expect(mapTables([t2in2021, split]).format).toBe('2021');
  });
  it('reads the 2019 table with its prev/change columns, and a negative change', () => {
    const m = mapTables([
      table(2, [
        ['信息内容', '上一年项目数量', '本年增/减', '处理决定数量'],
        ['行政许可', '10', '-2', '1637'],
        ['其他对外管理服务事项', '23', '0', '0'],
      ]),
    ]);
    expect(m.cells['t2.license.change']).toBe(-2);
    expect(m.cells['t2.other_service.prev']).toBe(23);
    expect(m.layout?.t2).toBe('2019');
  });
});
