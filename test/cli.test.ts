import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordSchema } from '../src/record/schema.js';
import { CORPUS, readTruth, recordFrom } from './validate-records.js';

/** What a new user meets at the command line: each case a fault found by trying the CLI as one. */

const run = promisify(execFile);
const BIN = new URL('../bin/xxgk.mjs', import.meta.url).pathname;

async function xxgk(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 32 << 20, timeout: 100_000 });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'xxgk-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .*:\d+:\d+/);

describe('the CLI on a mistyped input', () => {
  it('batch on a path that does not exist fails and writes nothing', async () => {
    const out = join(dir, 'none-out');
    const r = await xxgk('batch', join(dir, 'no-such-folder'), '-o', out, '--quiet');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no-such-folder');
    expect(r.stderr).toMatch(/no such file or directory/);
    expect(existsSync(out)).toBe(false);
    noStack(r.stderr);
  });

  it('--jobs 0 is refused in one line, without a stack trace', async () => {
    const r = await xxgk('batch', dir, '-o', join(dir, 'jobs-out'), '--jobs', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--jobs/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    noStack(r.stderr);
    expect(existsSync(join(dir, 'jobs-out'))).toBe(false);
  });

  it('extract on a directory says it is one, and prints no record', async () => {
    const r = await xxgk('extract', dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${dir} is a directory`);
    expect(r.stderr).toContain('xxgk batch');
  });

  it("a missing file's record carries no hash of content that was never read", async () => {
    const out = join(dir, 'missing.json');
    const r = await xxgk('extract', join(dir, 'missing.pdf'), '-o', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing\.pdf.*ENOENT/);
    const record = RecordSchema.parse(JSON.parse(readFileSync(out, 'utf8')));
    expect(record.error?.code).toBe('unreadable');
    expect(record.source.sha256).not.toBe(createHash('sha256').update('').digest('hex'));
    expect(record.source.sha256).toBe('');
    expect(record.source.bytes).toBe(0);
  });
});

describe('xxgk check --strict', () => {
  it('exits non-zero on error findings, zero on a record without any', async () => {
    const planted = join(dir, 'planted.json');
    const clean = join(dir, 'clean.json');
    writeFileSync(planted, JSON.stringify(recordFrom(readTruth(CORPUS + 'gen04_2019_city_gov_chromium_landscape_planted.json'))));
    writeFileSync(clean, JSON.stringify(recordFrom(readTruth(CORPUS + 'gen09_2021_city_gov_chromium_big.json'))));
    const [lenient, strict, strictClean] = await Promise.all([xxgk('check', planted), xxgk('check', planted, '--strict'), xxgk('check', clean, '--strict')]);
    expect(lenient.code).toBe(0);
    expect(strict.stderr).toMatch(/[1-9]\d* errors/);
    expect(strict.code).toBe(1);
    expect(strictClean.stderr).toMatch(/ 0 errors/);
    expect(strictClean.code).toBe(0);
  });
});

describe('batch progress', () => {
  it('goes to stderr, says when the anomaly report renders, and gives no rate for files served by the ledger', async () => {
    const input = join(dir, 'in');
    mkdirSync(input);
    for (const f of ['seed_xiangshan_hrss_2020.txt', 'gen03_2019_township_docx_blankzeros.pdf']) copyFileSync(join(CORPUS, f), join(input, f));
    const out = join(dir, 'progress-out');
    const first = await xxgk('batch', input, '-o', out, '--jobs', '1');
    expect(first.code, first.stderr).toBe(0);
    // stdout: the summary alone, the result a script reads
    expect(first.stdout.trim().split('\n')).toEqual([`xxgk batch: 2 files, 2 processed, 0 from the ledger, 0 failed → ${out}`]);
    const lines = first.stderr.trim().split('\n');
    expect(lines.some((l) => /2\/2 files, [\d.]+\/s/.test(l))).toBe(true);
    // the last word after the files: the slow step that comes next
    expect(lines[lines.length - 1]).toMatch(/anomaly report/);
    expect(existsSync(join(out, 'anomalies.html'))).toBe(true);

    const again = await xxgk('batch', input, '-o', out, '--jobs', '1', '--no-anomalies');
    expect(again.code).toBe(0);
    const progress = again.stderr.trim().split('\n').find((l) => l.includes('2/2 files'))!;
    expect(progress).toContain('2 from the ledger');
    expect(progress).not.toMatch(/\d\/s/);
    expect(again.stderr).not.toMatch(/anomaly report/);
  }, 120_000);
});

describe('help', () => {
  const writers = ['extract', 'check', 'batch', 'debug'];
  it.each(['extract', 'check', 'schema', 'batch', 'worker', 'debug'])('of %s is in English and Chinese, with an example', async (cmd) => {
    const r = await xxgk(cmd, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/[\u4e00-\u9fff]/);
    expect(r.stdout).toMatch(/\b(the|a|of)\b/);
    expect(r.stdout).toMatch(new RegExp(`Examples? / 示例:\\n\\s+xxgk ${cmd} `));
    if (writers.includes(cmd)) expect(r.stdout).toMatch(/-o, --out <\w+>/);
  });
});
