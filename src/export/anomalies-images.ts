import { findGrids, type GridGeometry } from '../extract/grid.js';
import { asDisplayed, openPdf, readPage, type PdfDocument } from '../extract/pdf.js';
import type { BBox, TextItem } from '../extract/types.js';
import type { Finding, ReportRecord } from '../record/schema.js';
import { renderPage, snapshot, unionBox, type CropLimits, type Mark, type Png, type RenderedPage, type RenderLimits } from './render.js';

/** Snapshots of a report's pages with a finding's cells outlined: one per page the cells lie on. */

export interface ImageLimits {
  render: RenderLimits;
  crop: CropLimits;
  /** Pages shown per finding (a table cut by a page break puts a finding's cells on two). */
  pagesPerFinding: number;
  /** Points of page kept around the cells. */
  margin: number;
  /** The crop grows up to the top of the cells' table (its column headings) when that is at most this far (points). */
  headerReach: number;
  /** A crop is at least this tall (points): one row alone says little, its neighbours place it. */
  minHeight: number;
}
export const defaultImageLimits: ImageLimits = {
  render: { scale: 2, maxPageSide: 2400 },
  crop: { maxWidth: 1000, maxHeight: 900 },
  pagesPerFinding: 2,
  margin: 8,
  headerReach: 120,
  minHeight: 60,
};

export interface FindingImage extends Png {
  page: number;
  /** Keys outlined on this image, in the finding's order. */
  keys: string[];
}

/** The first key of a finding is the cell it checks (a total, a carried-over count); the rest are its terms. */
export const MAIN_COLOR = '#d00000';
export const PART_COLOR = '#f08c00';

/** Lazily renders the pages of one PDF, each once, for all of its findings. */
export class PageSnapshots {
  private pages = new Map<number, Promise<{ render: RenderedPage; items: TextItem[]; grids: GridGeometry[] }>>();
  private constructor(
    private doc: PdfDocument,
    private limits: ImageLimits,
  ) {}

  static async open(bytes: Uint8Array, limits: ImageLimits = defaultImageLimits) {
    return new PageSnapshots(await openPdf(bytes), limits);
  }

  get pageCount() {
    return this.doc.numPages;
  }

  private page(n: number) {
    let p = this.pages.get(n);
    if (!p) {
      p = (async () => {
        const render = await renderPage(this.doc, n, this.limits.render);
        const content = asDisplayed(await readPage(this.doc, n));
        return { render, items: content.items, grids: findGrids(content.segments) };
      })();
      this.pages.set(n, p);
    }
    return p;
  }

  /** Images for one finding; empty when none of its cells has a position on a page. */
  async forFinding(record: ReportRecord, finding: Finding): Promise<FindingImage[]> {
    const byPage = new Map<number, { key: string; bbox: BBox; main: boolean; uncertain: boolean }[]>();
    finding.keys.forEach((key, i) => {
      const p = record.provenance[key];
      if (!p?.page || !p.bbox || p.page > this.doc.numPages) return;
      const list = byPage.get(p.page) ?? [];
      list.push({ key, bbox: p.bbox, main: i === 0, uncertain: p.confidence < 1 });
      byPage.set(p.page, list);
    });
    // The page with the checked cell first, then the pages holding most of the cells.
    const pages = [...byPage].sort((a, b) => Number(b[1].some((c) => c.main)) - Number(a[1].some((c) => c.main)) || b[1].length - a[1].length || a[0] - b[0]);
    const out: FindingImage[] = [];
    for (const [n, cells] of pages.slice(0, this.limits.pagesPerFinding)) {
      const { render, items, grids } = await this.page(n);
      for (const c of cells) c.bbox = cellAround(c.bbox, grids);
      const boxes = cells.map((c) => c.bbox);
      const region = tallEnough(withHeader(withRowLabels(unionBox(boxes, this.limits.margin)!, boxes, items), boxes, grids, this.limits.headerReach), this.limits.minHeight);
      const marks: Mark[] = cells
        // The checked cell last, so that its outline is on top.
        .sort((a, b) => Number(a.main) - Number(b.main))
        .map((c) => ({
          bbox: c.bbox,
          color: c.main ? MAIN_COLOR : PART_COLOR,
          lineWidth: c.main ? 3 : 2,
          fill: c.main ? 'rgba(208,0,0,0.12)' : 'rgba(240,140,0,0.16)',
          dash: c.uncertain,
          inset: true,
        }));
      const png = snapshot(render, region, marks, [], this.limits.crop);
      out.push({ page: n, ...png, keys: cells.map((c) => c.key) });
    }
    return out;
  }

  /** Frees the renders and the document. */
  async close() {
    this.pages.clear();
    await this.doc.destroy();
  }
}

/**
 * Widens a crop leftwards to the row labels of its cells: the text runs left of the crop whose middle
 * lies within one of the cells' rows. A reader sees which row a number belongs to; column headings
 * may sit a page away, so the legend beside the image names every cell instead.
 */
export function withRowLabels(region: BBox, cells: BBox[], items: TextItem[]): BBox {
  let x0 = region[0];
  for (const it of items) {
    if (it.bbox[2] > region[0] + 1) continue;
    const mid = (it.bbox[1] + it.bbox[3]) / 2;
    if (cells.some((c) => mid >= c[1] && mid <= c[3])) x0 = Math.min(x0, it.bbox[0] - 4);
  }
  return [Math.max(0, x0), region[1], region[2], region[3]];
}

export function tallEnough(region: BBox, minHeight: number): BBox {
  const grow = (minHeight - (region[3] - region[1])) / 2;
  return grow > 0 ? [region[0], Math.max(0, region[1] - grow), region[2], region[3] + grow] : region;
}

/** Grows a crop up to the top of the ruled table holding its cells, when that top is near: headings name the columns. */
export function withHeader(region: BBox, cells: BBox[], grids: GridGeometry[], reach: number): BBox {
  const top = Math.min(...cells.map((c) => c[1]));
  const holding = grids.find((g) => cells.some((c) => c[0] >= g.bbox[0] - 1 && c[2] <= g.bbox[2] + 1 && c[1] >= g.bbox[1] - 1 && c[3] <= g.bbox[3] + 1));
  if (!holding || top - holding.bbox[1] > reach) return region;
  return [region[0], Math.min(region[1], holding.bbox[1] - 1.5), region[2], region[3]];
}

/** Provenance gives the printed number's box; the outline goes round the ruled cell that holds it, if any. */
export function cellAround(text: BBox, grids: GridGeometry[]): BBox {
  const x = (text[0] + text[2]) / 2;
  const y = (text[1] + text[3]) / 2;
  const inside = (b: BBox) => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
  for (const g of grids) {
    if (!inside(g.bbox)) continue;
    const cell = g.cells.find((c) => inside(c.bbox));
    if (cell) return cell.bbox;
  }
  return text;
}
