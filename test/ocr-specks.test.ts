import { describe, expect, it } from 'vitest';
import { decimalPoints, dropNoise, noisePieces, pieces, speckSettings } from '../src/extract/ocr/specks.js';
import type { Bin } from '../src/extract/ocr/raster.js';

/** A binary image from rows of text: '#' is ink. */
function bin(rows: string[]): Bin {
  const width = rows[0].length;
  const data = new Uint8Array(width * rows.length);
  rows.forEach((r, y) => [...r].forEach((c, x) => (data[y * width + x] = c === '#' ? 1 : 0)));
  return { width, height: rows.length, data };
}

function show(b: Bin): string[] {
  const out: string[] = [];
  for (let y = 0; y < b.height; y++) out.push([...b.data.subarray(y * b.width, (y + 1) * b.width)].map((v) => (v ? '#' : '.')).join(''));
  return out;
}

// 200 dpi: 2.78 px per point → tiny specks ≤ 3 px, dots ≤ 5 px across and ≤ 11 px, near 4 px, slivers ≤ 3 px thick,
// a decimal point up to 8 px from its digits, its bottom within 2 px of theirs.
const S = speckSettings(200 / 72);

describe('pieces', () => {
  it('finds 8-connected pieces with their boxes and areas', () => {
    const { pieces: p } = pieces(bin(['#..', '.#.', '...', '..#']));
    expect(p).toEqual([
      { x0: 0, y0: 0, x1: 2, y1: 2, area: 2 },
      { x0: 2, y0: 3, x1: 3, y1: 4, area: 1 },
    ]);
  });
});

describe('noise pieces', () => {
  it('settings scale with the resolution', () => {
    expect(S).toEqual({ tinyArea: 3, dot: 5, dotArea: 11, near: 4, sliver: 3, pointReach: 8, baseline: 2 });
  });

  it('drops specks and keeps a thin "1" (a stroke two pixels wide)', () => {
    const rows = [
      '..................',
      '.#.......##.......',
      '........###.......',
      '.........##.......',
      '.........##.....#.',
      '.........##.....#.',
      '.........##.......',
      '.........##.......',
      '........####......',
      '..................',
    ];
    expect(show(dropNoise(bin(rows), S))).toEqual(rows.map((r, y) => (y === 1 ? r.slice(0, 1) + '.' + r.slice(2) : y === 4 || y === 5 ? r.slice(0, 16) + '.' + r.slice(17) : r)));
  });

  it('keeps a decimal point beside its digits but drops a lone dot of the same size', () => {
    const rows = [
      '....................................',
      '.####..####.........................',
      '.#..#..#..#.........................',
      '.#..#..#..#.........................',
      '.#..#..#..#.........................',
      '.####..####.##...................##.',
      '............##...................##.',
      '....................................',
    ];
    const { pieces: p } = pieces(bin(rows));
    const noise = noisePieces(p, rows[0].length, rows.length, S);
    const lone = p.findIndex((q) => q.x0 === 33);
    const point = p.findIndex((q) => q.x0 === 12);
    expect(noise.has(lone)).toBe(true);
    expect(noise.has(point)).toBe(false);
    expect(noise.size).toBe(1);
  });

  it('drops a speck JPEG smeared over a few pixels, far from text, but keeps a hyphen', () => {
    const rows = [
      '..............................',
      '.##...........................',
      '...###..........########......',
      '................########......',
      '..............................',
    ];
    expect(show(dropNoise(bin(rows), S))).toEqual([
      '..............................',
      '..............................',
      '................########......',
      '................########......',
      '..............................',
    ]);
  });

  it('drops a rule sliver along an edge, not a glyph touching the edge', () => {
    const rows = [
      '.........#',
      '..####...#',
      '..#..#...#',
      '..#..#...#',
      '..#..#...#',
      '..####...#',
      '.........#',
      '#####.....',
    ];
    const { pieces: p } = pieces(bin(rows));
    const noise = [...noisePieces(p, rows[0].length, rows.length, S)].map((i) => p[i]);
    // The right column (1 px thick, touching the right edge) is a sliver; the bottom run is one too.
    expect(noise.map((q) => [q.x0, q.y0, q.x1, q.y1]).sort()).toEqual([
      [0, 7, 5, 8],
      [9, 0, 10, 7],
    ]);
  });

  it('keeps a decimal point set well apart from its digits (a proportional font), on their baseline only', () => {
    // 4 . 2 with the point 6 px from each digit (further than `near`); then the same dot at mid-height.
    const onBase = [
      '.####..............####..',
      '.#..#.................#..',
      '.#..#.................#..',
      '.####..............####..',
      '....#..............#.....',
      '....#..............#.....',
      '....#......##......#.....',
      '....#......##......####..',
      '.........................',
    ];
    const midway = onBase.map((r, y) => (y === 3 || y === 4 ? r.slice(0, 11) + '##' + r.slice(13) : r.slice(0, 11) + '..' + r.slice(13)));
    const dot = (b: Bin) => b.data[7 * b.width + 11] === 1 || b.data[4 * b.width + 11] === 1;
    expect(dot(dropNoise(bin(onBase), S))).toBe(true);
    expect(decimalPoints(dropNoise(bin(onBase), S), S)).toBe(1);
    expect(dot(dropNoise(bin(midway), S))).toBe(false);
    expect(decimalPoints(bin(midway), S)).toBe(0);
  });
});
