import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { findGrids, type GridGeometry } from '../extract/grid.js';
import { extractBytes, kindOf } from '../pipeline/index.js';
import { asDisplayed, openPdf, readPage } from '../extract/pdf.js';
import { releaseOcr } from '../extract/pdf-reading.js';
import type { PageContent } from '../extract/types.js';
import { cellAround } from '../export/anomalies-images.js';
import { renderPage, snapshot, type LineMark, type Mark } from '../export/render.js';
import type { ReportRecord } from '../record/schema.js';
import type { BBox } from '../extract/types.js';
import { positiveNumber, positiveWhole, withExamples } from './options.js';

/**
 * `xxgk debug FILE --page N`: the page as a PNG with what the reader saw drawn over it (after
 * pdfplumber's debug_tablefinder): ruling segments in blue, the grid's cells in green, and every
 * cell that landed on a canonical key outlined in red with its key. A wrong number is traced by
 * looking at which step lost it: no rule, no cell, or no key.
 */

export interface DebugOptions {
  page: number;
  out: string;
  ocr: boolean;
  /** Pixels per point; keys are written inside cells, so the default is larger than the report's snapshots. */
  scale: number;
}

export interface DebugSummary {
  page: number;
  pages: number;
  segments: number;
  grids: number;
  cells: number;
  keys: number;
  width: number;
  height: number;
}

export const SEGMENT_COLOR = '#1c6dd0';
export const CELL_COLOR = '#1a9e3f';
export const KEY_COLOR = '#d00000';

export class DebugError extends Error {}

/** Renders the debug picture of one page of a PDF; the record supplies the keys (extract it once, pass it in, or let this do it). */
export async function debugPage(file: string, bytes: Uint8Array, opts: DebugOptions, record?: ReportRecord): Promise<{ png: Buffer; summary: DebugSummary }> {
  if (kindOf(file, bytes) !== 'pdf') throw new DebugError(`${file}: debug draws PDF pages; this file is ${kindOf(file, bytes)}`);
  let doc;
  try {
    doc = await openPdf(bytes);
  } catch (err) {
    throw new DebugError(`${file}: ${(err as Error).message}`);
  }
  try {
    if (!Number.isInteger(opts.page) || opts.page < 1 || opts.page > doc.numPages) {
      throw new DebugError(`${file}: no page ${opts.page} (the document has ${doc.numPages})`);
    }
    // Drawn over the page as displayed, where the provenance boxes are.
    const content = asDisplayed(await readPage(doc, opts.page));
    const grids = findGrids(content.segments);
    const rec = record ?? (await extractBytes(file, bytes, { ocr: opts.ocr }));
    const { marks, lines, keys } = debugMarks(content, grids, rec, opts.scale);
    const render = await renderPage(doc, opts.page, { scale: opts.scale, maxPageSide: 4000 });
    const png = snapshot(render, null, marks, lines, { maxWidth: 4000, maxHeight: 4000 });
    return {
      png: png.png,
      summary: {
        page: opts.page,
        pages: doc.numPages,
        segments: content.segments.length,
        grids: grids.length,
        cells: grids.reduce((n, g) => n + g.cells.length, 0),
        keys,
        width: png.width,
        height: png.height,
      },
    };
  } finally {
    await doc.destroy();
  }
}

export const VALUE_COLOR = '#6a1b9a';

/** How the tags are sized and kept off the digits they label. */
export const debugTagSettings = {
  /** Tag fonts tried, largest first, in pixels of the output image: a smaller one where a larger one finds no room. */
  fontPx: [10, 8, 7, 6],
  /** Width of one character of the bold tag font, as a share of its size (digits and Latin letters; a bound). */
  charWidth: 0.75,
  /** Gap between a tag and the digits or box beside it, in points. */
  gapPt: 1,
  /** Covering a digit costs this many times more than covering another tag. */
  digitWeight: 100,
  /** Share of a text box's height, at its top and at its bottom, that holds no ink (ascent and descent room). */
  inkMargin: 0.08,
};

/**
 * The drawing: segments as lines, grid cells as thin boxes, keyed cells as red boxes tagged with their key, and
 * on a cell read by OCR the value read, in its own tag. Tags go where they cover neither the printed digits
 * nor each other (inside the cell when there is room, else beside it), so the digits stay readable under them.
 */
export function debugMarks(content: PageContent, grids: GridGeometry[], record: ReportRecord, scale = 3): { marks: Mark[]; lines: LineMark[]; keys: number } {
  const lines: LineMark[] = content.segments.map((s) => ({
    from: s.orient === 'h' ? [s.from, s.at] : [s.at, s.from],
    to: s.orient === 'h' ? [s.to, s.at] : [s.at, s.to],
    color: SEGMENT_COLOR,
    lineWidth: 2,
  }));
  const marks: Mark[] = grids.flatMap((g) => g.cells.map((c) => ({ bbox: c.bbox, color: CELL_COLOR, lineWidth: 1, inset: true })));
  const tags: Mark[] = [];
  const keyed = Object.entries(record.provenance).filter(([, p]) => p.page === content.page && p.bbox);
  // Every printed number of the page is kept clear, not only those placed so far.
  const digits: BBox[] = keyed.map(([, p]) => p.bbox!);
  const placed: BBox[] = [];
  for (const [key, p] of keyed) {
    const cell = cellAround(p.bbox!, grids);
    const inGrid = cell !== p.bbox;
    // Outside the digits when there is no grid cell to outline (a scan without rules), so they stay readable.
    const outline: BBox = inGrid ? cell : grow(cell, debugTagSettings.gapPt * 2);
    marks.push({ bbox: outline, color: KEY_COLOR, lineWidth: 2, inset: inGrid, dash: p.confidence < 1 });
    // The key's table prefix is implied by the table; row and column on two lines, or, where a cell has no room
    // for that, the row's last part and the column on one line.
    const parts = key.split('.').slice(1);
    const column = parts.pop()!;
    const variants = [`${parts.join('.')}\n${column}`, `${parts[parts.length - 1] ?? ''}·${column}`];
    tags.push({ bbox: p.bbox!, color: KEY_COLOR, lineWidth: 0, ...placeTag(variants, scale, outline, inGrid, digits, placed) });
    if (p.via === 'ocr') {
      const value = `=${record.cells[key] ?? '空'}`;
      tags.push({ bbox: p.bbox!, color: VALUE_COLOR, lineWidth: 0, ...placeTag([value], scale, outline, inGrid, digits, placed) });
    }
  }
  // Tags after every outline, so that no later cell's outline is drawn across them.
  return { marks: [...marks, ...tags], lines, keys: keyed.length };
}

const grow = ([a, b, c, d]: BBox, by: number): BBox => [a - by, b - by, c + by, d + by];

/** A tag's width and height in page points, as render.ts draws it (4 px of padding across, 1 px a line down). */
function tagBox(tag: string, size: number, scale: number): [number, number] {
  const rows = tag.split('\n');
  const w = Math.max(...rows.map((r) => [...r].length)) * size * debugTagSettings.charWidth + 4;
  return [w / scale, (rows.length * (size + 1) + 2) / scale];
}

/**
 * Which form of a tag, where and how large, for a cell: in the cell's corners or its bands left and right of the middle, then
 * just beside the cell, at the largest font that covers no digit and no tag already placed; failing that, the
 * place and font that cover the fewest digits. The chosen box joins `placed`.
 */
function placeTag(variants: string[], scale: number, cell: BBox, inGrid: boolean, digits: BBox[], placed: BBox[]): { tag: string; tagAt: [number, number]; tagSize: number } {
  const { gapPt: g, digitWeight } = debugTagSettings;
  const [x0, y0, x1, y1] = cell;
  const overlap = (a: BBox, b: BBox) => Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  // A text box runs from the font's ascent to its descent; the digits' ink is its middle.
  const ink = digits.map(([a, b, c, d]): BBox => [a, b + (d - b) * debugTagSettings.inkMargin, c, d - (d - b) * debugTagSettings.inkMargin]);
  const cost = (box: BBox) => ink.reduce((n, d) => n + digitWeight * overlap(box, d), 0) + placed.reduce((n, t) => n + overlap(box, t), 0);
  let best: { tag: string; box: BBox; size: number; cost: number } | undefined;
  // Inside the cell in any form and font size first; beside it (over a neighbour) only when the cell has no room.
  for (const inside of [true, false]) {
    // Beside a grid cell the smallest font first, as it covers less of the neighbour; beside bare digits (a scan
    // without rules) there is room.
    const sizes = inside || !inGrid ? debugTagSettings.fontPx : [...debugTagSettings.fontPx].reverse();
    for (const tag of variants) for (const size of sizes) {
      const [w, h] = tagBox(tag, size, scale);
      if (inside && (w + 2 * g > x1 - x0 || h + 2 * g > y1 - y0)) continue;
      const midY = (y0 + y1 - h) / 2;
      const spots: [number, number][] = inside
        ? [[x0 + g, y0 + g], [x1 - w - g, y0 + g], [x0 + g, y1 - h - g], [x1 - w - g, y1 - h - g], [x0 + g, midY], [x1 - w - g, midY]]
        : [[x1 + g, y0], [x0 - w - g, y0], [x0, y0 - h - g], [x0, y1 + g]];
      for (const [x, y] of spots) {
        const box: BBox = [x, y, x + w, y + h];
        const c = cost(box);
        if (!best || c < best.cost) best = { tag, box, size, cost: c };
        if (c === 0) return take(best);
      }
    }
  }
  return take(best!);

  function take(chosen: { tag: string; box: BBox; size: number }) {
    placed.push(chosen.box);
    return { tag: chosen.tag, tagAt: [chosen.box[0], chosen.box[1]] as [number, number], tagSize: chosen.size };
  }
}

export function registerDebug(program: Command) {
  withExamples(program.command('debug'), [
    ['xxgk debug report.pdf --page 3 -o p3.png', 'why a number came out wrong / 查看某个数字为何读错'],
  ])
    .description('Draw one PDF page with the detected rules, cells and canonical keys (PNG)\n把 PDF 的一页连同识别出的表格线、单元格和规范键画成 PNG')
    .argument('<file>', 'a PDF report / PDF 报告')
    .requiredOption('-p, --page <n>', 'page number (1-based) / 页码（从 1 起）', positiveWhole)
    .option('-o, --out <png>', 'output image / 输出图片', 'debug.png')
    .option('--no-ocr', 'do not OCR image-only pages (faster; scans then show no keys) / 不做 OCR（更快，扫描页则无键）')
    .option('--scale <k>', 'pixels per point / 每点像素数', positiveNumber, 3)
    .action(async (file: string, o: { page: number; out: string; ocr: boolean; scale: number }) => {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(file));
      } catch (err) {
        console.error(`xxgk debug: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        process.exitCode = 1;
        return;
      }
      try {
        const { png, summary: s } = await debugPage(file, bytes, { page: o.page, out: o.out, ocr: o.ocr, scale: o.scale });
        await writeFile(o.out, png);
        console.log(
          `${file} page ${s.page}/${s.pages}: ${s.segments} rule segments (blue), ${s.grids} tables with ${s.cells} cells (green), ${s.keys} keyed cells (red) → ${o.out} (${s.width}×${s.height})`,
        );
      } catch (err) {
        console.error(`xxgk debug: ${err instanceof DebugError ? err.message : `${file}: ${(err as Error).message}`}`);
        process.exitCode = 1;
      } finally {
        // The keys of a scanned page come from OCR, whose engines would otherwise keep the process alive.
        await releaseOcr();
      }
    });
}
