import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerRows, type LedgerRow } from './helpers/ledger.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const OUTPUTS = ['records.jsonl', 'cells.csv', 'reports.csv', 'findings.csv'];

let tmp: string;
let dir: string;
let total: number;

const args = (out: string) => ['bin/xxgk.mjs', 'batch', dir, '--out', out, '--jobs', '1', '--quiet', '--no-anomalies'];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'xxgk-batch-resume-'));
  dir = join(tmp, 'in');
  await mkdir(dir);
  const pdfs = (await readdir(CORPUS)).filter((f) => f.endsWith('.pdf') && !f.includes('scan')).slice(0, 5);
  for (const f of pdfs) await copyFile(join(CORPUS, f), join(dir, f));
  total = pdfs.length;
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('a batch killed part-way', () => {
  it('resumes without losing or repeating a file, and ends with the same outputs as an unbroken run', async () => {
    const out = join(tmp, 'killed');
    const child = spawn(process.execPath, args(out), { cwd: ROOT, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    let before: LedgerRow[] = [];
    // Kill as soon as some files are in the ledger but not all.
    for (let waited = 0; waited < 100_000; waited += 50) {
      before = ledgerRows(out);
      if (before.length >= 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await exited;
    before = ledgerRows(out, { afterKill: true });
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(total);

    const rerun = spawnSync(process.execPath, args(out), { cwd: ROOT, encoding: 'utf8' });
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toContain(`${total} files, ${total - before.length} processed, ${before.length} from the ledger`);
    const after = ledgerRows(out);
    expect(after).toHaveLength(total);
    // what was done before the kill was kept, not done again
    for (const row of before) expect(after.find((r) => r.sha256 === row.sha256)?.processed_at).toBe(row.processed_at);

    const clean = join(tmp, 'clean');
    const unbroken = spawnSync(process.execPath, args(clean), { cwd: ROOT, encoding: 'utf8' });
    expect(unbroken.status, unbroken.stderr).toBe(0);
    for (const f of OUTPUTS) expect((await readFile(join(out, f))).equals(await readFile(join(clean, f))), f).toBe(true);
    // no temp files left behind by the atomic writes
    expect((await readdir(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 300_000);
});
