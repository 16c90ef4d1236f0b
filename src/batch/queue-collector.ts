import type { Queue } from 'bullmq';
import type { ConnectionWatch } from './queue-connection.js';
import { JobResultSchema, type JobData, type JobResult, type RetryPolicy } from './queue-jobs.js';

/** How a queued file ended: a worker's result, or a job that failed for good. */
export type JobOutcome = { ok: true; result: JobResult } | { ok: false; reason: string; attempts: number };

interface Waiter {
  resolve: (o: JobOutcome) => void;
  reject: (err: Error) => void;
  /** Builds the job again should it vanish from Redis (a restart without persistence). */
  makeData: () => Promise<JobData>;
}

export interface CollectorOptions {
  retry: RetryPolicy;
  /** How often every awaited job's state is read, whatever the events said. */
  sweepMs: number;
  /** A job kept in Redis after it finished, should its batch never come back for it. */
  keepFinishedSecs: number;
  /** Continuous outage after which the batch stops with an error (it can be run again to resume). */
  giveUpMs: number;
  log: (line: string) => void;
}

export class QueueUnavailableError extends Error {}

/**
 * Waits for jobs to finish. Events make it prompt; a periodic sweep of the jobs' states makes it
 * correct: an event missed while disconnected or before this process started changes nothing, a job
 * that finished while nobody waited is collected on the first look, and a job that vanished is queued
 * again. Each job is settled once.
 */
export class Collector {
  private waiting = new Map<string, Waiter>();
  private timer: NodeJS.Timeout;
  private sweeping = false;
  private lastProgress = Date.now();
  private lastIdleHint = Date.now();
  private stopped = false;

  constructor(
    private queue: Queue,
    private watch: ConnectionWatch,
    private opts: CollectorOptions,
  ) {
    this.timer = setInterval(() => void this.tick(), opts.sweepMs);
  }

  /** Queues the job unless a job with this id is already there, and resolves when it has finished. */
  async submit(id: string, makeData: () => Promise<JobData>, opts: { replace?: boolean } = {}): Promise<JobOutcome> {
    if (this.stopped) throw new QueueUnavailableError('the queue connection is closed');
    const done = new Promise<JobOutcome>((resolve, reject) => this.waiting.set(id, { resolve, reject, makeData }));
    try {
      // An old outcome asked to be redone (--retry-failed): drop it first. A job being worked on stays.
      if (opts.replace) await this.queue.remove(id);
      await this.add(id, makeData);
      await this.check(id);
    } catch (err) {
      this.settle(id, (w) => w.reject(err as Error));
    }
    return done;
  }

  /** A job finished, says an event: look now rather than at the next sweep. */
  poke(id: string) {
    if (this.waiting.has(id)) this.check(id).catch(this.watch.onError);
  }

  /** Forgets a collected job in Redis: its bytes and record now live in the ledger. */
  async release(id: string) {
    await this.queue.remove(id).catch(() => undefined);
  }

  stop(err?: Error) {
    this.stopped = true;
    clearInterval(this.timer);
    for (const id of [...this.waiting.keys()]) this.settle(id, (w) => w.reject(err ?? new QueueUnavailableError('the batch was stopped')));
  }

  private async add(id: string, makeData: () => Promise<JobData>) {
    const keep = { age: this.opts.keepFinishedSecs };
    await this.queue.add('extract', await makeData(), {
      jobId: id,
      attempts: this.opts.retry.attempts,
      backoff: { type: 'exponential', delay: this.opts.retry.backoffMs },
      removeOnComplete: keep,
      removeOnFail: keep,
    });
  }

  private async check(id: string) {
    const waiter = this.waiting.get(id);
    if (!waiter) return;
    // The state before the job: a job read first is a snapshot, and may finish before its state is read,
    // which would then say 'completed' of a copy with no result in it.
    const state = await this.queue.getJobState(id);
    const job = await this.queue.getJob(id);
    this.watch.up();
    if (!job) {
      // Gone before we collected it: Redis restarted empty, or another batch collected and released it.
      if (this.waiting.has(id)) await this.add(id, waiter.makeData);
      return;
    }
    if (state === 'completed') {
      const parsed = JobResultSchema.safeParse(job.returnvalue);
      const outcome: JobOutcome = parsed.success
        ? { ok: true, result: parsed.data }
        : { ok: false, reason: `the worker returned no record (${parsed.error.issues[0]?.message})`, attempts: job.attemptsMade };
      this.settle(id, (w) => w.resolve(outcome));
    } else if (state === 'failed') {
      // 'failed' is final: a job with attempts left goes to 'delayed' or 'wait' instead.
      const attempts = Math.max(job.attemptsMade, job.attemptsStarted ?? 0);
      this.settle(id, (w) => w.resolve({ ok: false, reason: job.failedReason || 'no reason given', attempts }));
    }
  }

  private settle(id: string, how: (w: Waiter) => void) {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    this.lastProgress = Date.now();
    how(w);
  }

  private async tick() {
    if (this.stopped) return;
    if (this.watch.downFor() * 1000 > this.opts.giveUpMs) {
      const secs = Math.round(this.watch.downFor());
      this.stop(new QueueUnavailableError(`Redis unreachable for ${secs} s (${this.watch.lastError || 'no answer'}); every record collected so far is in the ledger: run the same command again to resume`));
      return;
    }
    if (this.sweeping || this.waiting.size === 0) return;
    this.sweeping = true;
    try {
      const ids = [...this.waiting.keys()];
      for (let i = 0; i < ids.length && !this.stopped; i += 32) await Promise.all(ids.slice(i, i + 32).map((id) => this.check(id)));
      await this.idleHint();
    } catch (err) {
      this.watch.onError(err as Error);
    } finally {
      this.sweeping = false;
    }
  }

  /** Jobs waiting and nothing finishing for a minute: say whether any worker is there to take them. */
  private async idleHint() {
    const now = Date.now();
    if (this.waiting.size === 0 || now - this.lastProgress < 60_000 || now - this.lastIdleHint < 60_000) return;
    this.lastIdleHint = now;
    const workers = await this.queue.getWorkersCount().catch(() => -1);
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed').catch(() => ({}) as Record<string, number>);
    const what = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
    if (workers === 0)
      this.opts.log(`xxgk batch: ${this.waiting.size} files queued on ${this.queue.name} (${what}) and no worker connected: start \`xxgk worker --queue URL\` on the machines that should do the work`);
    else this.opts.log(`xxgk batch: still waiting for ${this.waiting.size} files (${what}; ${workers < 0 ? '?' : workers} workers connected)`);
  }
}
