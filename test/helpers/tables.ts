import type { GridCell, Table } from '../../src/extract/types.js';

export type Spec = string | { t: string; cs?: number; rs?: number };

/** A cell of hand-made rows placed on the grid: its text, first row and column, and spans. */
export interface PlacedSpec {
  t: string;
  r: number;
  c: number;
  cs: number;
  rs: number;
}

/**
 * Rows of cell texts placed HTML-style: `cs`/`rs` span columns and rows, and cells covered by a span from above
 * are left out of the later rows.
 */
export function placeSpecs(rows: Spec[][]): PlacedSpec[] {
  const out: PlacedSpec[] = [];
  const taken = new Set<string>();
  rows.forEach((row, r) => {
    let c = 0;
    for (const spec of row) {
      while (taken.has(`${r},${c}`)) c++;
      const { t, cs = 1, rs = 1 } = typeof spec === 'string' ? { t: spec } : spec;
      for (let dr = 0; dr < rs; dr++) for (let dc = 0; dc < cs; dc++) taken.add(`${r + dr},${c + dc}`);
      out.push({ t, r, c, cs, rs });
      c += cs;
    }
  });
  return out;
}

/** A hand-made table from rows of cell texts (placeSpecs). */
export function table(page: number, rows: Spec[][]): Table {
  const cells: GridCell[] = placeSpecs(rows).map(({ t, r, c, cs, rs }) => (
    { text: t, x0: c * 10, x1: (c + cs) * 10, row0: r, row1: r + rs - 1, source: { page, bbox: [c * 10, r * 10, (c + cs) * 10, (r + 1) * 10] }, confidence: 1, via: 'text' }
  ));
  return { page, cells, rowCount: rows.length, ruled: true };
}

export const T3_HEADER: Spec[][] = [
  [{ t: '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', cs: 3, rs: 3 }, { t: '申请人情况', cs: 7 }],
  [{ t: '自然人', rs: 2 }, { t: '法人或其他组织', cs: 5 }, { t: '总计', rs: 2 }],
  ['商业企业', '科研机构', '社会公益组织', '法律服务机构', '其他'],
];

/** A section 三 body row: label cells, then seven numbers. */
export const t3Row = (labels: Spec[], n: number[]): Spec[] => [...labels, ...n.map(String)];
