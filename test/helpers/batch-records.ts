import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ReportRecord } from '../../src/record/schema.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Runs `xxgk batch` over a folder as a user does (two workers, a time limit for a long scan on a machine the other
 * test files keep busy) and gives its records by file name.
 */
export function batchRecords(input: string, out: string): Map<string, ReportRecord> {
  const run = spawnSync(process.execPath, ['bin/xxgk.mjs', 'batch', input, '--out', out, '--jobs', '2', '--timeout', '600', '--no-anomalies', '--quiet'], { cwd: ROOT, encoding: 'utf8', timeout: 1_200_000 });
  if (run.status !== 0) throw new Error(`batch over ${input} failed: ${run.stderr}`);
  const records = new Map<string, ReportRecord>();
  for (const line of readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n')) {
    const r = JSON.parse(line) as ReportRecord;
    records.set(r.file, r);
  }
  return records;
}
