import iconv from 'iconv-lite';
import { stringify } from 'csv-stringify/sync';
import { ALL_KEYS } from '../format/catalog.js';
import type { ReportRecord } from '../record/schema.js';
import { writeFileAtomic } from './atomic.js';
import { CODEBOOK_HEADER, codebookRows } from './codebook.js';
import { CELL_COLUMNS, FINDING_COLUMNS, REPORT_COLUMNS, reportRows, type Column, type Value } from './columns.js';

/**
 * The researchers' tables. UTF-8 with a BOM (so Excel reads the Chinese) or GB18030 (Stata 13, older Excel),
 * RFC 4180 quoting with CRLF rows. Each row names its report by display path, which is unique in a batch where
 * base names are not. The columns and their meaning are in columns.ts and, for users, in codebook.csv.
 */

export const CSV_ENCODINGS = ['utf-8-bom', 'gb18030'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/**
 * Text from a report that a spreadsheet would run as a formula (= + - @, or a leading tab/CR) is prefixed
 * with a quote (the OWASP advice). Numbers are cast apart and stay numbers: a change of -3 is data.
 */
export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export function toCsv(columns: string[], rows: Value[][]): string {
  return stringify(rows, {
    bom: true,
    header: true,
    columns,
    record_delimiter: 'windows',
    cast: { string: neutralise, number: (n) => String(n) },
  });
}

const table = <Row>(columns: Column<Row>[], rows: Row[]) =>
  toCsv(
    columns.map((c) => c.name),
    rows.map((row) => columns.map((c) => c.value(row))),
  );

/** The keys of a record in cells.md order; keys the catalog does not know (there should be none) come last. */
export function orderedKeys(cells: Record<string, unknown>): string[] {
  const known = ALL_KEYS.filter((k) => k in cells);
  const other = Object.keys(cells)
    .filter((k) => !ALL_KEYS.includes(k))
    .sort();
  return [...known, ...other];
}

export const cellRows = (records: ReportRecord[]) => records.flatMap((r) => orderedKeys(r.cells).map((key) => ({ r, key })));
export const findingRows = (records: ReportRecord[]) => records.flatMap((r) => r.findings.map((f) => ({ r, f })));

/** Long: one row per printed cell. A blank cell (null) has an empty value; a cell not printed has no row. */
export const cellsCsv = (records: ReportRecord[]) => table(CELL_COLUMNS, cellRows(records));

/**
 * Wide: one row per report, one column per key of every format, then one status column per key
 * (printed / blank / absent) that keeps a printed blank apart from a cell the report does not have: both have
 * an empty value. `error` says why a row is empty.
 */
export const reportsCsv = (records: ReportRecord[]) => table(REPORT_COLUMNS, reportRows(records));

export const findingsCsv = (records: ReportRecord[]) => table(FINDING_COLUMNS, findingRows(records));

export const codebookCsv = () => {
  const rows = codebookRows();
  return toCsv(CODEBOOK_HEADER, rows.map((r) => CODEBOOK_HEADER.map((h) => r[h])));
};

/** The bytes of a CSV made by toCsv (UTF-8 with a BOM) in the encoding asked for. */
export function encodeCsv(text: string, encoding: CsvEncoding): Uint8Array {
  if (encoding === 'utf-8-bom') return Buffer.from(text, 'utf8');
  return iconv.encode(text.replace(/^\ufeff/, ''), 'gb18030');
}

export const CSV_FILES = ['reports.csv', 'cells.csv', 'findings.csv', 'codebook.csv'] as const;

export async function writeCsvs(records: ReportRecord[], dir: string, encoding: CsvEncoding = 'utf-8-bom') {
  const texts: Record<(typeof CSV_FILES)[number], string> = {
    'reports.csv': reportsCsv(records),
    'cells.csv': cellsCsv(records),
    'findings.csv': findingsCsv(records),
    'codebook.csv': codebookCsv(),
  };
  for (const file of CSV_FILES) await writeFileAtomic(`${dir}/${file}`, encodeCsv(texts[file], encoding));
}
