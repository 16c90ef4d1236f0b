import { errorCodeOf, type ErrorCode } from '../record/errors.js';
import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import type { ReportRecord } from '../record/schema.js';
import { TOOL_VERSION } from '../version.js';
import type { Input } from './inputs.js';
import type { Ledger } from './ledger.js';
import { WorkerPool, type PoolOptions } from './pool.js';
import { DEFAULT_WORKER_MEMORY_MB } from './limits.js';

/** What a batch does the same whoever extracts its files: the ledger, and who hears of each input. */
export interface FlowOptions {
  /** Where finished records are kept and looked up; without one every input is processed. */
  ledger?: Ledger;
  /** Process again the files whose ledger entry is an error (a timeout under a larger --timeout, say). */
  retryFailed?: boolean;
  onEvent?: (e: ProcessEvent) => void;
  /** OCR image-only pages (default true). Part of the ledger key: a file read without OCR is read again with it. */
  ocr?: boolean;
}

/**
 * What, besides the file's content, decides its record: the tool version and the reading options. The
 * ledger's version column holds all of them, so that a record is reused only where it is the same one.
 */
export function ledgerVersion(opts: Pick<FlowOptions, 'ocr'>): string {
  return opts.ocr === false ? `${TOOL_VERSION}+no-ocr` : TOOL_VERSION;
}

/**
 * Outcomes that are the batch's, not the file's (the pool closed under it, workers that would not start):
 * never committed, so that the next run extracts the file rather than reporting it failed.
 */
const NOT_THE_FILES = new Set(['closed', 'worker_start']);

export interface ProcessOptions extends FlowOptions {
  /** Worker processes (default: 1). */
  jobs?: number;
  /** Per-file time limit in ms (default 60 s). */
  timeoutMs?: number;
  /** Heap limit per worker in MB (default DEFAULT_WORKER_MEMORY_MB). */
  memoryMb?: number;
  /** A worker entry for tests; the default runs extractBytes. */
  workerEntry?: PoolOptions['entry'];
}

/** What happened to one input: processed now, found in the ledger, or refused before any reading. */
export interface ProcessEvent {
  input: Input;
  status: 'processed' | 'ledger' | 'rejected';
  record: ReportRecord;
  durationMs: number;
}

/** A file to extract: read, hashed, not in the ledger (or there as an error to redo), and not already on its way. */
export interface NewFile {
  input: Input;
  sha256: string;
  size: number;
  /** The bytes as read. The runner may drop them (set undefined) once they are passed on, to bound memory. */
  bytes?: Buffer;
  /** The ledger holds an error for this content and --retry-failed asks for it again. */
  redo: boolean;
}

/** Who extracts a batch's files: local worker processes (processInputs) or `xxgk worker`s behind a queue. */
export interface Runner {
  /** Inputs handled at once: bounds how many files' bytes are read ahead of the extraction. */
  lanes: number;
  /** The file's record (an error record if it yielded none) and, when known, the time extraction took. */
  extract(file: NewFile): Promise<{ record: ReportRecord; ms?: number }>;
  /**
   * The record is in the ledger, put there now or by an earlier run: what the runner kept for the file can go.
   * Told for ledger hits too, since a run killed between its commit and this call left the runner's copy behind.
   */
  committed?(sha256: string): Promise<void>;
}

/**
 * Turns inputs into records, one per input and in the inputs' order: each file is read, hashed, looked up in
 * the ledger and, if new, extracted by the runner; its record is committed to the ledger as soon as it is
 * done. The same content under two paths is extracted once. Never throws for a bad input.
 */
export async function processWith(inputs: Input[], runner: Runner, opts: FlowOptions = {}): Promise<ReportRecord[]> {
  const ledger = opts.ledger;
  const version = ledgerVersion(opts);
  const inFlight = new Map<string, Promise<ReportRecord>>();
  const results: ReportRecord[] = new Array(inputs.length);

  const one = async (input: Input): Promise<ProcessEvent> => {
    const started = Date.now();
    const event = (status: ProcessEvent['status'], record: ReportRecord): ProcessEvent => ({
      input,
      status,
      record: asInput(record, input),
      durationMs: Date.now() - started,
    });
    if (input.rejected) return event('rejected', errorRecord(input, '', input.rejected.code, input.rejected.message));
    let bytes: Buffer | undefined;
    try {
      bytes = await input.read();
    } catch (err) {
      const e = err as { code?: unknown; message?: string };
      // Our own codes as they are; anything else (an errno) means the input could not be read.
      const code = e.code === 'failed' ? 'failed' : errorCodeOf(err) === 'failed' ? 'unreadable' : errorCodeOf(err);
      return event('rejected', errorRecord(input, '', code, e.message ?? String(err)));
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const known = ledger?.get(sha256, version);
    if (known && !(opts.retryFailed && known.errorCode)) {
      await runner.committed?.(sha256);
      return event('ledger', known.record);
    }
    // Identical files under two names: the second waits for the first rather than doing the work again.
    let pending = inFlight.get(sha256);
    if (pending) return event('ledger', await pending);
    const file: NewFile = { input, sha256, size: bytes.length, bytes, redo: !!known };
    bytes = undefined; // the runner's now: only `file` holds them, so the runner can let them go
    pending = (async () => {
      const { record, ms } = await runner.extract(file);
      if (record.error && NOT_THE_FILES.has(record.error.code)) return record;
      ledger?.put({
        sha256,
        toolVersion: version,
        path: input.displayPath,
        processedAt: new Date().toISOString(),
        durationMs: ms ?? Date.now() - started,
        errorCode: record.error?.code ?? null,
        errorMessage: record.error?.message ?? null,
        record,
      });
      await runner.committed?.(sha256);
      return record;
    })();
    inFlight.set(sha256, pending);
    return event('processed', await pending);
  };

  let next = 0;
  const lane = async () => {
    while (next < inputs.length) {
      const i = next++;
      const e = await one(inputs[i]);
      results[i] = e.record;
      opts.onEvent?.(e);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inputs.length, runner.lanes) }, lane));
  return results;
}

/** processWith on local worker processes, started only once a file needs one. */
export async function processInputs(inputs: Input[], opts: ProcessOptions = {}): Promise<ReportRecord[]> {
  const jobs = Math.max(1, opts.jobs ?? 1);
  let pool: WorkerPool | undefined;
  const runner: Runner = {
    // Reading runs a little ahead of the workers so that they never wait on disk, but never far ahead:
    // bytes in flight stay bounded by about two files per worker.
    lanes: jobs * 2,
    async extract({ input, sha256, bytes }) {
      pool ??= new WorkerPool({ size: Math.min(jobs, inputs.length), timeoutMs: opts.timeoutMs ?? 60_000, memoryMb: opts.memoryMb ?? DEFAULT_WORKER_MEMORY_MB, entry: opts.workerEntry });
      const size = bytes!.length;
      const outcome = await pool.run({ name: input.name, bytes: bytes!, displayPath: input.displayPath, ocr: opts.ocr });
      const record = outcome.ok ? roundTrip(outcome.record) : errorRecord(input, sha256, outcome.code, outcome.message, size);
      return { record, ms: outcome.ms };
    },
  };
  try {
    return await processWith(inputs, runner, opts);
  } finally {
    await pool?.close();
  }
}

/** The same record as the ledger will give back: JSON drops `undefined`, and a re-run must match byte for byte. */
const roundTrip = (r: ReportRecord): ReportRecord => JSON.parse(JSON.stringify(r));

/** A record found under another path (ledger, duplicate) is this input's record: its own path and name. */
function asInput(record: ReportRecord, input: Input): ReportRecord {
  if (record.source.path === input.displayPath && record.file === input.name) return record;
  return { ...record, file: input.name, source: { ...record.source, path: input.displayPath } };
}

/** The record of an input that yielded none: the batch reports it, with the reason, and goes on. */
export function errorRecord(input: Input, sha256: string, code: ErrorCode, message: string, bytes = input.size): ReportRecord {
  const ext = extname(input.name).toLowerCase();
  return {
    file: input.name,
    source: { path: input.displayPath, sha256, bytes, pages: 0, kind: ext === '.pdf' ? 'pdf' : ext.startsWith('.htm') ? 'html' : 'text', ocr: false },
    meta: { title: null, agency: null, year: null, format: 'unknown' },
    cells: {},
    provenance: {},
    findings: [],
    error: { code, message },
  };
}
