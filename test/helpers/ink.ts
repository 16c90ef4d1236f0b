import type { Gray } from '../../src/extract/ocr/raster.js';

/** A drawn canvas's pixels as a black-and-white image (ink under half grey), as a clean scan's cell. */
export function inkOf(ctx: { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } }, w: number, h: number): Gray {
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const data = new Uint8Array(w * h);
  for (let i = 0; i < data.length; i++) data[i] = rgba[4 * i] < 128 ? 0 : 255;
  return { width: w, height: h, data };
}
