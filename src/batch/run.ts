import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Finding, ReportRecord } from '../validate/schema.js';
import { writeCsvs } from '../export/csv.js';
import { writeRecordsJsonl } from '../export/jsonl.js';
import { DEFAULT_ZIP_LIMITS, listInputs, type Input, type ZipLimits } from './inputs.js';
import { Ledger } from './ledger.js';
import { processInputs, type ProcessEvent } from './process.js';
import { createProgress } from './progress.js';

export interface BatchOptions {
  paths: string[];
  out: string;
  jobs?: number;
  timeoutMs?: number;
  memoryMb?: number;
  ocr?: boolean;
  retryFailed?: boolean;
  quiet?: boolean;
  zipLimits?: Partial<ZipLimits>;
  /** Progress and the summary go here (default stdout). */
  stream?: NodeJS.WriteStream;
}

export interface BatchSummary {
  total: number;
  /** Extracted in this run. */
  processed: number;
  /** Found in the ledger from an earlier run (or a duplicate of another input). */
  fromLedger: number;
  /** Records with an error, from this run or the ledger. */
  failed: number;
  skipped: { displayPath: string; reason: string }[];
  records: ReportRecord[];
  /** Outputs not written, with why (an optional stage not available yet). */
  warnings: string[];
}

/**
 * The whole batch: list inputs, extract what the ledger does not already hold, add the cross-year findings,
 * and write every output afresh from the records. Running it twice gives the same outputs and no new work.
 */
export async function runBatch(opts: BatchOptions): Promise<BatchSummary> {
  const stream = opts.stream ?? process.stdout;
  await mkdir(opts.out, { recursive: true });
  const set = await listInputs(opts.paths, { ...DEFAULT_ZIP_LIMITS, ...opts.zipLimits });
  const ledger = new Ledger(join(opts.out, 'xxgk.sqlite'));
  const bySource = new Map<string, Input>(set.inputs.map((i) => [i.displayPath, i]));
  const summary: BatchSummary = { total: set.inputs.length, processed: 0, fromLedger: 0, failed: 0, skipped: set.skipped, records: [], warnings: [] };
  const progress = createProgress({ total: set.inputs.length, quiet: opts.quiet, stream });
  try {
    const onEvent = (e: ProcessEvent) => {
      if (e.status === 'processed') summary.processed++;
      if (e.status === 'ledger') summary.fromLedger++;
      if (e.record.error) summary.failed++;
      progress.tick(!!e.record.error);
    };
    const records = await processInputs(set.inputs, {
      jobs: opts.jobs ?? availableParallelism(),
      timeoutMs: opts.timeoutMs,
      memoryMb: opts.memoryMb,
      ocr: opts.ocr,
      retryFailed: opts.retryFailed,
      ledger,
      onEvent,
    });
    progress.stop();
    summary.records = await withCrossYearFindings(records, summary.warnings);
    await writeRecordsJsonl(summary.records, join(opts.out, 'records.jsonl'));
    await writeCsvs(summary.records, opts.out);
    const readSource = async (r: ReportRecord) => {
      const input = bySource.get(r.source.path);
      return input && !input.rejected ? input.read().catch(() => null) : null;
    };
    await writeAnomalies(summary.records, opts.out, readSource, summary.warnings);
  } finally {
    ledger.close();
    await set.close();
  }
  return summary;
}

type AcrossFn = (records: ReportRecord[]) => unknown;

/**
 * Adds the xyear.* findings, which need the whole batch, to the records they concern. They are not kept in
 * the ledger: they change with what else is in the batch.
 */
async function withCrossYearFindings(records: ReportRecord[], warnings: string[]): Promise<ReportRecord[]> {
  const mod = (await import('../validate/index.js')) as { validateAcross?: AcrossFn };
  if (typeof mod.validateAcross !== 'function') {
    // TODO(validation): remove this branch once src/validate/index.ts exports validateAcross.
    warnings.push('cross-year rules skipped: validateAcross is not available yet');
    return records;
  }
  const found = mod.validateAcross(records);
  return mergeFindings(records, found);
}

/** Accepts the shapes validateAcross may return: findings per record (aligned array or map by path). */
export function mergeFindings(records: ReportRecord[], found: unknown): ReportRecord[] {
  const extra = (r: ReportRecord, i: number): Finding[] => {
    if (Array.isArray(found)) return (found[i] as Finding[] | undefined) ?? [];
    if (found instanceof Map) return (found.get(r.source.path) ?? found.get(r) ?? []) as Finding[];
    return [];
  };
  return records.map((r, i) => {
    const add = extra(r, i);
    return add.length ? { ...r, findings: [...r.findings, ...add] } : r;
  });
}

type AnomalyWriter = (records: ReportRecord[], outDir: string, opts: { readSource: (r: ReportRecord) => Promise<Uint8Array | null> }) => Promise<unknown>;

async function writeAnomalies(records: ReportRecord[], out: string, readSource: (r: ReportRecord) => Promise<Uint8Array | null>, warnings: string[]) {
  let write: AnomalyWriter | undefined;
  let why = 'src/export/anomalies.ts is not available yet';
  try {
    // Loaded on demand: the page renderer is heavy, and (until it lands) may not be there at all.
    const mod = (await import(/* @vite-ignore */ anomaliesModule)) as { writeAnomalyReports?: AnomalyWriter };
    write = mod.writeAnomalyReports;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    why = (err as Error).message;
  }
  if (!write) {
    warnings.push(`anomaly reports skipped: ${why}`);
    return;
  }
  await write(records, out, { readSource });
}
const anomaliesModule = '../export/anomalies.js';
