import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Finding, ReportRecord } from '../record/schema.js';
import type { ImageLimits } from '../export/anomalies-images.js';
import { acrossKey, validateAcross } from '../validate/index.js';
import { writeCsvs, type CsvEncoding } from '../export/csv.js';
import { writeLoaders } from '../export/loaders.js';
import { writeWorkbook } from '../export/xlsx.js';
import { writeRecordsJsonl } from '../export/jsonl.js';
import { DEFAULT_ZIP_LIMITS, listInputs, type Input, type ZipLimits } from './inputs.js';
import { Ledger } from './ledger.js';
import { DEFAULT_WORKER_MEMORY_MB } from './limits.js';
import { WorkerPool } from './pool.js';
import { processInputs, type ProcessEvent } from './process.js';
import { ReviewStore } from './reviews.js';
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
  /** Progress goes here (default standard error: standard output is for results). */
  stream?: NodeJS.WriteStream;
  /** Encoding of the CSVs (default UTF-8 with a BOM); load.do and load.R read them in it. */
  csvEncoding?: CsvEncoding;
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
  const ledgerPath = join(opts.out, 'xxgk.sqlite');
  try {
    return await batchIn(opts, ledgerPath);
  } catch (err) {
    throw explained(err, opts.out, ledgerPath);
  }
}

/** A batch that cannot go on for a reason of its output folder (full, read-only, a damaged ledger): said in one line. */
export class BatchOutputError extends Error {}

/** The output folder's faults as what they are and what to do; anything else as it was. */
export function explained(err: unknown, out: string, ledgerPath: string): unknown {
  const e = err as { code?: string; message?: string; path?: string };
  const code = typeof e?.code === 'string' ? e.code : '';
  // SQLite's errors carry a code in some bindings and only SQLite's message in others (the WebAssembly one).
  const said = `${code ? `${code}: ` : ''}${e?.message ?? err}`;
  const sqlite = (codes: RegExp, messages: RegExp) => codes.test(code) || (!code && messages.test(e?.message ?? ''));
  if (sqlite(/^SQLITE_(NOTADB|CORRUPT)/, /file is not a database|database disk image is malformed/))
    return new BatchOutputError(`${ledgerPath}: the ledger is damaged (${said}); move it away to start afresh (its finished files are then read again) or restore a copy`);
  if (sqlite(/^SQLITE_(FULL|IOERR)/, /disk I\/O error|database or disk is full/) || ['ENOSPC', 'EFBIG', 'EDQUOT'].includes(code))
    return new BatchOutputError(`${e.path ?? ledgerPath}: could not be written (${said}); free some space and run again: finished files are kept in the ledger`);
  if (sqlite(/^SQLITE_(READONLY|CANTOPEN|PERM)/, /readonly database|unable to open database/) || ['EROFS', 'EACCES', 'EPERM'].includes(code))
    return new BatchOutputError(`${e.path ?? out}: cannot write there (${said}); choose another --out or make it writable`);
  return err;
}

async function batchIn(opts: BatchOptions, ledgerPath: string): Promise<BatchSummary> {
  const stream = opts.stream ?? process.stderr;
  await mkdir(opts.out, { recursive: true });
  const set = await listInputs(opts.paths, { ...DEFAULT_ZIP_LIMITS, ...opts.zipLimits });
  let ledger: Ledger;
  try {
    ledger = new Ledger(ledgerPath);
    // Where the inputs are, so that `xxgk serve` can show their pages; the reviews' tables live beside it.
    const reviews = ReviewStore.open(ledgerPath);
    reviews.rememberInputRoots(opts.paths);
    reviews.close();
  } catch (err) {
    await set.close();
    throw err;
  }
  const bySource = new Map<string, Input>(set.inputs.map((i) => [i.displayPath, i]));
  const summary: BatchSummary = { total: set.inputs.length, processed: 0, fromLedger: 0, failed: 0, skipped: set.skipped, records: [], warnings: [] };
  ledger.putSkipped(set.skipped);
  const progress = createProgress({ total: set.inputs.length, quiet: opts.quiet, stream });
  try {
    const onEvent = (e: ProcessEvent) => {
      if (e.status === 'processed') summary.processed++;
      if (e.status === 'ledger') summary.fromLedger++;
      if (e.record.error) summary.failed++;
      progress.tick(!!e.record.error, e.status === 'ledger');
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
    const anomalies = opts.anomalies !== false;
    // The anomaly report renders the pages behind its findings: the slowest output, after the last file.
    progress.stop(anomalies ? 'writing the outputs and rendering the anomaly report (anomalies.html, .md) / 正在生成异常报告 …' : undefined);
    summary.records = withCrossYearFindings(records);
    await writeRecordsJsonl(summary.records, join(opts.out, 'records.jsonl'));
    await writeCsvs(summary.records, opts.out, opts.csvEncoding);
    await writeLoaders(opts.out, opts.csvEncoding ?? 'utf-8-bom');
    await writeWorkbook(summary.records, opts.out);
    const readSource = async (r: ReportRecord) => {
      const input = bySource.get(r.source.path);
      return input && !input.rejected ? input.read().catch(() => null) : null;
    };
    if (anomalies) await writeAnomalies(summary.records, opts.out, readSource, summary.warnings, opts);
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

/**
 * The anomaly pages render report pages (pdfjs, canvas): in a worker process, under the per-file time and
 * memory limits, so that a page that would take minutes or gigabytes to draw costs its report its pictures.
 */
async function writeAnomalies(
  records: ReportRecord[],
  out: string,
  readSource: (r: ReportRecord) => Promise<Uint8Array | null>,
  warnings: string[],
  opts: Pick<BatchOptions, 'timeoutMs' | 'memoryMb'>,
) {
  let pool: WorkerPool | undefined;
  try {
    const { writeAnomalyReports } = await import('../export/anomalies.js');
    const renderImages = async (bytes: Uint8Array, record: ReportRecord, findings: Finding[], limits: ImageLimits) => {
      pool ??= new WorkerPool({ size: 1, timeoutMs: opts.timeoutMs ?? 60_000, memoryMb: opts.memoryMb ?? DEFAULT_WORKER_MEMORY_MB });
      const outcome = await pool.runSnapshots({ displayPath: record.source.path, bytes, record, findings, limits });
      if (!outcome.ok) throw new Error(`[${outcome.code}] ${outcome.message}`);
      // PNGs cross the process boundary as plain Uint8Arrays
      return outcome.images.map((imgs) => imgs.map((img) => ({ ...img, png: Buffer.from(img.png) })));
    };
    await writeAnomalyReports(records, out, { readSource, renderImages });
  } catch (err) {
    // A report that cannot be made is a warning; a folder that cannot take it is the batch's failure.
    if (typeof (err as { code?: unknown })?.code === 'string' && /^E[A-Z]+$/.test((err as { code: string }).code)) throw err;
    warnings.push(`anomaly reports not written: ${(err as Error)?.stack ?? err}`);
  } finally {
    await pool?.close();
  }
}
