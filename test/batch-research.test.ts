import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch, type BatchSummary } from '../src/batch/run.js';
import { ALL_KEYS } from '../src/format/catalog.js';
import { identifyAgency } from '../src/export/agency.js';
import { isStataName } from '../src/export/codebook.js';
import { csvObjects, parseCsv } from './batch-csvparse.js';
import { CORPUS, REAL, truthFor } from './helpers/corpus.js';

// The corpus's agencies that exist (the seed, 洪泽区, the 平潭 pages), a PDF and its web page, a township.
const INPUTS = [
  join(CORPUS, 'seed_xiangshan_hrss_2020_docx.pdf'),
  join(REAL, 'hongze-qu_huaian_2024.pdf'),
  join(REAL, 'pingtan-czjrj_2025.html'),
  join(REAL, 'pingtan-gaj_2019.html'),
  join(REAL, 'pingtan-gwhbgs_2025.html'),
  join(CORPUS, 'gen08_2019_gov_office_chromium_separate.pdf'),
  join(CORPUS, 'gen08_2019_gov_office_chromium_separate_page.html'),
  join(CORPUS, 'gen03_2019_township_docx_blankzeros.pdf'),
];
const CSVS = ['reports.csv', 'cells.csv', 'findings.csv', 'codebook.csv'];

let tmp: string;
let summary: BatchSummary;
const text: Record<string, string> = {};
let reports: Record<string, string>[];
let codebook: Record<string, string>[];
const row = (name: string) => reports.find((r) => r.file.endsWith(name))!;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'xxgk-research-'));
  summary = await runBatch({ paths: INPUTS, out: join(tmp, 'utf8'), jobs: 2, quiet: true, anomalies: false, ocr: false });
  for (const f of CSVS) text[f] = await readFile(join(tmp, 'utf8', f), 'utf8');
  reports = csvObjects(text['reports.csv']);
  codebook = csvObjects(text['codebook.csv']);
}, 240_000);

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('research-ready outputs of a batch over the corpus', () => {
  it('has a codebook row for every column of every CSV, with labels, and nothing else', () => {
    for (const f of CSVS.filter((f) => f !== 'codebook.csv')) {
      const header = parseCsv(text[f])[0];
      const described = codebook.filter((c) => c.csv === f);
      expect(described.map((c) => c.column)).toEqual(header);
      for (const c of described) {
        expect(c.label_zh, c.column).toMatch(/\p{Script=Han}/u);
        expect(c.label_en, c.column).not.toBe('');
        expect(c.type, c.column).toMatch(/^(integer|decimal|text|boolean|code)$/);
      }
    }
    const key = codebook.find((c) => c.column === 't3.denied.law_prohibited.commercial')!;
    expect(key.label_zh).toContain('2.其他法律行政法规禁止公开');
    expect(key.label_zh).toContain('商业企业');
    expect(codebook.find((c) => c.column === 't3.other.misc.total')!.formats).not.toContain('2019');
    expect(codebook.find((c) => c.column === 't2.fee.amount')!.unit).toBe('万元');
  });

  it('gives the region codes of the agencies that exist', () => {
    expect(row('seed_xiangshan_hrss_2020_docx.pdf')).toMatchObject({ region_code: '340603', level: 'county', agency_kind: 'department', department: '人力资源和社会保障' });
    expect(row('hongze-qu_huaian_2024.pdf')).toMatchObject({ region_code: '320813', region_name: '江苏省淮安市洪泽区', agency_kind: 'government' });
    for (const p of ['pingtan-czjrj_2025.html', 'pingtan-gaj_2019.html', 'pingtan-gwhbgs_2025.html']) {
      expect(row(p), p).toMatchObject({ region_code: '350128', region_name: '福建省福州市平潭县' });
    }
    expect(row('pingtan-gaj_2019.html').department).toBe('公安');
    expect(row('pingtan-gwhbgs_2025.html').agency_kind).toBe('general_office');
    // 南屏市 is no city: no code, and the note says why.
    expect(row('gen08_2019_gov_office_chromium_separate.pdf').region_code).toBe('');
    expect(row('gen08_2019_gov_office_chromium_separate.pdf').region_note).not.toBe('');
  });

  it('leaves an ambiguous name without a code, and names the candidates', () => {
    const r = summary.records.find((x) => x.source.path.endsWith('hongze-qu_huaian_2024.pdf'))!;
    const id = identifyAgency({ ...r, meta: { ...r.meta, agency: '鼓楼区人民政府' } });
    expect(id.region_code).toBe('');
    expect(id.region_note).toMatch(/鼓楼区.*320106.*350102/);
    const named = identifyAgency({ ...r, meta: { ...r.meta, agency: '福州市鼓楼区人民政府' } });
    expect(named.region_code).toBe('350102');
  });

  it('keeps a printed blank apart from a cell the report does not have', () => {
    const file = join(REAL, 'pingtan-gaj_2019.html');
    const truth = truthFor(file);
    const r = row('pingtan-gaj_2019.html');
    for (const key of ALL_KEYS) {
      const t = truth.cells[key];
      const want = !(key in truth.cells) ? 'absent' : t === null ? 'blank' : 'printed';
      expect(r[`status.${key}`], key).toBe(want);
      expect(r[key], key).toBe(t === null || t === undefined ? '' : String(t));
    }
  });

  it('marks panel duplicates and carries hash, pages, OCR and finding counts', () => {
    const pdf = row('gen08_2019_gov_office_chromium_separate.pdf');
    const html = row('gen08_2019_gov_office_chromium_separate_page.html');
    expect([pdf.duplicate_of, html.duplicate_of].sort()).toEqual(['', [pdf, html].find((x) => !x.duplicate_of)!.file]);
    expect(row('hongze-qu_huaian_2024.pdf').duplicate_of).toBe('');
    const hongze = row('hongze-qu_huaian_2024.pdf');
    expect(hongze.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(hongze.pages).toBe('5');
    expect(hongze.ocr).toBe('0');
    const findings = csvObjects(text['findings.csv']);
    for (const s of ['error', 'warning', 'info']) {
      expect(Number(hongze[`findings_${s}`]), s).toBe(findings.filter((f) => f.file === hongze.file && f.severity === s).length);
    }
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.rule_zh, f.rule).toMatch(/\p{Script=Han}/u);
    expect(findings.some((f) => /^\d+$/.test(f.page))).toBe(true);
  });

  it('writes load.do with valid, unique Stata names for every column, labelled', async () => {
    const doFile = await readFile(join(tmp, 'utf8', 'load.do'), 'utf8');
    for (const f of ['reports.csv', 'cells.csv', 'findings.csv']) {
      const header = parseCsv(text[f])[0];
      const block = doFile.slice(doFile.indexOf(`using "${f}"`)).split('\nimport delimited')[0];
      const names = [...block.matchAll(/^rename v(\d+) (\S+)$/gm)];
      expect(names.map((m) => Number(m[1]))).toEqual(header.map((_, i) => i + 1));
      for (const [, , n] of names) expect(isStataName(n), n).toBe(true);
      expect(new Set(names.map((m) => m[2].toLowerCase())).size).toBe(header.length);
      expect(block.match(/^label variable /gm)!.length).toBe(header.length);
    }
    const r = await readFile(join(tmp, 'utf8', 'load.R'), 'utf8');
    expect(r).toContain('UTF-8-BOM');
    expect(r).toContain('codebook.csv');
  });

  it('writes results.xlsx with four sheets, Chinese headers, a frozen header row and numbers as numbers', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readFile(join(tmp, 'utf8', 'results.xlsx'))) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['reports', 'cells', 'findings', 'codebook']);
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(String(ws.getRow(1).getCell(1).value)).toMatch(/\p{Script=Han}/u);
    }
    const sheet = wb.getWorksheet('reports')!;
    const header = parseCsv(text['reports.csv'])[0];
    const col = header.indexOf('t3.new.total') + 1;
    const fileCol = header.indexOf('file') + 1;
    const truth = truthFor(join(REAL, 'hongze-qu_huaian_2024.pdf'));
    let seen = 0;
    sheet.eachRow((r, i) => {
      if (i === 1 || !String(r.getCell(fileCol).value).endsWith('hongze-qu_huaian_2024.pdf')) return;
      expect(r.getCell(col).value).toBe(truth.cells['t3.new.total']);
      seen++;
    });
    expect(seen).toBe(1);
    expect(sheet.rowCount).toBe(reports.length + 1);
  });

  it('writes GB18030 CSVs that read back to the same text', async () => {
    const out = join(tmp, 'gb');
    await runBatch({ paths: INPUTS.filter((p) => p.endsWith('.html')), out, jobs: 1, quiet: true, anomalies: false, ocr: false, csvEncoding: 'gb18030' });
    const bytes = await readFile(join(out, 'reports.csv'));
    expect(bytes.subarray(0, 3)).not.toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.includes(iconv.encode('平潭综合实验区', 'gb18030'))).toBe(true);
    const back = csvObjects(iconv.decode(bytes, 'gb18030'));
    const gaj = back.find((r) => r.file.endsWith('pingtan-gaj_2019.html'))!;
    expect(gaj).toEqual(row('pingtan-gaj_2019.html'));
    const cb = iconv.decode(await readFile(join(out, 'codebook.csv')), 'gb18030');
    expect(cb).toBe(text['codebook.csv'].replace(/^\ufeff/, ''));
    expect(await readFile(join(out, 'load.do'), 'utf8')).toContain('encoding("gb18030")');
  }, 120_000);
});
