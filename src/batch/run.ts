import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ReportRecord } from '../record/schema.js';
import { acrossKey, validateAcross } from '../validate/index.js';
import { writeCsvs } from '../export/csv.js';
import { writeRecordsJsonl } from '../export/jsonl.js';
import { DEFAULT_ZIP_LIMITS, listInputs, type Input, type ZipLimits } from './inputs.js';
import { Ledger } from './ledger.js';
import { processInputs, type ProcessEvent } from './process.js';
import { createProgress } from './progress.js';
import type { QueueProcessOptions } from './queue-producer.js';

export interface BatchOptions {
  paths: string[];
  out: string;
  jobs?: number;
  timeoutMs?: number;
  memoryMb?: number;
  ocr?: boolean;
  retryFailed?: boolean;
  quiet?: boolean;
  /** Write anomalies.html/md (default true); they render report pages, the slowest output. */
  anomalies?: boolean;
  zipLimits?: Partial<ZipLimits>;
  /** Progress and the summary go here (default stdout). */
  stream?: NodeJS.WriteStream;
  /** Extract on `xxgk worker`s through a Redis queue instead of local worker processes (queue-producer.ts). */
  queue?: QueueBatchOptions;
}

export type QueueBatchOptions = Omit<QueueProcessOptions, 'ocr' | 'ledger' | 'retryFailed' | 'onEvent' | 'sharedFsRoots'> & { sharedFs?: boolean };

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
  ledger.putSkipped(set.skipped);
  const progress = createProgress({ total: set.inputs.length, quiet: opts.quiet, stream });
  try {
    const onEvent = (e: ProcessEvent) => {
      if (e.status === 'processed') summary.processed++;
      if (e.status === 'ledger') summary.fromLedger++;
      if (e.record.error) summary.failed++;
      progress.tick(!!e.record.error);
    };
    const records = opts.queue
      ? await (await import('./queue-producer.js')).processViaQueue(set.inputs, {
          ...opts.queue,
          sharedFsRoots: opts.queue.sharedFs ? opts.paths : undefined,
          ocr: opts.ocr,
          retryFailed: opts.retryFailed,
          ledger,
          onEvent,
        })
      : await processInputs(set.inputs, {
      jobs: opts.jobs ?? availableParallelism(),
      timeoutMs: opts.timeoutMs,
      memoryMb: opts.memoryMb,
      ocr: opts.ocr,
      retryFailed: opts.retryFailed,
      ledger,
      onEvent,
    });
    progress.stop();
    summary.records = withCrossYearFindings(records);
    await writeRecordsJsonl(summary.records, join(opts.out, 'records.jsonl'));
    await writeCsvs(summary.records, opts.out);
    const readSource = async (r: ReportRecord) => {
      const input = bySource.get(r.source.path);
      return input && !input.rejected ? input.read().catch(() => null) : null;
    };
    if (opts.anomalies !== false) await writeAnomalies(summary.records, opts.out, readSource, summary.warnings);
  } finally {
    ledger.close();
    await set.close();
  }
  return summary;
}

/**
 * Adds the xyear.* findings, which need the whole batch, to the records they concern. They are not kept in
 * the ledger: they change with what else is in the batch.
 */
function withCrossYearFindings(records: ReportRecord[]): ReportRecord[] {
  // The same file twice in a batch (a folder and a zip of it) is one report, not two years' worth of evidence.
  const seen = new Set<string>();
  const distinct = records.filter((r) => !r.source.sha256 || (!seen.has(r.source.sha256) && seen.add(r.source.sha256)));
  const found = validateAcross(distinct);
  return records.map((r) => {
    const add = found.get(acrossKey(r)) ?? [];
    return add.length ? { ...r, findings: [...r.findings, ...add] } : r;
  });
}

/** The anomaly pages render report pages (pdfjs, canvas): loaded only here, and a failure there costs only them. */
async function writeAnomalies(records: ReportRecord[], out: string, readSource: (r: ReportRecord) => Promise<Uint8Array | null>, warnings: string[]) {
  try {
    const { writeAnomalyReports } = await import('../export/anomalies.js');
    await writeAnomalyReports(records, out, { readSource });
  } catch (err) {
    warnings.push(`anomaly reports not written: ${(err as Error)?.stack ?? err}`);
  }
}
