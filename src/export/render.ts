import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { PdfDocument } from '../extract/pdf.js';
import type { BBox } from '../extract/types.js';

/**
 * Canvases come from the document's own canvas factory: pdfjs loads @napi-rs/canvas through its own
 * require, and under tsx an import of ours yields a second copy of the module whose contexts reject
 * the first copy's Path2D glyphs (pdfjs fills text with Path2D).
 */
function newCanvas(doc: PdfDocument, width: number, height: number): { canvas: Canvas; ctx: SKRSContext2D } {
  const factory = (doc as unknown as { canvasFactory: { create(w: number, h: number): { canvas: Canvas; context: SKRSContext2D } } }).canvasFactory;
  const { canvas, context } = factory.create(width, height);
  return { canvas, ctx: context };
}

/**
 * Page snapshots for people: a PDF page rendered by pdfjs onto @napi-rs/canvas, boxes drawn over it,
 * a region cropped out and encoded as PNG. Shared by the anomaly report (a finding's cells) and
 * `xxgk debug` (a page's rules, cells and keys). Coordinates in and out are PDF points, top-left origin.
 */

export interface RenderLimits {
  /** Pixels per point of the page render (2 = 144 dpi). */
  scale: number;
  /** The page render's longer side never exceeds this many pixels (huge pages are scaled down). */
  maxPageSide: number;
}
export const defaultRenderLimits: RenderLimits = { scale: 2, maxPageSide: 2400 };

export interface RenderedPage {
  doc: PdfDocument;
  page: number;
  canvas: Canvas;
  ctx: SKRSContext2D;
  /** Pixels per PDF point actually used. */
  scale: number;
  /** Page size in points. */
  width: number;
  height: number;
}

/** Renders one page (1-based) at the given scale, white background, capped in size. */
export async function renderPage(doc: PdfDocument, pageNumber: number, limits: Partial<RenderLimits> = {}): Promise<RenderedPage> {
  const lim = { ...defaultRenderLimits, ...limits };
  const page = await doc.getPage(pageNumber);
  try {
    const base = page.getViewport({ scale: 1 });
    const scale = Math.min(lim.scale, lim.maxPageSide / Math.max(base.width, base.height));
    const viewport = page.getViewport({ scale });
    const { canvas, ctx } = newCanvas(doc, Math.max(1, Math.ceil(viewport.width)), Math.max(1, Math.ceil(viewport.height)));
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    // pdfjs types its context as the DOM's; @napi-rs/canvas implements the same drawing API.
    await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: ctx as unknown as CanvasRenderingContext2D, viewport }).promise;
    return { doc, page: pageNumber, canvas, ctx, scale, width: base.width, height: base.height };
  } finally {
    page.cleanup();
  }
}

export interface Mark {
  bbox: BBox;
  /** CSS colour of the outline. */
  color: string;
  /** Outline width in pixels. */
  lineWidth?: number;
  /** Translucent fill over the box, e.g. 'rgba(255,0,0,0.12)'. */
  fill?: string;
  /** Short text drawn at the box's top-left corner (a number, a key); '\n' breaks lines. */
  tag?: string;
  /** Where the tag's top-left corner goes instead (page points), e.g. beside the digits it labels. */
  tagAt?: [number, number];
  /** Tag font size in pixels of the output image. */
  tagSize?: number;
  /** Dashed outline. */
  dash?: boolean;
  /** Draw the outline just inside the box (cells that share a rule stay distinguishable). */
  inset?: boolean;
}

export interface LineMark {
  from: [number, number];
  to: [number, number];
  color: string;
  lineWidth?: number;
}

export interface CropLimits {
  /** The PNG's width and height never exceed these (the crop is scaled down to fit). */
  maxWidth: number;
  maxHeight: number;
}
export const defaultCropLimits: CropLimits = { maxWidth: 1100, maxHeight: 1100 };

export interface Png {
  png: Buffer;
  width: number;
  height: number;
  /** Where page point (x, y) lies in the image: (x * pxPerPt - offset[0], y * pxPerPt - offset[1]). */
  pxPerPt: number;
  offset: [number, number];
}

/**
 * Cuts a region (page points, clamped to the page; null = the whole page) out of a rendered page,
 * draws the marks over the copy (the page render stays clean for the next crop) and encodes it as PNG.
 */
export function snapshot(r: RenderedPage, region: BBox | null, marks: Mark[] = [], lines: LineMark[] = [], limits: Partial<CropLimits> = {}): Png {
  const lim = { ...defaultCropLimits, ...limits };
  const [rx0, ry0, rx1, ry1] = region ?? [0, 0, r.width, r.height];
  const sx = clamp(Math.floor(rx0 * r.scale), 0, r.canvas.width - 1);
  const sy = clamp(Math.floor(ry0 * r.scale), 0, r.canvas.height - 1);
  const sw = clamp(Math.ceil(rx1 * r.scale), sx + 1, r.canvas.width) - sx;
  const sh = clamp(Math.ceil(ry1 * r.scale), sy + 1, r.canvas.height) - sy;
  const k = Math.min(1, lim.maxWidth / sw, lim.maxHeight / sh);
  const width = Math.max(1, Math.round(sw * k));
  const height = Math.max(1, Math.round(sh * k));
  const { canvas: out, ctx } = newCanvas(r.doc, width, height);
  ctx.drawImage(r.canvas, sx, sy, sw, sh, 0, 0, width, height);
  const f = r.scale * k;
  const px = (x: number) => x * f - sx * k;
  const py = (y: number) => y * f - sy * k;
  drawMarks(ctx, px, py, marks, lines);
  return { png: out.toBuffer('image/png'), width, height, pxPerPt: f, offset: [sx * k, sy * k] };
}

function drawMarks(ctx: SKRSContext2D, px: (x: number) => number, py: (y: number) => number, marks: Mark[], lines: LineMark[]) {
  for (const l of lines) {
    ctx.strokeStyle = l.color;
    ctx.lineWidth = l.lineWidth ?? 1;
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.moveTo(px(l.from[0]), py(l.from[1]));
    ctx.lineTo(px(l.to[0]), py(l.to[1]));
    ctx.stroke();
  }
  for (const m of marks) {
    // Inset by half the line, so that neighbouring cells' outlines sit side by side instead of on one rule.
    const w = m.lineWidth ?? 2;
    const inset = m.inset ? w / 2 + 0.5 : 0;
    const x0 = px(m.bbox[0]) + inset, y0 = py(m.bbox[1]) + inset, x1 = px(m.bbox[2]) - inset, y1 = py(m.bbox[3]) - inset;
    if (m.fill) {
      ctx.fillStyle = m.fill;
      ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    }
    ctx.strokeStyle = m.color;
    ctx.lineWidth = w;
    ctx.setLineDash(m.dash ? [4, 3] : []);
    // A width of 0 is a tag without an outline (canvas would otherwise keep the previous width).
    if (w > 0) ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
  }
  ctx.setLineDash([]);
  // Tags last, so that no outline covers a tag. A tag may have several lines ('\n').
  ctx.textBaseline = 'top';
  for (const m of marks) {
    if (!m.tag) continue;
    const size = m.tagSize ?? 11;
    // Named families first: a PDF's own fonts, registered by pdfjs under generic names, may lack these glyphs.
    ctx.font = `bold ${size}px "DejaVu Sans", Arial, "Liberation Sans", "Noto Sans", sans-serif`;
    const lines = m.tag.split('\n');
    const w = Math.max(...lines.map((l) => ctx.measureText(l).width)) + 4;
    const [ax, ay] = m.tagAt ?? [m.bbox[0], m.bbox[1]];
    const x0 = px(ax), y0 = py(ay);
    ctx.globalAlpha = 0.8;
    ctx.fillStyle = m.color;
    ctx.fillRect(x0, y0, w, lines.length * (size + 1) + 2);
    ctx.globalAlpha = 1;
    ctx.fillStyle = '#fff';
    lines.forEach((l, i) => ctx.fillText(l, x0 + 2, y0 + 1 + i * (size + 1)));
  }
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

/** The smallest box holding all boxes, grown by a margin (points). */
export function unionBox(boxes: BBox[], margin = 0): BBox | null {
  if (!boxes.length) return null;
  return [
    Math.min(...boxes.map((b) => b[0])) - margin,
    Math.min(...boxes.map((b) => b[1])) - margin,
    Math.max(...boxes.map((b) => b[2])) + margin,
    Math.max(...boxes.map((b) => b[3])) + margin,
  ];
}

export const pngDataUri = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
