import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractFile } from '../src/pipeline/index.js';
import { buildViews, defaultAnomalyOptions, writeAnomalyReports } from '../src/export/anomalies.js';
import type { FindingImage } from '../src/export/anomalies-images.js';
import type { ReportRecord } from '../src/record/schema.js';

/**
 * The anomaly reports over real extractions of corpus reports with planted inconsistencies: every
 * planted cell must come back as a finding, with a snapshot in which that cell (and not its
 * neighbours) is outlined, and the page must work offline in a real browser.
 */

const CORPUS = join(import.meta.dirname, '../../shared/corpus');
const PLANTED = ['gen04_2019_city_gov_chromium_landscape_planted', 'gen02_2021_natres_chromium_split6_planted', 'gen11_2019_natres_docx_planted_narrative'];
const TEXT_SOURCE = 'seed_xiangshan_hrss_2020.txt';

interface Planted {
  keys: string[];
  kind: string;
  changed?: Record<string, { from: number; to: number }>;
}
const truthOf = (name: string) => JSON.parse(readFileSync(join(CORPUS, `${name}.json`), 'utf8')) as { planted: Planted[] };
/** The cell a planted inconsistency is about: the one changed, or the one its narrative contradicts. */
const plantedKeys = (p: Planted) => (p.changed ? Object.keys(p.changed) : [p.keys[0]]);

const HOSTILE = {
  agency: `<script>window.__pwned='agency'</script>"'&青溪`,
  path: `evil/</style><img src=x onerror="window.__pwned='path'">.pdf`,
  message: `<img src="http://example.invalid/beacon.png" onerror="window.__pwned='message'"> 总计 ≠ 合计`,
};

let records: ReportRecord[] = [];
let byName = new Map<string, ReportRecord>();
let out = '';
const readSource = async (r: ReportRecord) => (existsSync(r.source.path) ? new Uint8Array(await readFile(r.source.path)) : null);

beforeAll(async () => {
  for (const name of PLANTED) {
    const r = await extractFile(join(CORPUS, `${name}.pdf`), { ocr: false });
    byName.set(name, r);
    records.push(r);
  }
  const text = await extractFile(join(CORPUS, TEXT_SOURCE));
  byName.set(TEXT_SOURCE, text);
  records.push(text);
  // A report whose own strings attack the page: a copy of a real record with hostile agency, path and message.
  const base = byName.get(PLANTED[1])!;
  const hostile: ReportRecord = structuredClone(base);
  hostile.meta.agency = HOSTILE.agency;
  hostile.source.path = HOSTILE.path;
  hostile.findings = hostile.findings.map((f) => ({ ...f, message: HOSTILE.message }));
  records.push(hostile);
  out = await mkdtemp(join(tmpdir(), 'xxgk-anomalies-'));
  await writeAnomalyReports(records, out, {
    generated: 'test',
    readSource: async (r) => (r === hostile ? readSource(base) : readSource(r)),
  });
}, 120_000);

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

/** RGB of an image pixel at a page point. */
async function pixelAt(img: FindingImage, x: number, y: number): Promise<[number, number, number]> {
  const im = await loadImage(img.png);
  const c = createCanvas(im.width, im.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(im, 0, 0);
  const px = Math.round(x * img.pxPerPt - img.offset[0]);
  const py = Math.round(y * img.pxPerPt - img.offset[1]);
  const d = ctx.getImageData(px, py, 1, 1).data;
  return [d[0], d[1], d[2]];
}
/** Outlined cells are tinted red or orange: red well above blue. Paper is white, print is grey or black. */
const tinted = ([r, , b]: [number, number, number]) => r - b > 15;
/** A point inside the cell, left of its printed number (numbers are centred in their cells). */
const besideText = (bbox: number[]): [number, number] => [bbox[0] - 1.5, (bbox[1] + bbox[3]) / 2];

describe('anomaly findings from real extraction', () => {
  it.each(PLANTED)('%s: every planted inconsistency is a finding', (name) => {
    const r = byName.get(name)!;
    expect(r.error).toBeUndefined();
    for (const p of truthOf(name).planted) {
      for (const key of plantedKeys(p)) {
        expect(r.findings.some((f) => f.keys.includes(key)), `${name}: no finding names ${key} (${p.kind})`).toBe(true);
      }
    }
  });

  it.each(PLANTED)('%s: each planted cell is outlined in its finding snapshot, and cells outside the finding are not', async (name) => {
    const r = byName.get(name)!;
    const [view] = await buildViews([r], { readSource });
    let controlsSeen = 0;
    for (const p of truthOf(name).planted) {
      for (const key of plantedKeys(p)) {
        const prov = r.provenance[key];
        if (!prov?.bbox) continue; // a narrative-only finding has no cell to outline
        const shown = view.findings.filter((f) => f.finding.keys.includes(key) && f.images.some((i) => i.keys.includes(key)));
        expect(shown.length, `${name}: no snapshot shows ${key}`).toBeGreaterThan(0);
        for (const fv of shown) {
          const img = fv.images.find((i) => i.keys.includes(key))!;
          expect(img.page).toBe(prov.page);
          expect(img.width).toBeGreaterThan(20);
          expect(img.width).toBeLessThanOrEqual(1000);
          expect(img.height).toBeLessThanOrEqual(900);
          expect(tinted(await pixelAt(img, ...besideText(prov.bbox))), `${name}: ${key} not outlined in ${fv.finding.rule}`).toBe(true);
          // Controls: cells on the same page, inside the picture, that the finding does not involve.
          const controls = Object.entries(r.provenance)
            .filter(([k, q]) => q.page === img.page && q.bbox && !fv.finding.keys.includes(k))
            .map(([, q]) => besideText(q.bbox!))
            .filter(([x, y]) => {
              const px = x * img.pxPerPt - img.offset[0], py = y * img.pxPerPt - img.offset[1];
              return px > 2 && py > 2 && px < img.width - 2 && py < img.height - 2;
            })
            .slice(0, 8);
          controlsSeen += controls.length;
          for (const pt of controls) expect(tinted(await pixelAt(img, ...pt)), `${name}: an uninvolved cell is outlined in ${fv.finding.rule}`).toBe(false);
        }
      }
    }
    // Snapshots of a sum over a column reach across the other columns: the outlines must skip them.
    if (truthOf(name).planted.some((p) => p.changed)) expect(controlsSeen).toBeGreaterThan(0);
  });

  it('a text source lists its findings without pictures and says why', async () => {
    const r = byName.get(TEXT_SOURCE)!;
    expect(r.source.kind).toBe('text');
    // Its own findings about cells, or (when it has none) a PDF report's findings pointed at its cells.
    const own = r.findings.filter((f) => f.keys.some((k) => k in r.cells));
    const findings = own.length ? own : byName.get(PLANTED[1])!.findings.map((f) => ({ ...f, keys: f.keys.filter((k) => k in r.cells) })).filter((f) => f.keys.length);
    expect(findings.length).toBeGreaterThan(0);
    const [view] = await buildViews([{ ...r, findings }], { readSource });
    expect(view.findings.every((f) => f.images.length === 0)).toBe(true);
    expect(view.imageNote).toMatch(/纯文本/);
  });

  it('caps the snapshots per report and says so; a missing or broken source costs pictures, not the page', async () => {
    const r = byName.get(PLANTED[0])!;
    expect(r.findings.length).toBeGreaterThan(1);
    const [capped] = await buildViews([r], { readSource, imageFindingsPerReport: 1 });
    expect(capped.findings.filter((f) => f.images.length > 0)).toHaveLength(1);
    expect(capped.imagesCapped).toBeGreaterThan(0);
    const [gone] = await buildViews([r], { readSource: async () => null });
    expect(gone.findings.every((f) => f.images.length === 0)).toBe(true);
    expect(gone.imageNote).toMatch(/不可用/);
    const [broken] = await buildViews([r], { readSource: async () => new TextEncoder().encode('%PDF-1.7\nnot really a pdf') });
    expect(broken.findings).toHaveLength(r.findings.length);
    expect(broken.imageNote).toMatch(/无法渲染/);
  });

  it('anomalies.md lists every report with findings, every finding, and no markup from the reports', async () => {
    const md = await readFile(join(out, 'anomalies.md'), 'utf8');
    for (const name of PLANTED) {
      const r = byName.get(name)!;
      expect(md).toContain(`## ${r.meta.agency}`);
      for (const f of r.findings) expect(md).toContain(f.rule);
    }
    // One entry per finding, except the blank-cell warnings: one per table (and origin) of a report.
    const items = md.split('\n').filter((l) => /^\d+\. \*\*/.test(l));
    const blankTables = (r: ReportRecord) => new Set(r.findings.filter((f) => f.rule === 'cell.blank').map((f) => `${f.keys[0].split('.')[0]}|${f.origin}`)).size;
    expect(items).toHaveLength(records.reduce((n, r) => n + r.findings.filter((f) => f.rule !== 'cell.blank').length + blankTables(r), 0));
    // Report text reaches the Markdown only with its markup escaped.
    expect(md).toContain('\\<script\\>');
    expect(md).not.toMatch(/(?<!\\)<(script|img)/);
    expect(md).toMatch(/\| 机关 \| 报告数 \| 问题数 \|/);
  });
});

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`anomalies.html browser test skipped: ${CHROMIUM} is not installed`);

describe.skipIf(!hasChromium)('anomalies.html in headless Chromium', () => {
  it('shows every finding with its pictures, filters, runs no report script, and fetches nothing', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const requests: string[] = [];
      page.on('request', (req) => requests.push(req.url()));
      const url = pathToFileURL(join(out, 'anomalies.html')).href;
      await page.goto(url, { waitUntil: 'load' });

      const total = records.reduce((n, r) => n + r.findings.length, 0);
      expect(total).toBeGreaterThan(0);
      expect(await page.locator('article.finding').count()).toBe(total);
      expect(await page.textContent('#visible-count')).toBe(String(total));

      // Every finding of a PDF report whose cells have positions shows a decoded picture.
      const imageStats = await page.$$eval('article.finding', (arts) =>
        arts.map((a) => ({ imgs: a.querySelectorAll('img').length, decoded: [...a.querySelectorAll('img')].every((i) => i.complete && i.naturalWidth > 0) })),
      );
      // (at most defaultAnomalyOptions.imageFindingsPerReport of them per report)
      const placed = records
        .filter((r) => r.source.kind === 'pdf')
        .map((r) => Math.min(defaultAnomalyOptions.imageFindingsPerReport, r.findings.filter((f) => f.keys.some((k) => r.provenance[k]?.bbox)).length));
      expect(placed.every((n) => n > 0)).toBe(true);
      expect(imageStats.filter((s) => s.imgs > 0).length).toBe(placed.reduce((a, b) => a + b, 0));
      expect(imageStats.every((s) => s.decoded)).toBe(true);
      const textReport = byName.get(TEXT_SOURCE)!;
      if (textReport.findings.length) {
        const textImgs = await page.locator('section.report', { hasText: TEXT_SOURCE }).locator('img').count();
        expect(textImgs).toBe(0);
      }

      // Filters: by severity, then rule on top, then reset.
      const errors = records.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error').length, 0);
      await page.selectOption('#filter-severity', 'error');
      expect(await page.textContent('#visible-count')).toBe(String(errors));
      expect(await page.locator('article.finding:visible').count()).toBe(errors);
      expect(await page.locator('article.finding:visible:not(.error)').count()).toBe(0);
      const rule = records.flatMap((r) => r.findings).find((f) => f.severity === 'error')!.rule;
      const both = records.reduce((n, r) => n + r.findings.filter((f) => f.severity === 'error' && f.rule === rule).length, 0);
      await page.selectOption('#filter-rule', rule);
      expect(await page.locator('article.finding:visible').count()).toBe(both);
      await page.click('#filter-reset');
      expect(await page.locator('article.finding:visible').count()).toBe(total);
      // Agency filter reached from the summary table, for the agency with the hostile name too.
      await page.locator('#summary button', { hasText: '青溪' }).first().click();
      const agencyName = await page.$eval('#filter-agency', (s) => (s as HTMLSelectElement).value);
      const ofAgency = records.filter((r) => (r.meta.agency ?? '') === agencyName).reduce((n, r) => n + r.findings.length, 0);
      expect(ofAgency).toBeGreaterThan(0);
      expect(await page.locator('article.finding:visible').count()).toBe(ofAgency);

      // Hostile strings are shown as text and never run.
      expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
      const body = (await page.textContent('body')) ?? '';
      expect(body).toContain(HOSTILE.agency);
      expect(body).toContain(HOSTILE.path);
      expect(body).toContain(HOSTILE.message);

      await page.screenshot({ path: join(out, 'page.png') });
      // Nothing but the page itself and its inline images.
      const foreign = requests.filter((u) => u !== url && !u.startsWith('data:'));
      expect(foreign).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
