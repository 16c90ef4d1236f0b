import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../src/batch/ledger.js';
import { formatNumber } from '../src/extract/docx-numbering.js';
import { readDocumentXml } from '../src/extract/docx-xml.js';
import { CONVERT_SETTINGS, findSoffice } from '../src/extract/convert.js';
import { extractBytes, extractFile, kindOf } from '../src/pipeline/index.js';
import { T3_COLUMNS, t3RowsFor } from '../src/format/catalog.js';
import type { ReportRecord } from '../src/record/schema.js';
import { buildZip } from './batch-zipwriter.js';
import { CORPUS, REAL, truthFor } from './helpers/corpus.js';
import { altChunkDocx, docxPackage, documentXml, mhtml, p, t3Tables, tbl, tc, textBox, tr } from './docx-make.js';

/**
 * Word reports. The corpus's HTML pages (generated and real) are turned into .docx and .doc by LibreOffice
 * once per run; each must give every cell of its truth file, the cells its HTML gives. A docx written by hand
 * holds what the converted ones may not: vertical merges of group labels, a table in a frame, a table split
 * by a paragraph, blank cells, a text box and a footer.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOFFICE = findSoffice();
if (!SOFFICE) console.warn('docx.test.ts: LibreOffice tests skipped: soffice is not on PATH (apt-get install libreoffice-writer-nogui; .ci/run does it)');
const PAGES = [...readdirSync(CORPUS).map((f) => join(CORPUS, f)), ...readdirSync(REAL).map((f) => join(REAL, f))].filter((f) => f.endsWith('.html'));

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'xxgk-docx-'));
  if (!SOFFICE) return;
  // Each format of every page in one run of LibreOffice (a run costs seconds however many files it converts).
  for (const [format, filter] of [['docx', 'docx:MS Word 2007 XML'], ['doc', 'doc:MS Word 97'], ['odt', 'odt:writer8']]) {
    execFileSync(SOFFICE, [`-env:UserInstallation=file://${tmp}/profile`, '--headless', '--convert-to', filter, '--outdir', join(tmp, format), ...PAGES], { timeout: 240_000, stdio: 'ignore' });
  }
}, 300_000);
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!SOFFICE)('the corpus pages as Word (and OpenDocument) files made by LibreOffice', () => {
  for (const page of PAGES) {
    const name = basename(page, '.html');
    for (const format of ['docx', 'doc', 'odt']) {
      it(`${name}.${format}: every cell of its truth, the cells and findings its HTML gives`, async () => {
        const truth = truthFor(page);
        const r = await extractFile(join(tmp, format, `${name}.${format}`));
        expect(r.error).toBeUndefined();
        expect(r.source.kind).toBe('docx');
        expect(r.cells).toEqual(truth.cells);
        const html = await extractFile(page);
        expect(r.cells).toEqual(html.cells);
        // the narrative reads alike too: the same findings, on the same cells
        const findings = (x: ReportRecord) => x.findings.map((f) => `${f.rule} ${f.keys.join(',')}`).sort();
        expect(findings(r)).toEqual(findings(html));
        expect(r.meta).toMatchObject({ year: truth.meta.year, format: truth.meta.format });
        // (the page's site furniture may stand before the title once laid out by LibreOffice)
        expect(r.meta.agency).toContain(truth.meta.agency);
        for (const [key, pv] of Object.entries(r.provenance)) {
          expect(pv.via, key).toBe('docx');
          expect(pv.table && pv.row && pv.col, key).toBeTruthy();
          expect(pv.page ?? pv.bbox, key).toBeUndefined();
        }
      }, 60_000);
    }
  }
});

/** Numbers of the hand-made section 三: distinct per cell, blank in the 商业企业 column of every （四） row. */
const t3Value = (row: string, col: string) => {
  if (row.startsWith('unable.') && col === 'commercial') return '';
  const r = t3RowsFor(true).findIndex((x) => x.id === row);
  return String(r * 10 + T3_COLUMNS.findIndex((c) => c.id === col));
};

const T4_LEAVES = ['结果维持', '结果纠正', '其他结果', '尚未审结', '总计'];
const T4_NUMBERS = ['3', '1', '0', '2', '6', '', '1', '0', '0', '1', '2', '0', '0', '1', '3'];

function handMadeBody(): string {
  const t2 = tbl(4, [
    tr([{ text: '第二十条第（一）项', span: 4 }]),
    tr([{ text: '信息内容' }, { text: '本年制发件数' }, { text: '本年废止件数' }, { text: '现行有效件数' }]),
    // a row deleted under track changes, and a hidden run: neither is printed
    tr([{ text: '规章' }, { text: '9' }, { text: '9' }, { text: '9' }]).replace('<w:tr>', '<w:tr><w:trPr><w:del w:id="1" w:author="x"/></w:trPr>'),
    tr([{ text: '规章' }, { text: '0' }, { text: '0' }, { text: '3' }]).replace('>3</w:t></w:r>', '>3</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>9</w:t></w:r>'),
    tr([{ text: '行政规范性文件' }, { text: '2' }, { text: '' }, { text: '5' }]),
  ]);
  // The data table sits in a one-cell frame: the frame is layout, the table in it is read.
  const frame = `<w:tbl><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid><w:tr>${tc({ text: '' }, t2)}</w:tr></w:tbl>`;
  const t3 = t3Tables(t3Value, 'unable.not_held');
  const t4 = tbl(15, [
    tr([{ text: '行政复议', span: 5 }, { text: '行政诉讼', span: 10 }]),
    tr([...T4_LEAVES.map((l) => ({ text: l, restart: true })), { text: '未经复议直接起诉', span: 5 }, { text: '复议后起诉', span: 5 }]),
    tr([...T4_LEAVES.map(() => ({ text: null })), ...T4_LEAVES, ...T4_LEAVES].map((c) => (typeof c === 'string' ? { text: c } : c))),
    tr(T4_NUMBERS.map((text) => ({ text }))),
  ]);
  return [
    p('示范县统计局2023年政府信息公开工作年度报告'),
    p('一、总体情况'),
    p('本年度共收到政府信息公开申请999件。'),
    p('二、主动公开政府信息情况'),
    frame,
    p('三、收到和处理政府信息公开申请情况'),
    t3.first,
    p('（续表）'),
    t3.second,
    p('四、政府信息公开行政复议、行政诉讼情况'),
    t4,
    textBox('五、存在的主要问题及改进情况'),
    p('六、其他需要报告的事项'),
  ].join('');
}

describe('a docx written by hand', () => {
  const bytes = docxPackage(handMadeBody(), '第 1 页 共 3 页 行政复议 99');

  it('gives grids with the vertical merges Word wrote down', () => {
    const { tables } = readDocumentXml(documentXml(handMadeBody()));
    // the frame is not a data table; section 三 is two tables
    expect(tables.map((t) => t.rowCount)).toEqual([4, 3 + 13, 12, 4]);
    const at = (t: number, text: string) => tables[t].cells.filter((c) => c.text === text).map((c) => [c.row0, c.row1, c.x0, c.x1]);
    // header: the corner and 自然人 / 总计 down three rows
    expect(at(1, '自然人')).toEqual([[1, 2, 3, 4]]);
    expect(at(1, '总计')).toEqual([[1, 2, 9, 10]]);
    expect(at(1, '')[0]).toEqual([0, 2, 0, 3]);
    // group labels down their rows: 三、本年度办理结果 from （一） to the split, （三） over its eight rows
    expect(at(1, '三、本年度办理结果')).toEqual([[5, 15, 0, 1]]);
    expect(at(1, '（三）不予公开')).toEqual([[7, 14, 1, 2]]);
    expect(at(1, '（四）无法提供')).toEqual([[15, 15, 1, 2]]);
    // after the split, the merges start afresh in the second table
    expect(at(2, '三、本年度办理结果')).toEqual([[0, 10, 0, 1]]);
    expect(at(2, '（四）无法提供')).toEqual([[0, 1, 1, 2]]);
    // section 四: 行政复议's five leaves over two rows, blank value cells kept as cells
    expect(at(3, '结果维持')).toEqual([[1, 2, 0, 1], [2, 2, 5, 6], [2, 2, 10, 11]]);
    expect(tables[3].cells.filter((c) => c.row0 === 3).map((c) => c.text)).toEqual(T4_NUMBERS);
    expect(tables[3].cells.find((c) => c.row0 === 3 && c.x0 === 14)?.source).toEqual({ page: 0, table: 4, row: 4, col: 15 });
  });

  it('reads the same whatever prefix the producer bound WordprocessingML to', () => {
    const xml = documentXml(handMadeBody());
    const renamed = xml.replace(/(<\/?|\s)w:/g, '$1ns0:').replace('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"', 'xmlns:ns0="http://purl.oclc.org/ooxml/wordprocessingml/main"');
    expect(renamed).not.toContain('<w:');
    expect(readDocumentXml(renamed)).toEqual(readDocumentXml(xml));
  });

  it('is mapped like the HTML and PDF tables, every cell and blank as printed', async () => {
    const r = await extractBytes('示范.docx', bytes);
    expect(r.error).toBeUndefined();
    expect(r.source.kind).toBe('docx');
    expect(r.meta).toMatchObject({ agency: '示范县统计局', year: 2023, format: '2021' });
    const expected: Record<string, number | null> = {
      't2.regulation.made': 0, 't2.regulation.repealed': 0, 't2.regulation.in_force': 3,
      't2.normative.made': 2, 't2.normative.repealed': null, 't2.normative.in_force': 5,
    };
    for (const row of t3RowsFor(true)) for (const c of T3_COLUMNS) expected[`t3.${row.id}.${c.id}`] = t3Value(row.id, c.id) === '' ? null : Number(t3Value(row.id, c.id));
    ['review', 'suit_direct', 'suit_after_review'].forEach((g, gi) =>
      ['upheld', 'corrected', 'other', 'pending', 'total'].forEach((c, ci) => {
        const text = T4_NUMBERS[gi * 5 + ci];
        expected[`t4.${g}.${c}`] = text === '' ? null : Number(text);
      }),
    );
    expect(Object.fromEntries(Object.entries(r.cells).filter(([k]) => k in expected))).toEqual(expected);
    expect(Object.keys(r.cells).filter((k) => !k.startsWith('t2.')).sort()).toEqual(Object.keys(expected).filter((k) => !k.startsWith('t2.')).sort());
    expect(r.provenance['t4.suit_direct.corrected']).toEqual({ table: 4, row: 4, col: 7, text: '1', confidence: 1, via: 'docx' });
    expect(r.provenance['t3.unable.unclear.total']).toMatchObject({ table: 3, row: 2, col: 10, via: 'docx' });
    expect(r.findings.some((f) => f.rule === 'cell.blank' && f.keys.includes('t4.suit_direct.upheld'))).toBe(true);
  });

  it('reads the narrative in order, a text box once, and never the footer', async () => {
    const r = await extractBytes('示范.docx', bytes);
    const text = r.text!.pages[0];
    expect(text.split('\n').filter((l) => l === '五、存在的主要问题及改进情况')).toHaveLength(1);
    expect(text.indexOf('四、政府信息公开行政复议')).toBeLessThan(text.indexOf('五、存在的主要问题'));
    expect(text.indexOf('五、存在的主要问题')).toBeLessThan(text.indexOf('六、其他需要报告的事项'));
    expect(text).not.toContain('第 1 页');
  });

  it('a narrative finding says the paragraph it quotes, and no page', async () => {
    const r = await extractBytes('示范.docx', bytes);
    const f = r.findings.find((x) => x.rule === 'narrative.table' && x.actual === 999);
    expect(f?.quote).toContain('999件');
    expect(f?.paragraph).toBe(r.text!.pages[0].split('\n').findIndex((l) => l.includes('申请999件')) + 1);
    expect(f?.paragraph).toBeGreaterThan(1);
    expect(r.findings.filter((x) => x.page !== undefined)).toEqual([]);
  });
});

describe('automatic numbering, written out', () => {
  const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  const lvl = (i: number, fmt: string, text: string) => `<w:lvl w:ilvl="${i}"><w:start w:val="1"/><w:numFmt w:val="${fmt}"/><w:lvlText w:val="${text}"/></w:lvl>`;
  const numbering = `<w:numbering ${W}><w:abstractNum w:abstractNumId="0">${lvl(0, 'chineseCounting', '%1、')}${lvl(1, 'chineseCounting', '（%2）')}${lvl(2, 'decimal', '%3.')}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`;
  // Heading2 takes its list from Heading1, its level of its own.
  const styles = `<w:styles ${W}><w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="1"/><w:ilvl w:val="0"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:basedOn w:val="Heading1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style></w:styles>`;
  const styled = (style: string, text: string) => `<w:p><w:pPr><w:pStyle w:val="${style}"/></w:pPr><w:r><w:t>${text}</w:t></w:r></w:p>`;
  const direct = (ilvl: number, text: string) => `<w:p><w:pPr><w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>${text}</w:t></w:r></w:p>`;

  it('headings numbered by their style, list items by their own numbering, each level restarting under the one above', async () => {
    const body = [
      p('示范县统计局2023年政府信息公开工作年度报告'),
      styled('Heading1', '总体情况'), styled('Heading2', '主动公开'), direct(2, '属于国家秘密'), direct(2, '其他法律行政法规禁止公开'), styled('Heading2', '依申请公开'),
      styled('Heading1', '主动公开政府信息情况'), styled('Heading2', '规章'),
      styled('Heading1', '收到和处理政府信息公开申请情况'), styled('Heading1', '政府信息公开行政复议、行政诉讼情况'),
      styled('Heading1', '存在的主要问题及改进情况'), styled('Heading1', '其他需要报告的事项'),
    ].join('');
    const extra = [{ name: 'word/numbering.xml', data: Buffer.from(numbering) }, { name: 'word/styles.xml', data: Buffer.from(styles) }];
    const r = await extractBytes('numbered.docx', docxPackage(body, '', extra));
    expect(r.error).toBeUndefined();
    expect(r.text!.pages[0].split('\n')).toEqual([
      '示范县统计局2023年政府信息公开工作年度报告',
      '一、总体情况', '（一）主动公开', '1.属于国家秘密', '2.其他法律行政法规禁止公开', '（二）依申请公开',
      '二、主动公开政府信息情况', '（一）规章',
      '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况',
      '五、存在的主要问题及改进情况', '六、其他需要报告的事项',
    ]);
  });

  it('Chinese, circled, full-width and roman counting', () => {
    expect([1, 10, 12, 20, 35].map((n) => formatNumber(n, 'chineseCounting'))).toEqual(['一', '十', '十二', '二十', '三十五']);
    expect([formatNumber(3, 'decimalEnclosedCircle'), formatNumber(4, 'decimalFullWidth'), formatNumber(14, 'upperRoman'), formatNumber(2, 'ideographTraditional')]).toEqual(['③', '４', 'XIV', '乙']);
  });
});

describe('formats told by their bytes', () => {
  const docx = docxPackage(p('示范局2023年政府信息公开工作年度报告'));

  it('a .doc that is a docx, an HTML page saved as .doc, an OLE2 file and an RTF', async () => {
    expect(kindOf('report.doc', docx)).toBe('docx');
    expect(kindOf('report.wps', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toBe('docx');
    expect(kindOf('report.doc', Buffer.from('{\\rtf1\\ansi hello}'))).toBe('docx');
    expect(kindOf('report.docx', buildZip([{ name: 'xl/workbook.xml', data: Buffer.from('x') }]))).toBe('docx'); // told apart by the docx reader, below
    expect(kindOf('report.doc', Buffer.from('<html xmlns:o="urn:schemas-microsoft-com:office:office"><body><table></table></body></html>'))).toBe('html');
    expect((await extractBytes('report.doc', docx)).meta.agency).toBe('示范局');
  });

  it('an HTML page saved as .doc is read as the page it is', async () => {
    const page = PAGES.find((f) => f.includes('gen09'))!;
    const r = await extractBytes('report.doc', readFileSync(page));
    expect(r.source.kind).toBe('html');
    expect(r.cells).toEqual(truthFor(page).cells);
  });

  it('a single-file web page (MHTML) saved as .doc, and the same page as a docx chunk (w:altChunk)', async () => {
    const page = PAGES.find((f) => f.includes('gen08'))!;
    const truth = truthFor(page);
    const mht = mhtml(readFileSync(page), 'utf-8');
    const asDoc = await extractBytes('report.doc', mht);
    expect(asDoc.source.kind).toBe('html');
    expect(asDoc.cells).toEqual(truth.cells);
    const chunked = await extractBytes('report.docx', altChunkDocx(mht));
    expect(chunked.error).toBeUndefined();
    expect(chunked.source.kind).toBe('docx');
    expect(chunked.cells).toEqual(truth.cells);
    expect(chunked.meta).toMatchObject({ agency: truth.meta.agency, year: truth.meta.year, format: truth.meta.format });
    expect(Object.values(chunked.provenance).every((pv) => pv.via === 'docx' && pv.table && !pv.page)).toBe(true);
  });

  it.skipIf(!SOFFICE)('an RTF (as a .wps) is converted and read', async () => {
    const rtf = '{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times;}}\\f0 Annual report 2023\\par Applications received: 12\\par}';
    const r = await extractBytes('report.wps', Buffer.from(rtf));
    expect(r.error).toBeUndefined();
    expect(r.text?.pages[0]).toContain('Annual report 2023');
  }, 60_000);
});

describe('hostile Word files', () => {
  it('a .doc without LibreOffice on PATH: needs_converter, saying what to install', () => {
    const dir = join(tmp, 'no-soffice');
    mkdirSync(join(dir, 'bin'), { recursive: true });
    writeFileSync(join(dir, 'report.doc'), Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4096)]));
    const out = join(dir, 'record.json');
    const run = spawnSync(process.execPath, ['bin/xxgk.mjs', 'extract', join(dir, 'report.doc'), '--out', out], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: join(dir, 'bin') },
    });
    expect(run.status).not.toBe(0);
    const record: ReportRecord = JSON.parse(readFileSync(out, 'utf8'));
    expect(record.source.kind).toBe('docx');
    expect(record.error?.code).toBe('needs_converter');
    expect(record.error?.message).toMatch(/report\.doc.*LibreOffice.*libreoffice-writer-nogui/);
    expect(run.stderr).toMatch(/needs LibreOffice/);
  }, 60_000);

  it.skipIf(!SOFFICE)('a conversion over its time limit is stopped and said so', async () => {
    const doc = readFileSync(join(tmp, 'doc', `${basename(PAGES[0], '.html')}.doc`));
    const saved = CONVERT_SETTINGS.timeoutMs;
    CONVERT_SETTINGS.timeoutMs = 100;
    try {
      const r = await extractBytes('slow.doc', doc);
      expect(r.error).toEqual({ code: 'timeout', message: 'slow.doc: LibreOffice took longer than 0.1 s to convert it' });
    } finally {
      CONVERT_SETTINGS.timeoutMs = saved;
    }
  }, 60_000);

  it('a docx bomb is refused by the zip limits', async () => {
    const bomb = buildZip([{ name: 'word/document.xml', data: Buffer.from(documentXml('<w:p/>'.repeat(2_000_000))) }]);
    const r = await extractBytes('bomb.docx', bomb);
    expect(r.error?.code).toBe('zip_bomb');
    expect(r.error?.message).toMatch(/bomb\.docx!\/word\/document\.xml: compression ratio \d+:1 is over 200:1/);
  });

  it('a docx with a .. entry is refused', async () => {
    const slip = docxPackage(p('示范局'), '', [{ name: 'word/../../evil.xml', data: Buffer.from('x') }]);
    const r = await extractBytes('slip.docx', slip);
    expect(r.error).toEqual({ code: 'bad_zip', message: 'slip.docx: entry "word/../../evil.xml" points outside the archive; refused' });
  });

  it('a zip that is no Word document, and a broken one, are errors, not crashes', async () => {
    expect((await extractBytes('x.docx', buildZip([{ name: 'word/other.xml', data: Buffer.from('x') }]))).error?.code).toBe('unsupported');
    const whole = docxPackage(p('a'));
    expect((await extractBytes('x.docx', whole.subarray(0, whole.length - 40))).error?.code).toBe('bad_zip');
  });
});

describe('batch: every skipped file and why', () => {
  it('hidden files, links and kinds it does not read: in the summary line and the ledger', () => {
    const dir = join(tmp, 'batch', 'in');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'report.docx'), docxPackage(handMadeBody()));
    writeFileSync(join(dir, '.draft.docx'), 'x');
    writeFileSync(join(dir, 'report.ofd'), 'x');
    writeFileSync(join(dir, 'bad\x1b[2Jname.ofd'), 'x'); // a name that would clear the terminal
    symlinkSync('/etc/passwd', join(dir, 'link.doc'));
    const out = join(tmp, 'batch', 'out');
    const run = spawnSync(process.execPath, ['bin/xxgk.mjs', 'batch', dir, '--out', out, '--no-anomalies', '--jobs', '1'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/1 files, 1 processed, .*, 4 skipped \(1 hidden, 2 unsupported kind \(\.ofd\), 1 symbolic link\)/);
    expect(run.stderr).toContain('skipped in/report.ofd (unsupported kind (.ofd))');
    expect(run.stderr).toContain('skipped in/bad\\x1b[2Jname.ofd (unsupported kind (.ofd))');
    expect(run.stderr).not.toContain('\x1b');
    const ledger = new Ledger(join(out, 'xxgk.sqlite'));
    try {
      expect(ledger.skipped()).toEqual([
        { displayPath: 'in/.draft.docx', reason: 'hidden' },
        { displayPath: 'in/bad\x1b[2Jname.ofd', reason: 'unsupported kind (.ofd)' },
        { displayPath: 'in/link.doc', reason: 'symbolic link' },
        { displayPath: 'in/report.ofd', reason: 'unsupported kind (.ofd)' },
      ]);
      expect(ledger.all().map((e) => [e.path, e.record.source.kind, e.errorCode])).toEqual([['in/report.docx', 'docx', null]]);
    } finally {
      ledger.close();
    }
    expect(existsSync(join(out, 'records.jsonl'))).toBe(true);
  }, 120_000);
});
