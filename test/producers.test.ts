/**
 * Corpus PDFs passed through other PDF producers, as reports often are before they are published: poppler's
 * pdftocairo (which writes a table row's header labels as one run of text across its cells) and Ghostscript's
 * pdfwrite (which loses part of the ToUnicode maps of Chromium's Type 3 fonts: 一、予以公开 comes out as
 * ÿ一Ā予以|开); and qpdf, turning pages by their /Rotate. Expected values are the truth files of the PDFs
 * before rewriting.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cutAtRules } from '../src/extract/grid.js';
import { extractFile } from '../src/pipeline/index.js';
import { mismappedText } from '../src/extract/ocr/detect.js';
import { terminateOcr } from '../src/extract/ocr/index.js';
import { mergeReadings } from '../src/normalize/merge.js';
import type { MappedCells } from '../src/normalize/tables.js';
import { CORPUS } from './helpers/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'xxgk-producers-'));
afterAll(async () => {
  await terminateOcr();
  rmSync(dir, { recursive: true, force: true });
});

const truthOf = (base: string) => JSON.parse(readFileSync(join(CORPUS, `${base}.json`), 'utf8')).cells as Record<string, number | null>;

function rewrite(base: string, how: 'cairo' | 'gs' | 'outlines'): string {
  const src = join(CORPUS, `${base}.pdf`);
  const out = join(dir, `${base}.${how}.pdf`);
  if (how === 'cairo') execFileSync('pdftocairo', ['-pdf', src, out]);
  else execFileSync('gs', ['-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-sDEVICE=pdfwrite', ...(how === 'outlines' ? ['-dNoOutputFonts'] : []), `-sOutputFile=${out}`, src]);
  return out;
}

/** A rewritten report read with every cell of its truth, the notes saying why where `why` is given. */
async function readFromImage(pdf: string, base: string, why?: string) {
  const rec = await extractFile(pdf);
  expect(rec.cells).toEqual(truthOf(base));
  if (why) expect(rec.notes?.some((n) => n.text.includes(why))).toBe(true);
  return rec;
}

describe('reports rewritten by other PDF producers', () => {
  it('pdftocairo: header labels run across their cells are cut at the rules', async () => {
    const base = 'seed_xiangshan_hrss_2020_chromium';
    const rec = await extractFile(rewrite(base, 'cairo'));
    // Before the cut, 第二十条第（一）项's three headings were one cell and its six numbers were lost.
    expect(rec.cells).toEqual(truthOf(base));
  }, 60_000);

  it('Ghostscript: pages whose text layer maps glyphs to wrong characters are read again from their image', async () => {
    const base = 'gen08_2019_gov_office_chromium_separate';
    // Before, rows whose labels came out as ÿ一Ā予以|开 and ÿ七Ā总计 matched no official row: 162 of 198.
    const rec = await readFromImage(rewrite(base, 'gs'), base, 'maps some glyphs to wrong characters');
    expect(rec.source.ocr).toBe(true);
  }, 120_000);

  it('a ToUnicode map pointing at other Chinese characters: tables under unknown headings are read from their image', async () => {
    // The maps of gen09 (qpdf's QDF form, streams uncompressed) with every CJK character moved to the next code
    // point: 行政处罚 comes out as 行敀夅罛, plausible Chinese that matches nothing; fix-qdf mends the lengths.
    const base = 'gen09_2021_city_gov_chromium_big';
    const qdf = join(dir, `${base}.qdf.pdf`);
    execFileSync('qpdf', ['--qdf', '--object-streams=disable', join(CORPUS, `${base}.pdf`), qdf]);
    const bytes = readFileSync(qdf).toString('latin1').replace(/(<[0-9A-Fa-f]{2,4}> )<([0-9A-Fa-f]{4})>/g, (m, src: string, dst: string) => {
      const cp = parseInt(dst, 16);
      return cp >= 0x4e00 && cp < 0x9fa0 ? `${src}<${(cp + 1).toString(16).toUpperCase()}>` : m;
    });
    writeFileSync(qdf, Buffer.from(bytes, 'latin1'));
    const out = join(dir, `${base}.shifted.pdf`);
    writeFileSync(out, execFileSync('fix-qdf', [qdf], { maxBuffer: 64 * 1024 * 1024 }));
    expect(execFileSync('pdftotext', ['-f', '3', '-l', '3', out, '-'], { encoding: 'utf8' })).toContain('行敀');
    // Before, no table was recognised: not one cell read.
    await readFromImage(out, base, 'headings the reader does not know');
  }, 120_000);

  it('Ghostscript with text turned into outlines: pages drawn in curves, with no text, are read from their image', async () => {
    const base = 'seed_xiangshan_hrss_2020_docx';
    // Before, a page with no text and no image was taken for an empty page: nothing was read.
    const rec = await readFromImage(rewrite(base, 'outlines'), base);
    expect(rec.source.ocr).toBe(true);
  }, 120_000);
});

describe('pages displayed turned (/Rotate set on upright content)', () => {
  const base = 'seed_xiangshan_hrss_2020_docx';
  let upright: Awaited<ReturnType<typeof extractFile>>;
  for (const turn of [90, -90, 180] as const) {
    it(`reads a report displayed turned ${turn}°, its boxes on the page as displayed`, async () => {
      upright ??= await extractFile(join(CORPUS, `${base}.pdf`));
      const out = join(dir, `${base}.rot${turn}.pdf`);
      execFileSync('qpdf', [`--rotate=${turn > 0 ? '+' : ''}${turn}`, join(CORPUS, `${base}.pdf`), out]);
      const rec = await extractFile(out);
      // Before, the text ran down (or up, or backwards along) the page and no table was found.
      expect(rec.cells).toEqual(truthOf(base));
      expect(rec.source.ocr).toBe(false);
      expect(rec.notes?.some((n) => n.code === 'page_turned' && n.text.includes('is displayed turned'))).toBe(true);
      // A4 portrait, 595.3 × 841.9 pt upright; displayed turned clockwise, upright (x, y) shows at (841.9 − y, x).
      const [W, H] = [595.3, 841.9];
      const [x0, y0, x1, y1] = upright.provenance['t3.new.total'].bbox!;
      const shown = { 90: [H - y1, x0, H - y0, x1], [-90]: [y0, W - x1, y1, W - x0], 180: [W - x1, H - y1, W - x0, H - y0] }[turn];
      rec.provenance['t3.new.total'].bbox!.forEach((v, i) => expect(Math.abs(v - shown[i])).toBeLessThan(0.6));
    }, 60_000);
  }
});

describe('pieces of the rewriting', () => {
  it('cuts a run of text at the column rules it crosses, by the characters\' advances', () => {
    const run = { text: '本年新制作数量 本年新公开数量 对外公开总数量', bbox: [235.6, 169.2, 467.8, 179.7] as [number, number, number, number], vertical: false };
    // The run and the column rules of 第二十条第（一）项 as pdftocairo writes the seed report (page 3).
    const xs = [130.9, 232.9, 312.4, 391.1, 470.6];
    const cut = cutAtRules(run, xs);
    expect(cut.map((c) => c.text)).toEqual(['本年新制作数量', '本年新公开数量', '对外公开总数量']);
    for (const [i, c] of cut.entries()) {
      const mid = (c.bbox[0] + c.bbox[2]) / 2;
      expect(mid > xs[i + 1] && mid < xs[i + 2]).toBe(true);
    }
    // A run inside one cell, and vertical text, are left whole.
    expect(cutAtRules({ ...run, bbox: [240, 169, 300, 179] }, [232, 312])).toHaveLength(1);
    expect(cutAtRules({ ...run, vertical: true }, xs)).toHaveLength(1);
  });

  it('tells a partly mis-mapped text layer from a clean one', () => {
    const page = (texts: string[]) => ({ page: 1, width: 595, height: 842, segments: [], items: texts.map((text) => ({ text, bbox: [0, 0, 10, 10] as [number, number, number, number], vertical: false })) });
    expect(mismappedText(page(['ÿ一Ā予以|开', 'ÿ七Ā总计', 'Ð1P结转政府信息|开申请数量']))).toBe(true);
    expect(mismappedText(page(['（一）予以公开', '（七）总计', '二、上年结转政府信息公开申请数量', 'GB/T 7714 ×2']))).toBe(false);
  });

  it('puts two readings together: alike kept, one-sided taken, conflicting left out', () => {
    const reading = (cells: Record<string, number | null>, via: 'text' | 'ocr'): MappedCells => ({
      layout: { t2: '2021', otherSplit: true },
      format: '2021',
      cells,
      provenance: Object.fromEntries(Object.keys(cells).map((k) => [k, { page: 3, text: String(cells[k]), confidence: via === 'ocr' ? 0.95 : 1, via }])),
      notes: [],
      unmatched: [],
      unknownTables: [],
    });
    const merged = mergeReadings(reading({ 't3.new.total': 5, 't3.new.natural': 4, 't3.granted.total': 2 }, 'text'), reading({ 't3.new.total': 5, 't3.new.natural': 3, 't3.partial.total': 1 }, 'ocr'));
    expect(merged.cells).toEqual({ 't3.new.total': 5, 't3.granted.total': 2, 't3.partial.total': 1 });
    expect(merged.provenance['t3.new.total'].via).toBe('text');
    expect(merged.provenance['t3.partial.total'].via).toBe('ocr');
    expect(merged.notes.some((n) => n.code === 'readings_disagree' && n.keys?.[0] === 't3.new.natural' && n.text.startsWith('t3.new.natural: the text layer gives 4'))).toBe(true);
  });
});
