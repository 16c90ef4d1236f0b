import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insideArchive, listInputs } from '../src/batch/inputs.js';
import { runBatch } from '../src/batch/run.js';
import { Ledger } from '../src/batch/ledger.js';
import { WorkerPool } from '../src/batch/pool.js';
import { errorRecord, processWith } from '../src/batch/process.js';
import { mdEsc } from '../src/export/anomalies-md.js';
import type { ReportRecord } from '../src/record/schema.js';
import { buildZip } from './batch-zipwriter.js';
import { truthFor } from './helpers/corpus.js';
import { deepSavePdf, manyRunsPdf, textPdf } from './hostile-make.js';

/**
 * Hostile input at the batch level: files that eat time or memory through the real CLI, archives that try to
 * leave their folder, nest, or expand without end, and report text aimed at the outputs.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LINES = ['Annual report on government information disclosure 2023', 'Applications received this year: 12'];
let tmp: string;

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/xxgk.mjs', 'batch', '--no-anomalies', '--quiet', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
const records = async (out: string): Promise<ReportRecord[]> =>
  (await readFile(join(out, 'records.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const byFile = (rs: ReportRecord[], file: string) => rs.find((r) => r.file === file);

/** Every file under `dir`, relative to it. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => !e.isDirectory()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'xxgk-hostile-batch-'));
});
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('time and memory limits, through the CLI', () => {
  it('a file that eats the heap gets a memory record; a fresh worker reads the next file', async () => {
    const dir = join(tmp, 'memory');
    await mkdir(dir);
    await writeFile(join(dir, 'a-hog.pdf'), manyRunsPdf(3_000_000));
    await writeFile(join(dir, 'b-plain.pdf'), textPdf(LINES));
    const out = join(tmp, 'out-memory');
    // one worker: the second file can only be read if the first one's worker was replaced
    const run = cli(dir, '--out', out, '--jobs', '1', '--memory', '200', '--timeout', '120');
    expect(run.status, run.stderr).toBe(0);
    const rs = await records(out);
    expect(rs).toHaveLength(2);
    expect(byFile(rs, 'a-hog.pdf')?.error?.code).toBe('memory');
    expect(byFile(rs, 'a-hog.pdf')?.error?.message).toMatch(/a-hog\.pdf: worker ran out of memory \(limit 200 MB\)/);
    expect(byFile(rs, 'b-plain.pdf')?.error).toBeUndefined();
    expect(byFile(rs, 'b-plain.pdf')?.text?.pages[0]).toContain(LINES[0]);
  }, 180_000);

  it('a file that runs past --timeout gets a timeout record; a fresh worker reads the next file', async () => {
    const dir = join(tmp, 'time');
    await mkdir(dir);
    // 200 000 nested saves: pdfjs would take many minutes over this page
    await writeFile(join(dir, 'a-slow.pdf'), deepSavePdf(200_000));
    await writeFile(join(dir, 'b-plain.pdf'), textPdf(LINES));
    const out = join(tmp, 'out-time');
    const run = cli(dir, '--out', out, '--jobs', '1', '--timeout', '4');
    expect(run.status, run.stderr).toBe(0);
    const rs = await records(out);
    expect(rs).toHaveLength(2);
    expect(byFile(rs, 'a-slow.pdf')?.error).toEqual({ code: 'timeout', message: 'time/a-slow.pdf: took longer than 4 s' });
    expect(byFile(rs, 'b-plain.pdf')?.error).toBeUndefined();
  }, 180_000);
});

describe('zip archives', () => {
  const pdf = textPdf(LINES);

  it('names with .., absolute names and links: nothing is written outside our output, links are not followed', async () => {
    const dir = join(tmp, 'zipslip');
    await mkdir(join(dir, 'in'), { recursive: true });
    await writeFile(
      join(dir, 'in', 'slip.zip'),
      buildZip([
        { name: '../../escape.pdf', data: pdf },
        { name: '/etc/cron.d/absolute.pdf', data: pdf },
        { name: 'C:\\Windows\\drive.pdf', data: pdf },
        { name: 'link.pdf', data: Buffer.from('/etc/passwd'), symlink: true },
        { name: 'dir/../../../../tmp/deep-escape.pdf', data: pdf },
      ]),
    );
    const before = await tree(tmp);
    const out = join(dir, 'out');
    const summary = await runBatch({ paths: [join(dir, 'in')], out, jobs: 2, quiet: true, anomalies: false, ocr: false });
    // only the outputs appeared, and only in the output folder
    const added = (await tree(tmp)).filter((f) => !before.includes(f));
    expect(added.every((f) => f.startsWith(relative(tmp, out) + '/')), added.join(', ')).toBe(true);
    expect(added.some((f) => /escape|absolute|drive/.test(f))).toBe(false);
    // every entry is still a record, named inside its archive and read from memory
    const paths = summary.records.map((r) => r.source.path);
    // (`..` that climbs out of the archive is dropped from the name; the entry is still read, not lost)
    expect(paths).toEqual(['in/slip.zip!/C:/Windows/drive.pdf', 'in/slip.zip!/escape.pdf', 'in/slip.zip!/etc/cron.d/absolute.pdf', 'in/slip.zip!/tmp/deep-escape.pdf']);
    for (const r of summary.records) expect(r.text?.pages[0]).toContain(LINES[0]);
    expect(summary.skipped).toEqual([{ displayPath: 'in/slip.zip!/link.pdf', reason: 'symbolic link' }]);
  });

  it('an entry name is a path inside its archive, whatever it claims', () => {
    expect(insideArchive('../../../etc/passwd.pdf')).toBe('etc/passwd.pdf');
    expect(insideArchive('/abs/x.pdf')).toBe('abs/x.pdf');
    expect(insideArchive('..\\..\\win.pdf')).toBe('win.pdf');
    expect(insideArchive('./a/./b/../c.pdf')).toBe('a/c.pdf');
    expect(insideArchive('2023/报告.pdf')).toBe('2023/报告.pdf');
    expect(insideArchive('folder/')).toBe('folder/');
    expect(insideArchive('..')).toBe('');
  });

  it('archives nested deeper than the limit are refused by name', async () => {
    let zip = buildZip([{ name: 'deepest.pdf', data: pdf }]);
    for (let i = 4; i >= 1; i--) zip = buildZip([{ name: `level${i}.zip`, data: zip }, ...(i === 1 ? [{ name: 'top.pdf', data: pdf }] : [])]);
    await writeFile(join(tmp, 'nested.zip'), zip);
    const set = await listInputs([join(tmp, 'nested.zip')], { maxDepth: 3, maxEntryBytes: 2 ** 20, maxTotalBytes: 2 ** 24, maxRatio: 200, maxEntries: 100 });
    try {
      expect(set.inputs.map((i) => [i.displayPath, i.rejected?.code])).toEqual([
        ['nested.zip!/level1.zip!/level2.zip!/level3.zip', 'zip_depth'],
        ['nested.zip!/top.pdf', undefined],
      ]);
      expect(set.inputs[0].rejected?.message).toMatch(/nested more than 3 deep/);
    } finally {
      await set.close();
    }
  });

  it('a zip bomb: ratio, total size and sizes that lie are refused with a clear error', async () => {
    const zeros = Buffer.alloc(8 * 2 ** 20); // 8 MiB of zeros: ~1000:1
    const small = Buffer.alloc(600, 0x20);
    // a header that claims 600 bytes for 8 MiB of data
    const liar = buildZip([{ name: 'liar.pdf', data: zeros }]);
    liar.writeUInt32LE(600, 22); // local header
    liar.writeUInt32LE(600, liar.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24); // central directory
    await writeFile(join(tmp, 'bombs.zip'), buildZip([{ name: 'ratio.pdf', data: zeros }, { name: 'a.txt', data: small }, { name: 'b.txt', data: small }]));
    await writeFile(join(tmp, 'liar.zip'), liar);
    const limits = { maxDepth: 3, maxEntryBytes: 64 * 2 ** 20, maxTotalBytes: 1000, maxRatio: 200, maxEntries: 100 };
    const set = await listInputs([join(tmp, 'bombs.zip'), join(tmp, 'liar.zip')], limits);
    try {
      const got = Object.fromEntries(set.inputs.map((i) => [i.displayPath, i.rejected?.code ?? 'ok']));
      expect(got).toEqual({ 'bombs.zip!/a.txt': 'ok', 'bombs.zip!/b.txt': 'zip_bomb', 'bombs.zip!/ratio.pdf': 'zip_bomb', 'liar.zip!/liar.pdf': 'ok' });
      expect(set.inputs.find((i) => i.displayPath === 'bombs.zip!/ratio.pdf')?.rejected?.message).toMatch(/compression ratio \d+:1 is over 200:1/);
      expect(set.inputs.find((i) => i.displayPath === 'bombs.zip!/b.txt')?.rejected?.message).toMatch(/expands to more than 1000 bytes/);
      // the liar is caught while reading: never more than it declared is kept
      const liarInput = set.inputs.find((i) => i.displayPath === 'liar.zip!/liar.pdf')!;
      await expect(liarInput.read()).rejects.toMatchObject({ code: expect.stringMatching(/^(bad_zip|zip_bomb)$/) });
    } finally {
      await set.close();
    }
  });
});

describe('report text in the outputs', () => {
  it('is escaped in anomalies.html, neutralised in CSV, and names no file we write', async () => {
    const dir = join(tmp, 'names', 'in');
    await mkdir(dir, { recursive: true });
    const evilName = '<img src=x onerror=alert(1)>.pdf';
    await writeFile(join(dir, evilName), ''); // a failure, listed in anomalies.html by name
    const formula = join(tmp, 'names', '=1+1.pdf'); // given on its own, its display path is its name
    await writeFile(formula, 'not a pdf');
    const title = '<script>alert(2)</script>某局2021年政府信息公开工作年度报告';
    await writeFile(join(dir, 'report.html'), `<html><body><h1>${title}</h1><table><tr><td>本年新收政府信息公开申请数量</td><td>=cmd|' /C calc'!A0</td></tr></table></body></html>`);
    const out = join(tmp, 'names', 'out');
    const summary = await runBatch({ paths: [dir, formula], out, jobs: 2, quiet: true, ocr: false });
    expect(summary.records).toHaveLength(3);
    expect((await tree(join(tmp, 'names', 'out'))).filter((f) => !/^(records\.jsonl|reports\.csv|cells\.csv|findings\.csv|codebook\.csv|results\.xlsx|load\.(do|R)|anomalies\.(html|md)|xxgk\.sqlite.*)$/.test(f))).toEqual([]);
    const html = await readFile(join(out, 'anomalies.html'), 'utf8');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.pdf');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>alert(2)');
    const csv = await readFile(join(out, 'reports.csv'), 'utf8');
    expect(csv).toContain(`'=1+1.pdf`);
    expect(csv).not.toMatch(/(^|,)"?=1\+1/m);
  });

  it('no source file runs a shell or another program, or builds an output path from a record', async () => {
    const src = fileURLToPath(new URL('../src/', import.meta.url));
    const files = (await tree(src)).filter((f) => /\.(ts|mjs|js)$/.test(f));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const code = await readFile(join(src, f), 'utf8');
      // The worker pool forks our own worker module (node, a fixed entry); nothing else starts a process.
      const childProcess = /from ['"](node:)?child_process['"]|require\(['"](node:)?child_process['"]\)/;
      // …and the Word converter starts LibreOffice (soffice under `timeout`), with no shell.
      const imported = code.match(/import \{([^}]*)\} from 'node:child_process'/)?.[1].replace(/\s/g, '');
      if (f === join('batch', 'pool.ts')) expect(imported).toBe('fork,typeChildProcess');
      else if (f === join('extract', 'convert.ts')) expect(imported).toBe('spawn');
      else expect(code, f).not.toMatch(childProcess);
      expect(code, f).not.toMatch(f === join('extract', 'convert.ts') ? /(?<![.\w])(exec|execSync|execFile|execFileSync|spawnSync)\(|shell:\s*true/ : /(?<![.\w])(exec|execSync|execFile|execFileSync|spawn|spawnSync)\(|shell:\s*true/);
      for (const line of code.split('\n').filter((l) => /\b(writeFile|writeFileAtomic|createWriteStream|mkdir|rename)\s*\(/.test(l)))
        expect(line, f).not.toMatch(/\b(record|r)\.(file|source|meta|text)|displayPath|\.name\b/);
    }
  });
});

describe('what reaches the terminal and the Markdown', () => {
  it('control characters in entry names are shown escaped, never sent: no retitle, no clear, no forged line', async () => {
    const dir = join(tmp, 'escapes');
    await mkdir(dir);
    const names = ['\x1b]0;pwned\x07title.pdf', '\x1b[2Jclear.pdf', 'a.pdf\r\nxxgk batch: 0 files, 0 failed → forged\n', '\u202egnp.pdf'];
    await writeFile(join(dir, 'names.zip'), buildZip(names.map((name) => ({ name, data: Buffer.from('not a pdf') }))));
    const run = spawnSync(process.execPath, ['bin/xxgk.mjs', 'batch', '--no-anomalies', dir, '--out', join(tmp, 'out-escapes')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const printed = run.stdout + run.stderr;
    expect(printed).toContain('\\x1b]0;pwned\\x07title.pdf'); // named, escaped
    expect(printed).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
    // The forged line stays inside the line that names it (a failure, or a file skipped for its odd extension), escaped.
    const forged = printed.split('\n').filter((l) => l.includes('forged'));
    expect(forged.length).toBeGreaterThan(0);
    expect(forged.every((l) => l.startsWith('xxgk batch: ') && l.includes('\\x0d\\x0axxgk batch'))).toBe(true);
  }, 120_000);

  it('anomalies.md turns no report text into a link (URLs, www., addresses, =HYPERLINK)', async () => {
    for (const text of ['https://evil.invalid/phish', 'see www.evil.invalid now', 'mail x@evil.invalid', '=HYPERLINK("http://e.invalid","x")', 'xmpp:a@b.invalid'])
      expect(mdEsc(text), text).not.toMatch(/[a-z0-9][:@]|www\./i);
    expect(mdEsc('南屏市2020年 12:30')).toBe('南屏市2020年 12\\:30'); // shown as typed by a renderer
    const out = join(tmp, 'out-autolink');
    const run = spawnSync(process.execPath, ['bin/xxgk.mjs', 'batch', '--quiet', join(ROOT, '../shared/hostile/R11-md-autolink'), '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const md = await readFile(join(out, 'anomalies.md'), 'utf8');
    // the report's own words are there (its title, the address glued to it taken out)…
    expect(md).toContain('南屏市人民政府办公室');
    expect(md).not.toMatch(/https?:\/\/|www\.|[a-z0-9]@[a-z0-9]/i); // …but no link
  });
});

describe('faults of the output folder: one line naming the file and what to do', () => {
  const good = join(ROOT, '../shared/corpus/gen06_2021_market_lohtml.pdf');
  const oneLine = (run: ReturnType<typeof cli>, file: RegExp, todo: RegExp) => {
    expect(run.status).not.toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(file);
    expect(lines[0]).toMatch(todo);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  };

  it('a ledger that is not a database, and one with a damaged page', async () => {
    const dir = join(tmp, 'ledger-in');
    await mkdir(dir);
    copyFileSync(good, join(dir, 'good.pdf'));
    const garbage = join(tmp, 'ledger-garbage');
    await mkdir(garbage);
    await writeFile(join(garbage, 'xxgk.sqlite'), Buffer.alloc(20_000, 'garbage '));
    oneLine(cli(dir, '--out', garbage), /xxgk\.sqlite: the ledger is damaged/, /move it away/);

    const damaged = join(tmp, 'ledger-damaged');
    expect(cli(dir, '--out', damaged).status).toBe(0);
    const db = join(damaged, 'xxgk.sqlite');
    const bytes = await readFile(db);
    expect(bytes.length).toBeGreaterThan(8192);
    bytes.fill(0xa5, 4096, 8192); // the second page: the table's
    await writeFile(db, bytes);
    oneLine(cli(dir, '--out', damaged), /xxgk\.sqlite: the ledger is damaged/, /move it away/);
  }, 120_000);

  it('a write that fails (file size limit, as a full disk) exits non-zero and leaves every output whole', async () => {
    const dir = join(tmp, 'full-in');
    await mkdir(dir);
    copyFileSync(good, join(dir, 'good.pdf'));
    await writeFile(join(dir, 'report.txt'), LINES.join('\n'));
    const out = join(tmp, 'out-full');
    const first = spawnSync(process.execPath, ['bin/xxgk.mjs', 'batch', '--quiet', dir, '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(first.status, first.stderr).toBe(0);
    const before = new Map(await Promise.all((await tree(out)).filter((f) => !f.startsWith('xxgk.sqlite')).map(async (f) => [f, await readFile(join(out, f))] as const)));
    expect([...before.keys()]).toContain('anomalies.html');
    // 8 blocks of 512 bytes: every output but the smallest fails to be written again
    const run = spawnSync('bash', ['-c', `ulimit -f 8; exec "${process.execPath}" bin/xxgk.mjs batch --quiet "${dir}" --out "${out}"`], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    oneLine(run, new RegExp(`${out}/\\S+`), /free some space and run again/);
    for (const [f, bytes] of before) expect((await readFile(join(out, f))).equals(bytes), f).toBe(true);
    expect((await tree(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 240_000);
});

describe('the ledger gives back only what this run would have made', () => {
  it('a scan first read with --no-ocr is read again with OCR, and the other way round', async () => {
    const scan = join(ROOT, '../shared/corpus/seed_xiangshan_hrss_2020_scan.pdf');
    const truth = truthFor(scan);
    const out = join(tmp, 'out-options');
    const plain = await runBatch({ paths: [scan], out, jobs: 1, quiet: true, ocr: false, anomalies: false });
    expect(Object.keys(plain.records[0].cells)).toHaveLength(0);
    const read = await runBatch({ paths: [scan], out, jobs: 1, quiet: true, anomalies: false });
    expect(read.processed).toBe(1);
    const cells = read.records[0].cells;
    const right = Object.entries(truth.cells).filter(([k, v]) => cells[k] === v).length;
    expect(right).toBeGreaterThan(Object.keys(truth.cells).length / 2);
    const again = await runBatch({ paths: [scan], out, jobs: 1, quiet: true, ocr: false, anomalies: false });
    expect(again.fromLedger).toBe(1);
    expect(Object.keys(again.records[0].cells)).toHaveLength(0);
  }, 240_000);

  it('a file answered `closed` (its pool shut under it, as when a ledger write fails) is not committed as failed', async () => {
    const out = join(tmp, 'out-closed');
    await mkdir(out);
    const ledger = new Ledger(join(out, 'xxgk.sqlite'));
    const pool = new WorkerPool({ size: 1, timeoutMs: 30_000, memoryMb: 256 });
    await pool.close();
    const bytes = Buffer.from(LINES.join('\n'));
    const input = { displayPath: 'in/a.txt', name: 'a.txt', size: bytes.length, read: async () => bytes };
    const closed = await processWith([input], {
      lanes: 1,
      extract: async ({ bytes: b }) => {
        const o = await pool.run({ name: 'a.txt', bytes: b!, displayPath: 'in/a.txt' });
        return { record: o.ok ? o.record : errorRecord(input, '', o.code, o.message) };
      },
    }, { ledger });
    expect(closed[0].error?.code).toBe('closed');
    expect(ledger.all()).toEqual([]);
    ledger.close();
  });
});

describe('one huge record costs only its file', () => {
  it('ToUnicode maps giving a glyph 20 001 characters, and 100 MB of NULs: bounded records, every output written', async () => {
    const dir = join(tmp, 'huge-in');
    await mkdir(dir);
    copyFileSync(join(ROOT, '../shared/hostile/R1-jsonl-crash/six.zip'), join(dir, 'six.zip')); // six 1.2 kB PDFs
    await writeFile(join(dir, 'nul-100m.txt'), '');
    await truncate(join(dir, 'nul-100m.txt'), 100 * 2 ** 20); // sparse: no disk used
    await writeFile(join(dir, 'plain.txt'), LINES.join('\n'));
    const out = join(tmp, 'out-huge');
    const run = cli(dir, '--out', out, '--jobs', '2', '--memory', '512');
    expect(run.status, run.stderr).toBe(0);
    const lines = (await readFile(join(out, 'records.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(8);
    for (const l of lines) expect(l.length).toBeLessThan(20 * 2 ** 20);
    const rs: ReportRecord[] = lines.map((l) => JSON.parse(l));
    const amplified = rs.filter((r) => r.source.path.includes('six.zip!/'));
    expect(amplified).toHaveLength(6);
    for (const r of amplified) expect(r.error ?? r.notes?.find((n) => n.code === 'record_bounded' && n.text.startsWith('record bounded: page text cut')), r.file).toBeTruthy();
    expect(byFile(rs, 'plain.txt')?.text?.pages.join('')).toContain(LINES[0]);
    for (const f of ['reports.csv', 'cells.csv', 'findings.csv']) expect((await readFile(join(out, f), 'utf8')).length).toBeGreaterThan(0);
  }, 240_000);
});

describe('workers outlive nothing', () => {
  it('a worker busy on a slow file when its batch is SIGKILLed exits on its own', async () => {
    const out = join(tmp, 'out-orphan');
    const batch = spawn(process.execPath, ['bin/xxgk.mjs', 'batch', '--quiet', '--no-anomalies', join(ROOT, '../shared/hostile/R7-orphan-worker'), '--out', out, '--jobs', '1', '--timeout', '60'], { cwd: ROOT, stdio: 'ignore' });
    const children = () => readFileSync(`/proc/${batch.pid}/task/${batch.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    let workers: number[] = [];
    for (let i = 0; i < 60 && !workers.length; i++) {
      await new Promise((r) => setTimeout(r, 250));
      workers = children();
    }
    expect(workers.length).toBe(1);
    await new Promise((r) => setTimeout(r, 3000)); // busy on the file by now
    batch.kill('SIGKILL');
    const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    for (let i = 0; i < 40 && alive(workers[0]); i++) await new Promise((r) => setTimeout(r, 250));
    const left = alive(workers[0]);
    if (left) process.kill(workers[0], 'SIGKILL');
    expect(left).toBe(false); // gone within 10 s, far before the 60 s time limit
  }, 60_000);
});

describe('anomaly snapshots are rendered under the per-file limits', () => {
  it('a page of mesh shadings that would take gigabytes to draw: the batch ends, its findings listed without pictures', async () => {
    const dir = join(tmp, 'render-in');
    await mkdir(dir);
    copyFileSync(join(ROOT, '../shared/hostile/R4-anomaly-render-unbounded/gen02-slowrender.pdf'), join(dir, 'slow-render.pdf'));
    const out = join(tmp, 'out-render');
    const run = spawnSync(process.execPath, ['bin/xxgk.mjs', 'batch', '--quiet', dir, '--out', out, '--timeout', '5', '--memory', '512'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const html = await readFile(join(out, 'anomalies.html'), 'utf8');
    expect(html).toMatch(/原文无法渲染，未附截图：\[(memory|timeout)\]/);
    expect(html).toContain('<article class="finding');
    expect(html).not.toContain('data:image/png');
    expect(await readFile(join(out, 'anomalies.md'), 'utf8')).toContain('slow-render.pdf');
  }, 120_000);
});
