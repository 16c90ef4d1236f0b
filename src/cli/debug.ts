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
    const { marks, lines, keys } = debugMarks(content, grids, rec);
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

/** The drawing: segments as lines, grid cells as thin boxes, keyed cells as red boxes tagged with their key. */
export function debugMarks(content: PageContent, grids: GridGeometry[], record: ReportRecord): { marks: Mark[]; lines: LineMark[]; keys: number } {
  const lines: LineMark[] = content.segments.map((s) => ({
    from: s.orient === 'h' ? [s.from, s.at] : [s.at, s.from],
    to: s.orient === 'h' ? [s.to, s.at] : [s.at, s.to],
    color: SEGMENT_COLOR,
    lineWidth: 2,
  }));
  const marks: Mark[] = grids.flatMap((g) => g.cells.map((c) => ({ bbox: c.bbox, color: CELL_COLOR, lineWidth: 1, inset: true })));
  let keys = 0;
  for (const [key, p] of Object.entries(record.provenance)) {
    if (p.page !== content.page || !p.bbox) continue;
    keys++;
    // The key's table prefix is implied by the table; row and column go on two lines to fit a cell.
    const [, ...rest] = key.split('.');
    const tag = `${rest.slice(0, -1).join('.')}\n${rest[rest.length - 1]}`;
    marks.push({ bbox: cellAround(p.bbox, grids), color: KEY_COLOR, lineWidth: 2, inset: true, tag, tagSize: 10, dash: p.confidence < 1 });
  }
  return { marks, lines, keys };
}

export function registerDebug(program: Command) {
  program
    .command('debug')
    .description('draw one PDF page with the detected rules, cells and canonical keys (PNG)')
    .argument('<file>', 'a PDF report')
    .requiredOption('-p, --page <n>', 'page number (1-based)', (v) => Number.parseInt(v, 10))
    .option('-o, --out <png>', 'output image', 'debug.png')
    .option('--no-ocr', 'do not OCR image-only pages (faster; scans then show no keys)')
    .option('--scale <k>', 'pixels per point', (v) => Number.parseFloat(v), 3)
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
