/** Grayscale page images: rendering, thresholds, rotation, crops. Pixels are 0 (black) .. 255 (white). */
import type { PdfDocument } from '../pdf.js';

export interface Gray {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A binary image: 1 = ink. */
export interface Bin {
  width: number;
  height: number;
  data: Uint8Array;
}

interface CanvasAndContext {
  canvas: { width: number; height: number };
  context: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}
interface CanvasFactory {
  create(w: number, h: number): CanvasAndContext;
  destroy(c: CanvasAndContext): void;
}

/**
 * Renders a page at `dpi` into a grayscale image. Uses the canvas factory pdfjs built for the document:
 * importing @napi-rs/canvas a second time beside it crashes the process on Node 20.
 */
export async function renderPage(doc: PdfDocument, pageNumber: number, dpi: number): Promise<{ image: Gray; width: number; height: number }> {
  const page = await doc.getPage(pageNumber);
  const factory = (doc as unknown as { canvasFactory: CanvasFactory }).canvasFactory;
  const cc = factory.create(1, 1);
  try {
    const base = page.getViewport({ scale: 1 });
    const vp = page.getViewport({ scale: dpi / 72 });
    const w = Math.ceil(vp.width);
    const h = Math.ceil(vp.height);
    cc.canvas.width = w;
    cc.canvas.height = h;
    await page.render({ canvas: null, canvasContext: cc.context as never, viewport: vp, background: 'white' }).promise;
    return { image: grayOf(cc.context.getImageData(0, 0, w, h).data, w, h), width: base.width, height: base.height };
  } finally {
    factory.destroy(cc);
    page.cleanup();
  }
}

/** A rendered canvas's RGBA pixels in grey: integer luma (BT.601); transparent pixels are paper. */
export function grayOf(rgba: Uint8ClampedArray, width: number, height: number): Gray {
  const data = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < data.length; i++, j += 4) {
    const a = rgba[j + 3];
    const l = (rgba[j] * 77 + rgba[j + 1] * 150 + rgba[j + 2] * 29) >> 8;
    data[i] = a === 255 ? l : 255 - ((a * (255 - l)) >> 8);
  }
  return { width, height, data };
}

/** Otsu's threshold over a histogram of the image (or of a region). */
export function otsu(img: Gray, x0 = 0, y0 = 0, x1 = img.width, y1 = img.height): number {
  const hist = new Float64Array(256);
  for (let y = y0; y < y1; y++) {
    const row = y * img.width;
    for (let x = x0; x < x1; x++) hist[img.data[row + x]]++;
  }
  return otsuHist(hist);
}

export function otsuHist(hist: Float64Array): number {
  let total = 0;
  let sum = 0;
  for (let i = 0; i < 256; i++) {
    total += hist[i];
    sum += i * hist[i];
  }
  let wB = 0;
  let sumB = 0;
  let best = 0;
  let thr = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t];
    if (!wB) continue;
    const wF = total - wB;
    if (!wF) break;
    sumB += t * hist[t];
    const mB = sumB / wB;
    const mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) * (mB - mF);
    if (between > best) {
      best = between;
      thr = t;
    }
  }
  return thr;
}

/**
 * Grey paper (recycled stock, a scanner's exposure) made white. A cell cut out of grey paper and padded with
 * white shows tesseract a grey box, which it reads as 1 or 4; rules and specks are found against the paper
 * too. The paper's level is where its peak in the histogram falls to a quarter on the dark side, so most of
 * the paper's grain turns white with it; darker pixels are stretched in proportion, and ink keeps its contrast.
 * A page whose paper is already white (its peak at 250 or above) is returned as it is.
 */
export function whitenPaper(img: Gray): Gray {
  const hist = new Float64Array(256);
  for (let i = 0; i < img.data.length; i += 3) hist[img.data[i]]++;
  const thr = otsuHist(hist);
  let peak = 255;
  for (let v = 255; v > thr; v--) if (hist[v] > hist[peak]) peak = v;
  if (peak >= 250) return img;
  let paper = peak;
  while (paper > thr + 1 && hist[paper - 1] > hist[peak] / 4) paper--;
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = v >= paper ? 255 : Math.round((v * 255) / paper);
  const data = new Uint8Array(img.data.length);
  for (let i = 0; i < data.length; i++) data[i] = lut[img.data[i]];
  return { width: img.width, height: img.height, data };
}

/** Pixels at or below `threshold` become ink. */
export function binarize(img: Gray, threshold: number): Bin {
  const data = new Uint8Array(img.width * img.height);
  for (let i = 0; i < data.length; i++) data[i] = img.data[i] <= threshold ? 1 : 0;
  return { width: img.width, height: img.height, data };
}

/** Rotates about the centre by `deg` (counter-clockwise on screen for positive values), bilinear, white fill. */
export function rotate(img: Gray, deg: number): Gray {
  if (!deg) return img;
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  const a = (deg * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    // Source of destination (x, y): rotate back by -deg.
    let sx = cx + (0 - cx) * cos - dy * sin;
    let sy = cy + (0 - cx) * sin + dy * cos;
    for (let x = 0; x < w; x++, sx += cos, sy += sin) {
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= w - 1 || y0 >= h - 1) {
        out[y * w + x] = 255;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      const top = data[i] + (data[i + 1] - data[i]) * fx;
      const bot = data[i + w] + (data[i + w + 1] - data[i + w]) * fx;
      out[y * w + x] = top + (bot - top) * fy + 0.5;
    }
  }
  return { width: w, height: h, data: out };
}

export function crop(img: Gray, x0: number, y0: number, x1: number, y1: number): Gray {
  x0 = Math.max(0, Math.floor(x0));
  y0 = Math.max(0, Math.floor(y0));
  x1 = Math.min(img.width, Math.ceil(x1));
  y1 = Math.min(img.height, Math.ceil(y1));
  const w = Math.max(0, x1 - x0);
  const h = Math.max(0, y1 - y0);
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) data.set(img.data.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + w), y * w);
  return { width: w, height: h, data };
}

/** Bilinear resize by a factor. */
export function scale(img: Gray, f: number): Gray {
  if (f === 1) return img;
  const w = Math.max(1, Math.round(img.width * f));
  const h = Math.max(1, Math.round(img.height * f));
  const out = new Uint8Array(w * h);
  const sw = img.width;
  const sh = img.height;
  for (let y = 0; y < h; y++) {
    const sy = Math.min(sh - 1, Math.max(0, (y + 0.5) / f - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < w; x++) {
      const sx = Math.min(sw - 1, Math.max(0, (x + 0.5) / f - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(sw - 1, x0 + 1);
      const fx = sx - x0;
      const d = img.data;
      const top = d[y0 * sw + x0] + (d[y0 * sw + x1] - d[y0 * sw + x0]) * fx;
      const bot = d[y1 * sw + x0] + (d[y1 * sw + x1] - d[y1 * sw + x0]) * fx;
      out[y * w + x] = top + (bot - top) * fy + 0.5;
    }
  }
  return { width: w, height: h, data: out };
}

/** Adds a white margin: tesseract reads glyphs that touch the image edge poorly. */
export function pad(img: Gray, m: number): Gray {
  const w = img.width + 2 * m;
  const h = img.height + 2 * m;
  const data = new Uint8Array(w * h).fill(255);
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width, (y + 1) * img.width), (y + m) * w + m);
  return { width: w, height: h, data };
}

/** Binary PGM (P5): leptonica inside tesseract reads it without any decoding cost on our side. */
export function toPgm(img: Gray): Buffer {
  const head = Buffer.from(`P5\n${img.width} ${img.height}\n255\n`, 'latin1');
  return Buffer.concat([head, Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length)]);
}
