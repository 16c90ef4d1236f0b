import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch, type BatchSummary } from '../src/batch/run.js';
import { RecordSchema } from '../src/record/schema.js';
import { CORPUS } from './helpers/corpus.js';
import { bigImagePdf, buildPdf, encryptedPdf, manyPagesPdf, textPdf } from './hostile-make.js';

/**
 * Fuzzing through one real batch: corpus PDFs with bytes flipped, cut short and spliced together, beside every
 * hostile case of the issue. Whatever the damage, the batch finishes, gives one record per file, and every
 * failure has a code and a message. Seeded, so a failure can be replayed.
 */

const SEED = 0x8e11;
/** mulberry32: small, seeded, good enough to pick offsets. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The smaller digital reports keep the batch quick; their structure (xref, object streams, fonts) is what we damage.
const SOURCES = [
  'gen01_2021_county_gov_docx_hzqstyle.pdf',
  'gen03_2019_township_docx_blankzeros.pdf',
  'gen06_2021_market_lohtml.pdf',
  'gen07_2021_housing_docx_narrow_planted.pdf',
  'gen11_2019_natres_docx_planted_narrative.pdf',
  'seed_xiangshan_hrss_2020_docx.pdf',
  'seed_xiangshan_hrss_2020_chromium.pdf',
].map((f) => readFileSync(join(CORPUS, f)));

function fuzzed(): [string, Buffer][] {
  const rand = rng(SEED);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = () => SOURCES[int(SOURCES.length)];
  const out: [string, Buffer][] = [];
  for (let i = 0; i < 90; i++) {
    // a few bytes to a few hundred, anywhere: headers, xref, streams, fonts
    const b = Buffer.from(pick());
    const flips = 1 + int(i % 3 === 0 ? 400 : 8);
    for (let k = 0; k < flips; k++) b[int(b.length)] ^= 1 << int(8);
    out.push([`flip-${i}.pdf`, b]);
  }
  for (let i = 0; i < 45; i++) {
    const b = pick();
    out.push([`cut-${i}.pdf`, b.subarray(0, int(b.length))]);
  }
  for (let i = 0; i < 45; i++) {
    // the head of one report on the tail of another: xref offsets point into the wrong file
    const a = pick();
    const b = pick();
    out.push([`splice-${i}.pdf`, Buffer.concat([a.subarray(0, int(a.length)), b.subarray(int(b.length))])]);
  }
  for (let i = 0; i < 10; i++) {
    // a window of the file repeated or dropped
    const b = pick();
    const at = int(b.length);
    const len = int(4096);
    out.push([`dup-${i}.pdf`, i % 2 ? Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]) : Buffer.concat([b.subarray(0, at), b.subarray(at + len)])]);
  }
  return out;
}

const LINES = ['Annual report on government information disclosure 2023', 'Applications received this year: 12'];
const CATALOG = '<< /Type /Catalog /Pages 2 0 R >>';

/** Each case the issue names, once more, among the fuzzed files. */
function named(): [string, Buffer][] {
  const deep = 50_000;
  return [
    ['case-empty.pdf', Buffer.alloc(0)],
    ['case-not-a-pdf.pdf', Buffer.from('这不是PDF文件。\n')],
    ['case-locked.pdf', encryptedPdf(LINES, 'user', 'owner')],
    ['case-owner-only.pdf', encryptedPdf(LINES, '', 'owner')],
    ['case-2000-pages.pdf', manyPagesPdf(2000, LINES)],
    ['case-wide.pdf', textPdf(LINES, [0, 0, 28_000, 800])],
    ['case-wide-scan.pdf', bigImagePdf(2000, 60, [0, 0, 28_000, 800])],
    ['case-huge-scan.pdf', bigImagePdf(12_000, 12_000)],
    ['case-cycle.pdf', buildPdf([CATALOG, '<< /Type /Pages /Kids [2 0 R] /Count 1 >>'])],
    ['case-deep.pdf', buildPdf([`<< /Type /Catalog /Pages 2 0 R /X ${'['.repeat(deep)}${']'.repeat(deep)} >>`, '<< /Type /Pages /Kids [] /Count 0 >>'])],
    ['case-stream-bomb.pdf', buildPdf([CATALOG, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>', { dict: '/Filter /FlateDecode', stream: deflateSync(Buffer.alloc(200 * 2 ** 20, 0x20)) }])],
    ['case-script.html', Buffer.from('<html><script>alert(1)</script><body onload=alert(2)><table><tr><td>行政许可<td>1</table><div><span>')],
    ['case-gbk.txt', iconv.encode(readFileSync(join(CORPUS, 'seed_xiangshan_hrss_2020.txt'), 'utf8'), 'gbk')],
    ['case-binary.txt', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) & 255))],
  ];
}

let tmp: string;
let files: [string, Buffer][];
let summary: BatchSummary;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'xxgk-fuzz-'));
  await mkdir(join(tmp, 'in'));
  files = [...fuzzed(), ...named()];
  for (const [name, bytes] of files) await writeFile(join(tmp, 'in', name), bytes);
  // OCR off and no anomaly pages: this is about the reader and the batch surviving, and it must stay quick.
  summary = await runBatch({ paths: [join(tmp, 'in')], out: join(tmp, 'out'), jobs: 2, ocr: false, anomalies: false, quiet: true, timeoutMs: 30_000 });
}, 280_000);

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe(`fuzz: damaged and hostile inputs through one batch (seed ${SEED})`, () => {
  it('gives exactly one record per input', () => {
    expect(files.length).toBeGreaterThanOrEqual(200);
    expect(summary.total).toBe(files.length);
    expect(summary.records.map((r) => r.source.path).sort()).toEqual(files.map(([name]) => `in/${name}`).sort());
  });

  it('gives every failure a code and a message, and every record its schema', () => {
    for (const r of summary.records) {
      expect(() => RecordSchema.parse(r), r.source.path).not.toThrow();
      if (!r.error) continue;
      expect(r.error.code, r.source.path).toMatch(/^[a-z][a-z_-]+$/);
      expect(r.error.message.trim().length, r.source.path).toBeGreaterThan(5);
    }
  });

  it('fails the named cases with their codes and reads the rest', () => {
    const code = (name: string) => summary.records.find((r) => r.file === name)?.error?.code ?? 'ok';
    expect(code('case-empty.pdf')).toBe('empty');
    expect(code('case-not-a-pdf.pdf')).toBe('not_pdf');
    expect(code('case-locked.pdf')).toBe('encrypted');
    expect(code('case-cycle.pdf')).toBe('corrupt');
    expect(code('case-deep.pdf')).toBe('corrupt');
    expect(code('case-stream-bomb.pdf')).toBe('too_large');
    for (const ok of ['case-owner-only.pdf', 'case-2000-pages.pdf', 'case-wide.pdf', 'case-wide-scan.pdf', 'case-huge-scan.pdf', 'case-script.html', 'case-gbk.txt', 'case-binary.txt'])
      expect(code(ok), ok).toBe('ok');
  });

  it('still reads most damaged copies: the reader recovers what it can rather than giving up', () => {
    // A flipped bit in a compressed stream costs a page at most; the report around it is still read.
    const flips = summary.records.filter((r) => r.file.startsWith('flip-'));
    expect(flips.filter((r) => !r.error && Object.keys(r.cells).length > 0).length).toBeGreaterThan(flips.length / 2);
    const codes = new Set(summary.records.filter((r) => r.error).map((r) => r.error!.code));
    // no failure from a reader that broke instead of saying why
    expect([...codes].filter((c) => c === 'failed' || c === 'crashed' || c === 'invalid_record')).toEqual([]);
  });
});
