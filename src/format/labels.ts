import levenshtein from 'fast-levenshtein';
import type { Labelled } from './catalog.js';

/**
 * Fuzzy matching of printed labels to official ones. Labels arrive wrapped,
 * truncated, with full-width or half-width punctuation and stray spaces; the
 * comparison is on a normalised form, and a match must be clearly better than
 * the runner-up, or it is reported rather than guessed.
 */

/**
 * Remembers a string function's results: the same labels (the catalog's, a report's) are normalised
 * again and again while matching, and the chain of replacements was ~3 % of a warm document's time.
 * Bounded: only label-sized strings are kept, and the memory is dropped whole past `limit` of them.
 */
function memo(f: (s: string) => string, limit = 20_000): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    if (s.length > 200) return f(s);
    let v = seen.get(s);
    if (v === undefined) {
      if (seen.size >= limit) seen.clear();
      v = f(s);
      seen.set(s, v);
    }
    return v;
  };
}

/** Full-width → half-width, no spaces, no quotes or brackets, unified separators. */
export const normalizeLabel = memo((s: string): string =>
  s
    .normalize('NFKC')
    .replace(/[\s\u3000]+/g, '')
    .replace(/[“”"‘’'「」『』《》<>]/g, '')
    .replace(/[()（）【】\[\]]/g, '')
    .replace(/[、，,．。.:：;；·]/g, '')
    .replace(/／/g, '/'),
);

const ENUM_PREFIX = /^\s*(?:[（(]\s*[一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*、|\d+\s*[.．、]|[（(]\s*\d+\s*[)）])\s*/;

/** The enumerator a label starts with ("（三）", "2.", "四、"), normalised, or ''. */
export function enumeratorOf(s: string): string {
  const m = s.normalize('NFKC').match(ENUM_PREFIX);
  return m ? normalizeLabel(m[0]) : '';
}

const LEAF_ENUMERATOR = /\d+\s*[.．、](?!\d)/g;
const ANY_ENUMERATOR = new RegExp(`[（(]\\s*[一二三四五六七八九十]+\\s*[)）]|${LEAF_ENUMERATOR.source}`, 'g');

/** Whether a text holds an enumerator after its start ("政府信息2.没有现成信息…"): another row's label begins in it. */
export function holdsAnotherLabel(s: string): boolean {
  return [...s.normalize('NFKC').matchAll(ANY_ENUMERATOR)].some((m) => m.index! > 0);
}

/** Whether a label holds two leaves' enumerators (1.… 2.…): two rows' labels run together. */
export function holdsTwoLeaves(s: string): boolean {
  return (s.normalize('NFKC').match(LEAF_ENUMERATOR) ?? []).length > 1;
}

/** The label without its enumerator, normalised. */
export const labelBody = memo((s: string) => normalizeLabel(s.normalize('NFKC').replace(ENUM_PREFIX, '')));

/** 0..1: 1 for identical normalised bodies. A truncated label still scores by what it shares. */
export function similarity(printed: string, official: string): number {
  const a = labelBody(printed);
  const b = labelBody(official);
  if (!a || !b) return 0;
  if (a === b) return 1;
  const d = levenshtein.get(a, b);
  let s = 1 - d / Math.max(a.length, b.length);
  // A printed label cut short (wrapped into the next cell, or clipped) keeps the official start.
  if (a.length >= 4 && b.startsWith(a)) s = Math.max(s, 0.6 + 0.4 * (a.length / b.length));
  else if (a.length >= 6 && a.length < b.length) {
    // Cut short and misread (an OCR'd first line: 申请人无正当理由论期不): the official start, a character or two off.
    const off = levenshtein.get(a, b.slice(0, a.length));
    if (off <= (a.length >= 12 ? 2 : 1)) s = Math.max(s, 0.6 + 0.4 * (a.length / b.length) - 0.05 * off);
  }
  return Math.max(0, s);
}

export interface LabelMatch {
  id: string;
  score: number;
  official: string;
}

export interface MatchOptions {
  /** Lowest similarity accepted. */
  min?: number;
  /** How far ahead of the runner-up the best match must be. */
  margin?: number;
}

/** The official label this printed one stands for, or null when nothing matches clearly. */
export function matchLabel(printed: string, candidates: Labelled[], opts: MatchOptions = {}): LabelMatch | null {
  const min = opts.min ?? 0.6;
  const margin = opts.margin ?? 0.08;
  let best: LabelMatch | null = null;
  let second = 0;
  for (const c of candidates) {
    const score = Math.max(similarity(printed, c.label), ...(c.aliases ?? []).map((a) => similarity(printed, a)));
    if (!best || score > best.score) {
      if (best) second = Math.max(second, best.score);
      best = { id: c.id, score, official: c.label };
    } else {
      second = Math.max(second, score);
    }
  }
  if (!best || best.score < min) return null;
  if (best.score < 1 && best.score - second < margin) return null;
  return best;
}
