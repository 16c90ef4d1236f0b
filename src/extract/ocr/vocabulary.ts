/**
 * The official labels of the three tables, as a yardstick for label readings: when a cell can be read
 * several ways (as lines, as stacked columns, sharper), the reading closest to some official label wins.
 * Only tesseract's own readings are compared; a reading is never replaced by the label it resembles.
 */
import { T2_COLUMNS, T2_ROWS, T3_COLUMNS, T3_GROUP_LABELS, T3_ROWS, T4_COLUMNS, T4_GROUPS, type Labelled } from '../../format/catalog.js';
import { similarity } from '../../format/labels.js';

const labelled: Labelled[] = [
  ...T2_COLUMNS['2019'],
  ...T2_COLUMNS['2021'],
  ...T2_ROWS['2019'],
  ...T2_ROWS['2021'],
  ...T3_COLUMNS,
  ...T3_ROWS,
  ...T4_GROUPS,
  ...T4_COLUMNS,
];

const LABELS: string[] = [...new Set([...labelled.flatMap((l) => [l.label, ...(l.aliases ?? [])]), ...Object.values(T3_GROUP_LABELS)])];

/** 0..1: how close a reading comes to the nearest official label (1 = one of them). */
export function vocabularyScore(text: string): number {
  let best = 0;
  for (const l of LABELS) {
    const s = similarity(text, l);
    if (s > best) best = s;
    if (best === 1) break;
  }
  return best;
}
