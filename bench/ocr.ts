import type { BenchDoc } from './corpus.js';
import { extractFile } from '../src/pipeline/index.js';
import { now } from './stats.js';

export interface OcrDoc {
  name: string;
  pages: number;
  ms: number;
  secondsPerPage: number;
  cells: number;
}
export type OcrFigures = { available: false; reason: string } | { available: true; docs: OcrDoc[]; secondsPerPage: number };

/**
 * Scanned documents through extractFile with OCR on, once each (OCR is slow and its cost does not
 * need a median). OCR counts as available when the record says its pages were read by OCR.
 */
export async function ocrFigures(scans: BenchDoc[]): Promise<OcrFigures> {
  try {
    return await timeScans(scans);
  } finally {
    // The OCR engine keeps its recognisers warm between files; they would keep the bench alive.
    await (await import('../src/extract/ocr/index.js')).terminateOcr().catch(() => undefined);
  }
}

async function timeScans(scans: BenchDoc[]): Promise<OcrFigures> {
  if (!scans.length) return { available: false, reason: 'no scanned PDF in the corpus' };
  const docs: OcrDoc[] = [];
  for (const d of scans) {
    const t0 = now();
    const record = await extractFile(d.path, { ocr: true });
    const ms = now() - t0;
    if (!record.source.ocr) return { available: false, reason: record.error ? `${record.error.code}: ${record.error.message}` : 'OCR not available yet (no page was read by OCR)' };
    docs.push({ name: d.name, pages: d.pages, ms, secondsPerPage: ms / 1000 / Math.max(1, d.pages), cells: Object.keys(record.cells).length });
  }
  const pages = docs.reduce((a, d) => a + d.pages, 0);
  return { available: true, docs, secondsPerPage: docs.reduce((a, d) => a + d.ms, 0) / 1000 / Math.max(1, pages) };
}
