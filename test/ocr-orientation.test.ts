import { describe, expect, it } from 'vitest';
import { sideways, turnQuarter } from '../src/extract/ocr/orientation.js';
import { unturnBox } from '../src/extract/pdf.js';
import { binarize, type Gray } from '../src/extract/ocr/raster.js';

/** A page of text lines: dark bars of "characters" across, blank leading between the lines. */
function linesPage(): Gray {
  const w = 400;
  const h = 600;
  const data = new Uint8Array(w * h).fill(255);
  for (let line = 0; line < 12; line++) {
    const y0 = 40 + line * 40;
    for (let ch = 0; ch < 20; ch++) {
      const x0 = 30 + ch * 17;
      for (let y = y0; y < y0 + 16; y++) for (let x = x0; x < x0 + 14; x++) data[y * w + x] = (x + y) % 3 ? 0 : 255;
    }
  }
  return { width: w, height: h, data };
}

describe('pages scanned sideways', () => {
  it('tells text across the page from text down it, and a blank page from neither', () => {
    const ink = (g: Gray) => binarize(g, 128);
    const page = linesPage();
    expect(sideways(ink(page))).toBe(false);
    expect(sideways(ink(turnQuarter(page, 90)))).toBe(true);
    expect(sideways(ink(turnQuarter(page, -90)))).toBe(true);
    expect(sideways(ink({ width: 100, height: 100, data: new Uint8Array(100 * 100).fill(255) }))).toBeNull();
  });

  it('turns a quarter each way and back', () => {
    const img: Gray = { width: 3, height: 2, data: Uint8Array.from([1, 2, 3, 4, 5, 6]) };
    // 1 2 3      clockwise: 4 1     counter-clockwise: 3 6
    // 4 5 6                 5 2                        2 5
    //                       6 3                        1 4
    expect(turnQuarter(img, 90)).toEqual({ width: 2, height: 3, data: Uint8Array.from([4, 1, 5, 2, 6, 3]) });
    expect(turnQuarter(img, -90)).toEqual({ width: 2, height: 3, data: Uint8Array.from([3, 6, 2, 5, 1, 4]) });
    expect(turnQuarter(turnQuarter(img, 90), -90)).toEqual(img);
  });

  it('puts a box found on the turned page back where it is on the page', () => {
    // A page of 30 × 20 (1 pt a pixel) with one dark pixel; turned, the pixel is found and its box turned back.
    const w = 30;
    const h = 20;
    for (const [x, y] of [[3, 5], [27, 1], [0, 19]]) {
      const data = new Uint8Array(w * h).fill(255);
      data[y * w + x] = 0;
      for (const turn of [90, -90] as const) {
        const t = turnQuarter({ width: w, height: h, data }, turn);
        const at = t.data.indexOf(0);
        const [tx, ty] = [at % t.width, Math.floor(at / t.width)];
        expect(unturnBox([tx, ty, tx + 1, ty + 1], { turn, width: w, height: h })).toEqual([x, y, x + 1, y + 1]);
      }
    }
  });
});
