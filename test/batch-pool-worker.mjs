// A worker for the pool test: misbehaves on request, so that the pool's limits can be seen to hold.
process.on('message', (m) => {
  if (m.name === 'hog') {
    const keep = [];
    for (;;) keep.push(new Array(1e6).fill(keep.length));
  }
  if (m.name === 'hang') for (;;);
  if (m.name === 'crash') process.exit(3);
  if (m.name === 'slow') return void setTimeout(() => process.send({ type: 'result', id: m.id, record: { file: m.name } }), 30_000);
  process.send({ type: 'result', id: m.id, record: { file: m.name, bytes: m.bytes.length, isBytes: m.bytes instanceof Uint8Array } });
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready' });
