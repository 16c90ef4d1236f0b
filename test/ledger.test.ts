import { spawn } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../src/batch/ledger.js';
import { hasNodeSqlite } from '../src/batch/sqlite.js';

const WRITER = fileURLToPath(new URL('./helpers/ledger-writer.ts', import.meta.url));

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'xxgk-ledger-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Runs the writer until it sits inside an open transaction, then kills it with SIGKILL. */
async function killInsideTransaction(file: string, count: number, engine: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, String(count)], {
    env: { ...process.env, XXGK_SQLITE: engine },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('in-transaction') && resolve());
    child.once('exit', (code) => reject(new Error(`writer exited ${code} before its transaction`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

const engines = hasNodeSqlite() ? ['wasm', 'node:sqlite'] : ['wasm'];

describe.each(engines)('the ledger on the %s engine, its writer killed mid-transaction', (engine) => {
  it('keeps every committed entry whole, drops the torn one, and takes new writes at once', async () => {
    const file = join(tmp, `${engine}.sqlite`);
    await killInsideTransaction(file, 20, engine);
    process.env.XXGK_SQLITE = engine;
    const started = Date.now();
    const ledger = new Ledger(file);
    const all = ledger.all();
    expect(all.map((e) => e.sha256).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `sha-${i}`).sort());
    for (const e of all) expect((e.record as unknown as { text: string }).text).toHaveLength(5000);
    expect(ledger.get('torn', 'test')).toBeUndefined();
    ledger.put({ ...all[0], sha256: 'after', record: all[0].record });
    expect(ledger.get('after', 'test')?.path).toBe(all[0].path);
    ledger.close();
    // a dead writer's lock is not waited for (the busy timeout is 10 s)
    expect(Date.now() - started).toBeLessThan(5000);
    delete process.env.XXGK_SQLITE;
  }, 60_000);
});

describe('a ledger written as WAL (by an earlier version of xxgk)', () => {
  it('opens on every engine and keeps its entries', () => {
    const file = join(tmp, 'wal.sqlite');
    const first = new Ledger(file);
    first.put({ sha256: 'a', toolVersion: 'v', path: 'p', processedAt: 't', durationMs: 1, errorCode: null, errorMessage: null, record: {} as never });
    first.close();
    // The WebAssembly engine cannot set WAL itself; mark the header as a WAL writer would (file format 2).
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from([2, 2]), 0, 2, 18);
    closeSync(fd);
    for (const engine of engines) {
      process.env.XXGK_SQLITE = engine;
      const again = new Ledger(file);
      expect(again.get('a', 'v')?.path).toBe('p');
      again.close();
    }
    delete process.env.XXGK_SQLITE;
  });
});
