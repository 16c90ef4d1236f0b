// Worker entry of the benchmark's batch: a memory probe wrapped around the project's real worker entry
// (src/batch/worker.mjs), so that the batch measures exactly what `xxgk batch` runs, start-up included.
// Plain JS, loaded before tsx: the probe itself costs the worker nothing measurable.
import { readlinkSync } from 'node:fs';
import { memoryUsage } from 'node:process';
import { getHeapStatistics } from 'node:v8';
import { parentPort, threadId } from 'node:worker_threads';

const MB = 1024 * 1024;
const port = parentPort;
// The OS thread this worker's JavaScript runs on (Linux), so the batch can tell its CPU time from that of
// V8's helper threads (GC, optimising compiler), which all the isolates of the process share.
let tid = null;
try {
  tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
} catch {}
// This worker's own memory: its V8 heap plus external memory (ArrayBuffers, pdfjs data). Process RSS is
// shared by every thread, so it is sampled too but cannot be told apart per worker.
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
port.on('message', () => {
  current = { t0: performance.now(), rss: memoryUsage.rss(), iso: isolateBytes() };
});
const post = port.postMessage.bind(port);
port.postMessage = (msg, transfer) => {
  if (msg && msg.type === 'result' && current) {
    sample();
    // The pool hands the record over untouched; the batch child reads `bench` and drops the rest.
    msg.record.bench = { threadId, tid, rssPeakMb: current.rss / MB, isolatePeakMb: current.iso / MB, ms: performance.now() - current.t0 };
    current = null;
  }
  return post(msg, transfer);
};

// BENCH_WORKER_ENTRY lets a profiling session compare another entry against the real one.
await import(process.env.BENCH_WORKER_ENTRY ?? new URL('../src/batch/worker.mjs', import.meta.url).href);
