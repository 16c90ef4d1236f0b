/**
 * Numbers as printed. Full-width digits and thousands separators are normalised; a
 * dash, slash or 无 is a blank with its raw text kept; anything else is not a number.
 */

export interface CellNumber {
  value: number | null;
  /** The cell prints no number: empty, or a placeholder (—, /, 无). */
  blank: boolean;
  /** False when the text is neither a number nor a blank placeholder. */
  ok: boolean;
}

const BLANK_MARKS = /^(?:[-—–－―‐_/／\\]+|无|空|\/)$/;

export function parseCellNumber(raw: string): CellNumber {
  const s = raw.normalize('NFKC').replace(/[\s\u3000]+/g, '');
  if (!s) return { value: null, blank: true, ok: true };
  if (BLANK_MARKS.test(s)) return { value: null, blank: true, ok: true };
  // Thousands separators: 1,234 or 1，234 (NFKC made the comma half-width).
  const plain = /^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(s) ? s.replace(/,/g, '') : s;
  if (/^[-+]?(?:\d+(?:\.\d+)?|\.\d+)$/.test(plain)) return { value: Number(plain), blank: false, ok: true };
  return { value: null, blank: false, ok: false };
}
