import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openPdf, readPage } from '../src/extract/pdf.js';
import { pageTables } from '../src/extract/grid.js';
import { mapTables } from '../src/normalize/tables.js';
import { needsOcr, ocrPage, terminateOcr } from '../src/extract/ocr/index.js';

const CORPUS = new URL('../../shared/corpus/', import.meta.url);
const SCANS = ['seed_xiangshan_hrss_2020_scan', 'gen05_2021_hrss_docx_scan150', 'gen10_2021_small_bureau_docx_landscape_scan200'];

afterAll(() => terminateOcr());

describe.each(SCANS)('OCR of %s', (name) => {
  it('reads the table cells of the scan as the truth file gives them', async () => {
    const truth = JSON.parse(readFileSync(new URL(`${name}.json`, CORPUS), 'utf8')) as { cells: Record<string, number | null> };
    const doc = await openPdf(new Uint8Array(readFileSync(new URL(`${name}.pdf`, CORPUS))));
    const pages = [];
    for (let p = 1; p <= doc.numPages; p++) {
      expect(needsOcr(await readPage(doc, p))).toBe(true);
      // The text outside the tables is not needed for the cells; skipping it keeps CI fast.
      pages.push(await ocrPage(doc, p, { pageText: false }));
    }
    await doc.destroy();
    for (const c of pages) for (const it of c.items) {
      expect(it.via).toBe('ocr');
      expect(it.confidence).toBeLessThan(1);
    }
    const mapped = mapTables(pages.flatMap((c) => pageTables(c)));
    const keys = Object.keys(truth.cells);
    const exact = keys.filter((k) => mapped.cells[k] === truth.cells[k]);
    // A number read but wrong is worse than one missing: every wrong value must say it is unsure.
    const wrong = keys.filter((k) => k in mapped.cells && mapped.cells[k] !== truth.cells[k]);
    for (const k of wrong) expect(mapped.provenance[k]?.confidence ?? 1, k).toBeLessThan(0.9);
    console.log(`${name}: ${exact.length}/${keys.length} exact, ${wrong.length} wrong, ${keys.length - exact.length - wrong.length} missing`);
    expect(exact.length / keys.length).toBeGreaterThanOrEqual(FLOOR[name]);
  }, 600_000);
});

/** Measured share of exact cells (the target is 0.995; see the OCR report for what is left). */
const FLOOR: Record<string, number> = {
  seed_xiangshan_hrss_2020_scan: 0.85,
  gen05_2021_hrss_docx_scan150: 0.96,
  // Its landscape table of section 三 is not mapped yet (header labels misread): numbers are not lost to misreadings.
  gen10_2021_small_bureau_docx_landscape_scan200: 0.13,
};
