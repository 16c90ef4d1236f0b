import { Worker } from 'node:worker_threads';
import type { ReportRecord } from '../validate/schema.js';

export interface ExtractTask {
  name: string;
  bytes: Uint8Array;
  displayPath: string;
  ocr?: boolean;
}

/** A record, or why the worker could not give one (timeout, memory, crash). */
export type TaskOutcome = ({ ok: true; record: ReportRecord } | { ok: false; code: string; message: string }) & {
  /** Time in the worker, queueing excluded. */
  ms?: number;
};

export type TaskMessage = ExtractTask & { id: number };
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; record: ReportRecord }
  | { type: 'failed'; id: number; code: string; message: string };

export interface PoolOptions {
  size: number;
  /** Per file; a worker over it is terminated and replaced. */
  timeoutMs: number;
  /** V8 heap limit of each worker; a worker over it dies with ERR_WORKER_OUT_OF_MEMORY and is replaced. */
  memoryMb: number;
  /** The worker's entry module (a test may give its own). */
  entry?: URL;
}

interface Job {
  id: number;
  task: ExtractTask;
  resolve: (o: TaskOutcome) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  startedAt?: number;
  /** Set once the slot has been given up on: its late messages and exit are ignored. */
  retired: boolean;
  lastError?: Error & { code?: string };
  stderrTail: string;
}

const STDERR_TAIL = 2000;
/** Workers that die before they are ready in a row: past this the pool stops respawning and fails the queue. */
const MAX_START_FAILURES = 3;

/**
 * A fixed number of worker threads that extract one report each at a time. A file that hangs or eats
 * memory costs its worker, never the batch: it gets an outcome with a code and a fresh worker takes its slot.
 */
export class WorkerPool {
  private slots = new Set<Slot>();
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private startFailures = 0;
  private startError = '';
  private entry: URL;

  constructor(private opts: PoolOptions) {
    this.entry = opts.entry ?? new URL('./worker.mjs', import.meta.url);
    for (let i = 0; i < Math.max(1, opts.size); i++) this.spawn();
  }

  run(task: ExtractTask): Promise<TaskOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, code: 'closed', message: 'worker pool is closed' });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, task, resolve });
      this.pump();
    });
  }

  async close() {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, code: 'closed', message: 'worker pool is closed' });
    await Promise.all([...this.slots].map((s) => this.retire(s)));
  }

  private spawn() {
    const worker = new Worker(this.entry, {
      resourceLimits: { maxOldGenerationSizeMb: this.opts.memoryMb },
      // Workers' console output would tear the progress bar; stderr is kept to explain a crash.
      stdout: true,
      stderr: true,
    });
    const slot: Slot = { worker, ready: false, retired: false, stderrTail: '' };
    worker.stdout.resume();
    worker.stderr.on('data', (d: Buffer) => {
      slot.stderrTail = (slot.stderrTail + d.toString('utf8')).slice(-STDERR_TAIL);
    });
    worker.on('message', (m: WorkerMessage) => this.onMessage(slot, m));
    worker.on('error', (err) => (slot.lastError = err));
    worker.on('exit', (code) => this.onExit(slot, code));
    this.slots.add(slot);
  }

  private onMessage(slot: Slot, m: WorkerMessage) {
    if (slot.retired) return;
    if (m.type === 'ready') {
      slot.ready = true;
      this.startFailures = 0;
    } else if (slot.job && m.id === slot.job.id) {
      this.finish(slot, m.type === 'result' ? { ok: true, record: m.record } : { ok: false, code: m.code, message: m.message });
    }
    this.pump();
  }

  private onExit(slot: Slot, exitCode: number) {
    if (slot.retired) return;
    this.slots.delete(slot);
    slot.retired = true;
    const err = slot.lastError;
    if (slot.job) {
      const job = slot.job;
      const oom = err?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.finish(
        slot,
        oom
          ? { ok: false, code: 'memory', message: `${job.task.displayPath}: worker ran out of memory (limit ${this.opts.memoryMb} MB)` }
          : { ok: false, code: 'crashed', message: `${job.task.displayPath}: worker exited (${exitCode}) ${err?.message ?? slot.stderrTail.trim()}`.trim() },
      );
    }
    if (!slot.ready && !err?.code?.startsWith('ERR_WORKER_OUT_OF_MEMORY')) {
      this.startFailures++;
      this.startError = (err?.stack ?? slot.stderrTail).trim() || `exit code ${exitCode}`;
    }
    this.replace();
  }

  private replace() {
    if (this.closed) return;
    if (this.startFailures >= MAX_START_FAILURES) {
      // A worker that cannot even start will not start next time either: fail what is queued, clearly.
      for (const job of this.queue.splice(0))
        job.resolve({ ok: false, code: 'worker-start', message: `${job.task.displayPath}: worker could not start: ${this.startError}` });
      if (this.slots.size === 0) this.startFailures = MAX_START_FAILURES - 1; // let a later task try once more
      return;
    }
    this.spawn();
  }

  private pump() {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (!slot.ready || slot.job || slot.retired) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.startedAt = Date.now();
      slot.timer = setTimeout(() => this.timeout(slot), this.opts.timeoutMs);
      const bytes = ownBuffer(job.task.bytes);
      const msg: TaskMessage = { ...job.task, bytes, id: job.id };
      slot.worker.postMessage(msg, [bytes.buffer as ArrayBuffer]);
    }
    if (this.queue.length && this.slots.size === 0 && !this.closed) this.replace();
  }

  private timeout(slot: Slot) {
    const job = slot.job;
    if (!job || slot.retired) return;
    this.finish(slot, { ok: false, code: 'timeout', message: `${job.task.displayPath}: took longer than ${this.opts.timeoutMs / 1000} s` });
    void this.retire(slot);
    this.replace();
  }

  private finish(slot: Slot, outcome: TaskOutcome) {
    const job = slot.job!;
    clearTimeout(slot.timer);
    slot.job = undefined;
    job.resolve({ ...outcome, ms: Date.now() - (slot.startedAt ?? Date.now()) });
  }

  private async retire(slot: Slot) {
    slot.retired = true;
    clearTimeout(slot.timer);
    this.slots.delete(slot);
    await slot.worker.terminate();
  }
}

/** A copy that owns its whole ArrayBuffer, so it can be transferred without detaching someone else's memory. */
function ownBuffer(b: Uint8Array): Uint8Array {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b;
  return new Uint8Array(b);
}
