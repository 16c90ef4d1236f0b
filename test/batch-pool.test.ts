import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { WorkerPool, workerNodeOptions } from '../src/batch/pool.js';

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
      expect(fine).toMatchObject({ ok: true, record: { file: 'fine', bytes: 3, isBytes: true } });
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

  it('answers a file still in a worker when the pool closes', async () => {
    const pool = new WorkerPool({ size: 1, timeoutMs: 60_000, memoryMb: 64, entry });
    const slow = pool.run(task('slow'));
    await new Promise((r) => setTimeout(r, 1500));
    await pool.close();
    expect(await slow).toMatchObject({ ok: false, code: 'closed' });
  }, 30_000);

  it('gives each worker its heap limit, and V8 helper threads only where a core is left for them', () => {
    expect(workerNodeOptions(1, 1024, 2)).toEqual(['--max-old-space-size=1024', '--initial-old-space-size=96']);
    expect(workerNodeOptions(2, 64, 2)).toEqual(['--max-old-space-size=64', '--initial-old-space-size=16', '--single-threaded']);
    expect(workerNodeOptions(2, 1024, 8)).toEqual(['--max-old-space-size=1024', '--initial-old-space-size=96']);
  });

  it('leaves no worker behind when the batch process is killed', async () => {
    // A process that starts a pool of two workers, prints their pids (its workers only: tsx may have an esbuild
    // child too) and is killed while both work on a file.
    const script = `
      const { WorkerPool } = await import(${JSON.stringify(new URL('../src/batch/pool.ts', import.meta.url).href)});
      const pool = new WorkerPool({ size: 2, timeoutMs: 60000, memoryMb: 64, entry: new URL(${JSON.stringify(entry.href)}) });
      await Promise.all([pool.run({ name: 'a', bytes: new Uint8Array(1), displayPath: 'a' }), pool.run({ name: 'b', bytes: new Uint8Array(1), displayPath: 'b' })]);
      const { execFileSync } = await import('node:child_process');
      console.log(execFileSync('pgrep', ['-f', 'batch-pool-worker', '-P', String(process.pid)]).toString().trim().split('\\n').join(' '));
      pool.run({ name: 'slow', bytes: new Uint8Array(1), displayPath: 'slow' });
      pool.run({ name: 'slow', bytes: new Uint8Array(1), displayPath: 'slow' });
      setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let pids: number[];
    try {
      pids = await new Promise<number[]>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString().trim().split(' ').map(Number))));
      expect(pids.length).toBe(2);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      parent.kill('SIGKILL');
    }
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(alive)).toEqual([]);
  }, 30_000);
});
