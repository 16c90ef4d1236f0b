import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { doubtByIdentities, oneDigitAway } from '../src/extract/ocr/doubt.js';
import type { Provenance } from '../src/record/schema.js';

const CORPUS = new URL('../../shared/corpus/', import.meta.url);

/** The truth cells of a report, as if every one had been read by OCR with good confidence. */
function asRead(name: string) {
  const cells = (JSON.parse(readFileSync(new URL(`${name}.json`, CORPUS), 'utf8')) as { cells: Record<string, number | null> }).cells;
  const provenance: Record<string, Provenance> = {};
  for (const [k, v] of Object.entries(cells)) provenance[k] = { text: String(v ?? ''), confidence: 0.95, via: 'ocr' };
  return { cells: { ...cells }, provenance };
}

describe('oneDigitAway', () => {
  it('accepts one digit replaced, dropped or added', () => {
    expect(oneDigitAway(17, 11)).toBe(true);
    expect(oneDigitAway(203, 23)).toBe(true);
    expect(oneDigitAway(6, 16)).toBe(true);
    expect(oneDigitAway(0, 8)).toBe(true);
  });
  it('rejects two changes, equal numbers, fractions and negatives', () => {
    expect(oneDigitAway(17, 71)).toBe(false);
    expect(oneDigitAway(5, 5)).toBe(false);
    expect(oneDigitAway(5.17, 5.1)).toBe(false);
    expect(oneDigitAway(-1, 1)).toBe(false);
  });
});

describe('doubt from the identities of a report read by OCR', () => {
  for (const name of ['gen05_2021_hrss_docx_scan150', 'seed_xiangshan_hrss_2020_scan']) {
    it(`${name}: the consistent truth raises no doubt`, () => {
      const { cells, provenance } = asRead(name);
      expect(doubtByIdentities(cells, provenance)).toEqual([]);
      expect(Object.values(provenance).every((p) => p.confidence === 0.95)).toBe(true);
    });
  }

  it('a total misread by one digit is doubted, and so are parts that could explain the difference', () => {
    const { cells, provenance } = asRead('gen05_2021_hrss_docx_scan150');
    expect(cells['t3.new.total']).toBe(17);
    cells['t3.new.total'] = 11; // 7 read as 1
    const doubted = doubtByIdentities(cells, provenance);
    expect(doubted).toContain('t3.new.total');
    expect(provenance['t3.new.total'].confidence).toBeLessThanOrEqual(0.5);
    expect(cells['t3.new.total']).toBe(11);
    // Parts that no one-digit misreading turns into a fix keep their confidence.
    expect(provenance['t3.new.commercial'].confidence).toBe(0.95);
  });

  it('a part misread by one digit is doubted', () => {
    const { cells, provenance } = asRead('gen05_2021_hrss_docx_scan150');
    expect(cells['t3.granted.natural']).toBe(9);
    cells['t3.granted.natural'] = 8;
    const doubted = doubtByIdentities(cells, provenance);
    expect(doubted).toContain('t3.granted.natural');
    expect(provenance['t3.granted.natural'].confidence).toBeLessThan(0.9);
  });

  it('numbers not read by OCR are left alone', () => {
    const { cells, provenance } = asRead('gen05_2021_hrss_docx_scan150');
    for (const p of Object.values(provenance)) p.via = 'text';
    cells['t3.new.total'] = 11;
    expect(doubtByIdentities(cells, provenance)).toEqual([]);
  });
});
