/**
 * One batch run in a process of its own (so the parent's warm pdfjs does not count in its memory):
 * `node --import tsx bench/batch-child.ts WORKERS FILE...` runs every FILE through the project's
 * WorkerPool (src/batch/pool.ts) with WORKERS threads, and prints one JSON line: BatchRun.
 */
import { DEFAULT_WORKER_MEMORY_MB } from '../src/batch/limits.js';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { memoryUsage } from 'node:process';
import { WorkerPool } from '../src/batch/pool.js';

/** What bench/worker.mjs adds to each record it sends back. */
interface WorkerProbe {
  threadId: number;
  /** OS thread id of the worker's JavaScript (null off Linux). */
  tid: number | null;
  rssPeakMb: number;
  isolatePeakMb: number;
  ms: number;
}

export interface BatchRun {
  workers: number;
  files: number;
  failed: number;
  wallMs: number;
  /** From the pool's creation to the first record: worker start-up plus one file. */
  firstResultMs: number;
  /** Process RSS with the pool not yet started (the main thread's share). */
  baseRssMb: number;
  /** Peak process RSS over the whole batch, sampled every 20 ms in the main thread and in each worker. */
  peakRssMb: number;
  /** CPU time of the whole process (all threads) over the batch: with wallMs, how many cores it really got. */
  cpuMs: number;
  /**
   * The process's CPU time split by thread (Linux, from /proc): the main thread, the workers' JavaScript
   * threads, and every other thread (V8's shared helpers: concurrent GC and optimising compiler; libuv).
   * Null where /proc is not there.
   */
  cpuSplitMs: { main: number; workers: number; helpers: number } | null;
  /** Per finished file, in completion order. */
  done: { atMs: number; threadId: number; rssPeakMb: number; isolatePeakMb: number; ms: number }[];
}

const [workersArg, ...files] = process.argv.slice(2);
const workers = Number(workersArg);
const MB = 1024 * 1024;

const baseRss = memoryUsage.rss();
let peakRss = baseRss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, memoryUsage.rss())), 20);

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const threads0 = threadCpuMs();
const pool = new WorkerPool({ size: workers, timeoutMs: 120_000, memoryMb: Number(process.env.BENCH_WORKER_MEMORY_MB ?? DEFAULT_WORKER_MEMORY_MB), entry: new URL('./worker.mjs', import.meta.url) });
const done: BatchRun['done'] = [];
const workerTids = new Set<number>();
let failed = 0;
let next = 0;
// As src/batch/process.ts does: reading runs a little ahead of the workers, two files per worker at most.
const lane = async () => {
  while (next < files.length) {
    const path = files[next++];
    const bytes = new Uint8Array(await readFile(path));
    const out = await pool.run({ name: basename(path), bytes, displayPath: path, ocr: false });
    const probe = out.ok ? (out.record as unknown as { bench?: WorkerProbe }).bench : undefined;
    if (!out.ok || out.record.error || !probe) {
      failed++;
      if (failed <= 3) console.error(`batch: ${path}: ${out.ok ? (out.record.error?.message ?? 'no probe') : out.message}`);
      continue;
    }
    peakRss = Math.max(peakRss, probe.rssPeakMb * MB);
    if (probe.tid !== null) workerTids.add(probe.tid);
    done.push({ atMs: performance.now() - t0, threadId: probe.threadId, rssPeakMb: probe.rssPeakMb, isolatePeakMb: probe.isolatePeakMb, ms: probe.ms });
  }
};
await Promise.all(Array.from({ length: workers * 2 }, lane));
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
// Read while the workers' threads still exist: they go with the pool.
const split = cpuSplit(threads0, workerTids);
await pool.close();
clearInterval(sampler);
const run: BatchRun = {
  workers,
  files: files.length,
  failed,
  wallMs,
  firstResultMs: done[0]?.atMs ?? NaN,
  baseRssMb: baseRss / MB,
  peakRssMb: peakRss / MB,
  cpuMs: (cpu.user + cpu.system) / 1000,
  cpuSplitMs: split,
  done,
};
process.stdout.write(JSON.stringify(run) + '\n');

/** CPU ms of each thread of this process since it started (Linux; null where /proc is not there). */
function threadCpuMs(): Map<number, number> | null {
  try {
    const out = new Map<number, number>();
    for (const t of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      // After the parenthesised command name, utime and stime are the 12th and 13th fields, in clock ticks (10 ms).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(t), (Number(f[11]) + Number(f[12])) * 10);
    }
    return out;
  } catch {
    return null;
  }
}

/** CPU time since `before`, by role: the main thread, the workers' JavaScript threads, every other thread. */
function cpuSplit(before: Map<number, number> | null, workers: Set<number>): BatchRun['cpuSplitMs'] {
  const now = threadCpuMs();
  if (!before || !now) return null;
  const split = { main: 0, workers: 0, helpers: 0 };
  for (const [tid, ms] of now) {
    const spent = ms - (before.get(tid) ?? 0);
    if (tid === process.pid) split.main += spent;
    else if (workers.has(tid)) split.workers += spent;
    else split.helpers += spent;
  }
  return split;
}
