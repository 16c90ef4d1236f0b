/**
 * How sure a reading is, by what it rests on: every reader and the mapping take their confidence from here, so
 * the same reason gives the same value everywhere. Below 1 a finding on the cell is `extraction`, not `source`.
 */
export const CONFIDENCE = {
  /** Printed text read from the text layer, an HTML cell, under a label that matched exactly. */
  certain: 1,
  /** Its row or column label matched the official one only approximately. */
  fuzzyLabel: 0.9,
  /** A table drawn without rules: its columns came from the header's positions. */
  unruled: 0.9,
  /** Placed by its position in the official order, its own label being unreadable or absent. */
  positional: 0.8,
  /** Flattened text: placed by the order of the numbers, every identity holding. */
  streamOrder: 0.8,
  /** Flattened text: a blank cell implied by the shape of its row or table. */
  impliedBlank: 0.8,
  /** Digits printed run together, cut where the table's totals say. */
  splitDigits: 0.7,
  /** Flattened text: placed by order where some identity does not hold. */
  brokenOrder: 0.7,
  /** A cell of a failing identity that holds if its part of the table is read a column or row shifted. */
  misaligned: 0.6,
  /** A text-layer number of a failing identity that the page's image, read again, does not show (or shows illegibly). */
  imageDisagrees: 0.5,
  /** An OCR'd label the vocabulary did not confirm. */
  unconfirmedLabel: 0.6,
  /** An OCR reading that breaks an identity a one-digit misreading would explain; a number OCR saw two ways. */
  doubted: 0.5,
} as const;
