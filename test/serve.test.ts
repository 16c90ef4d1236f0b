import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingKey, openSqlDb, ReviewStore } from '../src/batch/reviews.js';
import { runBatch } from '../src/batch/run.js';
import { OVERVIEW_SETTINGS } from '../src/cli/serve/overview.js';
import { startServer, type RunningServer } from '../src/cli/serve/server.js';
import { defaultPageLimits, SourcePages } from '../src/cli/serve/sources.js';
import type { ReportRecord } from '../src/record/schema.js';
import { parseCsv } from './batch-csvparse.js';
import { buildZip } from './batch-zipwriter.js';
import { CHROMIUM } from './helpers/print.js';

/**
 * `xxgk serve` in a real Chromium over a results folder made by the real batch from corpus reports: what a
 * reviewer does (filter, open, click a cell, confirm, dismiss, correct, export) checked against the truth
 * files, the reviews surviving a new batch, and the refusals (paths outside, writes from elsewhere, an open
 * bind without a token).
 */

const CORPUS = join(import.meta.dirname, '../../shared/corpus');
const PLANTED = 'gen04_2019_city_gov_chromium_landscape_planted';
const FILES = [`${PLANTED}.pdf`, 'gen02_2021_natres_chromium_split6_planted.pdf', 'gen03_2019_township_docx_blankzeros.pdf', 'gen08_2019_gov_office_chromium_separate_page.html'];

interface Truth {
  cells: Record<string, number | null>;
  planted: { kind: string; keys: string[]; changed?: Record<string, { from: number; to: number }> }[];
}
const truth = JSON.parse(readFileSync(join(CORPUS, `${PLANTED}.json`), 'utf8')) as Truth;
/** A cell printed wrong on purpose, with the value it should have. */
const offCell = truth.planted.find((p) => p.kind === 'cell_off')!;
const [offKey, offChange] = Object.entries(offCell.changed!)[0];
const zeroTotal = truth.planted.find((p) => p.kind === 't4_total_zero')!;
const [totalKey, totalChange] = Object.entries(zeroTotal.changed!)[0];

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`serve browser tests skipped: ${CHROMIUM} is not installed`);

let dir = '';
let out = '';
let app: RunningServer;
let browser: Browser;
let page: Page;
let records: ReportRecord[] = [];
const batch = () => runBatch({ paths: FILES.map((f) => join(CORPUS, f)), out, jobs: 1, quiet: true, anomalies: false });
const readRecords = () => readFileSync(join(out, 'records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ReportRecord);
const planted = () => records.find((r) => r.file === `${PLANTED}.pdf`)!;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xxgk-serve-'));
  out = join(dir, 'results');
  await batch();
  records = readRecords();
  app = await startServer({ results: out, host: '127.0.0.1', port: 0 });
  if (!hasChromium) return;
  const { chromium } = await import('playwright-core');
  // playwright gives every launch a fresh temporary profile (it refuses --user-data-dir with launch).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A raw request, the path sent exactly as written (no URL normalising on our side). */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string; port?: number } = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const port = opts.port ?? Number(new URL(app.url).port);
  return new Promise((ok, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { Host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

const article = (rule: string, key: string) => page.locator(`article.finding[data-fkey^="${rule}|"]`).filter({ has: page.locator(`button.chip[data-key="${key}"]`) }).first();

describe.skipIf(!hasChromium).sequential('a reviewer in Chromium', () => {
  it('opens the overview with every report and filters it, the filters in the URL', async () => {
    await page.goto(app.url);
    expect(await page.locator('#reports tbody tr').count()).toBe(records.length);
    const withErrors = records.filter((r) => r.findings.some((f) => f.severity === 'error'));
    expect(withErrors.length).toBeGreaterThan(0);
    expect(withErrors.length).toBeLessThan(records.length);
    await Promise.all([page.waitForURL(/severity=error/), page.selectOption('#filter-severity', 'error')]);
    expect(await page.locator('#reports tbody tr').count()).toBe(withErrors.length);
    // The summary follows the filter: it counts the errors shown, not every finding.
    expect(await page.textContent('#finding-count')).toBe(String(withErrors.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error').length, 0)));
    // The same URL opened afresh gives the same list; a search narrows it to one agency.
    await page.goto(`${app.url}?severity=error&q=${encodeURIComponent(planted().meta.agency!)}`);
    expect(await page.locator('#reports tbody tr').count()).toBe(1);
    expect(await page.inputValue('#filter-severity')).toBe('error');
  });

  it('opens a report and shows a clicked cell’s provenance over the page image', async () => {
    await Promise.all([page.waitForURL(/\/report\//), page.click('a.report-link')]);
    const img = page.locator('figure.page img').first();
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true);
    // Page images are bounded in size (defaultPageLimits.maxPageSide).
    const side = await img.evaluate((i: HTMLImageElement) => Math.max(i.naturalWidth, i.naturalHeight));
    expect(side).toBeLessThanOrEqual(defaultPageLimits.maxPageSide);
    await page.locator(`figure.page button.cell[data-key="${offKey}"]`).click();
    const field = (name: string) => page.locator(`#cell-info dd[data-field="${name}"]`).textContent();
    expect(await field('键')).toBe(offKey);
    // The value as printed, per the truth file (the planted wrong value), read from the text layer with full confidence.
    expect(await field('读数')).toBe(String(truth.cells[offKey]));
    expect(truth.cells[offKey]).toBe(offChange.to);
    expect(await field('原文')).toBe(String(offChange.to));
    expect(await field('读取方式')).toBe('PDF 文字层');
    expect(await field('置信度')).toBe('1.00');
    expect(await field('位置')).toBe(`第 ${planted().provenance[offKey].page} 页`);
    // The box drawn over the image covers the printed number: the image is the report's page, the box its cell.
    const box = await page.locator(`figure.page button.cell[data-key="${offKey}"]`).boundingBox();
    expect(box!.width).toBeGreaterThan(4);
    await page.screenshot({ path: join(dir, 'report.png') });
  });

  it('highlights every cell of a finding, and confirms one finding and dismisses another with a note', async () => {
    const columns = article('t3.columns', offKey);
    const results = article('t3.results', offKey);
    await columns.locator('h3').click();
    // Its evidence: the crop of the page around its cells (outlined as anomalies.html outlines them).
    const crop = columns.locator('img.crop');
    await crop.scrollIntoViewIfNeeded();
    await expect.poll(() => crop.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 50)).toBe(true);
    await columns.locator('h3').click();
    const keys = JSON.parse((await columns.getAttribute('data-keys'))!) as string[];
    const placed = keys.filter((k) => planted().provenance[k]?.bbox);
    expect(await page.locator('figure.page button.cell.hl-main, figure.page button.cell.hl').count()).toBe(placed.length);
    await columns.locator('button.act-confirm').click();
    await expect.poll(() => columns.getAttribute('class')).toContain('state-confirmed');
    await results.locator('textarea.note').fill('自然人列合计与原文核对无误，系表内其他行填报口径问题');
    await results.locator('button.act-dismiss').click();
    await expect.poll(() => results.getAttribute('class')).toContain('state-dismissed');
    await page.reload();
    expect(await article('t3.columns', offKey).getAttribute('class')).toContain('state-confirmed');
    expect(await article('t3.results', offKey).getAttribute('class')).toContain('state-dismissed');
    expect(await article('t3.results', offKey).locator('textarea.note').inputValue()).toContain('填报口径');
  });

  it('corrects a cell with a reason and shows the checks run again on the corrected value', async () => {
    const sum = page.locator(`article.finding[data-fkey^="t4.sum|"]`).filter({ has: page.locator(`button.chip[data-key="${totalKey}"]`) });
    expect(await sum.count()).toBe(1);
    await page.locator(`figure.page button.cell[data-key="${totalKey}"]`).click();
    expect(await page.inputValue('#correct-value')).toBe(String(totalChange.to));
    await page.fill('#correct-value', String(totalChange.from));
    await page.fill('#correct-reason', '原文各项之和为 5，总计漏填');
    await Promise.all([page.waitForEvent('load'), page.click('#correct-form button[type=submit]')]);
    expect(await sum.count()).toBe(0);
    expect(await page.textContent('#recheck')).toContain('1 项问题不再成立');
    expect(await page.locator('#resolved li').filter({ hasText: 't4.sum' }).count()).toBe(1);
    await page.locator(`#cells tr[data-key="${totalKey}"]`).click();
    expect(await page.locator('#cell-info dd[data-field="读数"]').textContent()).toBe(String(totalChange.to));
    expect(await page.locator('#cell-info dd[data-field="现值"]').textContent()).toContain(String(totalChange.from));
    // The printed text stays as printed.
    expect(await page.locator('#cell-info dd[data-field="原文"]').textContent()).toBe(String(totalChange.to));
  });

  it('keeps every review and correction through a new batch that extracts the files again', async () => {
    // Forget every record, so that the batch extracts each file afresh (as a new tool version would).
    const db = openSqlDb(join(out, 'xxgk.sqlite'));
    db.run('DELETE FROM processed');
    db.close();
    const again = await batch();
    expect(again.processed).toBe(FILES.length);
    await page.reload();
    expect(await article('t3.columns', offKey).getAttribute('class')).toContain('state-confirmed');
    expect(await article('t3.results', offKey).getAttribute('class')).toContain('state-dismissed');
    expect(await page.locator(`#corrections li[data-key="${totalKey}"]`).count()).toBe(1);
    expect(await page.locator(`article.finding[data-fkey^="t4.sum|"]`).count()).toBe(0);
  });

  it('shows a review whose finding is gone as such', async () => {
    const store = ReviewStore.open(join(out, 'xxgk.sqlite'));
    const gone = { rule: 'narrative.table', keys: ['t3.new.total'], message: '正文称收到申请 999 件，表中为 745 件', quote: undefined };
    store.putReview({ sha256: planted().source.sha256, findingKey: findingKey(gone), rule: gone.rule, keys: gone.keys, state: 'confirmed', note: '旧版本的发现', message: gone.message });
    store.close();
    await page.reload();
    expect(await page.locator('#orphans li').filter({ hasText: '正文称收到申请 999 件' }).count()).toBe(1);
    expect(await page.locator('article.finding[data-fkey^="narrative.table|t3.new.total"]').count()).toBe(0);
  });

  it('exports the reviewed findings as CSV and the agency’s 整改清单 with only its confirmed findings', async () => {
    await page.goto(app.url);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const rows = parseCsv(readFileSync((await download.path())!, 'utf8'));
    const head = rows[0];
    const data = rows.slice(1).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
    expect(data).toHaveLength(2);
    const confirmed = data.find((d) => d.state === 'confirmed')!;
    const dismissed = data.find((d) => d.state === 'dismissed')!;
    expect(confirmed.rule).toBe('t3.columns');
    expect(confirmed.keys.split(' ')).toContain(offKey);
    expect(confirmed.agency).toBe(planted().meta.agency);
    expect(dismissed.rule).toBe('t3.results');
    expect(dismissed.note).toContain('填报口径');
    expect(dismissed.state_zh).toBe('驳回');

    // The same rows as a workbook, where exceljs is installed (issue 19 brings it); without it, a plain refusal.
    const excelName = 'exceljs';
    const excel = (await import(excelName).then((m) => m.default ?? m, () => null)) as null | { Workbook: new () => { xlsx: { load(b: Buffer): Promise<unknown> }; worksheets: { getSheetValues(): unknown[][] }[] } };
    if (excel) {
      const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('#export-xlsx')]);
      const book = new excel.Workbook();
      await book.xlsx.load(readFileSync((await xlsx.path())!));
      const values = book.worksheets[0].getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1).map((v) => (v == null ? '' : String(v))));
      expect(values[0]).toEqual(head);
      expect(values.slice(1)).toEqual(rows.slice(1).map((r) => r.map((v) => v.replace(/^'(?=[=+\-@])/, ''))));
    } else {
      expect((await raw('/export/findings.xlsx')).status).toBe(501);
    }

    const link = page.locator('#agency-lists a');
    expect(await link.count()).toBe(1);
    const [list] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const html = readFileSync((await list.path())!, 'utf8');
    expect(html).toContain('整改清单');
    expect(html).toContain(confirmed.message);
    expect(html).not.toContain(dismissed.message);
    expect(html).not.toMatch(/<script|src=|href=/i);
  });
});

describe.skipIf(!hasChromium)('a web-page report in Chromium', () => {
  it('shows its cells in a table beside the findings, each with where in the page it was read', async () => {
    const name = 'gen08_2019_gov_office_chromium_separate_page';
    const htmlTruth = JSON.parse(readFileSync(join(CORPUS, `${name}_html.json`), 'utf8')) as Truth;
    const r = records.find((x) => x.file === `${name}.html`)!;
    await page.goto(`${app.url}report/${r.source.sha256}`);
    expect(await page.locator('figure.page').count()).toBe(0);
    expect(await page.locator('.pages #cells tr[data-key]').count()).toBe(Object.keys(r.cells).length);
    const key = Object.keys(htmlTruth.cells).find((k) => htmlTruth.cells[k] !== null && htmlTruth.cells[k]! > 0 && k in r.cells)!;
    await page.locator(`#cells tr[data-key="${key}"]`).click();
    expect(await page.locator('#cell-info dd[data-field="读数"]').textContent()).toBe(String(htmlTruth.cells[key]));
    expect(await page.locator('#cell-info dd[data-field="读取方式"]').textContent()).toBe('网页表格');
    expect(await page.locator('#cell-info dd[data-field="位置"]').textContent()).toMatch(/^第 \d+ 个表格 第 \d+ 行 第 \d+ 列$/);
  });
});

describe.skipIf(!hasChromium)('blank cells in Chromium', () => {
  it('groups the blank-cell warnings per table, one review for all of a table’s rows', async () => {
    const name = 'gen03_2019_township_docx_blankzeros';
    const blankTruth = JSON.parse(readFileSync(join(CORPUS, `${name}.json`), 'utf8')) as Truth;
    const blanks = Object.keys(blankTruth.cells).filter((k) => blankTruth.cells[k] === null);
    const r = records.find((x) => x.file === `${name}.pdf`)!;
    await page.goto(`${app.url}report/${r.source.sha256}`);
    const groups = page.locator('article.blank-group');
    const tables = [...new Set(blanks.map((k) => k.split('.')[0]))];
    expect(await groups.count()).toBe(tables.length);
    const shown = (await groups.evaluateAll((as) => as.map((a) => JSON.parse(a.getAttribute('data-keys')!) as string[]))).flat();
    expect(shown.sort()).toEqual(blanks.sort());
    // No blank-cell card outside the groups.
    expect(await page.locator('article.finding:not(.blank-group)[data-fkey^="cell.blank|"]').count()).toBe(0);
    const t4 = groups.filter({ hasText: '表四' });
    await t4.locator('button.act-confirm').click();
    await expect.poll(() => t4.getAttribute('class')).toContain('state-confirmed');
    const store = ReviewStore.open(join(out, 'xxgk.sqlite'));
    const reviewed = store.reviews().filter((x) => x.sha256 === r.source.sha256 && x.state === 'confirmed').flatMap((x) => x.keys);
    store.close();
    expect(reviewed.sort()).toEqual(blanks.filter((k) => k.startsWith('t4.')).sort());
  });
});

/**
 * Agencies of real divisions, with their GB/T 2260 codes (county, city, province) as the statistics bureau
 * publishes them, and one of no division; the many-reports folder gives its copies of real records these names.
 */
const PLACES = [
  { agency: '沭阳县发展和改革局', codes: ['321322', '321300', '320000'] },
  { agency: '淮安市洪泽区人民政府', codes: ['320813', '320800', '320000'] },
  { agency: '平潭综合实验区公安局', codes: ['350128', '350100', '350000'] },
  { agency: '南屏市人民政府办公室', codes: [] },
];

describe.skipIf(!hasChromium).sequential('a results folder of hundreds of reports in Chromium', () => {
  /** Two and a half pages' worth. */
  const many = Math.round(OVERVIEW_SETTINGS.pageSize * 2.5);
  let big: RunningServer;
  let copies: ReportRecord[] = [];
  const rowsShown = () => page.locator('#reports tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-sha')!));

  beforeAll(async () => {
    const bigDir = join(dir, 'many');
    await mkdir(bigDir);
    // Each real record of the batch, again and again, as other files (other hashes) of other agencies.
    copies = Array.from({ length: many }, (_, i) => {
      const r = structuredClone(records[i % records.length]);
      r.source.sha256 = createHash('sha256').update(`copy ${i}`).digest('hex');
      r.source.path = `many/${i}-${r.file}`;
      r.meta.agency = PLACES[Math.floor(i / records.length) % PLACES.length].agency;
      return r;
    });
    await writeFile(join(bigDir, 'records.jsonl'), copies.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await copyFile(join(out, 'xxgk.sqlite'), join(bigDir, 'xxgk.sqlite'));
    big = await startServer({ results: bigDir, host: '127.0.0.1', port: 0 });
  }, 60_000);

  afterAll(async () => {
    await big?.close();
  });

  it('lists one page of reports at a time, the counts over all of them, and the next page on asking', async () => {
    const pages = Math.ceil(many / OVERVIEW_SETTINGS.pageSize);
    expect(pages).toBeGreaterThan(2);
    await page.goto(big.url);
    expect(await page.textContent('#shown-count')).toBe(String(many));
    expect(await page.textContent('#finding-count')).toBe(String(copies.reduce((n, r) => n + r.findings.length, 0)));
    expect(await page.textContent('#pager-top .page-info')).toBe(`第 1 / ${pages} 页`);
    const first = await rowsShown();
    expect(first).toHaveLength(OVERVIEW_SETTINGS.pageSize);
    await Promise.all([page.waitForURL(/[?&]page=2\b/), page.click('#pager-top a[rel=next]')]);
    expect(await page.textContent('#pager-top .page-info')).toBe(`第 2 / ${pages} 页`);
    expect(await page.textContent('#shown-count')).toBe(String(many));
    const second = await rowsShown();
    expect(second).toHaveLength(OVERVIEW_SETTINGS.pageSize);
    expect(second.filter((sha) => first.includes(sha))).toEqual([]);
    // The last page has the rest; together the pages list every report once.
    await page.goto(`${big.url}?page=${pages}`);
    const last = await rowsShown();
    expect(last).toHaveLength(many - (pages - 1) * OVERVIEW_SETTINGS.pageSize);
    const all = [...first, ...second, ...last];
    if (pages === 3) expect(new Set(all)).toEqual(new Set(copies.map((r) => r.source.sha256)));
    expect(await page.locator('#pager-top a[rel=next]').count()).toBe(0);
    // A page stays small however many reports the folder holds: its rows are one page's.
    const html = (await raw('/', { port: Number(new URL(big.url).port) })).body;
    expect(html.match(/<tr data-sha=/g)).toHaveLength(OVERVIEW_SETTINGS.pageSize);
  });

  it('filters by region from the URL, a province finding its counties’ reports, and keeps the filter across pages', async () => {
    const placeOf = (r: ReportRecord) => PLACES.find((p) => p.agency === r.meta.agency)!;
    for (const code of ['321322', '320000', '350128']) {
      const expected = copies.filter((r) => placeOf(r).codes.includes(code));
      expect(expected.length).toBeGreaterThan(0);
      await page.goto(`${big.url}?region=${code}`);
      expect(await page.inputValue('#filter-region')).toBe(code);
      expect(await page.textContent('#shown-count')).toBe(String(expected.length));
      const shas = await rowsShown();
      expect(shas.length).toBe(Math.min(expected.length, OVERVIEW_SETTINGS.pageSize));
      const agencies = new Set(expected.map((r) => r.meta.agency));
      for (const sha of shas) expect(agencies).toContain(copies.find((r) => r.source.sha256 === sha)!.meta.agency);
      // The region column names the agency's own division, the county.
      const codes = await page.locator('#reports td.region').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-code')));
      expect(new Set(codes)).toEqual(new Set([...agencies].map((a) => PLACES.find((p) => p.agency === a)!.codes[0])));
    }
    // Jiangsu has two pages: the next page keeps the filter.
    const jiangsu = copies.filter((r) => placeOf(r).codes.includes('320000'));
    expect(jiangsu.length).toBeGreaterThan(OVERVIEW_SETTINGS.pageSize);
    await page.goto(`${big.url}?region=320000`);
    await Promise.all([page.waitForURL(/page=2/), page.click('#pager-top a[rel=next]')]);
    expect(new URL(page.url()).searchParams.get('region')).toBe('320000');
    expect(await rowsShown()).toHaveLength(jiangsu.length - OVERVIEW_SETTINGS.pageSize);
    // Reports of no known division are a choice of their own, and choosing a region in the form goes to the URL.
    await page.goto(`${big.url}?region=none`);
    expect(await page.textContent('#shown-count')).toBe(String(copies.filter((r) => !placeOf(r).codes.length).length));
    expect(await page.locator('#reports td.region.none').count()).toBe(await page.locator('#reports tbody tr').count());
    await Promise.all([page.waitForURL(/region=350128/), page.selectOption('#filter-region', '350128')]);
    expect(await page.textContent('#shown-count')).toBe(String(copies.filter((r) => placeOf(r).codes.includes('350128')).length));
  });
});

describe('refusals', () => {
  it('serves nothing outside its routes, whatever the encoding', async () => {
    const sha = records[0].source.sha256;
    const attempts = [
      '/assets/../xxgk.sqlite', '/assets/%2e%2e/xxgk.sqlite', '/assets/%2E%2E%2Fxxgk.sqlite', '/assets/%252e%252e%252fxxgk.sqlite',
      '/assets/..%5cxxgk.sqlite', '/assets\\..\\xxgk.sqlite', '/assets/app.js/../../records.jsonl', '/assets/app.js%00.sqlite', '//etc/passwd',
      '/records.jsonl', '/xxgk.sqlite', `/page/${sha}/../../xxgk.sqlite`, `/page/${sha}/%2e%2e%2f%2e%2e%2fxxgk.sqlite`, '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd', `/report/${sha}/../../records.jsonl`, '/assets/%c0%ae%c0%ae/xxgk.sqlite', '/assets/', '/assets/serve.ts',
    ];
    for (const path of attempts) {
      const res = await raw(path);
      expect([400, 404], path).toContain(res.status);
      expect(res.body, path).not.toContain('SQLite format');
      expect(res.body, path).not.toContain('"sha256"');
      expect(res.body, path).not.toContain('root:');
    }
    expect((await raw('/assets/app.js')).status).toBe(200);
    // A page served under another host name (DNS rebinding) is refused.
    expect((await raw('/', { headers: { Host: 'attacker.example' } })).status).toBe(421);
  });

  it('reads no source file outside the places the batch was given, whatever a record’s path says', async () => {
    const r = planted();
    const inside = join(dir, 'inputs');
    await mkdir(inside);
    // The real file, with the record's own bytes, just outside the root the record claims to come from.
    await copyFile(join(CORPUS, r.file), join(dir, r.file));
    const pages = new SourcePages(() => new Map([['inputs', inside]]));
    try {
      for (const path of [`inputs/../${r.file}`, `inputs/%2e%2e/${r.file}`, `inputs/..\\${r.file}`, `inputs!/../../${r.file}`, `../${r.file}`, join(dir, r.file)]) {
        expect(await pages.bytes({ ...r, source: { ...r.source, path } }), path).toBeNull();
      }
      // Where it does lie inside, it is found (so the refusals above are about the path, not the file).
      await copyFile(join(CORPUS, r.file), join(inside, r.file));
      expect(await pages.bytes({ ...r, source: { ...r.source, path: `inputs/${r.file}` } })).not.toBeNull();
      // Inside an archive the batch was given (a zip in a folder), it is read from the archive.
      await writeFile(join(inside, '2019.zip'), buildZip([{ name: `青溪/${r.file}`, data: readFileSync(join(CORPUS, r.file)) }]));
      expect(await pages.bytes({ ...r, source: { ...r.source, path: `inputs/2019.zip!/青溪/${r.file}` } })).not.toBeNull();
      expect(await pages.bytes({ ...r, source: { ...r.source, path: `inputs/2019.zip!/../${r.file}` } })).toBeNull();
      // And a file whose bytes are not the record's is never shown as the record's.
      await writeFile(join(inside, r.file), 'not the report');
      expect(await pages.bytes({ ...r, source: { ...r.source, path: `inputs/${r.file}` } })).toBeNull();
    } finally {
      await pages.close();
    }
  });

  it('refuses writes that are not same-origin JSON with the page’s token', async () => {
    const port = Number(new URL(app.url).port);
    const home = await raw('/');
    const csrf = /name="xxgk-csrf" content="([0-9a-f]+)"/.exec(home.body)![1];
    expect(home.headers['content-security-policy']).toContain("script-src 'self'");
    const r = planted();
    const f = r.findings.find((x) => x.rule === 't3.columns')!;
    const body = JSON.stringify({ sha256: r.source.sha256, findingKeys: [findingKey(f)], state: 'dismissed', note: 'forged' });
    const own = `http://127.0.0.1:${port}`;
    const post = (headers: Record<string, string>) => raw('/api/review', { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
    expect((await post({ 'X-XXGK-CSRF': csrf })).status).toBe(403); // no Origin
    expect((await post({ Origin: 'http://evil.example', 'X-XXGK-CSRF': csrf })).status).toBe(403);
    expect((await post({ Origin: own, 'X-XXGK-CSRF': csrf, 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await post({ Origin: own })).status).toBe(403); // no token
    expect((await post({ Origin: own, 'X-XXGK-CSRF': 'f'.repeat(csrf.length) })).status).toBe(403);
    expect((await raw('/api/review', { method: 'POST', headers: { Origin: own, 'X-XXGK-CSRF': csrf, 'Content-Type': 'text/plain' }, body })).status).toBe(415);
    const store = ReviewStore.open(join(out, 'xxgk.sqlite'));
    const forged = store.reviews().filter((x) => x.note === 'forged');
    store.close();
    expect(forged).toEqual([]);
  });

  it.skipIf(!hasChromium)('refuses a form posted from another site in the browser', async () => {
    const evil = await import('node:http').then(({ createServer }) =>
      createServer((_, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        const r = planted();
        res.end(`<form id=f method=post action="${app.url}api/correction" enctype="text/plain"><input name='{"sha256":"${r.source.sha256}","key":"${offKey}","value":1,"reason":"x","a":"' value='"}'></form><script>document.getElementById('f').submit()</script>`);
      }),
    );
    await new Promise<void>((ok) => evil.listen(0, '127.0.0.1', () => ok()));
    try {
      const p = await browser.newPage();
      const answer = p.waitForResponse((res) => res.url().includes('/api/correction'));
      await p.goto(`http://localhost:${(evil.address() as { port: number }).port}/`);
      expect((await answer).status()).toBe(403);
      await p.close();
    } finally {
      evil.close();
    }
    const store = ReviewStore.open(join(out, 'xxgk.sqlite'));
    expect(store.corrections().map((c) => c.key)).not.toContain(offKey);
    store.close();
  });

  it('the command says why it will not listen off loopback without a token, and exits non-zero', () => {
    const run = spawnSync(process.execPath, [join(import.meta.dirname, '../bin/xxgk.mjs'), 'serve', out, '--host', '0.0.0.0', '--port', '0'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without --token/);
  });

  it('will not listen off loopback without a token, and asks for it when it has one', async () => {
    await expect(startServer({ results: out, host: '0.0.0.0', port: 0 })).rejects.toThrow(/without --token/);
    const token = 'k3y-of-the-review-office-2024';
    const open = await startServer({ results: out, host: '0.0.0.0', port: 0, token });
    try {
      const port = Number(new URL(open.url).port);
      const denied = await raw('/', { port, headers: { Host: `0.0.0.0:${port}` } });
      expect(denied.status).toBe(401);
      expect(denied.body).not.toContain(records[0].meta.agency!);
      const wrong = await raw(`/?token=${token.replace('k', 'K')}`, { port, headers: { Host: `0.0.0.0:${port}` } });
      expect(wrong.status).toBe(401);
      const admit = await raw(`/?token=${token}`, { port, headers: { Host: `0.0.0.0:${port}` } });
      expect(admit.status).toBe(303);
      const cookie = String(admit.headers['set-cookie']).split(';')[0];
      expect(String(admit.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
      const inside = await raw('/', { port, headers: { Host: `0.0.0.0:${port}`, Cookie: cookie } });
      expect(inside.status).toBe(200);
      expect(inside.body).toContain(records[0].meta.agency!);
      // Reached by the machine's name on the office network, the token still admits and its absence still refuses.
      expect((await raw('/', { port, headers: { Host: `review-pc.lan:${port}`, Cookie: cookie } })).status).toBe(200);
      expect((await raw('/', { port, headers: { Host: `review-pc.lan:${port}` } })).status).toBe(401);
    } finally {
      await open.close();
    }
  });

  it.skipIf(!hasChromium)('shows a report’s own markup as text and runs none of it', async () => {
    const hostileDir = join(dir, 'hostile');
    await mkdir(hostileDir);
    const base = structuredClone(planted());
    base.meta.agency = `<script>window.__pwned='agency'</script>"'&青溪`;
    base.findings = base.findings.map((f) => ({ ...f, message: `<img src=x onerror="window.__pwned='message'"> 总计 ≠ 合计` }));
    // Another report's hash: the corrections made to the planted report above must not re-run its rules here.
    base.source.sha256 = 'f'.repeat(64);
    const key = Object.keys(base.provenance)[0];
    base.provenance[key].text = `</script><script>window.__pwned='cell'</script>`;
    await writeFile(join(hostileDir, 'records.jsonl'), JSON.stringify(base) + '\n');
    await copyFile(join(out, 'xxgk.sqlite'), join(hostileDir, 'xxgk.sqlite'));
    const h = await startServer({ results: hostileDir, host: '127.0.0.1', port: 0 });
    try {
      const p = await browser.newPage();
      await p.goto(h.url);
      expect(await p.textContent('#reports')).toContain(base.meta.agency!);
      await p.goto(`${h.url}report/${base.source.sha256}`);
      await p.locator(`#cells tr[data-key="${key}"]`).click();
      expect(await p.locator('#cell-info dd[data-field="原文"]').textContent()).toBe(base.provenance[key].text);
      expect(await p.locator('article.finding .message').first().textContent()).toBe(base.findings[0].message);
      expect(await p.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
      await p.close();
    } finally {
      await h.close();
    }
  });
});
