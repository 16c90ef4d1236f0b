/**
 * One batch run in a process of its own (so the parent's warm pdfjs does not count in its memory):
 * `node --import tsx bench/batch-child.ts WORKERS FILE...` runs every FILE through the project's
 * WorkerPool (src/batch/pool.ts) with WORKERS threads, and prints one JSON line: BatchRun.
 */
import { DEFAULT_WORKER_MEMORY_MB } from '../src/batch/limits.js';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { memoryUsage } from 'node:process';
import { WorkerPool } from '../src/batch/pool.js';

/** What bench/worker.mjs adds to each record it sends back. */
interface WorkerProbe {
  threadId: number;
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
const pool = new WorkerPool({ size: workers, timeoutMs: 120_000, memoryMb: Number(process.env.BENCH_WORKER_MEMORY_MB ?? DEFAULT_WORKER_MEMORY_MB), entry: new URL('./worker.mjs', import.meta.url) });
const done: BatchRun['done'] = [];
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
    done.push({ atMs: performance.now() - t0, threadId: probe.threadId, rssPeakMb: probe.rssPeakMb, isolatePeakMb: probe.isolatePeakMb, ms: probe.ms });
  }
};
await Promise.all(Array.from({ length: workers * 2 }, lane));
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
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
  done,
};
process.stdout.write(JSON.stringify(run) + '\n');
