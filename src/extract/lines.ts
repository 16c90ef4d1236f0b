import type { TextItem } from './types.js';

export interface TextLine {
  y0: number;
  y1: number;
  /** Left to right. */
  items: TextItem[];
}

/**
 * Horizontal items grouped into lines by vertical overlap (more than half the smaller
 * height), lines top to bottom, items left to right. Vertical runs are left out.
 */
export function groupLines(items: TextItem[]): TextLine[] {
  const sorted = items.filter((i) => !i.vertical).sort((a, b) => a.bbox[1] - b.bbox[1]);
  const lines: TextLine[] = [];
  for (const it of sorted) {
    const h = it.bbox[3] - it.bbox[1];
    const line = lines.find((l) => Math.min(l.y1, it.bbox[3]) - Math.max(l.y0, it.bbox[1]) > 0.5 * Math.min(h, l.y1 - l.y0));
    if (line) {
      line.items.push(it);
      line.y0 = Math.min(line.y0, it.bbox[1]);
      line.y1 = Math.max(line.y1, it.bbox[3]);
    } else lines.push({ y0: it.bbox[1], y1: it.bbox[3], items: [it] });
  }
  for (const l of lines) l.items.sort((a, b) => a.bbox[0] - b.bbox[0]);
  return lines.sort((a, b) => a.y0 - b.y0);
}
