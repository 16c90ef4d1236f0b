import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsOcr } from '../src/extract/ocr/detect.js';
import { openPdf, readPage } from '../src/extract/pdf.js';
import { scanDpi } from '../src/extract/pdf-reading.js';
import { corpusFiles } from './helpers/corpus.js';

async function verdicts(file: string) {
  const doc = await openPdf(new Uint8Array(readFileSync(file)));
  const out: boolean[] = [];
  for (let p = 1; p <= doc.numPages; p++) out.push(needsOcr(await readPage(doc, p)));
  await doc.destroy();
  return out;
}

describe('which pages go through OCR', () => {
  for (const file of corpusFiles('digital')) {
    it(`none of ${basename(file)} (short last pages included)`, async () => expect(await verdicts(file)).not.toContain(true));
  }
  for (const file of corpusFiles('scan')) {
    it(`every page of ${basename(file)}`, async () => expect(await verdicts(file)).not.toContain(false));
  }
});

describe('a text layer of full-width digits', () => {
  it('is text, not garbage', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ text: i % 2 ? '１２３' : '０', bbox: [0, i * 10, 20, i * 10 + 9] as [number, number, number, number], vertical: false }));
    expect(needsOcr({ page: 1, width: 595, height: 842, items, segments: [], imageCover: 0 })).toBe(false);
  });
});

describe('a scan is read at its own resolution', () => {
  for (const file of corpusFiles('scan')) {
    it(`${basename(file)}: the page image's dpi, as poppler's pdfimages gives it`, async () => {
      // x-ppi of each page's image, from an independent reader of the file.
      const listed = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
        .split('\n')
        .slice(2)
        .filter((l) => l.trim())
        .map((l) => Number(l.trim().split(/\s+/)[12]));
      const doc = await openPdf(new Uint8Array(readFileSync(file)));
      for (let p = 1; p <= doc.numPages; p++) expect(Math.abs((await readPage(doc, p)).imageDpi! - listed[p - 1])).toBeLessThanOrEqual(1);
      await doc.destroy();
    });
  }
  it('from the default resolution up to 300 dpi', () => {
    expect(scanDpi(undefined, 200)).toBe(200);
    expect(scanDpi(150, 200)).toBe(200);
    expect(scanDpi(300, 200)).toBe(300);
    expect(scanDpi(600, 200)).toBe(300);
  });
});
