import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../src/export/anomalies-html.js';
import { renderMarkdown } from '../src/export/anomalies-md.js';
import { orderFindings, summarize } from '../src/export/anomalies-model.js';
import { extractFile } from '../src/pipeline/index.js';
import type { ReportRecord } from '../src/record/schema.js';
import { CHROMIUM } from './helpers/print.js';

/**
 * anomalies.html gathers the one-per-row `cell.blank` warnings of a report into one card per table: checked on
 * a real extraction of the corpus report printed with blank cells, against its truth file's blank cells.
 */

const CORPUS = join(import.meta.dirname, '../../shared/corpus');
const NAME = 'gen03_2019_township_docx_blankzeros';
/** A second report, with errors and no blank cell, so that a filter changes the summaries. */
const OTHER = 'gen04_2019_city_gov_chromium_landscape_planted';
const truth = JSON.parse(readFileSync(join(CORPUS, `${NAME}.json`), 'utf8')) as { cells: Record<string, number | null> };
const blanks = Object.keys(truth.cells).filter((k) => truth.cells[k] === null);

let record: ReportRecord;
let other: ReportRecord;
let html = '';
let dir = '';

beforeAll(async () => {
  record = await extractFile(join(CORPUS, `${NAME}.pdf`), { ocr: false });
  other = await extractFile(join(CORPUS, `${OTHER}.pdf`), { ocr: false });
  const view = (r: ReportRecord) => ({ record: r, findings: orderFindings(r.findings).map((finding) => ({ finding, images: [] })), imagesCapped: 0, listCapped: 0 });
  html = renderHtml({ generated: 'test', summary: summarize([record, other]), reports: [view(record), view(other)], failed: [], limits: { imageFindingsPerReport: 12, findingsPerReport: 200 } });
  dir = await mkdtemp(join(tmpdir(), 'xxgk-blank-groups-'));
  await writeFile(join(dir, 'anomalies.html'), html);
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('blank-cell warnings in anomalies.md', () => {
  it('come as one entry per table, its rows beneath, together naming every blank cell the report prints', () => {
    const md = renderMarkdown({ generated: 'test', summary: summarize([record, other]), reports: [record, other], failed: [] });
    const lines = md.split('\n');
    const entries = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\d+\. \*\*/.test(l) && l.includes('`cell.blank`'));
    const tables = new Set(blanks.map((k) => k.split('.')[0]));
    expect(entries).toHaveLength(tables.size);
    expect(entries.map(([l]) => /：(表.) /.exec(l)?.[1]).sort()).toEqual([...tables].map((t) => ({ t2: '表二', t3: '表三', t4: '表四' })[t]).sort());
    const cells = entries.reduce((n, [l]) => n + Number(/共 (\d+) 格/.exec(l)![1]), 0);
    expect(cells).toBe(blanks.length);
    // Beneath each entry, one line per blank row, naming its cells: together, the truth's blank cells.
    const named = entries.flatMap(([, at]) => {
      const rows: string[] = [];
      for (let i = at + 1; lines[i]?.startsWith('   - '); i++) rows.push(lines[i]);
      expect(rows).toHaveLength(Number(/(\d+) 行有空白/.exec(lines[at])![1]));
      return rows.flatMap((row) => row.replace(/\\(.)/g, '$1').match(/\bt\d\.[a-z0-9_.]+/g) ?? []);
    });
    expect(named.sort()).toEqual([...blanks].sort());
    // The report's other findings stay one entry each.
    const others = lines.filter((l) => /^\d+\. \*\*/.test(l) && !l.includes('`cell.blank`'));
    expect(others).toHaveLength(record.findings.length + other.findings.length - record.findings.filter((f) => f.rule === 'cell.blank').length);
  });
});

describe('blank-cell warnings in anomalies.html', () => {
  it('come as one card per table, together naming every blank cell the report prints', () => {
    const cards = [...html.matchAll(/<article class="finding warning blank-group"[^>]*data-count="(\d+)"[^>]*>([\s\S]*?)<\/article>/g)];
    const tables = new Set(blanks.map((k) => k.split('.')[0]));
    expect(cards).toHaveLength(tables.size);
    expect(html).toContain(`表三 依申请公开：`);
    expect(html).toContain(`表四 行政复议和行政诉讼：`);
    // The cards' cell counts add up to the truth's blank cells, and each lists all its rows.
    const cells = cards.reduce((n, c) => n + Number(/共 (\d+) 格/.exec(c[2])![1]), 0);
    expect(cells).toBe(blanks.length);
    for (const c of cards) expect(c[2].match(/<li>/g)!.length).toBe(Number(c[1]));
    expect(html).not.toMatch(/<article class="finding warning" data-severity="warning" data-origin="\w+" data-rule="cell\.blank"/);
  });

  it.skipIf(!existsSync(CHROMIUM))('still counts every finding in the browser, and the summaries follow the filters', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(dir, 'anomalies.html')).href);
      const all = record.findings.length + other.findings.length;
      expect(other.findings.some((f) => f.rule === 'cell.blank')).toBe(false);
      expect(await page.textContent('#visible-count')).toBe(String(all));
      await page.selectOption('#filter-rule', 'cell.blank');
      expect(await page.textContent('#visible-count')).toBe(String(record.findings.filter((f) => f.rule === 'cell.blank').length));
      expect(await page.locator('article.blank-group:visible').count()).toBe(new Set(blanks.map((k) => k.split('.')[0])).size);
      // The summaries follow the filter: the agency's row and the total now count the blank-cell warnings only.
      const blankCount = String(record.findings.filter((f) => f.rule === 'cell.blank').length);
      expect(await page.textContent('tr[data-group="total"] td[data-n="findings"]')).toBe(blankCount);
      const row = (r: ReportRecord) => `tr[data-group="agency"][data-key="${r.meta.agency}"]`;
      expect(await page.textContent(`${row(record)} td[data-n="severity:warning"]`)).toBe(blankCount);
      expect(await page.textContent(`${row(other)} td[data-n="findings"]`)).toBe('0');
      expect(await page.textContent(`${row(other)} td[data-n="severity:error"]`)).toBe('');
      await page.click('#filter-reset');
      expect(await page.textContent('tr[data-group="total"] td[data-n="findings"]')).toBe(String(all));
      expect(await page.textContent(`${row(other)} td[data-n="severity:error"]`)).toBe(String(other.findings.filter((f) => f.severity === 'error').length));
    } finally {
      await browser.close();
    }
  });
});
