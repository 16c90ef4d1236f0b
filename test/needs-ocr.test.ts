import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsOcr } from '../src/extract/ocr/detect.js';
import { openPdf, readPage } from '../src/extract/pdf.js';
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
