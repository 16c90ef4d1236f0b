import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseRecords } from '../src/validate/check.js';
import { RecordSchema, type ReportRecord } from '../src/record/schema.js';
import { CORPUS, readTruth, recordFrom } from './validate-records.js';

/** `xxgk check` and `xxgk schema` through the real command line. */

const run = promisify(execFile);
const BIN = new URL('../bin/xxgk.mjs', import.meta.url).pathname;

async function xxgk(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 32 << 20 });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}

const dir = mkdtempSync(join(tmpdir(), 'xxgk-check-'));
const truth = readTruth(CORPUS + 'gen04_2019_city_gov_chromium_landscape_planted.json');
const clean = readTruth(CORPUS + 'gen09_2021_city_gov_chromium_big.json');

/** A saved record whose findings are stale: what a person left after correcting a cell. */
function saved(): ReportRecord {
  const r = recordFrom(truth);
  r.findings = [{ rule: 'stale', severity: 'error', keys: [], message: 'old', origin: 'unknown' }];
  return r;
}

describe('xxgk check', () => {
  it('re-runs the rules on a saved record and replaces its findings', async () => {
    const file = join(dir, 'one.json');
    writeFileSync(file, JSON.stringify(saved()));
    const { stdout, stderr, code } = await xxgk('check', file);
    expect(code).toBe(0);
    const out = RecordSchema.parse(JSON.parse(stdout));
    expect(out.findings.map((f) => f.rule)).not.toContain('stale');
    const t4 = out.findings.find((f) => f.rule === 't4.sum')!;
    expect(t4.message).toBe('行政复议 总计 0 ≠ 维持 3 + 纠正 1 + 其他 1 + 尚未审结 0 = 5');
    expect(out.cells).toEqual(truth.cells);
    expect(stderr).toContain('3 errors');
  }, 60_000);

  it('after a person corrects the cell, the finding is gone; --out and --pretty write an indented file', async () => {
    const r = saved();
    r.cells['t4.review.total'] = 5;
    r.cells['t3.denied.enforcement.natural'] = 4;
    const file = join(dir, 'fixed.json');
    const out = join(dir, 'fixed.out.json');
    writeFileSync(file, JSON.stringify(r));
    const res = await xxgk('check', file, '--out', out, '--pretty');
    expect(res.code).toBe(0);
    expect(res.stdout).toBe('');
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^\{\n {2}"file"/);
    expect(JSON.parse(text).findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
  }, 60_000);

  it('checks a JSONL of records, names a bad line by file and number, and still prints the good ones', async () => {
    const file = join(dir, 'batch.jsonl');
    writeFileSync(file, [JSON.stringify(saved()), '{"file": "broken.pdf"}', 'not json', JSON.stringify(recordFrom(clean))].join('\n') + '\n');
    const { stdout, stderr, code } = await xxgk('check', file);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file} line 2: not a valid record: source:`);
    expect(stderr).toContain(`${file} line 3: not JSON`);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual([truth.file, clean.file]);
    expect(lines[1].findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
  }, 60_000);

  it('names the file and the reason when the input is not a record, or not there', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ file: 'x.pdf', cells: { 't3.new.total': 'seven' } }));
    const bad = await xxgk('check', file);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${file}: not a valid record`);
    expect(bad.stderr).toContain('cells.t3.new.total');
    const missing = await xxgk('check', join(dir, 'nothing.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nothing.json: cannot read: ENOENT');
  }, 60_000);
});

describe('parseRecords', () => {
  it('reads one record, an array, or JSONL', () => {
    const r = recordFrom(clean);
    expect(parseRecords('a.json', JSON.stringify(r, null, 2)).records).toHaveLength(1);
    expect(parseRecords('a.json', JSON.stringify([r, r])).records).toHaveLength(2);
    const l = parseRecords('a.jsonl', `${JSON.stringify(r)}\n\n${JSON.stringify(r)}\n`);
    expect([l.records.length, l.lines, l.problems]).toEqual([2, true, []]);
    expect(parseRecords('e.json', '  ').problems).toEqual(['e.json: empty file']);
  });

  it('reads a record saved by 0.1, its notes plain sentences, as unclassified notes; a note of no known code is refused', () => {
    const old = { ...recordFrom(clean), notes: ['page 3: section 三 row "合计" matches no official row; left out'] };
    const { records, problems } = parseRecords('old.json', JSON.stringify(old));
    expect(problems).toEqual([]);
    expect(records[0].notes).toEqual([{ code: 'unclassified', text: old.notes[0] }]);
    const bad = { ...recordFrom(clean), notes: [{ code: 'no_such_code', text: 'x' }] };
    expect(parseRecords('bad.json', JSON.stringify(bad)).problems[0]).toMatch(/^bad\.json: not a valid record: notes/);
  });
});

describe('xxgk schema', () => {
  it('prints the JSON Schema of the record', async () => {
    const { stdout, code } = await xxgk('schema');
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(schema.$schema).toContain('2020-12');
    expect(schema.required).toEqual(expect.arrayContaining(['file', 'source', 'meta', 'cells', 'provenance', 'findings']));
    expect(schema.properties.findings.items.properties.origin.enum).toEqual(['source', 'extraction', 'unknown']);
  }, 60_000);
});
