import { memoryUsage } from 'node:process';
import { getHeapStatistics } from 'node:v8';
import { parentPort, threadId } from 'node:worker_threads';
import { extractBytes } from '../src/extract/index.js';
import type { TaskMessage, WorkerMessage } from '../src/batch/pool.js';

/**
 * src/batch/worker-task.ts plus a memory probe: the same extractBytes per message, and beside each
 * record (field `bench`, ignored by the pool) this worker's heap and the process RSS, sampled every 20 ms
 * while the file was read, so a short peak between two files is not missed.
 */
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);

export interface WorkerProbe {
  threadId: number;
  /** Peak process RSS while this file was read (every worker thread shares the process's RSS). */
  rssPeakMb: number;
  /** Peak of this worker's own V8 heap plus external memory (ArrayBuffers, pdfjs data): per worker. */
  isolatePeakMb: number;
  ms: number;
}

const MB = 1024 * 1024;
const isolateBytes = () => {
  const h = getHeapStatistics();
  const m = memoryUsage();
  return h.total_heap_size + m.external;
};

port.on('message', async (m: TaskMessage) => {
  const t0 = performance.now();
  let rss = memoryUsage.rss();
  let iso = isolateBytes();
  const sample = () => {
    rss = Math.max(rss, memoryUsage.rss());
    iso = Math.max(iso, isolateBytes());
  };
  const timer = setInterval(sample, 20);
  try {
    const record = await extractBytes(m.name, m.bytes, { displayPath: m.displayPath, ocr: m.ocr });
    sample();
    const probe: WorkerProbe = { threadId, rssPeakMb: rss / MB, isolatePeakMb: iso / MB, ms: performance.now() - t0 };
    send({ type: 'result', id: m.id, record: Object.assign(record, { bench: probe }) });
  } catch (err) {
    send({ type: 'failed', id: m.id, code: 'failed', message: (err as Error)?.stack ?? String(err) });
  } finally {
    clearInterval(timer);
  }
});
send({ type: 'ready' });
