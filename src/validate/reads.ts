/**
 * What a rule reads, as patterns the engine holds it to: cell-key globs (`t3.{new,carried_in}.*`, `*` for any
 * part of a key, dots included) and the record's other parts by name (`text`, `meta.year`, `meta.agency`,
 * `provenance.label`). A rule's context answers only for the cells its patterns name, and every cell its
 * findings name must be one of them: the listing of what a rule reads cannot drift from what it does.
 */
export type ReadPattern = string;

/** The parts of a record other than cells that a rule may name in its reads. */
export const RECORD_PARTS = ['text', 'meta.year', 'meta.agency', 'provenance.label'] as const;

const isRecordPart = (p: string) => (RECORD_PARTS as readonly string[]).includes(p);

/** `{a,b}` alternatives and `*` (anything, dots included) of a cell pattern as a regular expression. */
function patternSource(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') out += '.*';
    else if (ch === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) throw new Error(`reads pattern ${pattern}: an unclosed {`);
      out += `(?:${pattern.slice(i + 1, end).split(',').map(escape).join('|')})`;
      i = end;
    } else out += escape(ch);
  }
  return out;
}
const escape = (s: string) => s.replace(/[.+?^$()|[\]\\]/g, '\\$&');

/** Whether a cell key is among the patterns (record parts are not cells and match no key). */
export function cellMatcher(patterns: readonly ReadPattern[]): (key: string) => boolean {
  const cells = patterns.filter((p) => !isRecordPart(p));
  if (cells.length === 0) return () => false;
  const re = new RegExp(`^(?:${cells.map(patternSource).join('|')})$`);
  return (key) => re.test(key);
}

/** Patterns that are neither a cell glob over the tables nor a known part of the record: a typo. */
export function unknownPatterns(patterns: readonly ReadPattern[]): string[] {
  return patterns.filter((p) => !isRecordPart(p) && !/^(\*|t[234]\.[\w*{},.]+)$/.test(p));
}
