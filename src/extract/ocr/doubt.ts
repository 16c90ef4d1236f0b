/**
 * Doubt from the tables' arithmetic: where an identity of the official tables fails and one OCR-read number
 * in it could be a misreading of the number that would make it hold (one digit read wrong, lost or added),
 * that number's confidence is lowered. The value itself is never changed: the report may really be wrong.
 */
import { CONFIDENCE } from '../../format/confidence.js';
import { t3BalanceIdentities, t3ColumnIdentities, t3ResultIdentities, t4Identities, type Identity } from '../../format/identities.js';
import type { Provenance } from '../../record/schema.js';

export interface DoubtSettings {
  /** Confidence given to a number that an identity suggests was misread. */
  suspect: number;
}

export const DOUBT: DoubtSettings = { suspect: CONFIDENCE.doubted };

/** The identities over the rows this reading has (the layout from its cells: 其他处理 split or not). */
function identities(cells: Record<string, number | null>): Identity[] {
  const otherSplit = Object.keys(cells).some((k) => k.startsWith('t3.other.misc.'));
  const t3Rows = new Set(Object.keys(cells).filter((k) => k.startsWith('t3.')).map((k) => k.slice(3, k.lastIndexOf('.'))));
  return [...t3ColumnIdentities([...t3Rows]), ...t3ResultIdentities(otherSplit), ...t3BalanceIdentities(), ...t4Identities()];
}

/** Numbers one misread digit away: a digit replaced, dropped or added (as OCR gets it wrong). */
export function oneDigitAway(a: number, b: number): boolean {
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a === b) return false;
  const s = String(a);
  const t = String(b);
  if (s.length === t.length) {
    let d = 0;
    for (let i = 0; i < s.length; i++) if (s[i] !== t[i]) d++;
    return d === 1;
  }
  const [short, long] = s.length < t.length ? [s, t] : [t, s];
  if (long.length - short.length !== 1) return false;
  for (let i = 0; i < long.length; i++) if (long.slice(0, i) + long.slice(i + 1) === short) return true;
  return false;
}

/** Lowers the confidence of OCR-read numbers that a failing identity points at; returns their keys. */
export function doubtByIdentities(cells: Record<string, number | null>, provenance: Record<string, Provenance>, s: DoubtSettings = DOUBT): string[] {
  const doubted = new Set<string>();
  for (const id of identities(cells)) {
    const keys = [...id.total, ...id.parts];
    if (!keys.every((k) => k in cells)) continue;
    const v = (k: string) => cells[k] ?? 0;
    const diff = id.total.reduce((a, k) => a + v(k), 0) - id.parts.reduce((a, k) => a + v(k), 0);
    if (diff === 0) continue;
    for (const k of keys) {
      if (provenance[k]?.via !== 'ocr') continue;
      // The value this cell would need for the identity to hold.
      const needed = id.total.includes(k) ? v(k) - diff : v(k) + diff;
      if (oneDigitAway(v(k), needed)) doubted.add(k);
    }
  }
  for (const k of doubted) provenance[k] = { ...provenance[k], confidence: Math.min(provenance[k].confidence, s.suspect) };
  return [...doubted];
}
