import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite } from '../src/batch/sqlite.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportRecord } from '../src/record/schema.js';
import { buildZip } from './batch-zipwriter.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GOOD = fileURLToPath(new URL('../../shared/corpus/gen06_2021_market_lohtml.pdf', import.meta.url));

let tmp: string;
let dir: string;

const batch = (...args: string[]) => spawnSync(process.execPath, ['bin/xxgk.mjs', 'batch', '--no-anomalies', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
const readRecords = async (out: string): Promise<ReportRecord[]> =>
  (await readFile(join(out, 'records.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'xxgk-batch-errors-'));
  dir = join(tmp, 'in');
  await mkdir(dir);
  await copyFile(GOOD, join(dir, 'good.pdf'));
  await writeFile(join(dir, 'empty.pdf'), '');
  await writeFile(join(dir, 'fake.pdf'), '这不是PDF文件，只是改了扩展名。\n');
  await writeFile(join(dir, 'broken.zip'), 'PK\x03\x04 not really a zip');
  // 64 MiB of zeros deflate to about 64 KiB: a 1000:1 ratio no report has
  await writeFile(join(dir, 'bomb.zip'), buildZip([{ name: 'big.pdf', data: Buffer.alloc(64 * 2 ** 20) }]));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('bad files in a batch', () => {
  it('gives each bad file an error record, names it, and exits 0', async () => {
    const out = join(tmp, 'out');
    const run = batch(dir, '--out', out, '--jobs', '2');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/5 files.* 4 failed/);
    expect(run.stderr).toContain('in/fake.pdf');
    const records = await readRecords(out);
    const code = (p: string) => records.find((r) => r.source.path === p)?.error?.code;
    expect(records).toHaveLength(5);
    expect(code('in/good.pdf')).toBeUndefined();
    expect(code('in/empty.pdf')).toBeTruthy();
    expect(code('in/fake.pdf')).toBeTruthy();
    expect(code('in/broken.zip')).toBe('bad_zip');
    expect(code('in/bomb.zip!/big.pdf')).toBe('zip_bomb');
    // the ledger names the reason for the files it read
    const db = openSqlite(join(out, 'xxgk.sqlite'), { readOnly: true });
    const failed = db.prepare('SELECT path, error_code, error_message FROM processed WHERE error_code IS NOT NULL ORDER BY path').all() as unknown as { path: string; error_message: string }[];
    db.close();
    expect(failed.map((f) => f.path)).toEqual(['in/empty.pdf', 'in/fake.pdf']);
    for (const f of failed) expect(f.error_message.length).toBeGreaterThan(0);
  }, 120_000);

  it('exits non-zero with --strict', () => {
    const run = batch(dir, '--out', join(tmp, 'out-strict'), '--strict', '--quiet');
    expect(run.status).toBe(1);
  }, 120_000);

  it('gives a file over the time limit a timeout record and goes on', async () => {
    const out = join(tmp, 'out-timeout');
    const run = batch(join(dir, 'good.pdf'), join(dir, 'fake.pdf'), '--out', out, '--timeout', '0.001', '--quiet');
    expect(run.status, run.stderr).toBe(0);
    const records = await readRecords(out);
    expect(records.find((r) => r.file === 'good.pdf')?.error?.code).toBe('timeout');
    expect(records).toHaveLength(2);
  }, 120_000);
});

describe('a bad --queue URL', () => {
  it('is told before anything is written: exit 1, the URL and the reason, no output directory', async () => {
    const out = join(tmp, 'never');
    const run = batch(dir, '--out', out, '--queue', 'localhost:6379');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--queue localhost:6379: expected a redis:\/\/ or rediss:\/\/ URL|not a URL/);
    await expect(readFile(join(out, 'xxgk.sqlite'))).rejects.toThrow(/ENOENT/);
  });
});
