import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findGrids } from '../src/extract/grid.js';
import { releaseOcr } from '../src/extract/pdf-reading.js';
import { unturnBox } from '../src/extract/pdf.js';
import { cellBoxOf, turnBox, type RereadRequest } from '../src/extract/reread.js';
import type { BBox, Segment } from '../src/extract/types.js';
import { T3_COLUMNS } from '../src/format/catalog.js';
import { CONFIDENCE } from '../src/format/confidence.js';
import { extractFile } from '../src/pipeline/index.js';
import { findingsWithImageLook, findingsWithSecondLook, readingAgrees } from '../src/pipeline/second-look.js';
import type { Finding, ReportRecord } from '../src/record/schema.js';
import { lieInCell } from './reread-make.js';
import { CORPUS, readTruth, recordFrom, ruleForIdentity, type Truth } from './validate-records.js';

/**
 * Never accuse on a misreading: a table 三 continued on the next page and read a column shifted (its header
 * left behind) breaks identities that the report keeps. The second look finds the shift and lays the errors to
 * our reading; a real error in the same split table stays the report's.
 */
const COLS = T3_COLUMNS.map((c) => c.id);
const FIRST_PAGE_ROWS = ['new', 'carried_in'];

/** A report whose 表三 is split after its first two rows: those on page 3, the rest on page 4. */
function splitRecord(): ReportRecord {
  const truth = readTruth(CORPUS + 'gen01_2021_county_gov_docx_hzqstyle.json');
  expect(truth.planted ?? []).toEqual([]);
  const record = recordFrom(truth);
  for (const k of Object.keys(record.cells)) {
    const row = k.split('.').slice(1, -1).join('.');
    record.provenance[k] = { ...record.provenance[k], page: k.startsWith('t3.') && !FIRST_PAGE_ROWS.includes(row) ? 4 : 3 };
  }
  return record;
}

/** The page-4 part read one column to the right: each cell holds its left neighbour's number, 自然人 none. */
function shiftedRight(record: ReportRecord): ReportRecord {
  const out = structuredClone(record);
  for (const k of Object.keys(record.cells)) {
    if (record.provenance[k].page !== 4 || !k.startsWith('t3.')) continue;
    const parts = k.split('.');
    const i = COLS.indexOf(parts[parts.length - 1]);
    if (i === 0) {
      delete out.cells[k];
      delete out.provenance[k];
      continue;
    }
    const from = [...parts.slice(0, -1), COLS[i - 1]].join('.');
    out.cells[k] = record.cells[from];
    out.provenance[k] = { ...record.provenance[k], text: String(record.cells[from] ?? '') };
  }
  return out;
}

const identityErrors = (r: ReportRecord) => r.findings.filter((f) => f.severity === 'error' && /^t[34]\./.test(f.rule));

describe('second look at source errors', () => {
  it('the report as printed, split over two pages, has no identity error', () => {
    const r = splitRecord();
    r.findings = findingsWithSecondLook(r);
    expect(identityErrors(r)).toEqual([]);
  });

  it('a continuation read a column shifted gets extraction errors, with a note, never source', () => {
    const r = shiftedRight(splitRecord());
    r.findings = findingsWithSecondLook(r);
    const errors = identityErrors(r);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((f) => f.origin === 'source').map((f) => `${f.rule} ${f.message}`)).toEqual([]);
    expect((r.notes ?? []).some((n) => n.code === 'reading_doubted' && n.text.includes('page 4') && n.text.includes('column'))).toBe(true);
    // The suspect cells are the shifted part's, now below full confidence; the first page's keep theirs.
    expect(r.provenance['t3.total_handled.commercial'].confidence).toBeLessThan(1);
    expect(r.provenance['t3.new.natural'].confidence).toBe(1);
  });

  it('a real error in the same split table stays source', () => {
    const r = splitRecord();
    r.cells['t3.new.natural'] = (r.cells['t3.new.natural'] ?? 0) + 1;
    r.findings = findingsWithSecondLook(r);
    const errors = identityErrors(r);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((f) => f.origin === 'source')).toBe(true);
    expect(r.notes ?? []).toEqual([]);
  });
});

/**
 * The second look's other half: before an error is laid to a PDF's report, each cell it names is read again
 * from the page's image inside its ruled cell. A text layer that says what the page does not show (a lying
 * ToUnicode map, an invisible layer over a picture) makes the error ours.
 */
describe('the image look: where a cell is read again', () => {
  it('turnBox undoes unturnBox for every turn', () => {
    const b: BBox = [100, 200, 130, 214];
    for (const turn of [0, 90, -90, 180] as const) {
      const frame = { turn, width: 595, height: 842 };
      expect(unturnBox(turnBox(b, frame), frame)).toEqual(b);
    }
  });

  it('reads inside the ruled cell that holds the text, off its rules; without rules, the text box grown', () => {
    // A 2 × 2 grid: columns 0–60–120, rows 0–20–40 (points).
    const h = [0, 20, 40].map((at): Segment => ({ orient: 'h', at, from: 0, to: 120 }));
    const v = [0, 60, 120].map((at): Segment => ({ orient: 'v', at, from: 0, to: 40 }));
    const grids = findGrids([...h, ...v]);
    const inRightLow = cellBoxOf([95, 25, 105, 35], grids);
    expect(inRightLow.ruled).toBe(true);
    const [x0, y0, x1, y1] = inRightLow.box;
    expect([x0 > 60 && x0 < 61, y0 > 20 && y0 < 21, x1 < 120 && x1 > 119, y1 < 40 && y1 > 39]).toEqual([true, true, true, true]);
    const unruled = cellBoxOf([200, 25, 210, 35], grids);
    expect(unruled.ruled).toBe(false);
    expect(unruled.box[0]).toBeLessThan(200);
    expect(unruled.box[2]).toBeGreaterThan(210);
  });

  it('a reading agrees with the same number, blank with blank; not with another number, nor with nothing legible', () => {
    const r = {
      cells: { a: 60, b: null, c: 1234, d: 0 },
      provenance: {
        a: { text: '60', confidence: 1, via: 'text' as const },
        b: { text: '', confidence: 1, via: 'text' as const },
        c: { text: '1,234', confidence: 1, via: 'text' as const },
        d: { text: '0', confidence: 1, via: 'text' as const },
      },
    };
    expect(['60', '6O', '50', null].map((t) => readingAgrees(r, 'a', t))).toEqual([true, false, false, false]);
    expect(['', '-', '0'].map((t) => readingAgrees(r, 'b', t))).toEqual([true, true, false]);
    expect(['1234', '1.234', '1284'].map((t) => readingAgrees(r, 'c', t))).toEqual([true, true, false]);
    expect(['', '0'].map((t) => readingAgrees(r, 'd', t))).toEqual([false, true]);
  });
});

/** The split report with a real error (自然人 of 本年新收 one more than printed), its cells placed on their pages. */
function erring(): ReportRecord {
  const r = splitRecord();
  r.cells['t3.new.natural'] = (r.cells['t3.new.natural'] ?? 0) + 1;
  r.provenance['t3.new.natural'].text = String(r.cells['t3.new.natural']);
  for (const [i, k] of Object.keys(r.cells).entries()) r.provenance[k].bbox = [100, 10 * i, 110, 10 * i + 8];
  return r;
}

/** A stand-in for the page images of `r`: each cell shows what `shows` says, else what its text layer said. */
function imageShowing(r: ReportRecord, shows: Record<string, string | null> = {}, calls: RereadRequest[][] = []) {
  return async (_bytes: Uint8Array, reqs: RereadRequest[]) => {
    calls.push(reqs);
    return reqs.map((q) => ({ key: q.key, readings: [q.key in shows ? shows[q.key] : r.provenance[q.key].text], ruled: true }));
  };
}

describe('the image look: the decision', () => {
  it('nothing is read where no error is laid to the report', async () => {
    const r = splitRecord();
    const calls: RereadRequest[][] = [];
    r.findings = await findingsWithImageLook(r, new Uint8Array(), imageShowing(r, {}, calls));
    expect(calls).toEqual([]);
    expect(identityErrors(r)).toEqual([]);
  });

  it('an error whose cells the image shows as read stays source, its cells certain', async () => {
    const r = erring();
    const calls: RereadRequest[][] = [];
    r.findings = await findingsWithImageLook(r, new Uint8Array(), imageShowing(r, {}, calls));
    expect(calls.flat().map((q) => q.key)).toContain('t3.new.natural');
    expect(identityErrors(r).length).toBeGreaterThan(0);
    expect(identityErrors(r).every((f) => f.origin === 'source')).toBe(true);
    expect(r.notes ?? []).toEqual([]);
  });

  it('a cell the image shows otherwise makes the error extraction, with a note naming both readings', async () => {
    const r = erring();
    const printed = r.cells['t3.new.natural']!;
    r.findings = await findingsWithImageLook(r, new Uint8Array(), imageShowing(r, { 't3.new.natural': String(printed - 1) }));
    expect(identityErrors(r).filter((f) => f.keys.includes('t3.new.natural')).map((f) => f.origin)).toEqual(expect.arrayContaining(['extraction']));
    expect(identityErrors(r).filter((f) => f.origin === 'source')).toEqual([]);
    expect(r.provenance['t3.new.natural'].confidence).toBe(CONFIDENCE.imageDisagrees);
    expect(r.provenance['t3.new.total'].confidence).toBe(1);
    expect(r.notes?.map((n) => n.text)).toEqual([`t3.new.natural read ${printed} from the text layer, ${printed - 1} from the image; so the findings on it are not laid to the report`]);
    expect(r.notes?.[0]).toMatchObject({ code: 'reading_doubted', section: 't3', keys: ['t3.new.natural'] });
  });

  it('an image that cannot be read (or a look that fails) does not accuse either', async () => {
    const r = erring();
    r.findings = await findingsWithImageLook(r, new Uint8Array(), imageShowing(r, { 't3.new.natural': null }));
    expect(identityErrors(r).filter((f) => f.origin === 'source')).toEqual([]);
    expect(r.notes?.[0]?.text).toContain('nothing legible from the image');
    const failed = erring();
    failed.findings = await findingsWithImageLook(failed, new Uint8Array(), async () => {
      throw new Error('no renderer');
    });
    expect(identityErrors(failed).filter((f) => f.origin === 'source')).toEqual([]);
    expect(failed.notes?.some((n) => n.code === 'reading_doubted' && n.text.includes('could not be read again (no renderer)'))).toBe(true);
  });
});

const IMAGE_NOTE = /from the text layer/;

describe('the image look on real PDFs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xxgk-reread-'));
  afterAll(async () => {
    await releaseOcr();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a text layer that lies about a cell (its ToUnicode map gives another digit): the errors are extraction, with the note', async () => {
    const name = 'gen01_2021_county_gov_docx_hzqstyle';
    const truth = readTruth(CORPUS + `${name}.json`);
    expect(truth.planted ?? []).toEqual([]);
    const key = 't3.new.total';
    const printed = String(truth.cells[key]);
    const [from, to] = [printed[0], String((Number(printed[0]) + 1) % 10)];
    const lie = printed.replaceAll(from, to);
    // Where the cell stands: the page and box of the original's reading (geometry only; the values come from the truth).
    const where = (await extractFile(CORPUS + `${name}.pdf`)).provenance[key];
    const pdf = join(dir, 'lie.pdf');
    lieInCell(CORPUS + `${name}.pdf`, pdf, where.page!, where.bbox!, from, to);
    // The same file with its pages displayed a quarter turned (/Rotate): read upright, its cells looked at upright.
    const turned = join(dir, 'lie-turned.pdf');
    execFileSync('qpdf', ['--rotate=+90', pdf, turned]);
    for (const file of [pdf, turned]) {
      const r = await extractFile(file);
      expect(r.cells[key]).toBe(Number(lie));
      const errors = identityErrors(r);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.filter((f) => f.origin === 'source').map((f) => f.message)).toEqual([]);
      expect(r.notes?.map((n) => n.text)).toContain(`${key} read ${lie} from the text layer, ${printed} from the image; so the findings on it are not laid to the report`);
      // Only the lying cell is doubted: the other cells of its identities were read again and agree.
      expect(r.provenance[key].confidence).toBe(CONFIDENCE.imageDisagrees);
      expect(r.provenance['t3.new.natural'].confidence).toBe(1);
    }
  });

  const cases: [string, string][] = [
    ['gen02_2021_natres_chromium_split6_planted', 'planted'],
    ['gen04_2019_city_gov_chromium_landscape_planted', 'planted'],
    ['gen07_2021_housing_docx_narrow_planted', 'planted'],
    ['gen11_2019_natres_docx_planted_narrative', 'planted'],
    ['real/hongze-qu_huaian_2024', 'known_anomalies'],
  ];
  for (const [name, field] of cases) {
    it(`${name}: its ${field} stay source after the image look`, async () => {
      const truth = readTruth(CORPUS + `${name}.json`);
      const anomalies = (truth[field as keyof Truth] ?? []) as NonNullable<Truth['planted']>;
      const r = await extractFile(CORPUS + `${name}.pdf`);
      expect((r.notes ?? []).filter((n) => IMAGE_NOTE.test(n.text))).toEqual([]);
      for (const a of anomalies.filter((x) => x.identities?.length)) {
        const changed = Object.keys(a.changed ?? {});
        for (const rule of a.identities!.map(ruleForIdentity)) {
          const found = r.findings.some((f: Finding) => f.rule === rule && f.severity === 'error' && f.origin === 'source' && f.keys.some((k) => changed.includes(k)));
          expect(found, `${name}: ${a.note} (${rule})`).toBe(true);
        }
      }
      // A report without anomalies is accused of nothing.
      if (!anomalies.length) expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    });
  }
});
