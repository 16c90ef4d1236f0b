import type { ReportRecord } from '../../src/record/schema.js';

export interface CellScore {
  truth: number;
  exact: number;
  /** [key, read, true value]: a number read that is not the report's (or a cell the report does not have). */
  wrong: [string, number | null, number | null | undefined][];
  /** Keys of the truth left out of the record. */
  missing: string[];
  /** Left-out keys that neither a finding (structure.missing names each) nor a note of the record names. */
  unexplained: string[];
}

/** A record's cells against a truth file's: exact, wrong, left out, and whether each left-out cell is said. */
export function scoreCells(record: ReportRecord, truth: Record<string, number | null>): CellScore {
  const score: CellScore = { truth: 0, exact: 0, wrong: [], missing: [], unexplained: [] };
  const notes = record.notes ?? [];
  const said = (key: string) => notes.some((n) => n.keys?.includes(key) || n.text.includes(key));
  const named = new Set(record.findings.flatMap((f) => f.keys));
  for (const [key, value] of Object.entries(truth)) {
    score.truth++;
    if (!(key in record.cells)) {
      score.missing.push(key);
      if (!named.has(key) && !said(key)) score.unexplained.push(key);
    } else if (record.cells[key] === value) score.exact++;
    else score.wrong.push([key, record.cells[key], value]);
  }
  for (const [key, value] of Object.entries(record.cells)) if (!(key in truth)) score.wrong.push([key, value, undefined]);
  return score;
}

