import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFile } from '../src/pipeline/index.js';
import { RecordSchema } from '../src/record/schema.js';
import { CORPUS, REAL, SCORE_TOOL, corpusFiles, truthFor } from './helpers/corpus.js';

const files = corpusFiles('digital');
const outDir = mkdtempSync(join(tmpdir(), 'xxgk-pdf-'));

describe('digital PDFs of the corpus: every cell exact', () => {
  it('has the corpus at hand', () => expect(files.length).toBeGreaterThanOrEqual(13));

  for (const file of files) {
    it(basename(file), async () => {
      const truth = truthFor(file);
      const record = await extractFile(file);
      writeFileSync(join(outDir, `${basename(file)}.json`), JSON.stringify(record));
      expect(record.error).toBeUndefined();
      expect(RecordSchema.parse(record)).toBeTruthy();
      // Exactly the truth's keys: a cell the format does not print must not appear either.
      expect(Object.keys(record.cells).sort()).toEqual(Object.keys(truth.cells).sort());
      for (const [key, value] of Object.entries(truth.cells)) expect([key, record.cells[key]]).toEqual([key, value]);
      // Every value has provenance on a real page, inside the page.
      for (const key of Object.keys(record.cells)) {
        const p = record.provenance[key];
        expect(p, key).toBeDefined();
        expect(p.via).toBe('text');
        expect(p.page).toBeGreaterThanOrEqual(1);
        expect(p.page).toBeLessThanOrEqual(record.source.pages);
        expect(p.bbox![2]).toBeGreaterThan(p.bbox![0]);
      }
      expect(record.meta.agency).toBe(truth.meta.agency);
      expect(record.meta.year).toBe(truth.meta.year);
    });
  }

  it('scores 100.00 % with the shared scoring tool', () => {
    const run = (truthDir: string) =>
      execFileSync('node', [SCORE_TOOL, '--truth', truthDir, '--records', outDir, '--only-recorded', '--cells-only', '--json'], { encoding: 'utf8' });
    for (const dir of [CORPUS, REAL]) {
      const { summary } = JSON.parse(run(dir));
      expect(summary.documents).toBeGreaterThan(0);
      expect(summary.accuracy).toBe(1);
    }
  });
});
