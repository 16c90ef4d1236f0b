import { extractBytes } from '../pipeline/index.js';
import { boundRecord } from './bounds.js';
import type { TaskMessage, WorkerMessage } from './pool.js';
import { startWatchdog } from './watchdog.js';

/** Runs in a worker process (src/batch/pool.ts): one report at a time, bytes in, record out. */
const send = (m: WorkerMessage) => process.send!(m);

const watchdog = startWatchdog();

process.on('message', async (m: TaskMessage) => {
  watchdog.busy(m.timeoutMs);
  try {
    if (m.kind === 'snapshots') {
      const { imagesFor } = await import('../export/anomalies.js');
      send({ type: 'images', id: m.id, images: await imagesFor(m.bytes, m.record, m.findings, m.limits) });
      return;
    }
    // Bounded here, in the file's own worker: a record too large to send or store costs only this file.
    const record = boundRecord(await extractBytes(m.name, m.bytes, { displayPath: m.displayPath, ocr: m.ocr }));
    send({ type: 'result', id: m.id, record });
  } catch (err) {
    // extractBytes promises never to throw; should it, the file still gets a clear error rather than a hung slot
    send({ type: 'failed', id: m.id, code: 'failed', message: (err as Error)?.stack ?? String(err) });
  } finally {
    watchdog.idle();
  }
});
// A worker outlives nothing: when the batch's process is gone (killed, crashed), so is the channel, and so is this.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
