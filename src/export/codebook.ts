import { ALL_KEYS } from '../format/catalog.js';
import { CSV_TABLES, STATUS_PREFIX, type ColumnInfo } from './columns.js';

/**
 * codebook.csv: one row per column of every CSV, made from the column lists (themselves made from the format
 * catalog), with the Stata name each column gets in load.do.
 */

export interface StataSettings {
  /** Stata's limit on a variable name. */
  maxName: number;
  /** What a status column's name starts with; its stem is the value column's, so both fit the limit. */
  statusPrefix: string;
}

export const STATA_SETTINGS: StataSettings = { maxName: 32, statusPrefix: 's_' };

/** Stata's rule for names: a letter or _ first, then letters, digits, _; at most 32 characters. */
export const isStataName = (s: string) => /^[A-Za-z_][A-Za-z0-9_]{0,31}$/.test(s);

/**
 * t3.denied.law_prohibited.commercial → t3_denied_law_prohib_commercial: dots become _, and while too long
 * the longest word loses its last letter, so every word keeps its head and the name stays readable.
 */
export function stataStem(name: string, max: number): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const length = () => words.join('_').length;
  while (length() > max) {
    const longest = words.reduce((best, w, i) => (w.length > words[best].length ? i : best), 0);
    words[longest] = words[longest].slice(0, -1);
  }
  const stem = words.join('_');
  return /^[A-Za-z_]/.test(stem) ? stem : `_${stem}`.slice(0, max);
}

/** The Stata names of one CSV's columns, unique within it. */
export function stataNames(columns: { name: string }[]): string[] {
  const { maxName, statusPrefix } = STATA_SETTINGS;
  const taken = new Set<string>();
  return columns.map(({ name }) => {
    const status = name.startsWith(STATUS_PREFIX);
    // A key's value and status columns share one stem: t3_new_total and s_t3_new_total.
    const budget = status || ALL_KEYS.includes(name) ? maxName - statusPrefix.length : maxName;
    const base = (status ? statusPrefix : '') + stataStem(status ? name.slice(STATUS_PREFIX.length) : name, budget);
    let unique = base;
    for (let i = 2; taken.has(unique.toLowerCase()); i++) unique = `${base.slice(0, maxName - String(i).length)}${i}`;
    taken.add(unique.toLowerCase());
    return unique;
  });
}

export interface CodebookRow {
  csv: string;
  column: string;
  stata_name: string;
  label_zh: string;
  label_en: string;
  type: string;
  unit: string;
  formats: string;
  same_across_formats: string;
  derivation: string;
}

export const CODEBOOK_HEADER: (keyof CodebookRow)[] = [
  'csv',
  'column',
  'stata_name',
  'label_zh',
  'label_en',
  'type',
  'unit',
  'formats',
  'same_across_formats',
  'derivation',
];

const ALL_FORMATS = 'every row';

export function codebookRows(): CodebookRow[] {
  return CSV_TABLES.flatMap(({ file, columns }) => {
    const stata = stataNames(columns);
    return columns.map((c: ColumnInfo, i) => ({
      csv: file,
      column: c.name,
      stata_name: stata[i],
      label_zh: c.zh,
      label_en: c.en,
      type: c.type,
      unit: c.unit ?? '',
      formats: c.formats ?? ALL_FORMATS,
      same_across_formats: c.sameAcrossFormats ?? '',
      derivation: c.derivation ?? '',
    }));
  });
}

/** The columns of one CSV with their Stata names, for the loaders. */
export function codebookOf(file: string): CodebookRow[] {
  return codebookRows().filter((r) => r.csv === file);
}
