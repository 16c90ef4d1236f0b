import { stringify } from 'csv-stringify/sync';
import { ALL_KEYS } from '../format/catalog.js';
import type { ReportRecord } from '../record/schema.js';
import { writeFileAtomic } from './atomic.js';

/**
 * The researchers' tables. UTF-8 with a BOM (so Excel reads the Chinese), RFC 4180 quoting with CRLF rows.
 * Each row names its report by display path, which is unique in a batch where base names are not.
 */

type Value = string | number | null | undefined;

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

const base = (r: ReportRecord) => [r.source.path, r.meta.agency, r.meta.year, r.meta.format];
const BASE_COLUMNS = ['file', 'agency', 'year', 'format'];

/** The keys of a record in cells.md order; keys the catalog does not know (there should be none) come last. */
export function orderedKeys(cells: Record<string, unknown>): string[] {
  const known = ALL_KEYS.filter((k) => k in cells);
  const other = Object.keys(cells)
    .filter((k) => !ALL_KEYS.includes(k))
    .sort();
  return [...known, ...other];
}

/** Long: one row per printed cell. A blank cell (null) has an empty value; a cell not printed has no row. */
export function cellsCsv(records: ReportRecord[]): string {
  const rows = records.flatMap((r) =>
    orderedKeys(r.cells).map((key) => {
      const p = r.provenance[key];
      return [...base(r), key, r.cells[key], p?.page, p?.confidence, p?.via];
    }),
  );
  return toCsv([...BASE_COLUMNS, 'key', 'value', 'page', 'confidence', 'via'], rows);
}

/** Wide: one row per report, one column per key of every format; `error` says why a row is empty. */
export function reportsCsv(records: ReportRecord[]): string {
  const rows = records.map((r) => [...base(r), ...ALL_KEYS.map((k) => r.cells[k]), r.error ? `${r.error.code}: ${r.error.message}` : '']);
  return toCsv([...BASE_COLUMNS, ...ALL_KEYS, 'error'], rows);
}

export function findingsCsv(records: ReportRecord[]): string {
  const rows = records.flatMap((r) =>
    r.findings.map((f) => [r.source.path, r.meta.agency, r.meta.year, f.rule, f.severity, f.origin, f.keys.join(' '), f.expected, f.actual, f.message]),
  );
  return toCsv(['file', 'agency', 'year', 'rule', 'severity', 'origin', 'keys', 'expected', 'actual', 'message'], rows);
}

export async function writeCsvs(records: ReportRecord[], dir: string) {
  await writeFileAtomic(`${dir}/cells.csv`, cellsCsv(records));
  await writeFileAtomic(`${dir}/reports.csv`, reportsCsv(records));
  await writeFileAtomic(`${dir}/findings.csv`, findingsCsv(records));
}
