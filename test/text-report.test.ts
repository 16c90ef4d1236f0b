import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractFile, extractBytes } from '../src/pipeline/index.js';
import { readText } from '../src/pipeline/text.js';
import { splitRunTogether, t3RowHolds, t4Holds } from '../src/extract/text-split.js';
import { headingColumns, placeByColumns } from '../src/extract/text-columns.js';
import { t3RowsFor } from '../src/format/catalog.js';
import iconv from 'iconv-lite';

const SEED = '../shared/corpus/seed_xiangshan_hrss_2020.txt';
const truth = JSON.parse(readFileSync('../shared/corpus/seed_xiangshan_hrss_2020_txt.json', 'utf8'));
const seedText = readFileSync(SEED, 'utf8');

describe('the seed report as flattened text', () => {
  it('yields every cell of its truth, and nothing else', () => {
    const ex = readText(seedText);
    expect(Object.keys(truth.cells)).toHaveLength(198);
    expect(ex.cells).toEqual(truth.cells);
    expect(ex.notes).toEqual([]);
    expect(ex.meta).toMatchObject({ agency: truth.meta.agency, year: truth.meta.year, format: truth.meta.format });
  });

  it('gives each cell its line and raw token', () => {
    const ex = readText(seedText);
    const lines = seedText.split('\n');
    for (const [key, p] of Object.entries(ex.provenance)) {
      expect(p.via, key).toBe('stream');
      expect(lines[p.line! - 1].split(/\s+/), key).toContain(p.text);
    }
    // 其他对外管理服务事 / 项 8 0 4: the row's numbers sit on the label's second line.
    const prev = ex.provenance['t2.other_service.prev'];
    expect(lines[prev.line! - 1].trim()).toBe('项 8 0 4');
    expect(prev.confidence).toBe(1);
  });

  it('is read through extract as a text record with its narrative warning', async () => {
    const r = await extractFile(SEED);
    expect(r.error).toBeUndefined();
    expect(r.source.kind).toBe('text');
    expect(r.cells).toEqual(truth.cells);
    const sum = r.findings.find((f) => f.rule === 'narrative.sum');
    expect(sum?.severity).toBe('warning');
    expect(sum?.message).toContain('489');
  });

  it('decodes GB18030 text the same as UTF-8', async () => {
    const r = await extractBytes('seed-gbk.txt', iconv.encode(seedText, 'gb18030'));
    expect(r.cells).toEqual(truth.cells);
    expect(r.meta.agency).toBe(truth.meta.agency);
  });
});

describe('digits run together', () => {
  it('cuts a row where its total leaves one way', () => {
    expect(splitRunTogether(['801000081'], 7, t3RowHolds)).toEqual({
      kind: 'unique', values: [80, 1, 0, 0, 0, 0, 81], parts: ['80', '1', '0', '0', '0', '0', '81'],
    });
    // Part of the row separated, part run together.
    expect(splitRunTogether(['12', '30000', '15'], 7, t3RowHolds)).toMatchObject({ values: [12, 3, 0, 0, 0, 0, 15] });
  });

  it('refuses a cut that several ways or none allow', () => {
    // 1|10|0|0|0|0|11 and 11|0|0|0|0|0|11 both add up.
    expect(splitRunTogether(['110000011'], 7, t3RowHolds)).toEqual({ kind: 'ambiguous', count: 2 });
    expect(splitRunTogether(['1234567'], 7, t3RowHolds).kind).toBe('none');
    expect(splitRunTogether(['0012'], 2, () => true).kind).toBe('none'); // 0|012 and 00|12: no number starts with 0
  });

  it('cuts section 四 by its three totals', () => {
    const r = splitRunTogether(['12000120000000000'], 15, t4Holds);
    expect(r).toMatchObject({ kind: 'unique', values: [12, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
    // 10|1|0|0|11 or 1|0|10|0|11 for 行政复议.
    expect(splitRunTogether(['10100110000000000'], 15, t4Holds).kind).toBe('ambiguous');
  });

  const withRow = (row: string) => seedText.replace('（一）予以公开 0 0 0 0 0 0 0', `（一）予以公开 ${row}`);

  it('takes a unique cut in a report, with confidence below 1', () => {
    const ex = readText(withRow('801000081'));
    const keys = ['natural', 'commercial', 'research', 'nonprofit', 'legal', 'other_org', 'total'].map((c) => `t3.granted.${c}`);
    expect(keys.map((k) => ex.cells[k])).toEqual([80, 1, 0, 0, 0, 0, 81]);
    for (const k of keys) {
      expect(ex.provenance[k].confidence).toBeLessThan(1);
      expect(ex.provenance[k].text).toBe('801000081');
    }
    for (const [k, v] of Object.entries(truth.cells)) if (!keys.includes(k)) expect(ex.cells[k], k).toBe(v);
  });

  it('reports an ambiguous row and leaves it out, every other row intact', () => {
    const ex = readText(withRow('110000011'));
    expect(ex.cells['t3.granted.natural']).toBeUndefined();
    expect(ex.notes.map((n) => n.text).join('\n')).toMatch(/（一）予以公开 left out: .*more than one way/);
    const others = Object.entries(truth.cells).filter(([k]) => !k.startsWith('t3.granted.'));
    expect(others).toHaveLength(191);
    for (const [k, v] of others) expect(ex.cells[k], k).toBe(v);
  });

  it('reports a row with a number too many instead of shifting the rows after it', () => {
    const ex = readText(seedText.replace('2.重复申请 0 0 0 0 0 0 0', '2.重复申请 0 0 0 0 0 0 0 0'));
    expect(ex.cells['t3.rejected.duplicate.total']).toBeUndefined();
    expect(ex.notes.map((n) => n.text).join('\n')).toContain('2.重复申请 left out');
    for (const [k, v] of Object.entries(truth.cells)) if (!k.startsWith('t3.rejected.duplicate.')) expect(ex.cells[k], k).toBe(v);
  });
});

describe('layout text: blank cells placed by column position', () => {
  const piece = (text: string, col: number) => ({ kind: 'num' as const, text, line: 1, page: 1, col });
  const head = (text: string, col: number) => ({ kind: 'text' as const, text, line: 1, page: 1, col });

  it('places numbers standing under their headings, the rest blank', () => {
    const cols = headingColumns([0, 6, 12, 18, 24, 30, 36].map((c, i) => head(['自然人', '商业', '科研', '公益', '法律', '其他', '总计'][i], c)), 7)!;
    expect(cols).toHaveLength(7);
    const nums = [piece('3', cols[0]), piece('1', cols[4]), piece('4', cols[6])];
    const placed = placeByColumns(nums, [3, 1, 4], cols, t3RowHolds);
    expect(placed).toEqual({ kind: 'placed', columns: [0, 4, 6], values: [3, null, null, null, 1, null, 4] });
  });

  it('leaves a row out when another column is about as near as the drift of the best one', () => {
    const cols = [31, 36, 38, 40, 42, 44, 53];
    // The total sits 3 characters right of its heading, and the middle number 1 from 其他, 3 from 法律.
    const nums = [piece('3', 31), piece('1', 45), piece('4', 56)];
    expect(placeByColumns(nums, [3, 1, 4], cols, t3RowHolds).kind).toBe('ambiguous');
    // No placement the total allows: not placed.
    expect(placeByColumns([piece('3', 31), piece('5', 56)], [3, 5], cols, t3RowHolds).kind).toBe('none');
  });

  it('reads 四 printed with blank cells under its stacked headings, and an empty 四 as blank', () => {
    const groups = '    行政复议                    行政诉讼';
    const put = (words: (string | null)[]) => words.reduce<string>((line, w, i) => (w ? line.padEnd(i * 5) + w : line), '');
    const l1 = put(Array.from({ length: 3 }, () => ['结果', '结果', '其他', '尚未', '总计']).flat());
    const l2 = put(Array.from({ length: 3 }, () => ['维持', '纠正', '结果', '审结', null]).flat());
    // suit_direct's corrected, other, pending and total: columns 6 to 9, the total one character off.
    const row = put([null, null, null, null, null, null, '1', '1', '2']).padEnd(46) + '4';
    const text = (body: string) => `四、政府信息公开行政复议、行政诉讼情况\n${groups}\n${l1}\n${l2}\n\n${body}\n\n五、存在的主要问题及改进情况\n`;
    const ex = readText(text(row));
    expect(Object.fromEntries(Object.entries(ex.cells).filter(([k]) => k.startsWith('t4.suit_direct')))).toEqual({
      't4.suit_direct.upheld': null, 't4.suit_direct.corrected': 1, 't4.suit_direct.other': 1,
      't4.suit_direct.pending': 2, 't4.suit_direct.total': 4,
    });
    expect(ex.cells['t4.review.total']).toBeNull();
    expect(ex.provenance['t4.suit_direct.total'].confidence).toBeLessThan(1);
    const empty = readText(text('本年度未发生行政复议、行政诉讼。'));
    expect(Object.values(Object.fromEntries(Object.entries(empty.cells).filter(([k]) => k.startsWith('t4.'))))).toEqual(Array(15).fill(null));
  });
});

describe('numbers apart from their labels, read across the rows', () => {
  it('takes the across-rows order where numbers share printed lines, and reports it where nothing decides', () => {
    const [first, second, ...rest] = t3RowsFor(false).map((r) => r.label);
    const zeros = rest.map((l) => `${l} 0 0 0 0 0 0 0`).join('\n');
    // Totals that do not add up (as in a report with planted errors): only the printed lines can tell the order.
    const across = `三、收到和处理政府信息公开申请情况\n${first}\n${second}\n5 1 0 0 0 0 5\n2 0 0 0 0 1 2\n${zeros}\n四、政府信息公开行政复议、行政诉讼情况\n`;
    const ex = readText(across);
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => ex.cells[`t3.new.${['natural', 'commercial', 'research', 'nonprofit', 'legal', 'other_org', 'total'][i]}`])).toEqual([5, 1, 0, 0, 0, 0, 5]);
    expect(ex.cells['t3.carried_in.other_org']).toBe(1);
    expect(ex.provenance['t3.new.total'].confidence).toBeLessThan(1);
    const oneAline = across.replace('5 1 0 0 0 0 5\n2 0 0 0 0 1 2', '5\n1\n0\n0\n0\n0\n5\n2\n0\n0\n0\n0\n1\n2');
    const ex2 = readText(oneAline);
    expect(ex2.cells['t3.new.natural']).toBeUndefined();
    expect(ex2.notes.some((n) => n.text.includes('一、本年新收政府信息公开申请数量'))).toBe(true);
  });
});

describe('layout text: rows of 三 with blank cells placed by headings and the table totals', () => {
  // Stacked one-character headings, as pdftotext -layout prints them, at these character columns.
  const HEADS = [30, 34, 38, 42, 46, 50, 56];
  const stacked = ['自然人', '商业企', '科研机', '社会公', '法律服', '其他', '总计'];
  const headLines = [0, 1, 2].map((k) => stacked.reduce((line, w, i) => (w[k] ? line.padEnd(HEADS[i]) + w[k] : line), ''));
  const COLS = ['natural', 'commercial', 'research', 'nonprofit', 'legal', 'other_org', 'total'];
  /** A section 三 whose listed rows print numbers at the given character columns; `breakBefore` starts a new page. */
  const table = (printed: Record<string, [number, number][]>, breakBefore: string) => {
    const lines = ['三、收到和处理政府信息公开申请情况', ...headLines, ''];
    for (const r of t3RowsFor(false)) {
      const nums = printed[r.id] ?? [];
      lines.push((r.id === breakBefore ? '\f' : '') + nums.reduce((line, [v, at]) => line.padEnd(at) + v, r.label.padEnd(20)).trimEnd());
    }
    return `${lines.join('\n')}\n四、政府信息公开行政复议、行政诉讼情况\n`;
  };
  const row = (ex: ReturnType<typeof readText>, id: string) => COLS.map((c) => ex.cells[`t3.${id}.${c}`]);

  it('places rows the headings and the totals decide, with confidence below 1', () => {
    // 新收 5 (自然人) + 2 (法律服务机构) = 7; （一）予以公开 3 + 2 = 5; on the next page, without headings,
    // 本机关不掌握 2 and （七）总计: their columns follow from 新收 = 总计 and 总计 = the result rows.
    const ex = readText(table({
      new: [[5, 30], [2, 47], [7, 57]],
      granted: [[3, 30], [2, 47], [5, 57]],
      'unable.not_held': [[2, 24], [2, 43]],
      total_handled: [[5, 24], [2, 38], [7, 43]],
    }, 'unable.not_held'));
    expect(row(ex, 'new')).toEqual([5, null, null, null, 2, null, 7]);
    expect(row(ex, 'granted')).toEqual([3, null, null, null, 2, null, 5]);
    expect(row(ex, 'unable.not_held')).toEqual([2, null, null, null, null, null, 2]);
    expect(row(ex, 'total_handled')).toEqual([5, null, null, null, 2, null, 7]);
    expect(row(ex, 'carried_in')).toEqual(Array(7).fill(null));
    for (const c of COLS) expect(ex.provenance[`t3.total_handled.${c}`].confidence).toBeLessThan(1);
    expect(ex.notes.map((n) => n.text).join('\n')).toMatch(/（七）总计: 3 number\(s\) placed among blank cells/);
  });

  it('reads of the rows the headings leave between two columns only the cells every reading agrees on', () => {
    // 2 stands between 法律服务机构 (46) and 其他 (50), within the row's drift of both.
    const ex = readText(table({
      new: [[5, 30], [2, 48], [7, 57]],
      granted: [[3, 30], [2, 48], [5, 57]],
      'unable.not_held': [[2, 24], [2, 43]],
      total_handled: [[5, 24], [2, 38], [7, 43]],
    }, 'unable.not_held'));
    // Either reading puts the first number under 自然人, blanks under the next three and the last under 总计:
    // those are read; 法律服务机构 and 其他 are left out, and the note names the row.
    expect(row(ex, 'new')).toEqual([5, null, null, null, undefined, undefined, 7]);
    expect(row(ex, 'granted')).toEqual([3, null, null, null, undefined, undefined, 5]);
    expect(row(ex, 'total_handled')).toEqual([5, null, null, null, undefined, undefined, 7]);
    for (const id of ['new', 'granted', 'total_handled']) {
      expect(ex.provenance[`t3.${id}.total`].confidence).toBeLessThan(1);
      const label = t3RowsFor(false).find((r) => r.id === id)!.label;
      expect(ex.notes.some((n) => n.code === 'numbers_left_out' && n.section === 't3' && n.row === label && n.text.includes(`row ${label}:`) && n.text.includes('more than one set of columns') && n.text.includes('only 自然人, 商业企业, 科研机构, 社会公益组织, 总计 read'))).toBe(true);
    }
    // Whichever of the two it is, 2 and 2 of 本机关不掌握 can only be 自然人 and 总计.
    expect(row(ex, 'unable.not_held')).toEqual([2, null, null, null, null, null, 2]);
  });

  it('reports every short row where no placement satisfies the totals', () => {
    const ex = readText(table({
      new: [[5, 30], [2, 47], [7, 57]],
      granted: [[3, 30], [2, 47], [5, 57]],
      total_handled: [[6, 24], [2, 38], [8, 43]],
    }, 'total_handled'));
    for (const id of ['new', 'granted', 'total_handled']) expect(row(ex, id)).toEqual(Array(7).fill(undefined));
    expect(ex.notes.filter((n) => n.code === 'numbers_left_out' && n.text.includes('no placement among blank cells'))).toHaveLength(3);
  });
});

describe('raw text: each row\'s first cells with its label, the rest in a block after the last label', () => {
  const rows = t3RowsFor(false);
  // A table whose rows add up: row i has (i + 1) natural, i % 3 legal, and its total.
  const table = rows.map((_, i) => [i + 1, 0, 0, 0, i % 3, 0, i + 1 + (i % 3)]);
  const COLS = ['natural', 'commercial', 'research', 'nonprofit', 'legal', 'other_org', 'total'];
  const text = (t: number[][], k: number) => [
    '三、收到和处理政府信息公开申请情况',
    ...rows.map((r, i) => `${r.label}\n${t[i].slice(0, k).join('\n')}`),
    ...t.flatMap((v) => v.slice(k)),
    '四、政府信息公开行政复议、行政诉讼情况',
  ].join('\n');

  it('reads the rows back where their totals single out how many cells came inline', () => {
    for (const k of [1, 2]) {
      const ex = readText(text(table, k));
      rows.forEach((r, i) => expect(COLS.map((c) => ex.cells[`t3.${r.id}.${c}`]), `k=${k} ${r.id}`).toEqual(table[i]));
      expect(ex.provenance['t3.new.total'].confidence).toBeLessThan(1);
      expect(ex.notes.map((n) => n.text).join('\n')).toContain('the rest in one block');
    }
  });

  it('reports the rows when their totals fit no reading', () => {
    // Totals off by one in every row: no reading adds up, so no row is taken (and none shifted).
    const off = table.map((v) => [...v.slice(0, 6), v[6] + 1]);
    const ex = readText(text(off, 1));
    expect(Object.keys(ex.cells).filter((k) => k.startsWith('t3.'))).toEqual([]);
    expect(ex.notes.some((n) => n.code === 'numbers_left_out' && n.row === '（七）总计' && n.text.includes('（七）总计 left out'))).toBe(true);
  });
});

describe('raw text: section 四 with each group\'s headings wrapped anywhere between its numbers', () => {
  it('reads the three groups through headings cut mid-word (结果维 / 持), and stops at the prose', () => {
    // Reading order of a browser-printed 四: each group's headings, wrapped, then its numbers.
    const heads = ['结果维 结果纠 其他结 尚未审', '持', '正', '果', '结'];
    const text = [
      '四、政府信息公开行政复议、行政诉讼情况', '行政复议', '行政诉讼', ...heads, '3', '1', '1', '0',
      '未经复议直接起诉', '总计', '5', ...heads, '9', '2', '0', '1', '复议后起诉', '总计', '12', ...heads, '0', '0', '0', '0', '总计', '0',
      '本年度发生政府信息公开行政复议案件5件。', '五、存在的主要问题及改进情况', '',
    ].join('\n');
    const ex = readText(text);
    const t4 = Object.entries(ex.cells).filter(([k]) => k.startsWith('t4.')).map(([, v]) => v);
    expect(t4).toEqual([3, 1, 1, 0, 5, 9, 2, 0, 1, 12, 0, 0, 0, 0, 0]);
  });
});
