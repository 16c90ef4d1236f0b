/**
 * One batch run in a process of its own (the parent's warm pdfjs is not part of it):
 * `node --import tsx bench/batch-child.ts WORKERS FILE...` runs every FILE through the project's
 * WorkerPool (src/batch/pool.ts) with WORKERS worker processes, and prints one JSON line: BatchRun.
 */
import { DEFAULT_WORKER_MEMORY_MB } from '../src/batch/limits.js';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { memoryUsage } from 'node:process';
import { WorkerPool } from '../src/batch/pool.js';

/** What bench/worker.mjs adds to each record it sends back. */
interface WorkerProbe {
  pid: number;
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
  /** Peak RSS of the batch's own process (reading, hashing, the pool), workers not included. */
  mainPeakRssMb: number;
  /** Peak RSS of the largest worker process, sampled every 20 ms in each. */
  workerPeakRssMb: number;
  /** CPU time of the batch's process and its workers over the batch: with wallMs, how many cores it really got. */
  cpuMs: number;
  /**
   * That CPU time split by thread (Linux, from /proc): the batch's process, the workers' JavaScript
   * threads, and the workers' other threads (V8's helpers: concurrent GC and optimising compiler; libuv).
   * Null where /proc is not there.
   */
  cpuSplitMs: { main: number; workers: number; helpers: number } | null;
  /** Per finished file, in completion order. */
  done: { atMs: number; pid: number; rssPeakMb: number; isolatePeakMb: number; ms: number }[];
}

const [workersArg, ...files] = process.argv.slice(2);
const workers = Number(workersArg);
const MB = 1024 * 1024;

let mainPeak = memoryUsage.rss();
const sampler = setInterval(() => (mainPeak = Math.max(mainPeak, memoryUsage.rss())), 20);

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const pool = new WorkerPool({ size: workers, timeoutMs: 120_000, memoryMb: Number(process.env.BENCH_WORKER_MEMORY_MB ?? DEFAULT_WORKER_MEMORY_MB), entry: new URL('./worker.mjs', import.meta.url) });
const done: BatchRun['done'] = [];
const workerPids = new Set<number>();
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
    workerPids.add(probe.pid);
    done.push({ atMs: performance.now() - t0, pid: probe.pid, rssPeakMb: probe.rssPeakMb, isolatePeakMb: probe.isolatePeakMb, ms: probe.ms });
  }
};
await Promise.all(Array.from({ length: workers * 2 }, lane));
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
// Read while the workers still run: they go with the pool. Their CPU counts from their start, which is
// part of the batch (the pool starts them).
const split = cpuSplit(workerPids, (cpu.user + cpu.system) / 1000);
await pool.close();
clearInterval(sampler);
const run: BatchRun = {
  workers,
  files: files.length,
  failed,
  wallMs,
  firstResultMs: done[0]?.atMs ?? NaN,
  mainPeakRssMb: mainPeak / MB,
  workerPeakRssMb: Math.max(0, ...done.map((d) => d.rssPeakMb)),
  cpuMs: split ? split.main + split.workers + split.helpers : (cpu.user + cpu.system) / 1000,
  cpuSplitMs: split,
  done,
};
process.stdout.write(JSON.stringify(run) + '\n');

/** CPU ms of each thread of a process since it started (Linux; null where /proc is not there). */
function threadCpuMs(pid: number): Map<number, number> | null {
  try {
    const out = new Map<number, number>();
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      // After the parenthesised command name, utime and stime are the 12th and 13th fields, in clock ticks (10 ms).
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(t), (Number(f[11]) + Number(f[12])) * 10);
    }
    return out;
  } catch {
    return null;
  }
}

/**
 * CPU time by role: this process (given), each worker's JavaScript thread (its main thread), and every
 * other thread of the workers. Workers that were replaced during the batch are not counted.
 */
function cpuSplit(pids: Set<number>, mainMs: number): BatchRun['cpuSplitMs'] {
  const split = { main: mainMs, workers: 0, helpers: 0 };
  for (const pid of pids) {
    const threads = threadCpuMs(pid);
    if (!threads) return null;
    for (const [tid, ms] of threads) {
      if (tid === pid) split.workers += ms;
      else split.helpers += ms;
    }
  }
  return split;
}
