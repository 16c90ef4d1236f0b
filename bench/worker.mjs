// Worker entry of the benchmark's batch: a memory probe wrapped around the project's real worker entry
// (src/batch/worker.mjs), so that the batch measures exactly what `xxgk batch` runs, start-up included.
// Plain JS, loaded before tsx: the probe itself costs the worker nothing measurable.
import { memoryUsage } from 'node:process';
import { getHeapStatistics } from 'node:v8';

const MB = 1024 * 1024;
// This worker's memory: its process's RSS (a worker is a process of its own), and its V8 heap plus
// external memory (ArrayBuffers, pdfjs data).
const isolateBytes = () => getHeapStatistics().total_heap_size + memoryUsage().external;

let current = null;
const sample = () => {
  if (!current) return;
  current.rss = Math.max(current.rss, memoryUsage.rss());
  current.iso = Math.max(current.iso, isolateBytes());
};
const timer = setInterval(sample, 20);
timer.unref();

// Registered before the real entry's listener, so sampling starts before the file is read.
process.on('message', () => {
  current = { t0: performance.now(), rss: memoryUsage.rss(), iso: isolateBytes() };
});
const send = process.send.bind(process);
process.send = (msg, ...rest) => {
  if (msg && msg.type === 'result' && current) {
    sample();
    // The pool hands the record over untouched; the batch child reads `bench` and drops the rest.
    msg.record.bench = { pid: process.pid, rssPeakMb: current.rss / MB, isolatePeakMb: current.iso / MB, ms: performance.now() - current.t0 };
    current = null;
  }
  return send(msg, ...rest);
};

// BENCH_WORKER_ENTRY lets a profiling session compare another entry against the real one.
await import(process.env.BENCH_WORKER_ENTRY ?? new URL('../src/batch/worker.mjs', import.meta.url).href);
