import { readFile } from 'node:fs/promises';
import { validate, validateAcross, acrossKey } from './index.js';
import { RecordSchema, type ReportRecord } from '../record/schema.js';
import { upgradeNotes } from '../record/notes.js';

/**
 * Re-checking saved records (`xxgk check`): read a record or a JSONL of records,
 * validate each against the record schema, and run the rules afresh. A bad line is
 * named (file, line, reason) and skipped; it never stops the others.
 */

export interface LoadedRecords {
  records: ReportRecord[];
  /** One message per input that is not a valid record, naming the file (and line). */
  problems: string[];
  /** Whether the input was JSONL (one record per line). */
  lines: boolean;
}

function describe(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(record)'}: ${i.message}`)
    .join('; ');
}

export function parseRecords(name: string, text: string): LoadedRecords {
  const problems: string[] = [];
  const records: ReportRecord[] = [];
  const trimmed = text.trim();
  const asLines = name.endsWith('.jsonl') || (!trimmed.startsWith('[') && trimmed.includes('\n{'));
  const take = (value: unknown, where: string) => {
    // records saved by 0.1 carry their notes as plain sentences
    const saved = value && typeof value === 'object' && 'notes' in value ? { ...value, notes: upgradeNotes(value.notes) } : value;
    const r = RecordSchema.safeParse(saved);
    if (r.success) records.push(r.data);
    else problems.push(`${where}: not a valid record: ${describe(r.error.issues)}`);
  };
  if (!trimmed) return { records, problems: [`${name}: empty file`], lines: asLines };
  if (asLines) {
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        problems.push(`${name} line ${i + 1}: not JSON: ${(e as Error).message}`);
        return;
      }
      take(value, `${name} line ${i + 1}`);
    });
    return { records, problems, lines: true };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { records, problems: [`${name}: not JSON: ${(e as Error).message}`], lines: false };
  }
  if (Array.isArray(value)) value.forEach((v, i) => take(v, `${name} [${i}]`));
  else take(value, name);
  return { records, problems, lines: false };
}

export async function loadRecords(path: string): Promise<LoadedRecords> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { records: [], problems: [`${path}: cannot read: ${err.code ?? err.message}`], lines: false };
  }
  return parseRecords(path, text);
}

/** Fresh findings for each record: its own rules, and the cross-year rules among the records given together. */
export function recheck(records: ReportRecord[]): ReportRecord[] {
  const across = records.length > 1 ? validateAcross(records) : new Map();
  return records.map((r) => ({ ...r, findings: [...validate(r), ...(across.get(acrossKey(r)) ?? [])] }));
}
