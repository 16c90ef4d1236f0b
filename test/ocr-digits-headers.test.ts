import { afterAll, describe, expect, it } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { dropEdgeSlivers, readCell } from '../src/extract/ocr/cells.js';
import { closeCorners, linePieces } from '../src/extract/ocr/page.js';
import { otsu, type Gray } from '../src/extract/ocr/raster.js';
import { terminateOcr } from '../src/extract/ocr/index.js';
import { inkOf } from './helpers/ink.js';

afterAll(() => terminateOcr());

const K = 200 / 72; // px per pt at 200 dpi

/** A cell of `w` × `h` pt at 200 dpi, its lines of text (10 pt) stacked from the top, each centred. */
function cell(wPt: number, hPt: number, lines: string[], font = 'serif'): Gray {
  const [w, h] = [Math.round(wPt * K), Math.round(hPt * K)];
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.fillStyle = '#000';
  ctx.font = `${Math.round(10 * K)}px ${font}`;
  lines.forEach((t, i) => ctx.fillText(t, Math.round((w - ctx.measureText(t).width) / 2), Math.round((4 + 12 + i * 14) * K)));
  return inkOf(ctx, w, h);
}

const read = async (g: Gray) => (await readCell(g, otsu(g), [2, 2, g.width - 2, g.height - 2], K, true))?.text;

describe('a number wrapped in a narrow cell', () => {
  it('is read line by line and joined, as the text layer reads it (26 printed as 2 over 6)', async () => {
    expect(await read(cell(14, 36, ['2', '6']))).toBe('26');
  });

  it('is no number where a line holds no digits', async () => {
    expect(await read(cell(30, 36, ['2', '件']))).not.toMatch(/^\d+$/);
  });
});

describe('a lone glyph its strokes part in two (总: its top over its 心)', () => {
  it('is read whole, as one character', async () => {
    expect(await read(cell(20, 18, ['总'], 'sans-serif'))).toBe('总');
  });
});

describe('a piece of the cell’s side rule inside the crop', () => {
  /** A crop of 30 × 40 px: a 1 px line on its right edge, rows 25–39, and a block of text ink in the middle. */
  function crop(lineWidth: number): Gray {
    const [w, h] = [30, 40];
    const data = new Uint8Array(w * h).fill(255);
    for (let y = 25; y < h; y++) for (let x = w - lineWidth; x < w; x++) data[y * w + x] = 0;
    for (let y = 12; y < 28; y++) for (let x = 12; x < 18; x++) data[y * w + x] = 0;
    return { width: w, height: h, data };
  }
  const ink = (g: Gray, x0: number, x1: number) => {
    let n = 0;
    for (let y = 0; y < g.height; y++) for (let x = x0; x < x1; x++) if (g.data[y * g.width + x] === 0) n++;
    return n;
  };

  it('is whitened; the text is kept', () => {
    const g = crop(1);
    dropEdgeSlivers(g, 128, 3);
    expect(ink(g, 27, 30)).toBe(0);
    expect(ink(g, 12, 18)).toBe(16 * 6);
  });

  it('is whitened where it stands a column in from the edge (the rule’s own column already cleared)', () => {
    const g = crop(1);
    for (let y = 0; y < g.height; y++) [g.data[y * g.width + g.width - 2], g.data[y * g.width + g.width - 1]] = [g.data[y * g.width + g.width - 1], 255];
    dropEdgeSlivers(g, 128, 3);
    expect(ink(g, 27, 30)).toBe(0);
    expect(ink(g, 12, 18)).toBe(16 * 6);
  });

  it('is kept where the ink is as wide as the edge band (no sliver: text reaching the edge)', () => {
    const g = crop(3);
    dropEdgeSlivers(g, 128, 3);
    expect(ink(g, 27, 30)).toBe(15 * 3);
  });
});

describe('the header words of neighbouring columns on one OCR line', () => {
  const word = (text: string, x0: number, x1: number) => ({ text, confidence: 90, bbox: { x0, y0: 100, x1, y1: 120 } });
  it('part at a cell’s padding between Chinese words; the glyphs of one phrase stay together', () => {
    // 20 px tall: Chinese words over 14 px (0.7 heights) apart are two pieces.
    const line = { text: '结果维持 结果纠正', confidence: 90, bbox: { x0: 10, y0: 100, x1: 200, y1: 120 }, words: [word('结果', 10, 50), word('维持', 52, 92), word('结果', 112, 152), word('纠正', 153, 193)] };
    expect(linePieces(line).map((p) => p.text)).toEqual(['结果 维持', '结果 纠正']);
    const digits = { text: '12 34', confidence: 90, bbox: { x0: 10, y0: 100, x1: 200, y1: 120 }, words: [word('12', 10, 30), word('34', 50, 70)] };
    expect(linePieces(digits)).toEqual([digits]);
  });
});

describe('a frame rule broken off short of its corner (a glyph printed over it at the page edge)', () => {
  const rule = (orient: 'h' | 'v', at: number, from: number, to: number) => ({ orient, at, from, to, thick: 2 });
  it('is carried on to the rule that ends on it', () => {
    // The bottom rule ends at x 595; the right rule stops at y 791, ten px above it.
    const [bottom, right] = closeCorners([rule('h', 801, 56, 595), rule('v', 595, 698, 791)], 3, 30);
    expect([bottom.from, bottom.to]).toEqual([56, 595]);
    expect([right.from, right.to]).toEqual([698, 801]);
  });

  it('is left alone where it ends on a rule of its own (two tables, one above the other)', () => {
    const rules = [rule('h', 100, 0, 200), rule('v', 200, 20, 100), rule('h', 115, 0, 200)];
    expect(closeCorners(rules, 3, 30).map((r) => [r.from, r.to])).toEqual([[0, 200], [20, 100], [0, 200]]);
  });
});
