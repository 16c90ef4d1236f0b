import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { ReportRecord } from '../record/schema.js';
import { errorRecord } from './process.js';
import { WorkerPool } from './pool.js';
import { ConnectionWatch, shownUrl } from './queue-connection.js';
import { DEFAULT_LOCK_MS, DEFAULT_MAX_STALLED, DEFAULT_STALLED_INTERVAL_MS, JobDataSchema, queueName, type JobData, type JobResult } from './queue-jobs.js';
import { probeConnection } from './queue-watch.js';
import { terminalSafe } from './terminal.js';

export interface QueueWorkerOptions {
  url: string;
  /** Files extracted at once (worker processes and BullMQ concurrency). */
  concurrency: number;
  /** Queue name before the version suffix (default `xxgk`). */
  queue?: string;
  timeoutMs: number;
  memoryMb: number;
  /** How long a job's lock lives without renewal: a killed worker's job is given to another after it. */
  lockMs?: number;
  /** How often this worker looks for jobs whose worker died. */
  stalledIntervalMs?: number;
  /** Deaths of a job's worker before the job fails for good. */
  maxStalled?: number;
  log?: (line: string) => void;
  /** One line per finished file. */
  verbose?: boolean;
}

export interface QueueWorker {
  /** Finishes the files in hand, then stops taking new ones. */
  close(): Promise<void>;
  queueName: string;
}

/**
 * Takes files from the queue and extracts each in a worker process, exactly as a local batch does (same
 * task, same time and memory limits): the job's result is the record, an error record included. A job
 * throws, and so goes back for another attempt, only when this machine could not do the work (file not
 * visible here, workers that will not start); it fails for good when the file is not the one queued.
 */
export async function startQueueWorker(opts: QueueWorkerOptions): Promise<QueueWorker> {
  // Lines carry file names from the batch's inputs: never a control character to the terminal.
  const log = opts.log ?? ((line: string) => console.error(terminalSafe(line)));
  const name = queueName(opts.queue);
  const watch = new ConnectionWatch({ url: opts.url, who: 'xxgk worker', log });
  const connection = watch.options(); // throws on a bad URL before anything starts
  const pool = new WorkerPool({ size: opts.concurrency, timeoutMs: opts.timeoutMs, memoryMb: opts.memoryMb });
  const probe = probeConnection(watch);

  const processJob = async (job: Job): Promise<JobResult> => {
    const parsed = JobDataSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`job ${job.id}: not an xxgk job (${parsed.error.issues[0]?.message})`);
    const data = parsed.data;
    const bytes = await jobBytes(data);
    const started = Date.now();
    const outcome = await pool.run({ name: data.name, bytes, displayPath: data.displayPath, ocr: data.ocr });
    if (!outcome.ok && (outcome.code === 'worker_start' || outcome.code === 'closed')) {
      throw new Error(`${data.displayPath}: this worker could not extract it: ${outcome.message}`);
    }
    const record: ReportRecord = outcome.ok
      ? outcome.record
      : errorRecord({ name: data.name, displayPath: data.displayPath, size: data.size, read: async () => Buffer.alloc(0) }, data.sha256, outcome.code, outcome.message, bytes.length);
    return { record, ms: outcome.ms ?? Date.now() - started };
  };

  const worker = new Worker(name, processJob, {
    connection,
    concurrency: opts.concurrency,
    lockDuration: opts.lockMs ?? DEFAULT_LOCK_MS,
    stalledInterval: opts.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
    maxStalledCount: opts.maxStalled ?? DEFAULT_MAX_STALLED,
  });
  worker.on('error', watch.onError);
  worker.on('active', () => watch.up());
  if (opts.verbose) {
    worker.on('active', (job) => log(`xxgk worker: taking ${job.data.displayPath}`));
    worker.on('completed', (job, result: JobResult) => {
      const err = result.record.error;
      log(`xxgk worker: ${err ? `failed [${err.code}]` : 'done'} ${job.data.displayPath} (${(result.ms / 1000).toFixed(1)} s)`);
    });
    worker.on('failed', (job, err) => log(`xxgk worker: attempt ${job?.attemptsMade ?? '?'} at ${job?.data?.displayPath ?? job?.id} failed: ${err.message}`));
  }
  log(`xxgk worker: taking files from queue ${name} at ${shownUrl(opts.url)}, ${opts.concurrency} at a time`);

  let closing: Promise<void> | undefined;
  return {
    queueName: name,
    close: () =>
      (closing ??= (async () => {
        await worker.close();
        await pool.close();
        await probe.close();
      })()),
  };
}

/** The file's bytes, checked against the sha256 it was queued under. */
async function jobBytes(data: JobData): Promise<Buffer> {
  let bytes: Buffer;
  if (data.base64 !== undefined) bytes = Buffer.from(data.base64, 'base64');
  else {
    try {
      bytes = await readFile(data.path!);
    } catch (err) {
      // Perhaps only this machine does not see the share: another attempt may run elsewhere.
      throw new Error(`${data.displayPath}: cannot read ${data.path} on this worker (${(err as NodeJS.ErrnoException).code ?? err}); is the shared file system mounted here?`);
    }
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== data.sha256) {
    throw new UnrecoverableError(
      data.path !== undefined
        ? `${data.displayPath}: ${data.path} changed after it was queued (sha256 ${sha256.slice(0, 12)}…, queued as ${data.sha256.slice(0, 12)}…)`
        : `${data.displayPath}: the bytes in the job do not match their sha256`,
    );
  }
  return bytes;
}
