import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../src/validate/index.js';
import { FindingSchema, type Finding } from '../src/record/schema.js';
import { CORPUS, readTruth, recordFrom, reportText, ruleForIdentity, type Truth } from './validate-records.js';

/**
 * The rules over the corpus' truth: each report's true cells (as if read with full
 * confidence) and its own text, read from its PDF by the real parser. Every planted
 * inconsistency must be found by the rule its identity names; reports without any
 * must not get a single error.
 */

interface Case {
  path: string;
  truth: Truth;
  findings: Finding[];
  hasText: boolean;
}

const paths = [
  ...readdirSync(CORPUS)
    .filter((f) => f.endsWith('.json') && f !== 'manifest.json')
    .map((f) => CORPUS + f),
  CORPUS + 'real/hongze-qu_huaian_2024.json',
];

const cases: Case[] = [];

beforeAll(async () => {
  for (const path of paths) {
    const truth = readTruth(path);
    const pages = await reportText(path, truth);
    const record = recordFrom(truth, pages);
    const before = JSON.stringify(record.cells);
    const findings = validate(record);
    // Rules read cells and never change them.
    expect(JSON.stringify(record.cells)).toBe(before);
    cases.push({ path, truth, findings, hasText: !!pages });
  }
}, 120_000);

const anomaliesOf = (t: Truth) => t.planted ?? t.known_anomalies ?? [];
const alarming = (f: Finding) => f.severity === 'error' || f.severity === 'warning';

describe('validate over the corpus truth', () => {
  it('reads every truth file and the text of every digital report', () => {
    expect(cases.length).toBe(paths.length);
    expect(cases.filter((c) => !c.truth.meta.scanned).every((c) => c.hasText)).toBe(true);
    for (const c of cases) for (const f of c.findings) expect(FindingSchema.safeParse(f).success).toBe(true);
  });

  it('finds every planted inconsistency, as score.mjs judges it, with the rule its identity names', () => {
    const planted = cases.flatMap((c) => anomaliesOf(c.truth).map((a) => ({ c, a })));
    expect(planted.length).toBeGreaterThanOrEqual(6);
    for (const { c, a } of planted) {
      const hit = c.findings.filter(alarming).some((f) => f.keys.some((k) => a.keys.includes(k)));
      expect(hit, `${c.truth.file}: ${a.note}`).toBe(true);
      const changed = a.changed ? Object.keys(a.changed) : a.keys;
      const rules = a.kind === 'narrative_vs_table' ? ['narrative.table'] : (a.identities ?? []).map(ruleForIdentity);
      expect(rules.length, `${c.truth.file}: ${a.kind} names no identity`).toBeGreaterThan(0);
      for (const rule of rules) {
        const found = c.findings.some((f) => alarming(f) && f.rule === rule && f.keys.some((k) => changed.includes(k)));
        expect(found, `${c.truth.file}: ${a.kind} should be found by ${rule}`).toBe(true);
      }
    }
  });

  it('gives the narrative finding the numbers the text and the table state', () => {
    for (const c of cases) {
      for (const a of anomaliesOf(c.truth).filter((x) => x.kind === 'narrative_vs_table')) {
        const n = a.narrative as { text_value: number; table_value: number };
        const f = c.findings.find((x) => x.rule === 'narrative.table' && x.keys.some((k) => a.keys.includes(k)));
        expect(f?.actual).toBe(n.text_value);
        expect(f?.expected).toBe(n.table_value);
        expect(f?.severity).toBe('warning');
        expect(f?.quote).toContain(`${n.text_value}件`);
        expect(f?.origin).toBe('source');
      }
    }
  });

  it('raises no error on reports without planted inconsistencies', () => {
    const clean = cases.filter((c) => anomaliesOf(c.truth).length === 0);
    expect(clean.length).toBeGreaterThanOrEqual(12);
    for (const c of clean) {
      const errors = c.findings.filter((f) => f.severity === 'error');
      expect(errors.map((f) => f.message), c.truth.file).toEqual([]);
    }
  });

  it('reports blanks as warnings, and blank cells add up as 0 without any error', () => {
    const withBlanks = cases.filter((c) => Object.values(c.truth.cells).some((v) => v === null));
    expect(withBlanks.length).toBeGreaterThanOrEqual(3);
    for (const c of withBlanks) {
      const blanks = Object.entries(c.truth.cells).filter(([, v]) => v === null).map(([k]) => k);
      const reported = c.findings.filter((f) => f.rule === 'cell.blank').flatMap((f) => f.keys);
      expect(reported.sort()).toEqual(blanks.sort());
    }
  });

  it('states the text against the table only where a clean report contradicts itself, never as a warning otherwise', () => {
    for (const c of cases.filter((x) => anomaliesOf(x.truth).length === 0)) {
      const wrongText = c.findings.filter((f) => f.rule === 'narrative.table' && f.severity !== 'info');
      expect(wrongText.map((f) => f.message), c.truth.file).toEqual([]);
    }
  });

  it("gives the seed report's 主动公开 489条 against its categories summing to 405 as a narrative.sum warning", () => {
    const seeds = cases.filter((c) => c.truth.file.startsWith('seed_') && c.hasText);
    expect(seeds.length).toBeGreaterThanOrEqual(3);
    for (const c of seeds) {
      const sums = c.findings.filter((f) => f.rule === 'narrative.sum');
      expect(sums.length, c.truth.file).toBe(1);
      expect(sums[0]).toMatchObject({ severity: 'warning', expected: 489, actual: 405, origin: 'source' });
      expect(sums[0].quote).toContain('489条');
      expect(sums[0].quote).toContain('监督保障23条');
    }
    // The quarters (100 + 114 + 137 + 138) do add up to 489: they are not reported.
    for (const c of seeds) expect(c.findings.some((f) => f.rule === 'narrative.sum' && f.actual === 489)).toBe(false);
  });

  it("reports 洪泽区 2024's 17 applications (one office's share) against the table's 95 as scope-limited info only", () => {
    const c = cases.find((x) => x.path.includes('/real/'))!;
    expect(c.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const f = c.findings.filter((x) => x.rule === 'narrative.table');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'info', actual: 17, expected: c.truth.cells['t3.new.total'], keys: ['t3.new.total'], page: 1 });
    expect(f[0].quote).toContain('区政府办代表区政府受理政府信息公开申请17件');
    expect(c.findings.filter((x) => x.severity === 'warning')).toEqual([]);
  });
});
