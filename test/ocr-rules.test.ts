import { describe, expect, it } from 'vitest';
import { createCanvas } from '@napi-rs/canvas';
import { binarize, otsu, rotate, whitenPaper, type Gray } from '../src/extract/ocr/raster.js';
import { estimateSkew, findRules } from '../src/extract/ocr/rules.js';
import { needsOcr } from '../src/extract/ocr/detect.js';
import { joinAcrossCrossings, pageRules } from '../src/extract/ocr/page.js';

const K = 200 / 72; // px per pt at 200 dpi
const SETTINGS = { minH: 28 * K, minV: 14 * K, shortH: 56 * K, gap: 2, maxThick: 8, touch: 3 * K, maxBranching: 0.06 };

/** A white page with black strokes drawn by `draw`, turned by `deg`, as a grayscale image. */
function drawn(w: number, h: number, deg: number, draw: (ctx: ReturnType<ReturnType<typeof createCanvas>['getContext']>) => void): Gray {
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.translate(w / 2, h / 2);
  ctx.rotate((deg * Math.PI) / 180);
  ctx.translate(-w / 2, -h / 2);
  ctx.strokeStyle = '#000';
  ctx.fillStyle = '#000';
  ctx.lineWidth = 3;
  draw(ctx);
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const data = new Uint8Array(w * h);
  for (let i = 0; i < data.length; i++) data[i] = rgba[4 * i];
  return { width: w, height: h, data };
}

const line = (ctx: Parameters<Parameters<typeof drawn>[3]>[0], x0: number, y0: number, x1: number, y1: number) => {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
};

/** A 3×4 ruled table with glyph-like strokes inside the cells. */
function table(ctx: Parameters<Parameters<typeof drawn>[3]>[0]) {
  const xs = [100, 400, 520, 640];
  const ys = [100, 170, 240, 310, 380];
  for (const y of ys) line(ctx, xs[0], y, xs[3], y);
  for (const x of xs) line(ctx, x, ys[0], x, ys[4]);
  // Strokes of text: shorter than any rule, some touching a rule at one end.
  line(ctx, 130, 130, 180, 130);
  line(ctx, 150, 110, 150, 170);
  ctx.font = '40px sans-serif';
  ctx.fillText('0', 450, 220);
}

describe('rule finder on drawn images', () => {
  it('finds two crossing rules and nothing else', () => {
    const img = drawn(600, 400, 0, (ctx) => {
      line(ctx, 50, 200, 550, 200);
      line(ctx, 300, 50, 300, 350);
    });
    const rules = findRules(binarize(img, otsu(img)), SETTINGS);
    expect(rules).toHaveLength(2);
    const h = rules.find((r) => r.orient === 'h')!;
    const v = rules.find((r) => r.orient === 'v')!;
    expect(h.at).toBeCloseTo(200, 0);
    expect(h.from).toBeLessThanOrEqual(52);
    expect(h.to).toBeGreaterThanOrEqual(548);
    expect(v.at).toBeCloseTo(300, 0);
    expect(v.to - v.from).toBeGreaterThan(295);
  });

  it('keeps the rules of a table and drops the strokes of its text', () => {
    const img = drawn(760, 480, 0, table);
    const rules = findRules(binarize(img, otsu(img)), SETTINGS);
    expect(rules.filter((r) => r.orient === 'h').map((r) => Math.round(r.at))).toEqual([100, 170, 240, 310, 380]);
    expect(rules.filter((r) => r.orient === 'v').map((r) => Math.round(r.at))).toEqual([100, 400, 520, 640]);
  });

  it('drops the stacked strokes of glyphs in a tight two-line header cell, keeps the rules around them', () => {
    // A header row as tall as two lines of 9 pt text, under a rule, over a body row; its sub-column rules
    // run on through the body. In each header cell, glyphs stacked on two lines line up into a vertical
    // run from rule to rule, with strokes branching off it as glyphs have.
    const xs = [100, 220, 340, 460];
    const img = drawn(600, 420, 0, (ctx) => {
      for (const y of [100, 160, 230]) line(ctx, xs[0], y, xs[3], y);
      for (const x of xs) line(ctx, x, 100, x, 230);
      ctx.lineWidth = 3;
      for (const x0 of [120, 240, 360]) {
        const x = x0 + 40;
        line(ctx, x, 101, x, 159);
        for (const y of [108, 122, 134, 146, 156]) line(ctx, x - 14, y, x + 14, y);
        line(ctx, x - 25, 110, x - 25, 128);
      }
    });
    const rules = findRules(binarize(img, otsu(img)), { ...SETTINGS, minV: 14 });
    expect(rules.filter((r) => r.orient === 'v').map((r) => Math.round(r.at))).toEqual(xs);
    expect(rules.filter((r) => r.orient === 'h').map((r) => Math.round(r.at))).toEqual([100, 160, 230]);
  });

  it('drops the cross strokes of a line of glyphs in a narrow cell, lined up as long as a short rule', () => {
    // A narrow label cell (about 33 pt) in a column of cells: one line of four glyphs whose cross strokes
    // stand at one height, nearly touching, each glyph with upright strokes through them; the run reaches
    // from the cell's left rule to its right one.
    const img = drawn(600, 420, 0, (ctx) => {
      for (const y of [100, 260, 380]) line(ctx, 100, y, 400, y);
      for (const x of [100, 192, 300, 400]) line(ctx, x, 100, x, 380);
      for (let g = 0; g < 4; g++) {
        const x0 = 103 + g * 22;
        line(ctx, x0, 180, x0 + 21, 180);
        for (const dx of [4, 16]) line(ctx, x0 + dx, 166, x0 + dx, 196);
      }
    });
    const rules = findRules(binarize(img, otsu(img)), SETTINGS);
    expect(rules.filter((r) => r.orient === 'h').map((r) => Math.round(r.at))).toEqual([100, 260, 380]);
  });

  it('finds a faint rule beside a shaded cell, and the rules of the shaded cell', () => {
    const img = drawn(760, 480, 0, (ctx) => {
      ctx.fillStyle = '#c8c8c8';
      ctx.fillRect(100, 100, 540, 70); // a shaded caption row
      ctx.lineWidth = 2;
      for (const y of [100, 170, 240, 310]) line(ctx, 100, y, 640, y);
      for (const x of [100, 400, 520]) line(ctx, x, 100, x, 310);
      ctx.strokeStyle = '#a0a0a0'; // the right border, lighter than the text threshold
      line(ctx, 640, 100, 640, 310);
      ctx.fillStyle = '#000';
      ctx.font = '30px sans-serif';
      ctx.fillText('12', 440, 220);
    });
    const thr = otsu(img);
    expect(img.data[200 * 760 + 640], `thr ${thr}`).toBeGreaterThan(thr); // only the second pass can see it
    const rules = pageRules(img, thr, K);
    expect(rules.filter((r) => r.orient === 'v').map((r) => Math.round(r.at)).sort((a, b) => a - b)).toEqual([100, 400, 520, 640]);
    expect(rules.filter((r) => r.orient === 'h').map((r) => Math.round(r.at)).sort((a, b) => a - b)).toEqual([100, 170, 240, 310]);
  });

  it('whitens grey paper and leaves white paper as it is', () => {
    const white = drawn(200, 100, 0, (ctx) => ctx.fillRect(50, 40, 100, 10));
    expect(whitenPaper(white)).toBe(white);
    // Paper at 180 with grain of ±8, ink at 30.
    const data = new Uint8Array(200 * 100);
    for (let i = 0; i < data.length; i++) data[i] = 172 + (i * 7919) % 17;
    for (let y = 40; y < 50; y++) for (let x = 50; x < 150; x++) data[y * 200 + x] = 30;
    const out = whitenPaper({ width: 200, height: 100, data });
    const paper = [...out.data].filter((_, i) => data[i] !== 30);
    expect(paper.filter((v) => v === 255).length / paper.length).toBeGreaterThan(0.7);
    expect(Math.min(...paper)).toBeGreaterThan(230);
    expect(out.data[45 * 200 + 100]).toBeLessThan(50);
  });

  for (const deg of [1.5, -1.5]) {
    it(`straightens a table turned by ${deg}° and then finds its rules`, () => {
      const img = drawn(760, 480, deg, table);
      const skew = estimateSkew(binarize(img, otsu(img)));
      expect(Math.abs(skew - deg)).toBeLessThan(0.1);
      const straight = rotate(img, skew);
      const rules = findRules(binarize(straight, otsu(straight)), SETTINGS);
      expect(rules.filter((r) => r.orient === 'h')).toHaveLength(5);
      expect(rules.filter((r) => r.orient === 'v')).toHaveLength(4);
      for (const r of rules) expect(r.thick).toBeLessThanOrEqual(5);
    });
  }
});

describe('needsOcr', () => {
  const page = (texts: string[]) => ({ page: 1, width: 595, height: 842, segments: [], items: texts.map((text) => ({ text, bbox: [0, 0, 10, 10] as [number, number, number, number], vertical: false })) });
  it('asks for OCR when a page has no text layer', () => {
    expect(needsOcr(page([]))).toBe(true);
    expect(needsOcr(page(['- 3 -']))).toBe(true);
  });
  it('trusts a real text layer', () => {
    expect(needsOcr(page(['相山区人力资源和社会保障局2020年政府信息公开工作年度报告', '一、总体情况']))).toBe(false);
  });
  it('asks for OCR of a scan that has a few words laid over it, not of a page of text over a background image', () => {
    const stamp = '本文件由相山区人力资源和社会保障局政务公开办公室扫描存档，仅供政府信息公开使用';
    expect(needsOcr({ ...page([stamp]), imageCover: 0.98 })).toBe(true);
    expect(needsOcr({ ...page([stamp]), imageCover: 0.1 })).toBe(false);
    expect(needsOcr({ ...page([stamp.repeat(4)]), imageCover: 0.98 })).toBe(false);
  });
  it('asks for OCR when the page draws its text as outlines', () => {
    expect(needsOcr({ ...page([]), imageCover: 0, curvedFills: 420 })).toBe(true);
    expect(needsOcr({ ...page([]), imageCover: 0, curvedFills: 30 })).toBe(false);
  });
  it('asks for OCR when the text layer is garbage', () => {
    expect(needsOcr(page(['\uE001\uE002\uE003ÿ¤¦§\uE004\uE005\uFFFD\uFFFD\uFFFD¤¦§\uE001\uE002\uE003\uE004\uE005ÿ¤¦§']))).toBe(true);
  });
});

describe('rules broken where others cross them', () => {
  const h = (at: number, from: number, to: number) => ({ orient: 'h' as const, at, from, to, thick: 3 });
  const v = (at: number, from: number, to: number) => ({ orient: 'v' as const, at, from, to, thick: 3 });

  it('joins the pieces of a rule on either side of a crossing rule, and no others', () => {
    // A table's right edge broken at each row rule (the rules end on it at a clipped edge); a second column
    // rule with a real gap (no rule crosses it there) stays in two pieces.
    const rows = [h(100, 50, 400), h(160, 50, 400), h(220, 50, 400)];
    const edge = [v(399, 100, 155), v(399.5, 165, 215), v(399, 225, 260)];
    const gapped = [v(200, 100, 120), v(200, 130, 220)];
    const out = joinAcrossCrossings([...rows, ...edge, ...gapped], 8, 8);
    const vs = out.filter((r) => r.orient === 'v').map((r) => [Math.round(r.at), r.from, r.to]);
    expect(vs.sort((a, b) => a[0] - b[0] || a[1] - b[1])).toEqual([
      [200, 100, 120],
      [200, 130, 220],
      [399, 100, 260],
    ]);
    expect(out.filter((r) => r.orient === 'h')).toHaveLength(3);
  });
});
