import { T3_COLUMNS, T4_COLUMNS, T4_GROUPS } from '../format/catalog.js';
import { identitiesOf, t3RowIds, type Identity } from '../format/identities.js';
import type { Finding, ReportRecord } from '../record/schema.js';
import { note, sectionOfKey, type Note } from '../record/notes.js';
import { detectLayout } from './context.js';

/**
 * A second look before an agency is accused: an `error` that a simple misreading of ours would explain is not
 * the report's. Where the cells of a failing identity come from more than one part of the document (a table
 * continued on the next page, a second table), and taking one part's values from the neighbouring column
 * (its columns shifted, as a continuation read without its header is) or the neighbouring row (rows mis-split)
 * makes the identity hold, our reading of that part is suspect.
 */
export const SECOND_LOOK_SETTINGS = {
  /** Rules whose failures are looked at again: the tables' identities. */
  rules: ['t3.balance', 't3.results', 't3.columns', 't4.sum'] as string[],
  /** A shifted reading that holds only because every value in it is 0 explains nothing. */
  ignoreAllZero: true,
};

export interface Suspicion {
  /** The finding's rule and keys. */
  rule: string;
  keys: string[];
  /** The cells whose reading is in doubt: the finding's (a shift of one of its parts explains it). */
  doubted: string[];
  note: Note;
}

/** A key's place in its table: the row and the column it sits in, in the format's printed order. */
interface Place {
  table: 't3' | 't4';
  row: string;
  col: string;
}

const T3_COLS = T3_COLUMNS.map((c) => c.id);
const T4_COLS = T4_COLUMNS.map((c) => c.id);
const T4_ROWS = T4_GROUPS.map((g) => g.id);

function placeOf(key: string): Place | null {
  const m = /^(t3|t4)\.(.+)\.([a-z_]+)$/.exec(key);
  return m ? { table: m[1] as 't3' | 't4', row: m[2], col: m[3] } : null;
}

/** The key `by` columns (axis 'col') or rows (axis 'row') away, in the printed order; null off the table. */
function neighbour(key: string, axis: 'col' | 'row', by: number, t3Rows: string[]): string | null {
  const p = placeOf(key);
  if (!p) return null;
  const cols = p.table === 't3' ? T3_COLS : T4_COLS;
  const rows = p.table === 't3' ? t3Rows : T4_ROWS;
  const list = axis === 'col' ? cols : rows;
  const at = list.indexOf(axis === 'col' ? p.col : p.row);
  const to = list[at + by];
  if (at < 0 || to === undefined) return null;
  return axis === 'col' ? `${p.table}.${p.row}.${to}` : `${p.table}.${to}.${p.col}`;
}

/** The part of the document a cell was read from: its page and table, or its HTML/Word table. */
function partOf(record: ReportRecord, key: string): string {
  const p = record.provenance[key];
  if (!p) return '?';
  return p.page !== undefined ? `page ${p.page}` : p.table !== undefined ? `table ${p.table}` : p.line !== undefined ? 'text' : '?';
}

const valueOf = (record: ReportRecord, key: string) => {
  const v = record.cells[key];
  return v === undefined ? undefined : v ?? 0;
};

/** Whether the identity holds with the cells of `part` read from their neighbours instead. */
function holdsShifted(record: ReportRecord, id: Identity, part: Set<string>, axis: 'col' | 'row', by: number, t3Rows: string[]): boolean {
  const read = (k: string) => {
    if (!part.has(k)) return valueOf(record, k);
    const n = neighbour(k, axis, by, t3Rows);
    return n === null ? undefined : valueOf(record, n);
  };
  const total = id.total.map(read);
  const parts = id.parts.map(read);
  const all = [...total, ...parts];
  if (all.some((v) => v === undefined)) return false;
  const shifted = [...part].map(read) as number[];
  if (SECOND_LOOK_SETTINGS.ignoreAllZero && shifted.every((v) => v === 0)) return false;
  const sum = (vs: (number | undefined)[]) => vs.reduce<number>((a, v) => a + (v ?? 0), 0);
  return Math.abs(sum(total) - sum(parts)) < 1e-6;
}

/** The identity a finding reports, found again by its rule and keys. */
function identityOf(f: Finding, identities: Identity[]): Identity | undefined {
  const keys = new Set(f.keys);
  return identities.find((id) => id.rule === f.rule && [...id.total, ...id.parts].every((k) => keys.has(k)) && keys.size === id.total.length + id.parts.length);
}

/** The `source` errors of a record that a misalignment of our reading explains. */
export function misalignments(record: ReportRecord, findings: Finding[]): Suspicion[] {
  const layout = detectLayout(record);
  const identities = identitiesOf(layout.otherSplit);
  const t3Rows = t3RowIds(layout.otherSplit);
  const out: Suspicion[] = [];
  for (const f of findings) {
    if (f.severity !== 'error' || f.origin !== 'source' || !SECOND_LOOK_SETTINGS.rules.includes(f.rule)) continue;
    const id = identityOf(f, identities);
    if (!id) continue;
    const byPart = new Map<string, Set<string>>();
    for (const k of f.keys) byPart.set(partOf(record, k), (byPart.get(partOf(record, k)) ?? new Set()).add(k));
    // Within a single part, shifting every cell only reads another row's or column's identity: no evidence.
    if (byPart.size < 2) continue;
    const hit = [...byPart].flatMap(([where, part]) =>
      (['col', 'row'] as const).flatMap((axis) => [-1, 1].filter((by) => holdsShifted(record, id, part, axis, by, t3Rows)).map((by) => ({ where, part, axis, by }))),
    )[0];
    if (!hit) continue;
    const dir = hit.axis === 'col' ? (hit.by < 0 ? 'the column to its left' : 'the column to its right') : hit.by < 0 ? 'the row above' : 'the row below';
    out.push({
      rule: f.rule,
      keys: f.keys,
      // Either part may be the one misread: every cell of the finding is in doubt.
      doubted: f.keys,
      note: note(
        'reading_doubted',
        `${f.rule} on ${f.keys[0]}…: it holds if the cells read from ${hit.where} are taken from ${dir}; our reading of that part may be shifted, so the finding is not laid to the report`,
        { section: sectionOfKey(f.keys[0]), page: f.page, keys: f.keys },
      ),
    });
  }
  return out;
}
