import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../src/record/schema.js';
import { batchRecords } from './helpers/batch-records.js';
import { scoreCells } from './helpers/cell-score.js';
import { makeBreakSweep, type SweepPrint } from './fixtures/make-break-sweep.js';
import { CHROMIUM_PATH } from './fixtures/make-prints.js';

/**
 * Every HTML report page of the corpus printed with its page breaks moved down in steps finer than a row, so a
 * break falls at every place of every table: header rows cut from the columns under them, rows cut in half,
 * a table's last rows alone on the next page. Each print is read as a whole A4 print is: every cell the truth gives.
 */
const usable = existsSync(CHROMIUM_PATH);

let prints: SweepPrint[] = [];
let records = new Map<string, ReportRecord>();
let dir = '';

beforeAll(async () => {
  if (!usable) return;
  prints = await makeBreakSweep();
  dir = mkdtempSync(join(tmpdir(), 'xxgk-break-sweep-read-'));
  records = batchRecords(dirname(prints[0].pdf), join(dir, 'out'));
}, 1_500_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const truthOf = (p: SweepPrint) => JSON.parse(readFileSync(p.truth, 'utf8')).cells as Record<string, number | null>;

describe.skipIf(!usable)('page breaks at every place of the tables', () => {
  it('reads every cell of every print as the truth gives it: none wrong, none left out', () => {
    expect(prints.length).toBeGreaterThan(100);
    const off = prints.flatMap((p) => {
      const r = records.get(basename(p.pdf));
      if (!r) return [`${basename(p.pdf)}: no record`];
      const s = scoreCells(r, truthOf(p));
      return s.wrong.length || s.missing.length ? [`${basename(p.pdf)}: wrong ${JSON.stringify(s.wrong)} missing ${s.missing.join(' ')}`] : [];
    });
    expect(off).toEqual([]);
  });

  it('lays no error to a report where the truth knows none', () => {
    const consistent = prints.filter((p) => {
      const truth = JSON.parse(readFileSync(p.truth, 'utf8')) as { known_anomalies?: unknown[]; planted?: unknown[] };
      return !truth.known_anomalies?.length && !truth.planted?.length;
    });
    expect(consistent.length).toBeGreaterThan(0);
    const accused = consistent.flatMap((p) => {
      const errors = records.get(basename(p.pdf))?.findings.filter((f) => f.severity === 'error' && f.origin === 'source') ?? [];
      return errors.map((f) => `${basename(p.pdf)} ${f.rule} ${f.keys.join(',')}`);
    });
    expect(accused).toEqual([]);
  });
});
