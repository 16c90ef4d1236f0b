import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractFile } from '../src/pipeline/index.js';
import type { ReportRecord } from '../src/record/schema.js';
import { CORPUS } from './helpers/corpus.js';
import { CHROMIUM, printArgs, profileIn } from './helpers/print.js';

/**
 * Layouts no sample shows: the two corpus HTML reports, edited in the page (a script run
 * before printing) and printed by a real Chromium. Expected cells are the truth file's,
 * changed only where the edit changes what is printed.
 */
const BASES = {
  gen08: 'gen08_2019_gov_office_chromium_separate_page',
  gen09: 'gen09_2021_city_gov_chromium_big_page',
} as const;

type Cells = Record<string, number | null>;
interface Variant {
  name: string;
  base: keyof typeof BASES;
  /** Runs in the page before it is printed. */
  script: string;
  /** Every cell exact (default), or only: what is read is right and at least this share is read. */
  partial?: number;
}

const T3 = `document.querySelector('table.t3')`;
const T4 = `document.querySelector('table.t4')`;
const eachNum = (fn: string) => `for (const td of document.querySelectorAll('td.num')) td.textContent = (${fn})(td.textContent.trim());`;

const VARIANTS: Variant[] = [
  {
    // Outer frame hidden: the outer columns (labels, totals) have no rule on their outer side.
    name: 'no outer frame',
    base: 'gen08',
    script: `for (const t of document.querySelectorAll('table.tb')) t.style.borderStyle = 'hidden';`,
  },
  {
    // Section 四's header ends one page, its row of numbers starts the next.
    name: 'section 四 header and numbers on different pages',
    base: 'gen09',
    script: `{ const rows = [...${T4}.rows]; for (const r of rows) r.classList.remove('hdr');
      rows.find((r) => r.querySelector('td.num')).style.breakBefore = 'page'; }`,
  },
  {
    // Section 四 cut after its first header row (行政复议 | 行政诉讼).
    name: 'section 四 cut inside its header',
    base: 'gen09',
    script: `${T4}.rows[1].style.breakBefore = 'page';`,
  },
  {
    // Section 四's row of results taller than a page: the break cuts its header cells in two (结果|维持), the numbers
    // follow on the next page; a browser draws no rule at the cut.
    name: 'section 四 header cells cut by a page break',
    base: 'gen09',
    script: `{ const r = ${T4}.rows[2]; r.className = ''; for (const td of r.cells) td.style.lineHeight = '120mm'; }`,
  },
  {
    // A row of section 三 cut by a page break inside its label (one character a line), its group labels' cells too.
    name: 'section 三 row cut inside its label',
    base: 'gen09',
    script: `{ const r = [...${T3}.rows].find((r) => r.textContent.includes('逾期未按收费')); r.className = '';
      r.cells[0].innerHTML = [...r.cells[0].textContent].join('<br>'); }`,
  },
  {
    // The group label and its first sub-row's label in one cell; section 三's header alone on its page.
    name: 'group label inline, section 三 header on its own page',
    base: 'gen08',
    script: `
      for (const g of [...${T3}.querySelectorAll('td.label[rowspan]')]) {
        const n = +g.getAttribute('rowspan'); let r = g.parentElement; const first = g.nextElementSibling;
        first.textContent = g.textContent + ' ' + first.textContent; g.remove();
        for (let i = 0; i < n; i++, r = r.nextElementSibling) r.querySelector('td.label').setAttribute('colspan', '2');
      }
      { const rows = [...${T3}.rows]; rows.find((r) => !r.classList.contains('hdr')).style.breakBefore = 'page'; }`,
  },
  {
    // Spaced-out and broken header labels, thousands separators, 三、本年度办理结果 horizontal.
    name: 'spaced headers, thousands separators, horizontal group column',
    base: 'gen09',
    script: `
      for (const td of document.querySelectorAll('td.head')) { const t = td.textContent;
        if (t.length <= 4) td.textContent = [...t].join(' '); else if (t.length <= 8) td.innerHTML = t.slice(0, 2) + '<br>' + t.slice(2); }
      ${eachNum("(t) => /^\\d+(\\.\\d+)?$/.test(t) ? Number(t).toLocaleString('en-US', { maximumFractionDigits: 4 }) : t")}
      for (const d of document.querySelectorAll('div.vt')) d.style.writingMode = 'horizontal-tb';`,
  },
  {
    // Full-width digits, "/" in blank cells, a notes column and a notes row that match nothing.
    name: 'full-width digits, slashes in blanks, notes column and row',
    base: 'gen08',
    script: `
      ${eachNum("(t) => t === '' ? '/' : t.replace(/[0-9.]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))")}
      { const t = ${T3}; t.querySelector('colgroup').insertAdjacentHTML('beforeend', '<col style="width:14mm">'); t.style.width = '170mm';
        const rows = [...t.rows]; rows[0].insertAdjacentHTML('beforeend', '<td class="head" rowspan="3">备注</td>');
        for (const r of rows.slice(3)) r.insertAdjacentHTML('beforeend', r.rowIndex % 5 === 0 ? '<td>含2件</td>' : '<td></td>');
        t.insertAdjacentHTML('beforeend', '<tr><td colspan="11">备注：本表统计时限为1月1日至12月31日，共12个月。</td></tr>'); }`,
  },
  {
    // Section 二 as one table instead of separate ones; section 三 cut between two rows of a group.
    name: 'section 二 as one table, section 三 cut inside a group',
    base: 'gen08',
    script: `
      { const tables = [...document.querySelectorAll('table.t2')];
        for (const tb of tables.slice(1)) { for (const tr of [...tb.rows]) tables[0].appendChild(tr); tb.remove(); } }
      { const rows = [...${T3}.rows]; rows[rows.findIndex((r) => /2\\.其他法律/.test(r.textContent)) + 1].style.breakBefore = 'page'; }`,
  },
  {
    // Only horizontal rules: read from the text layout; what cannot be placed surely is left out, never guessed.
    name: 'horizontal rules only',
    base: 'gen09',
    script: `for (const td of document.querySelectorAll('table.tb td')) { td.style.borderLeft = 'none'; td.style.borderRight = 'none'; }`,
    partial: 0.95,
  },
  {
    // Only horizontal rules, and rows of blank cells (gen08 leaves zeros blank): the rules bound those rows.
    name: 'horizontal rules only, blank rows',
    base: 'gen08',
    script: `for (const td of document.querySelectorAll('table.tb td')) { td.style.borderLeft = 'none'; td.style.borderRight = 'none'; }`,
    partial: 0.9,
  },
];

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'xxgk-variants-'));
const records = new Map<string, ReportRecord>();

async function printVariant(v: Variant, i: number): Promise<string> {
  const html = readFileSync(join(CORPUS, `${BASES[v.base]}.html`), 'utf8').replace('</body>', `<script>${v.script}</script></body>`);
  const src = join(dir, `v${i}.html`);
  const pdf = join(dir, `v${i}.pdf`);
  writeFileSync(src, html);
  await run(CHROMIUM, printArgs(src, pdf, profileIn(dir, String(i))), { timeout: 60_000 });
  return pdf;
}

const truthOf = (v: Variant): Cells => JSON.parse(readFileSync(join(CORPUS, `${BASES[v.base]}_html.json`), 'utf8')).cells;

describe.skipIf(!existsSync(CHROMIUM))('report layouts no sample shows (printed by Chromium)', () => {
  beforeAll(async () => {
    // Two prints at a time: the machine has two cores.
    const queue = VARIANTS.map((v, i) => [v, i] as const);
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [v, i] = next;
        records.set(v.name, await extractFile(await printVariant(v, i)));
      }
    };
    await Promise.all([worker(), worker()]);
  }, 120_000);

  for (const v of VARIANTS) {
    it(`${v.base}: ${v.name}`, () => {
      const record = records.get(v.name)!;
      expect(record.error).toBeUndefined();
      const truth = truthOf(v);
      if (!v.partial) {
        expect(Object.keys(record.cells).sort()).toEqual(Object.keys(truth).sort());
        for (const [key, value] of Object.entries(truth)) expect([key, record.cells[key]]).toEqual([key, value]);
        return;
      }
      // A wrong number is worse than a missing one.
      for (const [key, value] of Object.entries(record.cells)) expect([key, value]).toEqual([key, truth[key]]);
      const read = Object.keys(truth).filter((k) => k in record.cells).length;
      expect(read / Object.keys(truth).length).toBeGreaterThanOrEqual(v.partial);
    });
  }
});

if (!existsSync(CHROMIUM)) console.warn(`variants.test.ts skipped: ${CHROMIUM} is not installed`);
