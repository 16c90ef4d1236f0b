import ExcelJS from 'exceljs';
import type { ReportRecord } from '../record/schema.js';
import { writeFileAtomic } from './atomic.js';
import { CODEBOOK_HEADER, codebookRows } from './codebook.js';
import { CELL_COLUMNS, FINDING_COLUMNS, REPORT_COLUMNS, reportRows, type Column, type Value } from './columns.js';
import { cellRows, findingRows, neutralise } from './csv.js';

/**
 * results.xlsx: the three CSVs and the codebook as sheets, headed by the codebook's Chinese labels, header row
 * frozen, numbers stored as numbers (a spreadsheet sums them without a conversion step).
 */

const cell = (v: Value) => (typeof v === 'string' ? neutralise(v) : typeof v === 'boolean' ? Number(v) : (v ?? null));

function addSheet<Row>(wb: ExcelJS.Workbook, name: string, columns: Column<Row>[], rows: Row[]) {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.addRow(columns.map((c) => c.zh));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(columns.map((c) => cell(c.value(row))));
}

const CODEBOOK_ZH: Record<(typeof CODEBOOK_HEADER)[number], string> = {
  csv: '文件',
  column: '列名',
  stata_name: 'Stata变量名',
  label_zh: '中文标签',
  label_en: '英文标签',
  type: '类型',
  unit: '单位',
  formats: '适用格式',
  same_across_formats: '各格式含义是否相同',
  derivation: '计算方法',
};

export async function resultsWorkbook(records: ReportRecord[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  addSheet(wb, 'reports', REPORT_COLUMNS, reportRows(records));
  addSheet(wb, 'cells', CELL_COLUMNS, cellRows(records));
  addSheet(wb, 'findings', FINDING_COLUMNS, findingRows(records));
  const codebook: Column<Record<string, string>>[] = CODEBOOK_HEADER.map((h) => ({ name: h, zh: CODEBOOK_ZH[h], en: h, type: 'text', value: (r) => r[h] }));
  addSheet(wb, 'codebook', codebook, codebookRows() as unknown as Record<string, string>[]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function writeWorkbook(records: ReportRecord[], dir: string) {
  await writeFileAtomic(`${dir}/results.xlsx`, await resultsWorkbook(records));
}
