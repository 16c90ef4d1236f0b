import { describe, expect, it } from 'vitest';
import { sideways, turnQuarter } from '../src/extract/ocr/orientation.js';
import type { Gray } from '../src/extract/ocr/raster.js';

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
    const page = linesPage();
    expect(sideways(page)).toBe(false);
    expect(sideways(turnQuarter(page, 90))).toBe(true);
    expect(sideways(turnQuarter(page, -90))).toBe(true);
    expect(sideways({ width: 100, height: 100, data: new Uint8Array(100 * 100).fill(255) })).toBeNull();
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
});
