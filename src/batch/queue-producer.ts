import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import type { ReportRecord } from '../validate/schema.js';
import { TOOL_VERSION } from '../version.js';
import type { Input } from './inputs.js';
import type { Ledger } from './ledger.js';
import { errorRecord, type ProcessEvent } from './process.js';
import { Collector, type JobOutcome } from './queue-collector.js';
import { ConnectionWatch, shownUrl } from './queue-connection.js';
import { DEFAULT_RETRY, queueName, type JobData, type RetryPolicy } from './queue-jobs.js';
import { probeConnection } from './queue-watch.js';

export interface QueueProcessOptions {
  /** redis://HOST:PORT */
  url: string;
  /** Queue name before the version suffix (default `xxgk`). */
  queue?: string;
  /**
   * The paths the batch was given, when every worker sees them at the same absolute paths: jobs then
   * carry a path instead of the bytes (files inside archives still travel as bytes).
   */
  sharedFsRoots?: string[];
  ocr?: boolean;
  ledger?: Ledger;
  retryFailed?: boolean;
  onEvent?: (e: ProcessEvent) => void;
  retry?: RetryPolicy;
  /** Files queued and not yet collected, at most: bounds what the bytes in the jobs cost Redis. */
  window?: number;
  sweepMs?: number;
  /** Continuous Redis outage after which the batch stops (default 10 min); a re-run resumes. */
  giveUpMs?: number;
  /** How long Redis keeps a finished job nobody collects (default 3 days). */
  keepFinishedSecs?: number;
  log?: (line: string) => void;
}

/**
 * The queue's twin of processInputs: the same records, events and ledger entries, but every file is
 * extracted by whichever `xxgk worker` takes its job. This process lists, hashes, skips what the ledger
 * has, queues the rest (job id = sha256), collects the results and commits each to the ledger once.
 */
export async function processViaQueue(inputs: Input[], opts: QueueProcessOptions): Promise<ReportRecord[]> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const retry = opts.retry ?? DEFAULT_RETRY;
  const watch = new ConnectionWatch({ url: opts.url, who: 'xxgk batch', log });
  const connection = watch.options();
  const name = queueName(opts.queue);
  const ledger = opts.ledger;
  const roots = opts.sharedFsRoots?.map((p) => resolve(p));

  const queue = new Queue(name, { connection });
  queue.on('error', watch.onError);
  const events = new QueueEvents(name, { connection });
  events.on('error', watch.onError);
  const probe = probeConnection(watch);
  const collector = new Collector(queue, watch, {
    retry,
    sweepMs: opts.sweepMs ?? 5000,
    keepFinishedSecs: opts.keepFinishedSecs ?? 3 * 86400,
    giveUpMs: opts.giveUpMs ?? 10 * 60_000,
    log,
  });
  events.on('completed', ({ jobId }) => collector.poke(jobId));
  events.on('failed', ({ jobId }) => collector.poke(jobId));

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
      const e = err as { code?: string; message?: string };
      return event('rejected', errorRecord(input, '', e.code ?? 'unreadable', e.message ?? String(err)));
    }
    const size = bytes.length;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const known = ledger?.get(sha256, TOOL_VERSION);
    if (known && !(opts.retryFailed && known.errorCode)) return event('ledger', known.record);
    let pending = inFlight.get(sha256);
    if (pending) return event('ledger', await pending);
    pending = (async () => {
      const path = roots ? await sharedPath(input, roots) : undefined;
      // The bytes are the job's once it is queued: this process lets go of them, and reads them again
      // only if the job must be queued again.
      let first = path ? undefined : bytes;
      bytes = undefined;
      const makeData = async (): Promise<JobData> => {
        const base = { sha256, name: input.name, displayPath: input.displayPath, size, ocr: opts.ocr ?? true };
        if (path) return { ...base, path };
        const b = first ?? (await input.read());
        first = undefined;
        return { ...base, base64: b.toString('base64') };
      };
      const outcome = await collector.submit(sha256, makeData, { replace: !!known });
      const record = outcome.ok ? outcome.result.record : failedRecord(input, sha256, size, outcome);
      ledger?.put({
        sha256,
        toolVersion: TOOL_VERSION,
        path: input.displayPath,
        processedAt: new Date().toISOString(),
        durationMs: outcome.ok ? Math.round(outcome.result.ms) : Date.now() - started,
        errorCode: record.error?.code ?? null,
        errorMessage: record.error?.message ?? null,
        record,
      });
      await collector.release(sha256);
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
  try {
    await queue.waitUntilReady();
    await Promise.all(Array.from({ length: Math.min(inputs.length, Math.max(1, opts.window ?? 200)) }, lane));
  } catch (err) {
    throw new Error(`queue ${name} at ${shownUrl(opts.url)}: ${(err as Error).message}`, { cause: err });
  } finally {
    collector.stop();
    await Promise.allSettled([events.close(), queue.close(), probe.close()]);
  }
  return results;
}

/** A job that failed for good (every attempt, or a worker dying on it each time): an error record, not a hang. */
function failedRecord(input: Input, sha256: string, size: number, o: Extract<JobOutcome, { ok: false }>): ReportRecord {
  const tries = o.attempts === 1 ? '1 attempt' : `${o.attempts} attempts`;
  return errorRecord(input, sha256, 'failed', `${input.displayPath}: failed on the queue after ${tries}: ${o.reason}`, size);
}

/** The same as process.ts does: a record found under another path is this input's record. */
function asInput(record: ReportRecord, input: Input): ReportRecord {
  if (record.source.path === input.displayPath && record.file === input.name) return record;
  return { ...record, file: input.name, source: { ...record.source, path: input.displayPath } };
}

/**
 * The absolute path of an input on disk, from its display path (`<basename of a given path>/<relative>`),
 * or undefined for a file inside an archive: those travel as bytes. The size must match, so a name
 * shared by two given paths cannot send a worker to the wrong file (and the worker checks the sha256).
 */
async function sharedPath(input: Input, roots: string[]): Promise<string | undefined> {
  if (input.displayPath.includes('!/')) return undefined;
  for (const root of roots) {
    const shown = basename(root);
    const candidate =
      input.displayPath === shown ? root : input.displayPath.startsWith(shown + '/') ? join(root, input.displayPath.slice(shown.length + 1)) : undefined;
    if (!candidate) continue;
    const st = await stat(candidate).catch(() => undefined);
    if (st?.isFile() && st.size === input.size) return candidate;
  }
  return undefined;
}
