import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openPdf, readPage } from '../src/extract/pdf.js';
import { tablesOf } from '../src/extract/pdf-reading.js';
import { UNRULED_CONFIDENCE } from '../src/extract/unruled.js';
import { mapTables } from '../src/normalize/tables.js';
import { validate } from '../src/validate/index.js';
import { recordFrom } from './validate-records.js';
import { corpusFiles, truthFor } from './helpers/corpus.js';

/**
 * Tables printed without rules, made from the corpus PDFs by dropping every ruling
 * line the page draws: the same text layout, no grid to lean on.
 */
describe('tables without rules fall back to the layout of the text', () => {
  it('reads most cells, none wrong, names every cell it leaves out, and says it is unsure', async () => {
    let cells = 0, exact = 0, wrong = 0;
    const unnamed: string[] = [];
    for (const file of corpusFiles('digital')) {
      const doc = await openPdf(new Uint8Array(readFileSync(file)));
      const tables = [];
      const carry = {};
      for (let p = 1; p <= doc.numPages; p++) tables.push(...tablesOf({ ...(await readPage(doc, p)), segments: [] }, carry));
      await doc.destroy();
      expect(tables.every((t) => !t.ruled)).toBe(true);
      const m = mapTables(tables);
      const truth = truthFor(file).cells;
      for (const [k, v] of Object.entries(truth)) {
        cells++;
        if (!(k in m.cells)) continue;
        if (m.cells[k] === v) exact++;
        else wrong++;
      }
      for (const p of Object.values(m.provenance)) expect(p.confidence).toBeLessThanOrEqual(UNRULED_CONFIDENCE);
      // the record made of this reading: its findings name every cell of the truth it lacks
      const record = { ...recordFrom(truthFor(file) as Parameters<typeof recordFrom>[0]), cells: m.cells, provenance: m.provenance };
      const named = new Set(validate(record).filter((f) => f.rule === 'structure.missing').flatMap((f) => f.keys));
      unnamed.push(...Object.keys(truth).filter((k) => !(k in m.cells) && !named.has(k)).map((k) => `${file} ${k}`));
    }
    // What is left out: blank cells in rows of numbers (a blank leaves no number to find its column by) and rows
    // whose labels the layout alone does not part (about a tenth of the cells). Never a wrong one, never unsaid.
    expect(wrong).toBe(0);
    expect(unnamed).toEqual([]);
    expect(exact / cells).toBeGreaterThan(0.5);
  });
});
