import { afterAll, describe, expect, it } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { readCell } from '../src/extract/ocr/cells.js';
import { otsu, type Gray } from '../src/extract/ocr/raster.js';
import { terminateOcr } from '../src/extract/ocr/index.js';
import { inkOf } from './helpers/ink.js';

afterAll(() => terminateOcr());

const K = 200 / 72; // px per pt at 200 dpi

/**
 * A cell of 10 pt digits at 200 dpi: `left`, then (if `point`) a decimal point of 3 × 4 px less a corner (as a
 * scan leaves it) `gapPx` from the digits on both sides, then `right`.
 */
function cell(left: string, right: string, point: boolean, gapPx: number): Gray {
  const [w, h] = [Math.round(80 * K), Math.round(18 * K)];
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#000';
  ctx.font = `${Math.round(10 * K)}px serif`;
  const base = Math.round(13 * K);
  let x = Math.round(8 * K);
  ctx.fillText(left, x, base);
  x += Math.ceil(ctx.measureText(left).width) + gapPx;
  if (point) {
    ctx.fillRect(x, base - 4, 3, 4);
    ctx.fillStyle = '#fff';
    ctx.fillRect(x, base - 4, 1, 1); // a corner lost to the scan: 11 px of ink
    ctx.fillStyle = '#000';
    x += 3 + gapPx;
  }
  ctx.fillText(right, x, base);
  return inkOf(ctx, w, h);
}

const read = async (g: Gray) => (await readCell(g, otsu(g), [2, 2, g.width - 2, g.height - 2], K, true))?.text;

describe('a decimal point set apart from its digits', () => {
  it('is read as a point, or the cell is left unreadable: never a number a hundred times larger', async () => {
    // 654.21 with the point well apart from the 4 and the 2 (a proportional font's spacing, or a wide one).
    const text = await read(cell('654', '21', true, 5));
    expect(['654.21', '?']).toContain(text);
  });

  it('does not doubt a number without a point', async () => {
    expect(await read(cell('654', '21', false, 1))).toBe('65421');
  });
});
