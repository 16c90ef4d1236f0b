import { describe, expect, it } from 'vitest';
import { keysFor, type T2Format } from '../src/format/catalog.js';
import { validate, RULES } from '../src/validate/index.js';
import { agencyLevel } from '../src/validate/rules/t2.js';
import type { Finding, Provenance, ReportRecord } from '../src/record/schema.js';

/** Each rule on small hand-made records: passing, failing, blank, missing, both formats, split and single （六）. */

interface Opts {
  t2?: T2Format;
  split?: boolean;
  year?: number;
  agency?: string;
  cells?: Record<string, number | null>;
  drop?: (key: string) => boolean;
  text?: string[];
  provenance?: Record<string, Partial<Provenance>>;
}

/** A consistent report: every cell 0, then the given cells. */
function record(o: Opts = {}): ReportRecord {
  const t2 = o.t2 ?? '2021';
  const split = o.split ?? t2 === '2021';
  const cells: Record<string, number | null> = {};
  for (const k of keysFor({ t2, otherSplit: split })) if (!o.drop?.(k)) cells[k] = 0;
  Object.assign(cells, o.cells);
  const provenance: Record<string, Provenance> = {};
  for (const [k, v] of Object.entries(cells)) provenance[k] = { page: 3, text: v === null ? '' : String(v), confidence: 1, via: 'text', ...o.provenance?.[k] };
  return {
    file: 'hand.pdf',
    source: { path: 'hand.pdf', sha256: 'x', bytes: 1, pages: 1, kind: 'pdf', ocr: false },
    meta: { title: null, agency: o.agency ?? '某市某局', year: o.year ?? (t2 === '2021' ? 2022 : 2020), format: t2 === '2021' && split ? '2021' : t2 === '2019' && !split ? '2019' : 'hybrid' },
    cells,
    provenance,
    findings: [],
    ...(o.text ? { text: { pages: o.text } } : {}),
  };
}

const of = (fs: Finding[], rule: string) => fs.filter((f) => f.rule === rule);
const run = (o: Opts) => validate(record(o));

/** Applications handled in the natural-person column: a balanced table 三 with n of them granted. */
const granted = (n: number, col = 'natural') => ({
  [`t3.new.${col}`]: n,
  't3.new.total': n,
  [`t3.granted.${col}`]: n,
  't3.granted.total': n,
  [`t3.total_handled.${col}`]: n,
  't3.total_handled.total': n,
});

describe('rules table', () => {
  it('has every rule of the spec once, each with a description and a pure check', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['t3.balance', 't3.results', 't3.columns', 't4.sum', 'cell.blank', 'cell.value', 't2.published', 'format.year', 'structure.missing', 'structure.sections', 'structure.label', 't2.stock', 't2.regulation_scope', 'format.basis', 'narrative.period', 'narrative.table', 'narrative.sum']) {
      expect(ids).toContain(id);
    }
    expect(ids[0]).toBe('cell.blank');
    for (const r of RULES) expect(r.description.length).toBeGreaterThan(10);
  });

  it('finds nothing on a consistent report of either format', () => {
    expect(run({ t2: '2021', cells: granted(4) })).toEqual([]);
    expect(run({ t2: '2019', cells: granted(4) })).toEqual([]);
  });
});

describe('t3.balance', () => {
  it('fails when 新收 + 上年结转 ≠ 办结 + 结转下年度, naming the four cells', () => {
    const fs = of(run({ cells: { ...granted(4), 't3.carried_out.natural': 2, 't3.carried_out.total': 2 } }), 't3.balance');
    expect(fs.map((f) => f.keys[0])).toEqual(['t3.new.natural', 't3.new.total']);
    expect(fs[1]).toMatchObject({ severity: 'error', origin: 'source', expected: 4, actual: 6, page: 3 });
    expect(fs[1].keys).toEqual(['t3.new.total', 't3.carried_in.total', 't3.total_handled.total', 't3.carried_out.total']);
    expect(fs[1].message).toContain('结转下年度继续办理 2');
  });

  it('counts blanks as 0 once reported, and yields nothing when its cells are missing', () => {
    const blank = run({ cells: { ...granted(4), 't3.carried_in.natural': null, 't3.carried_in.total': null } });
    expect(of(blank, 't3.balance')).toEqual([]);
    expect(of(blank, 'cell.blank')[0].keys).toEqual(['t3.carried_in.natural', 't3.carried_in.total']);
    const gone = run({ drop: (k) => k.startsWith('t3.') });
    expect(gone.filter((f) => f.rule.startsWith('t3.'))).toEqual([]);
  });
});

describe('t3.results', () => {
  it('adds （六） as one row in the 2019 format', () => {
    const ok = { ...granted(3), 't3.new.natural': 5, 't3.new.total': 5, 't3.other.natural': 2, 't3.other.total': 2, 't3.total_handled.natural': 5, 't3.total_handled.total': 5 };
    expect(run({ t2: '2019', cells: ok })).toEqual([]);
    const fs = of(run({ t2: '2019', cells: { ...ok, 't3.other.natural': 1, 't3.other.total': 1 } }), 't3.results');
    expect(fs).toHaveLength(2);
    expect(fs[0].keys).toContain('t3.other.natural');
    expect(fs[0]).toMatchObject({ expected: 4, actual: 5 });
  });

  it('adds （六） as its three parts where split (2021), and accepts a 2021 report with a single （六）', () => {
    const split = { ...granted(3), 't3.new.natural': 6, 't3.new.total': 6, 't3.other.no_fee.natural': 1, 't3.other.no_fee.total': 1, 't3.other.misc.natural': 2, 't3.other.misc.total': 2, 't3.total_handled.natural': 6, 't3.total_handled.total': 6 };
    expect(run({ t2: '2021', split: true, cells: split })).toEqual([]);
    const fs = of(run({ t2: '2021', split: true, cells: { ...split, 't3.other.misc.natural': 0, 't3.other.misc.total': 0 } }), 't3.results');
    expect(fs[0].keys).toEqual(expect.arrayContaining(['t3.other.no_correction.natural', 't3.other.no_fee.natural', 't3.other.misc.natural']));
    expect(fs[0].keys).not.toContain('t3.other.natural');
    const single = run({ t2: '2021', split: false, cells: { ...granted(3), 't3.new.natural': 5, 't3.new.total': 5, 't3.other.natural': 2, 't3.other.total': 2, 't3.total_handled.natural': 5, 't3.total_handled.total': 5 } });
    expect(single.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(of(single, 'format.year')[0].severity).toBe('info');
  });

  it('folds zero parts of a long sum into a count', () => {
    const fs = of(run({ cells: { ...granted(4), 't3.total_handled.natural': 5, 't3.total_handled.total': 5, 't3.new.natural': 5, 't3.new.total': 5 } }), 't3.results');
    expect(fs[0].message).toMatch(/^表三「自然人」列 办理结果总计 5 ≠ 予以公开 4（其余 \d+ 项为 0） = 4$/);
  });
});

describe('t3.columns', () => {
  it('fails when a row total is not the sum of the applicant columns', () => {
    const fs = of(run({ cells: { ...granted(4), 't3.granted.total': 3, 't3.total_handled.total': 3, 't3.new.total': 3 } }), 't3.columns');
    expect(fs.map((f) => f.keys[0])).toEqual(['t3.new.total', 't3.granted.total', 't3.total_handled.total']);
    expect(fs[1].keys).toHaveLength(7);
    expect(fs[1].message).toBe('表三「予以公开」行 总计 3 ≠ 自然人 4 + 商业企业 0 + 科研机构 0 + 社会公益组织 0 + 法律服务机构 0 + 其他 0 = 4');
  });
});

describe('t4.sum', () => {
  it('writes the identity the way the report prints it', () => {
    const fs = of(run({ cells: { 't4.review.upheld': 10, 't4.review.corrected': 1 } }), 't4.sum');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ rule: 't4.sum', severity: 'error', expected: 11, actual: 0, origin: 'source' });
    expect(fs[0].message).toBe('行政复议 总计 0 ≠ 维持 10 + 纠正 1 + 其他 0 + 尚未审结 0 = 11');
    expect(fs[0].keys).toEqual(['t4.review.total', 't4.review.upheld', 't4.review.corrected', 't4.review.other', 't4.review.pending']);
  });

  it('passes with blanks once reported, and yields nothing when table 四 is missing (structure.missing does)', () => {
    const blanks = run({ cells: { 't4.review.upheld': null, 't4.review.other': 2, 't4.review.total': 2 } });
    expect(of(blanks, 't4.sum')).toEqual([]);
    expect(of(blanks, 'cell.blank')).toHaveLength(1);
    const gone = run({ drop: (k) => k.startsWith('t4.') });
    expect(of(gone, 't4.sum')).toEqual([]);
    expect(of(gone, 'structure.missing')[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('表四') });
  });
});

describe('origin', () => {
  it('is extraction when any cell involved was read with confidence below 1 or by OCR, unknown without provenance', () => {
    const cells = { 't4.review.upheld': 10, 't4.review.corrected': 1 };
    expect(of(run({ cells, provenance: { 't4.review.upheld': { confidence: 0.7 } } }), 't4.sum')[0].origin).toBe('extraction');
    expect(of(run({ cells, provenance: { 't4.review.total': { via: 'ocr' } } }), 't4.sum')[0].origin).toBe('extraction');
    const r = record({ cells });
    delete r.provenance['t4.review.pending'];
    expect(of(validate(r), 't4.sum')[0].origin).toBe('unknown');
  });
});

describe('cell.blank and cell.value', () => {
  it('reports blanks once per row, with every blank cell', () => {
    const fs = of(run({ cells: { 't3.partial.natural': null, 't3.partial.legal': null, 't4.review.total': null } }), 'cell.blank');
    expect(fs.map((f) => f.keys)).toEqual([['t3.partial.natural', 't3.partial.legal'], ['t4.review.total']]);
    expect(fs[0]).toMatchObject({ severity: 'warning', origin: 'source' });
    expect(fs[0].message).toContain('自然人、法律服务机构');
  });

  it('rejects negative and fractional counts, but not changes or amounts', () => {
    const fs = of(run({ t2: '2019', cells: { 't2.license.change': -3, 't2.procurement.amount': 12.5, 't2.penalty.decisions': -1, 't2.license.decisions': 2.5 } }), 'cell.value');
    expect(fs.map((f) => f.keys[0])).toEqual(['t2.license.decisions', 't2.penalty.decisions']);
    expect(fs.every((f) => f.severity === 'error')).toBe(true);
    expect(of(run({ t2: '2021', cells: { 't2.fee.amount': 7730.28 } }), 'cell.value')).toEqual([]);
  });
});

describe('table 二', () => {
  it('t2.published: 2019 format only, 本年新公开 ≤ 对外公开总数', () => {
    const fs = of(run({ t2: '2019', cells: { 't2.normative.published': 5, 't2.normative.total': 3 } }), 't2.published');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'warning', keys: ['t2.normative.published', 't2.normative.total'] });
    expect(of(run({ t2: '2019', cells: { 't2.normative.published': 3, 't2.normative.total': 3 } }), 't2.published')).toEqual([]);
    expect(of(run({ t2: '2021' }), 't2.published')).toEqual([]);
  });

  it('t2.stock: 2021 format only, 本年制发 ≤ 现行有效 + 本年废止', () => {
    const fs = of(run({ t2: '2021', cells: { 't2.normative.made': 4, 't2.normative.in_force': 2, 't2.normative.repealed': 1 } }), 't2.stock');
    expect(fs).toHaveLength(1);
    expect(fs[0].keys).toEqual(['t2.normative.made', 't2.normative.in_force', 't2.normative.repealed']);
    expect(of(run({ t2: '2021', cells: { 't2.normative.made': 4, 't2.normative.in_force': 9, 't2.normative.repealed': 0 } }), 't2.stock')).toEqual([]);
    expect(of(run({ t2: '2019', cells: { 't2.normative.made': 4 } }), 't2.stock')).toEqual([]);
  });

  it('t2.regulation_scope: county, district and township bodies print no 规章', () => {
    const cells = { 't2.regulation.made': 1, 't2.regulation.in_force': 1 };
    expect(of(run({ agency: '枫林区住房和城乡建设局', cells }), 't2.regulation_scope')[0].keys).toEqual(['t2.regulation.made', 't2.regulation.in_force']);
    expect(of(run({ agency: '长宁区河口镇人民政府', cells }), 't2.regulation_scope')).toHaveLength(1);
    expect(of(run({ agency: '清河市人民政府', cells }), 't2.regulation_scope')).toEqual([]);
    expect(of(run({ agency: '石门县人民政府' }), 't2.regulation_scope')).toEqual([]);
    expect(agencyLevel('南屏市住房和城乡建设局')).toBe('市');
    expect(agencyLevel('玉泉县市场监督管理局')).toBe('县');
    expect(agencyLevel('淮安市洪泽区人民政府')).toBe('区');
    expect(agencyLevel('广西壮族自治区人民政府')).toBe('自治区');
  });
});

describe('format.year', () => {
  it('warns of a 2019 table after 2020 and a 2021 table before 2021; a hybrid is info', () => {
    expect(of(run({ t2: '2019', year: 2022 }), 'format.year')[0]).toMatchObject({ severity: 'warning', expected: '2021', actual: '2019' });
    expect(of(run({ t2: '2021', year: 2020 }), 'format.year')[0]).toMatchObject({ severity: 'warning', expected: '2019' });
    expect(of(run({ t2: '2021', split: false, year: 2023 }), 'format.year')[0].severity).toBe('info');
    expect(of(run({ t2: '2019', year: 2020 }), 'format.year')).toEqual([]);
    expect(of(run({ t2: '2021', year: 2021 }), 'format.year')).toEqual([]);
  });

  it('is extraction when the cells that tell the format apart were read uncertainly', () => {
    const provenance = { 't2.normative.in_force': { confidence: 0.5 } };
    expect(of(run({ t2: '2021', year: 2020, provenance }), 'format.year')[0].origin).toBe('extraction');
  });
});

describe('structure.missing and structure.label', () => {
  it('names a missing row (error) and missing cells of a row (warning)', () => {
    const fs = of(run({ drop: (k) => k.startsWith('t3.denied.query.') || k === 't3.granted.legal' }), 'structure.missing');
    expect(fs).toHaveLength(2);
    expect(fs[0]).toMatchObject({ severity: 'warning', keys: ['t3.granted.legal'] });
    expect(fs[1]).toMatchObject({ severity: 'error', message: '表三缺少「不予公开·属于行政查询事项」一行' });
    expect(fs[1].keys).toHaveLength(7);
    expect(fs[1].origin).toBe('unknown');
  });

  it('expects the rows of the layout the keys show: three （六） rows where split, one where not', () => {
    expect(of(run({ t2: '2021', split: true }), 'structure.missing')).toEqual([]);
    expect(of(run({ t2: '2019', split: false }), 'structure.missing')).toEqual([]);
    const fs = of(run({ t2: '2021', split: true, drop: (k) => k.startsWith('t3.other.misc.') }), 'structure.missing');
    expect(fs[0].keys[0]).toBe('t3.other.misc.natural');
  });

  it('says nothing was read rather than blaming the report when a record has no cells at all, or was read by OCR', () => {
    const fs = of(run({ drop: () => true }), 'structure.missing');
    expect(fs.map((f) => [f.severity, f.origin])).toEqual([['warning', 'extraction']]);
    const ocr = record({ drop: (k) => k.startsWith('t4.') });
    ocr.source.ocr = true;
    expect(of(validate(ocr), 'structure.missing').map((f) => [f.severity, f.origin])).toEqual([['warning', 'extraction']]);
  });

  it('shows a printed label beside the official one', () => {
    const fs = of(run({ provenance: { 't3.denied.law_prohibited.natural': { label: '2.其他法律行政止公开', confidence: 0.9 }, 't3.denied.law_prohibited.total': { label: '2.其他法律行政止公开', confidence: 0.9 } } }), 'structure.label');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'info', actual: '2.其他法律行政止公开', expected: '2.其他法律行政法规禁止公开', origin: 'source' });
    // What OCR or a broken text stream made of a label is not held against the report.
    const stream = of(run({ provenance: { 't2.license.decisions': { label: '量行政许可', via: 'stream', confidence: 0.9 }, 't4.review.corrected': { label: '结果纽正', via: 'ocr', confidence: 0.8 } } }), 'structure.label');
    expect(stream).toEqual([]);
    expect(fs[0].keys).toEqual(['t3.denied.law_prohibited.natural', 't3.denied.law_prohibited.total']);
  });
});

/** A report's text as pageText gives it: wrapped lines, a page number line, sections 一 to 六. */
function pages(lead: string, opts: { omit?: number; year?: number } = {}): string[] {
  const y = opts.year ?? 2022;
  const titles = ['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项'];
  const h = (n: number) => (opts.omit === n ? '' : titles[n - 1]);
  const wrap = (s: string) => s.match(/.{1,26}/gu)!.join('\n');
  const filler = '我局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于政务公开工作的部署要求，不断完善政府信息公开制度。';
  return [
    `某市某局\n${y}年政府信息公开工作年度报告\n${wrap(`本报告中所列数据的统计期限自${y}年1月1日起至${y}年12月31日止。`)}\n${h(1)}\n${wrap(filler + lead)}\n- 1 -`,
    `${h(2)}\n信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 0 0 0\n${h(3)}\n一、本年新收政府信息公开申请数量 4 0 0 0 0 0 4\n${h(4)}\n0 0 0 0 0\n${h(5)}\n${wrap(filler)}\n${h(6)}\n无。\n- 2 -`,
  ];
}

describe('narrative rules', () => {
  it('narrative.table: a number in the text against the table, quoting the sentence joined across lines', () => {
    const fs = of(run({ cells: granted(4), text: pages('（二）依申请公开情况。全年共收到政府信息公开申请12件，上年结转0件。') }), 'narrative.table');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'warning', keys: ['t3.new.total'], expected: 4, actual: 12, page: 1, origin: 'source' });
    expect(fs[0].quote).toBe('全年共收到政府信息公开申请12件，上年结转0件。');
    expect(of(run({ cells: granted(12), text: pages('（二）依申请公开情况。全年共收到政府信息公开申请12件。') }), 'narrative.table')).toEqual([]);
  });

  it('narrative.table: a sentence about one office or about 备案 cases is info at most', () => {
    const office = of(run({ cells: granted(95), text: pages('（二）依申请公开情况。2024年，区政府办代表区政府受理政府信息公开申请17件，均已按时答复。') }), 'narrative.table');
    expect(office).toHaveLength(1);
    expect(office[0]).toMatchObject({ severity: 'info', actual: 17, expected: 95 });
    const filed = of(run({ cells: { 't4.review.upheld': 2, 't4.review.total': 2 }, text: pages('（二）行政复议。全年办理行政复议备案3件。') }), 'narrative.table');
    expect(filed.map((f) => f.severity)).toEqual(['info']);
  });

  it('narrative.table: compares outcomes, 行政复议 and 行政诉讼 with the sums of their rows, split （六） included', () => {
    const cells = { ...granted(2), 't3.new.natural': 5, 't3.new.total': 5, 't3.other.no_fee.natural': 1, 't3.other.no_fee.total': 1, 't3.other.misc.natural': 2, 't3.other.misc.total': 2, 't3.total_handled.natural': 5, 't3.total_handled.total': 5, 't4.suit_direct.pending': 1, 't4.suit_direct.total': 1, 't4.suit_after_review.upheld': 2, 't4.suit_after_review.total': 2 };
    const text = (other: number, suits: number) => pages(`（二）依申请公开情况。已办结5件，其中予以公开2件，其他处理${other}件。全年发生行政诉讼${suits}件。`);
    expect(of(run({ cells, text: text(3, 3) }), 'narrative.table')).toEqual([]);
    const fs = of(run({ cells, text: text(2, 4) }), 'narrative.table');
    expect(fs.map((f) => [f.keys, f.actual, f.expected])).toEqual([
      [['t3.other.no_correction.total', 't3.other.no_fee.total', 't3.other.misc.total'], 2, 3],
      [['t4.suit_direct.total', 't4.suit_after_review.total'], 4, 3],
    ]);
  });

  it('narrative.table: 受理 counting carried-over applications too is not a contradiction', () => {
    const cells = { ...granted(4), 't3.carried_in.natural': 2, 't3.carried_in.total': 2, 't3.granted.natural': 6, 't3.granted.total': 6, 't3.total_handled.natural': 6, 't3.total_handled.total': 6 };
    expect(of(run({ cells, text: pages('（二）依申请公开情况。全年共受理政府信息公开申请6件。') }), 'narrative.table')).toEqual([]);
    expect(of(run({ cells, text: pages('（二）依申请公开情况。全年共受理政府信息公开申请7件。') }), 'narrative.table')).toHaveLength(1);
  });

  it('narrative.table: leaves comparisons with last year and table rows alone', () => {
    const fs = run({ cells: granted(4), text: pages('（二）依申请公开情况。全年共收到政府信息公开申请4件，较上年增加12件。') });
    expect(of(fs, 'narrative.table')).toEqual([]);
  });

  it('narrative.sum: 主动公开 total against its categories (warning) and quarters; channels are info', () => {
    const cats = run({ text: pages('（一）主动公开情况。全年共主动公开政府信息489条，第一季度公开100条，第二季度公开114条，第三季度公开137条，第四季度公开138条。其中包括：政策法规17条，规划计划5条，财政资金383条。') });
    const fs = of(cats, 'narrative.sum');
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'warning', expected: 489, actual: 405 });
    const quarters = of(run({ text: pages('（一）主动公开情况。全年共主动公开政府信息400条，第一季度公开100条，第二季度公开100条，第三季度公开100条，第四季度公开99条。') }), 'narrative.sum');
    expect(quarters[0]).toMatchObject({ severity: 'warning', expected: 400, actual: 399 });
    const channels = of(run({ text: pages('（一）主动公开情况。全年共主动公开政府信息400条，其中通过门户网站公开300条，通过政务新媒体发布200条。') }), 'narrative.sum');
    expect(channels[0].severity).toBe('info');
    const fine = of(run({ text: pages('（一）主动公开情况。全年共主动公开政府信息400条，其中政策文件20条。') }), 'narrative.sum');
    expect(fine).toEqual([]);
  });

  it('narrative.sum: outcomes against 办结 only where the list is complete or exceeds it', () => {
    const partial = pages('（二）依申请公开情况。已办结10件，其中予以公开3件，部分公开2件。');
    expect(of(run({ text: partial }), 'narrative.sum')).toEqual([]);
    const catchAll = pages('（二）依申请公开情况。已办结10件。从办理结果看，予以公开3件，部分公开2件，其他情形4件。');
    expect(of(run({ text: catchAll }), 'narrative.sum')[0]).toMatchObject({ expected: 10, actual: 9 });
    const over = pages('（二）依申请公开情况。已办结4件，其中予以公开3件，部分公开2件。');
    expect(of(run({ text: over }), 'narrative.sum')[0]).toMatchObject({ expected: 4, actual: 5 });
  });

  it('narrative.period: the statistics period must be the report year', () => {
    const text = pages('');
    expect(of(run({ year: 2022, text }), 'narrative.period')).toEqual([]);
    const fs = of(run({ year: 2023, text }), 'narrative.period');
    expect(fs[0]).toMatchObject({ severity: 'warning', expected: '2023年1月1日至2023年12月31日', page: 1 });
    expect(fs[0].quote).toContain('统计期限自2022年1月1日起至2022年12月31日止');
  });

  it('structure.sections: names a missing section', () => {
    expect(of(run({ text: pages('') }), 'structure.sections')).toEqual([]);
    const fs = of(run({ text: pages('', { omit: 5 }) }), 'structure.sections');
    expect(fs[0].message).toContain('五、存在的主要问题及改进情况');
  });

  it('format.basis: a 2021-or-later report citing 〔2019〕60号', () => {
    const cite = '（一）说明。本报告依据国办公开办函〔2019〕60号规定的格式编制。';
    expect(of(run({ year: 2022, text: pages(cite) }), 'format.basis')[0].quote).toContain('〔2019〕60号');
    expect(of(run({ t2: '2019', year: 2020, text: pages(cite, { year: 2020 }) }), 'format.basis')).toEqual([]);
  });

  it('reads nothing from a record without text, or with an image-only text layer', () => {
    expect(run({ text: ['', ''] }).filter((f) => f.rule.startsWith('narrative') || f.rule === 'structure.sections')).toEqual([]);
  });

  it('is extraction when the text came through OCR', () => {
    const r = record({ cells: granted(4), text: pages('（二）依申请公开情况。全年共收到政府信息公开申请12件。') });
    r.source.ocr = true;
    expect(of(validate(r), 'narrative.table')[0].origin).toBe('extraction');
  });
});

describe('what a rule reads', () => {
  it('every rule names its reads as patterns over the keys or known parts of the record', async () => {
    const { RULES } = await import('../src/validate/index.js');
    const { ACROSS_RULES } = await import('../src/validate/across.js');
    const { unknownPatterns } = await import('../src/validate/reads.js');
    const all = [...RULES, ...ACROSS_RULES];
    expect(all.length).toBeGreaterThan(15);
    for (const r of all) {
      expect(r.reads.length, r.id).toBeGreaterThan(0);
      expect(unknownPatterns(r.reads), r.id).toEqual([]);
    }
  });

  it('a cell outside a rule\'s reads is refused, both read and named in a finding', async () => {
    const { RuleContext, toFinding } = await import('../src/validate/context.js');
    const { cellMatcher } = await import('../src/validate/reads.js');
    const record = { cells: { 't3.new.total': 5, 't4.review.total': 1 }, provenance: {}, meta: { format: '2021', year: 2023, agency: null, title: null }, findings: [], source: { kind: 'pdf' } } as never;
    const seen = new RuleContext(record).forRule({ id: 'x', reads: ['t3.{new,carried_in}.*'] });
    expect(seen.value('t3.new.total')).toBe(5);
    expect(() => seen.value('t4.review.total')).toThrow(/rule x reads t4\.review\.total/);
    expect(() => toFinding({ id: 'x', severity: 'error' }, { keys: ['t4.review.total'], message: 'm' }, seen)).toThrow(/its reads do not name/);
    const m = cellMatcher(['t3.*.total', 't2.{regulation,normative}.made']);
    expect(['t3.other.no_fee.total', 't2.normative.made'].every(m)).toBe(true);
    expect(['t3.new.natural', 't2.fee.made', 't4.review.total'].some(m)).toBe(false);
  });
});
