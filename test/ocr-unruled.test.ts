import { describe, expect, it } from 'vitest';
import { linePieces } from '../src/extract/ocr/page.js';
import { leftoverInk } from '../src/extract/ocr/leftover.js';
import type { Gray } from '../src/extract/ocr/raster.js';

const word = (text: string, x0: number, x1: number) => ({ text, confidence: 90, bbox: { x0, y0: 100, x1, y1: 120 } });

describe('a line of a table printed without rules, as OCR reads it', () => {
  it('breaks at the wide gaps between a label and its numbers, not between the words of prose', () => {
    // 20 px tall: gaps over 30 px (1.5 heights) part the pieces.
    const row = { text: '行政许可 41169 0', confidence: 90, bbox: { x0: 10, y0: 100, x1: 600, y1: 120 }, words: [word('行政', 10, 50), word('许可', 52, 92), word('41169', 300, 360), word('0', 580, 600)] };
    expect(linePieces(row).map((p) => [p.text, p.bbox.x0, p.bbox.x1])).toEqual([
      ['行政 许可', 10, 92],
      ['41169', 300, 360],
      ['0', 580, 600],
    ]);
    const prose = { text: '全年共主动公开政府信息 2640 条', confidence: 90, bbox: { x0: 10, y0: 100, x1: 400, y1: 120 }, words: [word('全年共主动公开政府信息', 10, 230), word('2640', 236, 280), word('条', 285, 305)] };
    expect(linePieces(prose)).toEqual([prose]);
  });
});

describe('ink the text pass did not read', () => {
  /** A white page with black boxes (x0, y0, x1, y1 in px). */
  function page(boxes: [number, number, number, number][]): Gray {
    const w = 300;
    const h = 100;
    const data = new Uint8Array(w * h).fill(255);
    for (const [x0, y0, x1, y1] of boxes) for (let y = y0; y < y1; y++) data.fill(0, y * w + x0, y * w + x1);
    return { width: w, height: h, data };
  }

  it('groups the glyphs of an unread number, leaves out what was read, specks and rules', () => {
    const k = 2; // px per pt
    // Read: a word at 10–60 px. Unread: "21" as two glyphs at 200–210 and 213–223 px; a speck; a long rule's block.
    const img = page([[10, 20, 60, 40], [200, 20, 210, 40], [213, 20, 223, 40], [150, 80, 151, 81], [100, 50, 104, 99]]);
    const groups = leftoverInk(img, 128, k, [[5, 10, 30, 20]]);
    expect(groups.map((g) => [g.x0, g.y0, g.x1, g.y1])).toEqual([[200, 20, 223, 40]]);
  });
});
