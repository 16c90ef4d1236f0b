import { describe, expect, it } from 'vitest';
import { WorkerPool } from '../src/batch/pool.js';

const entry = new URL('./batch-pool-worker.mjs', import.meta.url);
const task = (name: string) => ({ name, bytes: new Uint8Array([1, 2, 3]), displayPath: `x/${name}` });

describe('worker pool limits', () => {
  it('gives a memory, timeout or crash outcome for a bad task and goes on with a fresh worker', async () => {
    const pool = new WorkerPool({ size: 1, timeoutMs: 1500, memoryMb: 32, entry });
    try {
      const hog = await pool.run(task('hog'));
      expect(hog).toMatchObject({ ok: false, code: 'memory' });
      const hang = await pool.run(task('hang'));
      expect(hang).toMatchObject({ ok: false, code: 'timeout' });
      expect(!hang.ok && hang.message).toContain('x/hang');
      const crash = await pool.run(task('crash'));
      expect(crash).toMatchObject({ ok: false, code: 'crashed' });
      const fine = await pool.run(task('fine'));
      expect(fine).toMatchObject({ ok: true, record: { file: 'fine', bytes: 3 } });
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('keeps the other workers going while one is stuck', async () => {
    const pool = new WorkerPool({ size: 2, timeoutMs: 3000, memoryMb: 64, entry });
    try {
      const hang = pool.run(task('hang'));
      const quick = await Promise.all(['a', 'b', 'c'].map((n) => pool.run(task(n))));
      expect(quick.every((o) => o.ok)).toBe(true);
      expect(await hang).toMatchObject({ code: 'timeout' });
    } finally {
      await pool.close();
    }
  }, 30_000);
});
