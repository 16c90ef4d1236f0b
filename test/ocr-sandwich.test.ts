/**
 * Pages whose text layer is not the page: pictures of tables under a line of real text, a scan under a filing
 * stamp, and a scan under an invisible text layer ("双层 PDF"), as scanners and archive tools make them: tesseract's own
 * PDF renderer (through tesseract.js, page by page, full-page layout analysis) lays its reading of each
 * corpus scan page over the image in text render mode 3, and qpdf puts the pages together. Such a layer
 * is OCR of unknown quality (here: a table read as ragged lines); the pages are read from their image too.
 * Expected values are the truth file of the scan.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Tesseract from 'tesseract.js';
import { extractFile } from '../src/pipeline/index.js';
import { langPathOf, terminateOcr } from '../src/extract/ocr/engine.js';
import { CORPUS } from './helpers/corpus.js';
import { CHROMIUM, printArgs, profileIn } from './helpers/print.js';

const base = 'seed_xiangshan_hrss_2020_scan';
const dir = mkdtempSync(join(tmpdir(), 'xxgk-sandwich-'));
let sandwich = '';

beforeAll(async () => {
  execFileSync('pdfimages', ['-j', join(CORPUS, `${base}.pdf`), join(dir, 'p')]);
  const worker = await Tesseract.createWorker('chi_sim', Tesseract.OEM.LSTM_ONLY, { langPath: langPathOf('chi_sim'), cacheMethod: 'none', gzip: true });
  try {
    await worker.setParameters({ tessedit_pageseg_mode: Tesseract.PSM.AUTO });
    const pages: string[] = [];
    for (const jpg of readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort()) {
      const { data } = await worker.recognize(readFileSync(join(dir, jpg)), { pdfTitle: base }, { pdf: true });
      const page = join(dir, `${jpg}.pdf`);
      writeFileSync(page, Buffer.from(data.pdf!));
      pages.push(page);
    }
    sandwich = join(dir, `${base}.pdf`);
    execFileSync('qpdf', ['--empty', '--pages', ...pages, '--', sandwich]);
  } finally {
    await worker.terminate();
  }
}, 120_000);

afterAll(async () => {
  await terminateOcr();
  rmSync(dir, { recursive: true, force: true });
});

describe('a digital report whose pages are pictures under a line of real text', () => {
  it('reads the tables from the pictures', async () => {
    // Each page of the seed report as a 200 dpi picture (pdftoppm), 170 mm wide under a heading of real text,
    // printed by a real Chromium: as reports whose tables were pasted into Word as screenshots come out.
    const base = 'seed_xiangshan_hrss_2020_docx';
    execFileSync('pdftoppm', ['-r', '200', '-png', join(CORPUS, `${base}.pdf`), join(dir, 'pic')]);
    const pics = readdirSync(dir).filter((f) => /^pic-\d+\.png$/.test(f)).sort();
    const html = join(dir, 'pictures.html');
    writeFileSync(html, '<html><head><meta charset="utf-8"><style>@page{size:A4;margin:12mm}body{margin:0}img{width:170mm;display:block}div{break-after:page}</style></head><body>' +
      pics.map((p, i) => `<div><p>相山区人力资源和社会保障局2020年政府信息公开工作年度报告（第${i + 1}页）</p><img src="file://${join(dir, p)}"></div>`).join('') + '</body></html>');
    const pdf = join(dir, 'pictures.pdf');
    execFileSync(CHROMIUM, printArgs(html, pdf, profileIn(dir, 'pictures')), { timeout: 60_000, stdio: 'ignore' });
    const rec = await extractFile(pdf);
    // Before, the line of real text made each page a digital page without a table: not one cell read.
    expect(rec.cells).toEqual(JSON.parse(readFileSync(join(CORPUS, `${base}.json`), 'utf8')).cells);
    expect(rec.notes?.some((n) => n.code === 'page_read_from_image' && n.text.includes('a table pasted as a picture'))).toBe(true);
  }, 120_000);
});

describe('a scan with a line of text laid over it (a filing stamp)', () => {
  it('is read from its image: the line of text is not the page', async () => {
    // The line printed by a real Chromium on an otherwise empty A4 page, laid over every page of the scan by qpdf.
    const html = join(dir, 'stamp.html');
    writeFileSync(html, '<html><head><meta charset="utf-8"><style>@page{size:A4;margin:0}body{margin:0}div{position:absolute;top:280mm;left:20mm;font-size:9pt}</style></head>' +
      '<body><div>本文件由相山区人力资源和社会保障局政务公开办公室扫描存档，仅供政府信息公开使用</div></body></html>');
    const stamp = join(dir, 'stamp.pdf');
    execFileSync(CHROMIUM, printArgs(html, stamp, profileIn(dir, 'stamp')), { timeout: 60_000, stdio: 'ignore' });
    const stamped = join(dir, 'stamped.pdf');
    execFileSync('qpdf', [join(CORPUS, `${base}.pdf`), '--overlay', stamp, '--repeat=1', '--', stamped]);
    expect(execFileSync('pdftotext', ['-f', '3', '-l', '3', stamped, '-'], { encoding: 'utf8' })).toContain('扫描存档');
    const rec = await extractFile(stamped);
    // Before, the 38 characters passed for the page's text layer: not one cell read.
    expect(rec.cells).toEqual(JSON.parse(readFileSync(join(CORPUS, `${base}.json`), 'utf8')).cells);
    expect(rec.source.ocr).toBe(true);
  }, 120_000);
});

describe('a scan under another program\'s invisible OCR text', () => {
  it('has such a layer: text, but not the table as printed', () => {
    const text = execFileSync('pdftotext', ['-layout', sandwich, '-'], { encoding: 'utf8' });
    expect(text.replace(/\s+/g, '').length).toBeGreaterThan(500);
    expect(execFileSync('pdffonts', [sandwich], { encoding: 'utf8' })).toContain('GlyphLessFont');
  });

  it('is read from its image as well, every cell of the truth', async () => {
    const rec = await extractFile(sandwich);
    // Before, the text layer was taken alone: no rules, ragged lines, and not one cell read.
    expect(rec.cells).toEqual(JSON.parse(readFileSync(join(CORPUS, `${base}.json`), 'utf8')).cells);
    expect(rec.source.ocr).toBe(true);
    // Pages whose layer holds a few words only are read from their image outright; the others say why.
    expect(rec.notes?.filter((n) => n.code === 'page_read_from_image' && n.text.includes('invisible text layer')).length).toBeGreaterThan(0);
  }, 120_000);
});
