import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite } from '../src/batch/sqlite.js';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch, type BatchSummary } from '../src/batch/run.js';
import { ALL_KEYS } from '../src/format/catalog.js';
import { RecordSchema, type ReportRecord } from '../src/record/schema.js';
import { csvObjects, parseCsv } from './batch-csvparse.js';
import { buildZip } from './batch-zipwriter.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const REAL = join(CORPUS, 'real/hongze-qu_huaian_2024.pdf');
// Scans are left out for time: OCR costs tens of seconds a page. Everything else in the corpus goes in.
const FILES = readdirSync(CORPUS).filter((f) => /\.(pdf|html|txt)$/.test(f) && !f.includes('scan'));
const GBK_NAME = '2022/自然资源局报告.pdf';
const ZIPPED_PDF = 'gen02_2021_natres_chromium_split6_planted.pdf';
const NESTED_HTML = 'gen09_2021_city_gov_chromium_big_page.html';

let tmp: string;
let out: string;
let summary: BatchSummary;
let records: ReportRecord[];
const expectedPaths: string[] = [];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'xxgk-batch-'));
  const dir = join(tmp, 'in');
  // Nested folders: half the corpus one level down.
  await mkdir(join(dir, 'sub'), { recursive: true });
  for (const [i, f] of FILES.entries()) {
    const rel = i % 2 ? `sub/${f}` : f;
    await copyFile(join(CORPUS, f), join(dir, rel));
    expectedPaths.push(`in/${rel}`);
  }
  await writeFile(join(dir, 'notes.json'), '{}'); // not a report: never listed
  // An archive as a Windows tool writes it: a GBK name without the UTF-8 flag, and a nested zip.
  const inner = buildZip([{ name: `deep/${NESTED_HTML}`, data: readFileSync(join(CORPUS, NESTED_HTML)) }]);
  const zip = buildZip([
    { name: iconv.encode(GBK_NAME, 'gbk'), utf8: false, data: readFileSync(join(CORPUS, ZIPPED_PDF)) },
    { name: 'inner.zip', data: inner },
  ]);
  await writeFile(join(tmp, 'archive.zip'), zip);
  expectedPaths.push(`archive.zip!/${GBK_NAME}`, `archive.zip!/inner.zip!/deep/${NESTED_HTML}`, basename(REAL));
  out = join(tmp, 'out');
  summary = await runBatch({ paths: [dir, join(tmp, 'archive.zip'), REAL], out, jobs: 2, quiet: true });
  records = readFileSync(join(out, 'records.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}, 240_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const byPath = (p: string) => records.find((r) => r.source.path === p)!;
const shown = (v: unknown) => (v === null || v === undefined ? '' : String(v));

describe('batch over the corpus, a folder tree and a zip', () => {
  it('writes every output', () => {
    for (const f of ['records.jsonl', 'cells.csv', 'reports.csv', 'findings.csv', 'xxgk.sqlite']) expect(existsSync(join(out, f)), f).toBe(true);
    // anomalies.* come from the anomaly-report writer, which the batch calls when it is present
    if (existsSync(fileURLToPath(new URL('../src/export/anomalies.ts', import.meta.url)))) {
      expect(existsSync(join(out, 'anomalies.html'))).toBe(true);
      expect(existsSync(join(out, 'anomalies.md'))).toBe(true);
    }
  });

  it('gives one valid record per input, ordered by display path, Chinese zip names decoded', () => {
    const paths = records.map((r) => r.source.path);
    expect(new Set(paths)).toEqual(new Set(expectedPaths));
    expect(paths).toEqual([...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    for (const r of records) expect(RecordSchema.safeParse(r).success, r.source.path).toBe(true);
    expect(byPath(`archive.zip!/${GBK_NAME}`).file).toBe('自然资源局报告.pdf');
  });

  it('reads a file the same from a zip as from disk', () => {
    const fromZip = byPath(`archive.zip!/${GBK_NAME}`);
    const fromDisk = records.find((r) => r.file === ZIPPED_PDF)!;
    expect(fromZip.source.sha256).toBe(fromDisk.source.sha256);
    expect(fromZip.cells).toEqual(fromDisk.cells);
    const html = byPath(`archive.zip!/inner.zip!/deep/${NESTED_HTML}`);
    expect(html.source.sha256).toBe(records.find((r) => r.file === NESTED_HTML && r !== html)!.source.sha256);
  });

  it('has the rows of cells.csv equal to the records’ cells', () => {
    const text = readFileSync(join(out, 'cells.csv'), 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    const rows = csvObjects(text);
    const fromCsv = rows.map((r) => [r.file, r.agency, r.year, r.format, r.key, r.value, r.page, r.confidence, r.via].join('|'));
    const fromRecords = records.flatMap((r) =>
      Object.entries(r.cells).map(([k, v]) => {
        const p = r.provenance[k];
        return [r.source.path, r.meta.agency, r.meta.year, r.meta.format, k, v, p?.page, p?.confidence, p?.via].map(shown).join('|');
      }),
    );
    expect(fromCsv.sort()).toEqual(fromRecords.sort());
  });

  it('has one reports.csv row per record and one column per catalog key', () => {
    const [head, ...rows] = parseCsv(readFileSync(join(out, 'reports.csv'), 'utf8'));
    expect(head).toEqual(['file', 'agency', 'year', 'format', ...ALL_KEYS, 'error']);
    expect(rows.map((r) => r[0])).toEqual(records.map((r) => r.source.path));
    rows.forEach((row, i) => ALL_KEYS.forEach((k, j) => expect(row[4 + j], `${row[0]} ${k}`).toBe(shown(records[i].cells[k]))));
  });

  it('has the rows of findings.csv equal to the records’ findings', () => {
    const rows = csvObjects(readFileSync(join(out, 'findings.csv'), 'utf8'));
    const fromRecords = records.flatMap((r) => r.findings.map((f) => `${r.source.path}|${f.rule}|${f.keys.join(' ')}`));
    expect(rows.map((r) => `${r.file}|${r.rule}|${r.keys}`).sort()).toEqual(fromRecords.sort());
  });

  it('lists every planted anomaly in findings.csv', () => {
    const rows = csvObjects(readFileSync(join(out, 'findings.csv'), 'utf8'));
    for (const truthFile of readdirSync(CORPUS).filter((f) => f.endsWith('.json') && f !== 'manifest.json')) {
      const truth = JSON.parse(readFileSync(join(CORPUS, truthFile), 'utf8'));
      if (!truth.planted?.length || !FILES.includes(truth.file)) continue;
      for (const r of records.filter((x) => x.file === truth.file)) {
        for (const planted of truth.planted as { keys: string[]; kind: string }[]) {
          const hit = rows.some((f) => f.file === r.source.path && f.keys.split(' ').some((k) => planted.keys.includes(k)));
          expect(hit, `${r.source.path}: planted ${planted.kind}`).toBe(true);
        }
      }
    }
  });

  it('keeps one ledger entry per distinct file and does nothing the second time', async () => {
    const db = openSqlite(join(out, 'xxgk.sqlite'), { readOnly: true });
    const n = (db.prepare('SELECT count(*) AS n FROM processed').get() as unknown as { n: number }).n;
    db.close();
    expect(n).toBe(new Set(records.map((r) => r.source.sha256)).size);
    expect(summary.processed).toBe(n);
    const before = await Promise.all(['records.jsonl', 'cells.csv', 'reports.csv', 'findings.csv'].map((f) => readFile(join(out, f))));
    const again = await runBatch({ paths: [join(tmp, 'in'), join(tmp, 'archive.zip'), REAL], out, jobs: 2, quiet: true });
    expect(again.processed).toBe(0);
    expect(again.fromLedger).toBe(records.length);
    const after = await Promise.all(['records.jsonl', 'cells.csv', 'reports.csv', 'findings.csv'].map((f) => readFile(join(out, f))));
    expect(after).toEqual(before);
  }, 120_000);
});
