import { describe, expect, it } from 'vitest';
import { T3_COLUMNS } from '../src/format/catalog.js';
import { findingsWithSecondLook } from '../src/pipeline/second-look.js';
import type { ReportRecord } from '../src/record/schema.js';
import { CORPUS, readTruth, recordFrom } from './validate-records.js';

/**
 * Never accuse on a misreading: a table 三 continued on the next page and read a column shifted (its header
 * left behind) breaks identities that the report keeps. The second look finds the shift and lays the errors to
 * our reading; a real error in the same split table stays the report's.
 */
const COLS = T3_COLUMNS.map((c) => c.id);
const FIRST_PAGE_ROWS = ['new', 'carried_in'];

/** A report whose 表三 is split after its first two rows: those on page 3, the rest on page 4. */
function splitRecord(): ReportRecord {
  const truth = readTruth(CORPUS + 'gen01_2021_county_gov_docx_hzqstyle.json');
  expect(truth.planted ?? []).toEqual([]);
  const record = recordFrom(truth);
  for (const k of Object.keys(record.cells)) {
    const row = k.split('.').slice(1, -1).join('.');
    record.provenance[k] = { ...record.provenance[k], page: k.startsWith('t3.') && !FIRST_PAGE_ROWS.includes(row) ? 4 : 3 };
  }
  return record;
}

/** The page-4 part read one column to the right: each cell holds its left neighbour's number, 自然人 none. */
function shiftedRight(record: ReportRecord): ReportRecord {
  const out = structuredClone(record);
  for (const k of Object.keys(record.cells)) {
    if (record.provenance[k].page !== 4 || !k.startsWith('t3.')) continue;
    const parts = k.split('.');
    const i = COLS.indexOf(parts[parts.length - 1]);
    if (i === 0) {
      delete out.cells[k];
      delete out.provenance[k];
      continue;
    }
    const from = [...parts.slice(0, -1), COLS[i - 1]].join('.');
    out.cells[k] = record.cells[from];
    out.provenance[k] = { ...record.provenance[k], text: String(record.cells[from] ?? '') };
  }
  return out;
}

const identityErrors = (r: ReportRecord) => r.findings.filter((f) => f.severity === 'error' && /^t[34]\./.test(f.rule));

describe('second look at source errors', () => {
  it('the report as printed, split over two pages, has no identity error', () => {
    const r = splitRecord();
    r.findings = findingsWithSecondLook(r);
    expect(identityErrors(r)).toEqual([]);
  });

  it('a continuation read a column shifted gets extraction errors, with a note, never source', () => {
    const r = shiftedRight(splitRecord());
    r.findings = findingsWithSecondLook(r);
    const errors = identityErrors(r);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((f) => f.origin === 'source').map((f) => `${f.rule} ${f.message}`)).toEqual([]);
    expect((r.notes ?? []).some((n) => n.includes('page 4') && n.includes('column'))).toBe(true);
    // The suspect cells are the shifted part's, now below full confidence; the first page's keep theirs.
    expect(r.provenance['t3.total_handled.commercial'].confidence).toBeLessThan(1);
    expect(r.provenance['t3.new.natural'].confidence).toBe(1);
  });

  it('a real error in the same split table stays source', () => {
    const r = splitRecord();
    r.cells['t3.new.natural'] = (r.cells['t3.new.natural'] ?? 0) + 1;
    r.findings = findingsWithSecondLook(r);
    const errors = identityErrors(r);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((f) => f.origin === 'source')).toBe(true);
    expect(r.notes ?? []).toEqual([]);
  });
});
