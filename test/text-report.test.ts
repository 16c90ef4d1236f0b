import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractFile, extractBytes } from '../src/extract/index.js';
import { readText } from '../src/extract/text-report.js';
import { splitRunTogether, t3RowHolds, t4Holds } from '../src/extract/text-split.js';
import iconv from 'iconv-lite';

const SEED = '../shared/corpus/seed_xiangshan_hrss_2020.txt';
const truth = JSON.parse(readFileSync('../shared/corpus/seed_xiangshan_hrss_2020_txt.json', 'utf8'));
const seedText = readFileSync(SEED, 'utf8');

describe('the seed report as flattened text', () => {
  it('yields every cell of its truth, and nothing else', () => {
    const ex = readText(seedText);
    expect(Object.keys(truth.cells)).toHaveLength(198);
    expect(ex.cells).toEqual(truth.cells);
    expect(ex.notes).toEqual([]);
    expect(ex.meta).toMatchObject({ agency: truth.meta.agency, year: truth.meta.year, format: truth.meta.format });
  });

  it('gives each cell its line and raw token', () => {
    const ex = readText(seedText);
    const lines = seedText.split('\n');
    for (const [key, p] of Object.entries(ex.provenance)) {
      expect(p.via, key).toBe('stream');
      expect(lines[p.line! - 1].split(/\s+/), key).toContain(p.text);
    }
    // 其他对外管理服务事 / 项 8 0 4: the row's numbers sit on the label's second line.
    const prev = ex.provenance['t2.other_service.prev'];
    expect(lines[prev.line! - 1].trim()).toBe('项 8 0 4');
    expect(prev.confidence).toBe(1);
  });

  it('is read through extract as a text record with its narrative warning', async () => {
    const r = await extractFile(SEED);
    expect(r.error).toBeUndefined();
    expect(r.source.kind).toBe('text');
    expect(r.cells).toEqual(truth.cells);
    const sum = r.findings.find((f) => f.rule === 'narrative.sum');
    expect(sum?.severity).toBe('warning');
    expect(sum?.message).toContain('489');
  });

  it('decodes GB18030 text the same as UTF-8', async () => {
    const r = await extractBytes('seed-gbk.txt', iconv.encode(seedText, 'gb18030'));
    expect(r.cells).toEqual(truth.cells);
    expect(r.meta.agency).toBe(truth.meta.agency);
  });
});

describe('digits run together', () => {
  it('cuts a row where its total leaves one way', () => {
    expect(splitRunTogether(['801000081'], 7, t3RowHolds)).toEqual({
      kind: 'unique', values: [80, 1, 0, 0, 0, 0, 81], parts: ['80', '1', '0', '0', '0', '0', '81'],
    });
    // Part of the row separated, part run together.
    expect(splitRunTogether(['12', '30000', '15'], 7, t3RowHolds)).toMatchObject({ values: [12, 3, 0, 0, 0, 0, 15] });
  });

  it('refuses a cut that several ways or none allow', () => {
    // 1|10|0|0|0|0|11 and 11|0|0|0|0|0|11 both add up.
    expect(splitRunTogether(['110000011'], 7, t3RowHolds)).toEqual({ kind: 'ambiguous', count: 2 });
    expect(splitRunTogether(['1234567'], 7, t3RowHolds).kind).toBe('none');
    expect(splitRunTogether(['0012'], 2, () => true).kind).toBe('none'); // 0|012 and 00|12: no number starts with 0
  });

  it('cuts section 四 by its three totals', () => {
    const r = splitRunTogether(['12000120000000000'], 15, t4Holds);
    expect(r).toMatchObject({ kind: 'unique', values: [12, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
    // 10|1|0|0|11 or 1|0|10|0|11 for 行政复议.
    expect(splitRunTogether(['10100110000000000'], 15, t4Holds).kind).toBe('ambiguous');
  });

  const withRow = (row: string) => seedText.replace('（一）予以公开 0 0 0 0 0 0 0', `（一）予以公开 ${row}`);

  it('takes a unique cut in a report, with confidence below 1', () => {
    const ex = readText(withRow('801000081'));
    const keys = ['natural', 'commercial', 'research', 'nonprofit', 'legal', 'other_org', 'total'].map((c) => `t3.granted.${c}`);
    expect(keys.map((k) => ex.cells[k])).toEqual([80, 1, 0, 0, 0, 0, 81]);
    for (const k of keys) {
      expect(ex.provenance[k].confidence).toBeLessThan(1);
      expect(ex.provenance[k].text).toBe('801000081');
    }
    for (const [k, v] of Object.entries(truth.cells)) if (!keys.includes(k)) expect(ex.cells[k], k).toBe(v);
  });

  it('reports an ambiguous row and leaves it out, every other row intact', () => {
    const ex = readText(withRow('110000011'));
    expect(ex.cells['t3.granted.natural']).toBeUndefined();
    expect(ex.notes.join('\n')).toMatch(/（一）予以公开 left out: .*more than one way/);
    const others = Object.entries(truth.cells).filter(([k]) => !k.startsWith('t3.granted.'));
    expect(others).toHaveLength(191);
    for (const [k, v] of others) expect(ex.cells[k], k).toBe(v);
  });

  it('reports a row with a number too many instead of shifting the rows after it', () => {
    const ex = readText(seedText.replace('2.重复申请 0 0 0 0 0 0 0', '2.重复申请 0 0 0 0 0 0 0 0'));
    expect(ex.cells['t3.rejected.duplicate.total']).toBeUndefined();
    expect(ex.notes.join('\n')).toContain('2.重复申请 left out');
    for (const [k, v] of Object.entries(truth.cells)) if (!k.startsWith('t3.rejected.duplicate.')) expect(ex.cells[k], k).toBe(v);
  });
});
