// A worker for the pool test: misbehaves on request, so that the pool's limits can be seen to hold.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (m) => {
  if (m.name === 'hog') {
    const keep = [];
    for (;;) keep.push(new Array(1e6).fill(keep.length));
  }
  if (m.name === 'hang') for (;;);
  if (m.name === 'crash') process.exit(3);
  parentPort.postMessage({ type: 'result', id: m.id, record: { file: m.name, bytes: m.bytes.length } });
});
parentPort.postMessage({ type: 'ready' });
