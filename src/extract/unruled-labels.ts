import type { TextItem } from './types.js';

/**
 * Row labels of a table printed without rules, as OCR reads them, mended where the labels' own order shows
 * what was read: the numbered labels of one column (1., 2., 3. …) stand one under the other at one left edge.
 * - A numbered label whose point was dropped (4保护第三方… for 4.保护第三方…) gets it back, where it stands
 *   at that edge and the numbered label above it there is the one before it (or the one below it the next).
 * - A group label's characters read into one word with the row label beside them (予处理。4.无正当理由…:
 *   （五）不予处理's 予处理 and row 4's label) are parted at the numbered label, where its number is the next
 *   at that edge: the row label starts at the edge, the group label's part stays left of it.
 */
export const LABEL_REPAIR_SETTINGS = {
  /** How far apart (in the label's line heights) the left edges of the labels of one column may be. */
  edgeTolerance: 0.3,
  /** Fewest numbered labels at one left edge that make it a column of row labels. */
  minColumnLabels: 2,
  /** Share of its line height a word must reach past the edge to have a row label's characters in it. */
  minOverhang: 0.3,
};

const NUMBERED = /^(\d{1,2})[.．、](?=\p{Script=Han})/u;
const POINTLESS = /^(\d{1,2})(?=\p{Script=Han})/u;
// A number with its point inside a word, after characters that are no digit.
const INNER_NUMBERED = /(?<=[^\d\s])(\d{1,2})[.．、](?=\p{Script=Han})/u;

const height = (it: TextItem) => it.bbox[3] - it.bbox[1];
const mid = (it: TextItem) => (it.bbox[1] + it.bbox[3]) / 2;

interface Edge {
  x: number;
  /** Numbered labels at this edge: centre line and number. */
  labels: { y: number; n: number }[];
}

/** Left edges of columns of numbered labels, from the labels read whole (with their point, at their start). */
function labelEdges(items: TextItem[], s: typeof LABEL_REPAIR_SETTINGS): Edge[] {
  const edges: Edge[] = [];
  for (const it of [...items].sort((a, b) => a.bbox[0] - b.bbox[0])) {
    const m = NUMBERED.exec(it.text.replace(/\s/g, ''));
    if (!m) continue;
    const edge = edges.find((e) => Math.abs(e.x - it.bbox[0]) <= s.edgeTolerance * height(it));
    if (edge) edge.labels.push({ y: mid(it), n: Number(m[1]) });
    else edges.push({ x: it.bbox[0], labels: [{ y: mid(it), n: Number(m[1]) }] });
  }
  return edges.filter((e) => e.labels.length >= s.minColumnLabels);
}

/** Whether number `n` at height `y` follows the numbered label above it at the edge, or precedes the one below. */
function inOrder(edge: Edge, y: number, n: number): boolean {
  const above = edge.labels.filter((l) => l.y < y).sort((a, b) => b.y - a.y)[0];
  const below = edge.labels.filter((l) => l.y > y).sort((a, b) => a.y - b.y)[0];
  return (above !== undefined && above.n === n - 1) || (below !== undefined && below.n === n + 1);
}

/** The items of a page with numbered row labels mended (see LABEL_REPAIR_SETTINGS); the rest as they were. */
export function mendRowLabels(items: TextItem[], s = LABEL_REPAIR_SETTINGS): TextItem[] {
  const edges = labelEdges(items, s);
  if (!edges.length) return items;
  return items.flatMap((it) => {
    // A text layer's words are what was printed; only OCR's readings are mended.
    if (it.via !== 'ocr') return [it];
    const text = it.text.replace(/\s/g, '');
    const tol = s.edgeTolerance * height(it);
    const atEdge = edges.find((e) => Math.abs(e.x - it.bbox[0]) <= tol);
    const pointless = POINTLESS.exec(text);
    if (atEdge && pointless && !NUMBERED.test(text) && inOrder(atEdge, mid(it), Number(pointless[1]))) {
      return [{ ...it, text: `${pointless[1]}.${text.slice(pointless[1].length)}` }];
    }
    const crossed = edges.find((e) => it.bbox[0] < e.x - tol && it.bbox[2] > e.x + s.minOverhang * height(it));
    const inner = crossed ? INNER_NUMBERED.exec(text) : null;
    if (!crossed || !inner || !inOrder(crossed, mid(it), Number(inner[1]))) return [it];
    const [x0, y0, x1, y1] = it.bbox;
    // Where the group label's characters end is not read: at most where their share of the word would.
    const leftEnd = Math.min(crossed.x - tol, x0 + ((x1 - x0) * inner.index) / text.length);
    return [
      { ...it, text: text.slice(0, inner.index), bbox: [x0, y0, leftEnd, y1] },
      { ...it, text: text.slice(inner.index), bbox: [crossed.x, y0, x1, y1] },
    ];
  });
}
