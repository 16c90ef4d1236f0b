import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debugPage } from '../src/cli/debug.js';
import { findGrids } from '../src/extract/grid.js';
import { extractFile } from '../src/pipeline/index.js';
import { openPdf, readPage } from '../src/extract/pdf.js';
import type { PageContent } from '../src/extract/types.js';
import type { ReportRecord } from '../src/record/schema.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const CORPUS = join(ROOT, '../shared/corpus');
const PDF = join(CORPUS, 'gen04_2019_city_gov_chromium_landscape_planted.pdf');
const truth = JSON.parse(readFileSync(PDF.replace(/\.pdf$/, '.json'), 'utf8')) as { cells: Record<string, number | null> };

let record: ReportRecord;
let out = '';
beforeAll(async () => {
  record = await extractFile(PDF, { ocr: false });
  out = await mkdtemp(join(tmpdir(), 'xxgk-debug-'));
}, 60_000);
afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

async function pixels(png: Buffer) {
  const im = await loadImage(png);
  const c = createCanvas(im.width, im.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(im, 0, 0);
  const data = ctx.getImageData(0, 0, im.width, im.height).data;
  return { width: im.width, height: im.height, at: (x: number, y: number) => [...data.subarray((Math.round(y) * im.width + Math.round(x)) * 4, (Math.round(y) * im.width + Math.round(x)) * 4 + 3)] };
}

describe('debug picture of a page', () => {
  it('draws the rules, the cells and the keyed cells where the page has them', async () => {
    // The page holding table 三's 自然人 column (page found from the record, not assumed).
    const pageNo = record.provenance['t3.denied.enforcement.natural'].page!;
    const scale = 2;
    const { png, summary } = await debugPage(PDF, new Uint8Array(readFileSync(PDF)), { page: pageNo, out: '', ocr: false, scale }, record);
    const doc = await openPdf(new Uint8Array(readFileSync(PDF)));
    const content: PageContent = await readPage(doc, pageNo);
    await doc.destroy();
    const grids = findGrids(content.segments);

    expect(summary.segments).toBe(content.segments.length);
    expect(summary.grids).toBe(grids.length);
    expect(summary.cells).toBeGreaterThan(50);
    // Every key drawn is a key of the report (truth), and the page's keyed cells are all counted.
    const onPage = Object.entries(record.provenance).filter(([, p]) => p.page === pageNo && p.bbox);
    expect(onPage.every(([k]) => k in truth.cells)).toBe(true);
    expect(summary.keys).toBe(onPage.length);

    const img = await pixels(png);
    expect(img.width).toBe(Math.ceil(content.width * scale));
    expect(img.height).toBe(Math.ceil(content.height * scale));
    const red = ([r, g, b]: number[]) => r > 150 && g < 110 && b < 110;
    const blue = ([r, , b]: number[]) => b > r + 60;
    const green = ([r, g, b]: number[]) => g > r + 40 && g > b + 20;
    const near = (x: number, y: number, test: (p: number[]) => boolean) => [-1, 0, 1].some((dx) => [-1, 0, 1].some((dy) => test(img.at(x + dx, y + dy))));

    // A keyed cell: red outline just inside its left rule, at mid-height.
    const cellOf = (b: number[]) => grids.flatMap((g) => g.cells).find((c) => c.bbox[0] <= b[0] && c.bbox[2] >= b[2] && c.bbox[1] <= b[1] && c.bbox[3] >= b[3])!;
    const keyed = cellOf(record.provenance['t3.denied.enforcement.natural'].bbox!);
    expect(near(keyed.bbox[0] * scale + 2, ((keyed.bbox[1] + keyed.bbox[3]) / 2) * scale, red)).toBe(true);
    // A cell with no key (a heading): green outline, no red.
    const keyedBoxes = onPage.map(([, p]) => cellOf(p.bbox!));
    const heading = grids.flatMap((g) => g.cells).find((c) => !keyedBoxes.includes(c) && c.bbox[3] - c.bbox[1] > 10 && c.bbox[2] - c.bbox[0] > 30)!;
    const hy = ((heading.bbox[1] + heading.bbox[3]) / 2) * scale;
    expect(near(heading.bbox[0] * scale + 1.5, hy, green)).toBe(true);
    expect(near(heading.bbox[0] * scale + 2, hy, red)).toBe(false);
    // A rule segment: blue on its centre line.
    const h = content.segments.filter((s) => s.orient === 'h').sort((a, b) => b.to - b.from - (a.to - a.from))[0];
    expect(near(((h.from + h.to) / 2) * scale + 7, h.at * scale, blue)).toBe(true);
  }, 60_000);
});

describe('debug tags', () => {
  const tagRed = ([r, g, b]: number[]) => r > 190 && g < 110 && b < 110;
  const purple = ([r, g, b]: number[]) => b > g + 60 && r > g + 30;
  /** Pixels of `test` inside a page box (points), shrunk to where a number's ink is. */
  const inkHits = (img: Awaited<ReturnType<typeof pixels>>, b: number[], scale: number, test: (p: number[]) => boolean) => {
    const [x0, y0, x1, y1] = [b[0] + (b[2] - b[0]) * 0.05, b[1] + (b[3] - b[1]) * 0.15, b[2] - (b[2] - b[0]) * 0.05, b[3] - (b[3] - b[1]) * 0.15];
    let n = 0;
    for (let y = Math.ceil(y0 * scale); y < y1 * scale; y++) for (let x = Math.ceil(x0 * scale); x < x1 * scale; x++) if (test(img.at(x, y))) n++;
    return n;
  };

  it('leave the digits of every keyed cell uncovered', async () => {
    const pageNo = record.provenance['t3.denied.enforcement.natural'].page!;
    const scale = 3;
    const { png } = await debugPage(PDF, new Uint8Array(readFileSync(PDF)), { page: pageNo, out: '', ocr: false, scale }, record);
    const img = await pixels(png);
    const onPage = Object.entries(record.provenance).filter(([, p]) => p.page === pageNo && p.bbox);
    expect(onPage.length).toBeGreaterThan(50);
    const covered = onPage.filter(([, p]) => inkHits(img, p.bbox!, scale, tagRed) > 0).map(([k]) => k);
    expect(covered).toEqual([]);
  }, 60_000);

  it('show on a scanned page the value read, beside the digits and not on them', async () => {
    const scan = join(CORPUS, 'seed_xiangshan_hrss_2020_scan.pdf');
    const bytes = new Uint8Array(readFileSync(scan));
    const scanRecord = await extractFile(scan, { ocr: true });
    const scale = 2;
    const { png } = await debugPage(scan, bytes, { page: 3, out: '', ocr: true, scale }, scanRecord);
    const img = await pixels(png);
    const read = Object.entries(scanRecord.provenance).filter(([, p]) => p.page === 3 && p.bbox && p.via === 'ocr');
    expect(read.length).toBeGreaterThan(5);
    for (const [key, p] of read) {
      const b = p.bbox!;
      const h = b[3] - b[1];
      // a value tag within a few character widths of the digits, at their height
      expect(inkHits(img, [b[0] - 6 * h, b[1], b[2] + 6 * h, b[3]], scale, purple), key).toBeGreaterThan(0);
      expect(inkHits(img, b, scale, purple) + inkHits(img, b, scale, tagRed), key).toBe(0);
    }
  }, 120_000);
});

describe('xxgk debug', () => {
  const cli = (...args: string[]) => run(process.execPath, [join(ROOT, 'bin/xxgk.mjs'), 'debug', ...args], { cwd: ROOT, timeout: 80_000 });

  it('writes the PNG and says what it drew', async () => {
    const png = join(out, 'p4.png');
    const { stdout } = await cli(PDF, '--page', '4', '--out', png, '--no-ocr');
    expect(stdout).toMatch(/page 4\/\d+: \d+ rule segments .* \d+ tables with \d+ cells .* [1-9]\d* keyed cells/);
    const bytes = await readFile(png);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);

  it('draws a scanned page with the keys OCR found, and exits when done', async () => {
    // A scan's keys come from OCR: its engines must be let go, or the command would never return.
    const scan = join(CORPUS, 'seed_xiangshan_hrss_2020_scan.pdf');
    const png = join(out, 'scan.png');
    const { stdout } = await cli(scan, '--page', '3', '--out', png, '--scale', '1');
    expect(stdout).toMatch(/page 3\/\d+: .* [1-9]\d* keyed cells/);
    expect((await readFile(png)).subarray(1, 4).toString()).toBe('PNG');
  }, 90_000);

  it('names the file and the reason when it cannot draw', async () => {
    const text = join(CORPUS, 'seed_xiangshan_hrss_2020.txt');
    const [noPage, notPdf] = await Promise.all([
      cli(PDF, '--page', '99', '--out', join(out, 'x.png')).catch((e) => e),
      cli(text, '--page', '1', '--out', join(out, 'y.png')).catch((e) => e),
    ]);
    expect(noPage.code).toBe(1);
    expect(noPage.stderr).toContain('gen04_2019_city_gov_chromium_landscape_planted.pdf');
    expect(noPage.stderr).toMatch(/no page 99/);
    expect(notPdf.code).toBe(1);
    expect(notPdf.stderr).toMatch(/seed_xiangshan_hrss_2020\.txt: debug draws PDF pages/);
    expect(existsSync(join(out, 'x.png')) || existsSync(join(out, 'y.png'))).toBe(false);
  }, 60_000);
});
