import { describe, expect, it } from 'vitest';
import { cellsCsv, findingsCsv, neutralise, reportsCsv } from '../src/export/csv.js';
import type { ReportRecord } from '../src/record/schema.js';
import { csvObjects } from './batch-csvparse.js';

// A record as a hostile or odd report could give: formula-like text, quotes, commas, a line break, a negative change.
const record: ReportRecord = {
  file: 'a.pdf',
  source: { path: 'x.zip!/=cmd|"/c calc".pdf', sha256: 'f'.repeat(64), bytes: 1, pages: 1, kind: 'pdf', ocr: false },
  meta: { title: null, agency: '=HYPERLINK("http://evil","点击")', year: 2019, format: '2019' },
  cells: { 't2.fee.change': -3, 't2.fee.prev': null, 't2.procurement.amount': 7730.28 },
  provenance: {
    't2.fee.change': { page: 2, text: '-3', confidence: 1, via: 'text' },
    't2.fee.prev': { page: 2, text: '', confidence: 1, via: 'text' },
    't2.procurement.amount': { page: 2, text: '7730.28', confidence: 0.9, via: 'ocr' },
  },
  findings: [{ rule: 'cell.blank', severity: 'warning', keys: ['t2.fee.prev'], message: '+空白, "引号"\n第二行', origin: 'source', expected: '@x', actual: -1 }],
};

describe('CSV for spreadsheets', () => {
  it('neutralises text that a spreadsheet would run, and only text', () => {
    for (const t of ['=1+1', '+1', '-x', '@SUM(A1)', '\tx', '\rx']) expect(neutralise(t)).toBe(`'${t}`);
    expect(neutralise('行政许可')).toBe('行政许可');
    const cells = cellsCsv([record]);
    expect(cells.startsWith('\ufeff')).toBe(true);
    expect(cells).toContain('\r\n');
    const rows = csvObjects(cells);
    // cells.md order: 上一年项目数量 before 本年增/减
    expect(rows.map((r) => [r.key, r.value, r.page, r.confidence, r.via])).toEqual([
      ['t2.fee.prev', '', '2', '1', 'text'],
      ['t2.fee.change', '-3', '2', '1', 'text'],
      ['t2.procurement.amount', '7730.28', '2', '0.9', 'ocr'],
    ]);
    expect(rows[0].agency).toBe(`'=HYPERLINK("http://evil","点击")`);
    expect(rows[0].file).toBe('x.zip!/=cmd|"/c calc".pdf'); // does not start with a trigger: left as is
  });

  it('quotes commas, quotes and line breaks so that the row survives', () => {
    const [f] = csvObjects(findingsCsv([record]));
    expect(f).toMatchObject({ rule: 'cell.blank', keys: 't2.fee.prev', expected: `'@x`, actual: '-1', message: `'+空白, "引号"\n第二行` });
    const [r] = csvObjects(reportsCsv([record]));
    expect(r['t2.fee.change']).toBe('-3');
    expect(r['t3.new.total']).toBe('');
  });
});
