import { resolve } from 'node:path';
import type { BatchRun } from './batch-child.js';
import { run } from './spawn.js';
import { max, median } from './stats.js';

export interface BatchFigures {
  workers: number;
  files: number;
  failed: number;
  wallMs: number;
  filesPerSec: number;
  firstResultMs: number;
  /** Peak RSS of the batch's own process (reading, hashing, the pool), its workers not included. */
  mainPeakRssMb: number;
  /** Peak RSS of the largest worker process. */
  perWorkerRssMb: number;
  /** Largest V8 heap + external memory of any one worker (its own, not shared). */
  isolatePeakMb: number;
  /** Worker RSS peaks over the first and the last quarter of the files (in completion order). */
  rssFirstQuarterMb: number;
  rssLastQuarterMb: number;
  isolateFirstQuarterMb: number;
  isolateLastQuarterMb: number;
  medianFileMs: number;
  /** Cores the batch kept busy on average (CPU time of its processes / wall time): below the worker count, the machine was shared or the workers waited. */
  coresUsed: number;
  /** CPU time per file (all threads of the batch and its workers): if it holds from 1 to 2 workers, the workers do not slow each other. */
  cpuPerFileMs: number;
  /** Shares of that CPU time: the workers' JavaScript threads, their V8 helper threads (GC, compiler), the batch's own process. */
  cpuShares: { workers: number; helpers: number; main: number } | null;
}

/** The corpus's digital PDFs, repeated in turn until there are at least `count` files. */
export function repeatTo(paths: string[], count: number): string[] {
  const out: string[] = [];
  while (out.length < count) out.push(...paths);
  return out;
}

/** One batch in a fresh process (bench/batch-child.ts), through the project's WorkerPool. */
export async function batchFigures(files: string[], workers: number): Promise<BatchFigures> {
  const r = await run(process.execPath, ['--import', 'tsx', resolve('bench/batch-child.ts'), String(workers), ...files]);
  if (r.code !== 0) throw new Error(`batch with ${workers} worker(s) exited ${r.code}: ${r.stderr.trim().slice(-800)}`);
  const b = JSON.parse(r.stdout.trim().split('\n').pop()!) as BatchRun;
  const q = Math.max(1, Math.floor(b.done.length / 4));
  const first = b.done.slice(0, q);
  const last = b.done.slice(-q);
  return {
    workers,
    files: b.files,
    failed: b.failed,
    wallMs: b.wallMs,
    filesPerSec: (b.done.length / b.wallMs) * 1000,
    firstResultMs: b.firstResultMs,
    mainPeakRssMb: b.mainPeakRssMb,
    perWorkerRssMb: b.workerPeakRssMb,
    isolatePeakMb: max(b.done.map((d) => d.isolatePeakMb)),
    rssFirstQuarterMb: max(first.map((d) => d.rssPeakMb)),
    rssLastQuarterMb: max(last.map((d) => d.rssPeakMb)),
    isolateFirstQuarterMb: max(first.map((d) => d.isolatePeakMb)),
    isolateLastQuarterMb: max(last.map((d) => d.isolatePeakMb)),
    medianFileMs: median(b.done.map((d) => d.ms)),
    coresUsed: b.cpuMs / b.wallMs,
    cpuPerFileMs: b.cpuMs / Math.max(1, b.done.length),
    cpuShares: shares(b.cpuSplitMs),
  };
}

function shares(split: BatchRun['cpuSplitMs']): BatchFigures['cpuShares'] {
  if (!split) return null;
  const total = split.main + split.workers + split.helpers;
  return total > 0 ? { workers: split.workers / total, helpers: split.helpers / total, main: split.main / total } : null;
}
