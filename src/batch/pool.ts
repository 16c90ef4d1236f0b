import type { ErrorCode } from '../record/errors.js';
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import type { Finding, ReportRecord } from '../record/schema.js';
import type { FindingImage, ImageLimits } from '../export/anomalies-images.js';

export interface ExtractTask {
  kind?: 'extract';
  name: string;
  bytes: Uint8Array;
  displayPath: string;
  ocr?: boolean;
}

/** One report's anomaly snapshots, rendered where the per-file limits hold (anomalies.ts renderImages). */
export interface SnapshotTask {
  kind: 'snapshots';
  displayPath: string;
  bytes: Uint8Array;
  record: ReportRecord;
  findings: Finding[];
  limits: ImageLimits;
}
export type SnapshotOutcome = ({ ok: true; images: FindingImage[][] } | { ok: false; code: ErrorCode; message: string }) & { ms?: number };

/** A record, or why the worker could not give one (timeout, memory, crash). */
export type TaskOutcome = ({ ok: true; record: ReportRecord } | { ok: false; code: ErrorCode; message: string }) & {
  /** Time in the worker, queueing excluded. */
  ms?: number;
};

/** A task as sent to a worker, with the time limit its own watchdog enforces too (watchdog.ts). */
export type TaskMessage = (ExtractTask | SnapshotTask) & { id: number; timeoutMs: number };
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; record: ReportRecord }
  | { type: 'images'; id: number; images: FindingImage[][] }
  | { type: 'failed'; id: number; code: ErrorCode; message: string };

export interface PoolOptions {
  size: number;
  /** Per file; a worker over it is terminated and replaced. */
  timeoutMs: number;
  /** V8 heap limit of each worker; a worker over it dies, its file gets a `memory` outcome and the worker is replaced. */
  memoryMb: number;
  /**
   * Resident memory of a worker (MB), checked while it works: what pdfjs and the canvas allocate outside the
   * V8 heap (decoded images, page renders) is not under memoryMb. Default: memoryMb + RSS_HEADROOM_MB.
   */
  maxRssMb?: number;
  /** The worker's entry module (a test may give its own). */
  entry?: URL;
}

/** How often a busy worker's resident memory is read. */
const RSS_CHECK_MS = 250;
/**
 * Resident memory a worker may hold beyond its heap limit (pdfjs's decoded streams, canvas renders, the OCR
 * engine's WebAssembly memory) before it is stopped: with two workers at --memory 512 a batch stays under
 * 1.6 GB in all.
 */
const RSS_HEADROOM_MB = 256;
const PAGE_SIZE = 4096;

/** A process's resident memory in MB (Linux /proc; 0 where it cannot be read). */
function rssMb(pid: number | undefined): number {
  try {
    return (Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]) * PAGE_SIZE) / 2 ** 20;
  } catch {
    return 0;
  }
}

/**
 * Node options of a worker process (measured by `npm run bench`, 2 cores):
 * - its heap limit, and an old generation that starts at 96 MB (a quarter of a smaller limit): from
 *   V8's small default start, a worker mark-compacts again and again while its heap grows, and each
 *   full collection also drops optimised code that the next file compiles again (+9 % files/s for
 *   ~15 MB RSS);
 * - `--single-threaded` when the pool has a worker for every core: V8 otherwise runs its garbage
 *   collector and optimising compiler on helper threads (a third of a worker's CPU), which only help
 *   while a core is idle; with every core taken they contend with the workers, and on each worker's
 *   own thread the batch goes faster.
 */
export function workerNodeOptions(size: number, memoryMb: number, cores = availableParallelism()): string[] {
  const initialOldMb = Math.min(96, Math.floor(memoryMb / 4));
  return [`--max-old-space-size=${memoryMb}`, `--initial-old-space-size=${initialOldMb}`, ...(size >= cores ? ['--single-threaded'] : [])];
}

interface Job {
  id: number;
  task: ExtractTask | SnapshotTask;
  resolve: (o: TaskOutcome & SnapshotOutcome) => void;
}

interface Slot {
  worker: ChildProcess;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
  rssTimer?: NodeJS.Timeout;
  startedAt?: number;
  /** Set once the slot has been given up on: its late messages and exit are ignored. */
  retired: boolean;
  lastError?: Error;
  stderrTail: string;
  /** V8 said the heap ran out (seen as stderr arrives: its native stack trace follows, longer than the tail kept). */
  outOfMemory: boolean;
}

const STDERR_TAIL = 2000;
/** Workers that die before they are ready in a row: past this the pool stops respawning and fails the queue. */
const MAX_START_FAILURES = 3;

/** What V8 prints when a heap outgrows its limit, just before the process aborts. */
const OUT_OF_MEMORY = /heap out of memory|Reached heap limit|Allocation failed/i;

/**
 * A fixed number of worker processes that extract one report each at a time. A file that hangs, eats
 * memory or crashes costs its worker, never the batch: it gets an outcome with a code and a fresh worker
 * takes its slot. Processes rather than threads: each worker's memory is its own (and measurable), it
 * gets its own V8 options (workerNodeOptions), and nothing it does can take the batch's process down.
 */
export class WorkerPool {
  private slots = new Set<Slot>();
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private startFailures = 0;
  private startError = '';
  private entry: string;
  private nodeOptions: string[];

  constructor(private opts: PoolOptions) {
    this.entry = fileURLToPath(opts.entry ?? new URL('./worker.mjs', import.meta.url));
    this.nodeOptions = workerNodeOptions(Math.max(1, opts.size), opts.memoryMb);
    for (let i = 0; i < Math.max(1, opts.size); i++) this.startWorker();
  }

  run(task: ExtractTask): Promise<TaskOutcome> {
    return this.submit(task);
  }

  runSnapshots(task: Omit<SnapshotTask, 'kind'>): Promise<SnapshotOutcome> {
    return this.submit({ ...task, kind: 'snapshots' });
  }

  private submit(task: ExtractTask | SnapshotTask): Promise<TaskOutcome & SnapshotOutcome> {
    if (this.closed) return Promise.resolve({ ok: false, code: 'closed', message: 'worker pool is closed' });
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, task, resolve });
      this.pump();
    });
  }

  async close() {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.resolve({ ok: false, code: 'closed', message: 'worker pool is closed' });
    // A file still in a worker gets its answer too: the worker is stopped, its late result would go nowhere.
    for (const slot of this.slots) if (slot.job) this.finish(slot, { ok: false, code: 'closed', message: `${slot.job.task.displayPath}: worker pool closed before the file was done` });
    await Promise.all([...this.slots].map((s) => this.retire(s)));
  }

  private startWorker() {
    const worker = fork(this.entry, [], {
      // Not the parent's own options (a test runner's, a profiler's): the worker's, and nothing else.
      execArgv: this.nodeOptions,
      // Typed arrays and records cross as structured clones, as they would between threads.
      serialization: 'advanced',
      // Workers' console output would tear the progress bar; stderr is kept to explain a crash.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const slot: Slot = { worker, ready: false, retired: false, stderrTail: '', outOfMemory: false };
    worker.stdout!.resume();
    worker.stderr!.on('data', (d: Buffer) => {
      const text = slot.stderrTail + d.toString('utf8');
      slot.outOfMemory ||= OUT_OF_MEMORY.test(text);
      slot.stderrTail = text.slice(-STDERR_TAIL);
    });
    worker.on('message', (m: WorkerMessage) => this.onMessage(slot, m));
    worker.on('error', (err) => (slot.lastError = err));
    // 'close', not 'exit': by then stderr is read to its end, and with it V8's out-of-memory message.
    worker.on('close', (code, signal) => this.onExit(slot, code ?? signal ?? 'unknown'));
    this.slots.add(slot);
  }

  private onMessage(slot: Slot, m: WorkerMessage) {
    if (slot.retired) return;
    if (m.type === 'ready') {
      slot.ready = true;
      this.startFailures = 0;
    } else if (slot.job && m.id === slot.job.id) {
      this.finish(
        slot,
        m.type === 'result' ? { ok: true, record: m.record } : m.type === 'images' ? { ok: true, images: m.images } : { ok: false, code: m.code, message: m.message },
      );
    }
    this.pump();
  }

  private onExit(slot: Slot, exitCode: number | string) {
    if (slot.retired) return;
    this.slots.delete(slot);
    slot.retired = true;
    const err = slot.lastError;
    const oom = slot.outOfMemory;
    if (slot.job) {
      const job = slot.job;
      this.finish(
        slot,
        oom
          ? { ok: false, code: 'memory', message: `${job.task.displayPath}: worker ran out of memory (limit ${this.opts.memoryMb} MB)` }
          : { ok: false, code: 'crashed', message: `${job.task.displayPath}: worker exited (${exitCode}) ${err?.message ?? lastLines(slot.stderrTail)}`.trim() },
      );
    }
    if (!slot.ready && !oom) {
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
        job.resolve({ ok: false, code: 'worker_start', message: `${job.task.displayPath}: worker could not start: ${this.startError}` });
      if (this.slots.size === 0) this.startFailures = MAX_START_FAILURES - 1; // let a later task try once more
      return;
    }
    this.startWorker();
  }

  private pump() {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (!slot.ready || slot.job || slot.retired) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.startedAt = Date.now();
      slot.timer = setTimeout(() => this.timeout(slot), this.opts.timeoutMs);
      const maxRss = this.opts.maxRssMb ?? this.opts.memoryMb + RSS_HEADROOM_MB;
      slot.rssTimer = setInterval(() => rssMb(slot.worker.pid) > maxRss && this.overMemory(slot, maxRss), RSS_CHECK_MS);
      const msg: TaskMessage = { ...job.task, id: job.id, timeoutMs: this.opts.timeoutMs };
      slot.worker.send(msg);
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

  private overMemory(slot: Slot, maxRss: number) {
    const job = slot.job;
    if (!job || slot.retired) return;
    this.finish(slot, { ok: false, code: 'memory', message: `${job.task.displayPath}: worker grew past ${maxRss} MB of memory` });
    void this.retire(slot);
    this.replace();
  }

  private finish(slot: Slot, outcome: TaskOutcome | SnapshotOutcome) {
    const job = slot.job!;
    clearTimeout(slot.timer);
    clearInterval(slot.rssTimer);
    slot.job = undefined;
    job.resolve({ ...outcome, ms: Date.now() - (slot.startedAt ?? Date.now()) } as TaskOutcome & SnapshotOutcome);
  }

  private async retire(slot: Slot) {
    slot.retired = true;
    clearTimeout(slot.timer);
    clearInterval(slot.rssTimer);
    this.slots.delete(slot);
    const w = slot.worker;
    if (w.exitCode !== null || w.signalCode !== null) return;
    const gone = new Promise((resolve) => w.once('close', resolve));
    w.kill('SIGKILL');
    await gone;
  }
}

/** The end of a crashed worker's stderr: the error, not the whole trace. */
function lastLines(text: string, n = 6): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
