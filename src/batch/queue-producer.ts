import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import type { ReportRecord } from '../record/schema.js';
import type { Input } from './inputs.js';
import { errorRecord, processWith, type FlowOptions, type Runner } from './process.js';
import { Collector, type JobOutcome } from './queue-collector.js';
import { ConnectionWatch, shownUrl } from './queue-connection.js';
import { DEFAULT_RETRY, queueName, type JobData, type RetryPolicy } from './queue-jobs.js';
import { probeConnection } from './queue-watch.js';

export interface QueueProcessOptions extends FlowOptions {
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
 * The queue's twin of processInputs: the same flow (processWith) and so the same records, events and ledger
 * entries, but every file is extracted by whichever `xxgk worker` takes its job. This process lists, hashes,
 * skips what the ledger has, queues the rest (job id = sha256), collects the results and commits each to
 * the ledger once.
 */
export async function processViaQueue(inputs: Input[], opts: QueueProcessOptions): Promise<ReportRecord[]> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const retry = opts.retry ?? DEFAULT_RETRY;
  const watch = new ConnectionWatch({ url: opts.url, who: 'xxgk batch', log });
  const connection = watch.options();
  const name = queueName(opts.queue);
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

  const runner: Runner = {
    // one lane per file queued and not yet collected
    lanes: Math.max(1, opts.window ?? 200),
    async extract(file) {
      const { input, sha256, size } = file;
      const path = roots ? await sharedPath(input, roots) : undefined;
      // The bytes are the job's once it is queued: this process lets go of them, and reads them again
      // only if the job must be queued again.
      let first = path ? undefined : file.bytes;
      file.bytes = undefined;
      const makeData = async (): Promise<JobData> => {
        const base = { sha256, name: input.name, displayPath: input.displayPath, size, ocr: opts.ocr ?? true };
        if (path) return { ...base, path };
        const b = first ?? (await input.read());
        first = undefined;
        return { ...base, base64: b.toString('base64') };
      };
      const outcome = await collector.submit(sha256, makeData, { replace: file.redo });
      return outcome.ok ? { record: outcome.result.record, ms: Math.round(outcome.result.ms) } : { record: failedRecord(input, sha256, size, outcome) };
    },
    committed: (sha256) => collector.release(sha256),
  };

  try {
    await queue.waitUntilReady();
    return await processWith(inputs, runner, opts);
  } catch (err) {
    throw new Error(`queue ${name} at ${shownUrl(opts.url)}: ${(err as Error).message}`, { cause: err });
  } finally {
    collector.stop();
    await Promise.allSettled([events.close(), queue.close(), probe.close()]);
  }
}

/** A job that failed for good (every attempt, or a worker dying on it each time): an error record, not a hang. */
function failedRecord(input: Input, sha256: string, size: number, o: Extract<JobOutcome, { ok: false }>): ReportRecord {
  const tries = o.attempts === 1 ? '1 attempt' : `${o.attempts} attempts`;
  return errorRecord(input, sha256, 'failed', `${input.displayPath}: failed on the queue after ${tries}: ${o.reason}`, size);
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
