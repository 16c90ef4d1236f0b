import { parentPort } from 'node:worker_threads';
import { extractBytes } from '../extract/index.js';
import type { TaskMessage, WorkerMessage } from './pool.js';

/** Runs inside a worker thread: one report at a time, bytes in, record out. */
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);

port.on('message', async (m: TaskMessage) => {
  try {
    const record = await extractBytes(m.name, m.bytes, { displayPath: m.displayPath, ocr: m.ocr });
    send({ type: 'result', id: m.id, record });
  } catch (err) {
    // extractBytes promises never to throw; should it, the file still gets a clear error rather than a hung slot
    send({ type: 'failed', id: m.id, code: 'failed', message: (err as Error)?.stack ?? String(err) });
  }
});
send({ type: 'ready' });
