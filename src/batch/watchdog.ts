import { Worker } from 'node:worker_threads';

/**
 * A worker process's own guard, on a thread of its own so that it runs while the extraction holds the main
 * thread (a pdfjs loop, a regex, OCR): the process kills itself when its parent is gone (the batch was
 * SIGKILLed: no 'disconnect' event fires while the main thread is busy) or when the file in hand has run
 * past its time limit plus a grace (the parent kills it at the limit; this holds when the parent cannot).
 */
const GUARD = `
const { parentPort, workerData } = require('node:worker_threads');
let busy = null;
parentPort.on('message', (m) => { busy = m; });
setInterval(() => {
  const orphaned = process.ppid !== workerData.parent;
  const over = busy && Date.now() - busy.since > busy.limitMs + workerData.graceMs;
  if (orphaned || over) process.kill(process.pid, 'SIGKILL');
}, workerData.everyMs);
`;

export interface Watchdog {
  /** A file is in hand from now, for at most limitMs. */
  busy(limitMs: number): void;
  idle(): void;
}

export function startWatchdog({ graceMs = 5000, everyMs = 500 } = {}): Watchdog {
  const thread = new Worker(GUARD, { eval: true, workerData: { parent: process.ppid, graceMs, everyMs } });
  thread.unref();
  return {
    busy: (limitMs) => thread.postMessage({ since: Date.now(), limitMs }),
    idle: () => thread.postMessage(null),
  };
}
