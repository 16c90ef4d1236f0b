import { T4_COLUMNS, T4_GROUPS } from '../format/catalog.js';
import { holdsOver, T3_FLOW, t4Identities } from '../format/identities.js';
/**
 * Cells run together: text crawled from a web table often loses the separators
 * ("801000081" for 80|1|0|0|0|0|81). A split is only taken when the row's own
 * identity (parts adding up to its total) leaves exactly one way to cut the digits;
 * several ways, or none, and the row is unreadable.
 */

export type SplitResult =
  | { kind: 'unique'; values: number[]; parts: string[] }
  | { kind: 'ambiguous'; count: number }
  | { kind: 'none' };

/** Beyond this many candidate cuts the row is called unreadable rather than searched. */
const MAX_CANDIDATES = 200_000;

/**
 * Cuts `tokens` (digit strings, in order) into exactly `count` whole numbers without
 * leading zeros, keeping the cuts `holds` accepts.
 */
export function splitRunTogether(tokens: string[], count: number, holds: (values: number[]) => boolean): SplitResult {
  if (!tokens.every((t) => /^\d+$/.test(t))) return { kind: 'none' };
  const digits = tokens.reduce((n, t) => n + t.length, 0);
  if (digits < count || tokens.length > count) return { kind: 'none' };
  const found: string[][] = [];
  let tried = 0;
  let exhausted = true;
  const parts: string[] = [];

  // Cut token i (from character `at`) onwards into `left` parts.
  const walk = (i: number, at: number, left: number): void => {
    if (found.length > 1 || !exhausted) return;
    const token = tokens[i];
    if (at === token.length) {
      if (i + 1 === tokens.length) {
        if (left === 0) {
          if (++tried > MAX_CANDIDATES) exhausted = false;
          else if (holds(parts.map(Number))) found.push([...parts]);
        }
        return;
      }
      walk(i + 1, 0, left);
      return;
    }
    if (left === 0) return;
    // Enough parts must remain for the tokens still to come (one each at least).
    const tokensAfter = tokens.length - i - 1;
    const digitsAfter = tokens.slice(i + 1).reduce((n, t) => n + t.length, 0);
    const maxLen = token[at] === '0' ? 1 : token.length - at;
    for (let len = 1; len <= maxLen; len++) {
      const restHere = token.length - at - len;
      // The parts still to cut need a digit each, and every later token a part.
      if (left - 1 < tokensAfter + (restHere > 0 ? 1 : 0) || left - 1 > restHere + digitsAfter) continue;
      parts.push(token.slice(at, at + len));
      walk(i, at + len, left - 1);
      parts.pop();
    }
  };
  walk(0, 0, count);
  if (!exhausted) return { kind: 'ambiguous', count: found.length };
  if (found.length === 1) return { kind: 'unique', values: found[0].map(Number), parts: found[0] };
  if (found.length > 1) return { kind: 'ambiguous', count: found.length };
  return { kind: 'none' };
}

export { t3RowHolds } from '../format/identities.js';

/** Rows of section 三 that are not results: what came in, and where it went. */
const T3_FLOW_ROWS: string[] = Object.values(T3_FLOW);

/**
 * The identities of section 三 across its rows, as row ids, each holding column by column:
 * 本年新收 + 上年结转 = 总计 + 结转下年度, and 总计 is the sum of the result rows.
 */
export function t3ColumnIdentities(results: string[]): { left: string[]; right: string[] }[] {
  return [
    { left: [T3_FLOW.new, T3_FLOW.carriedIn], right: [T3_FLOW.handled, T3_FLOW.carriedOut] },
    { left: [T3_FLOW.handled], right: results },
  ];
}

/** Whether rows of section 三 (`keys` names them, t3.new, …, in the order of the values) satisfy those identities. */
export function t3TableHolds(keys: string[]): (rows: number[][]) => boolean {
  const ids = keys.map((k) => k.slice('t3.'.length));
  const identities = t3ColumnIdentities(ids.filter((id) => !T3_FLOW_ROWS.includes(id))).map(({ left, right }) => ({
    left: left.map((id) => ids.indexOf(id)),
    right: right.map((id) => ids.indexOf(id)),
  }));
  const sum = (rows: number[][], at: number[], c: number) => at.reduce((n, i) => n + rows[i][c], 0);
  return (rows) => rows[0].every((_, c) => identities.every(({ left, right }) => sum(rows, left, c) === sum(rows, right, c)));
}

/** The identity of section 四: in each of its three groups, four results add up to 总计. */
export const t4Holds = holdsOver(t4Identities(), T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => `t4.${g.id}.${c.id}`)));
