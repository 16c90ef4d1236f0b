import { T3_COLUMNS, T4_COLUMNS, T4_GROUPS, t3ResultRows } from './catalog.js';

/**
 * The arithmetic of the official tables, as data generated from the catalog: Σ total = Σ parts. The rules, the
 * OCR doubt and the second look all read these; nothing else restates which cells add up to which.
 */
export interface Identity {
  /** The rule that checks it. */
  rule: 't3.balance' | 't3.results' | 't3.columns' | 't4.sum';
  /** The row, column or group it belongs to (a column id, a row id, a group id). */
  along: string;
  total: string[];
  parts: string[];
}

export const T3_APPLICANTS = T3_COLUMNS.filter((c) => c.id !== 'total').map((c) => c.id);
export const T4_PARTS = T4_COLUMNS.filter((c) => c.id !== 'total').map((c) => c.id);
/** The rows of 表三 outside its results: what comes in, the results' total, what goes on. */
export const T3_FLOW = { new: 'new', carriedIn: 'carried_in', handled: 'total_handled', carriedOut: 'carried_out' } as const;

/** 新收 + 上年结转 = 办理结果总计 + 结转下年度, per column. */
export const t3BalanceIdentities = (): Identity[] =>
  T3_COLUMNS.map((c) => ({ rule: 't3.balance', along: c.id, total: [`t3.new.${c.id}`, `t3.carried_in.${c.id}`], parts: [`t3.total_handled.${c.id}`, `t3.carried_out.${c.id}`] }));

/** （七）总计 = the result rows, per column. */
export const t3ResultIdentities = (otherSplit: boolean): Identity[] =>
  T3_COLUMNS.map((c) => ({ rule: 't3.results', along: c.id, total: [`t3.total_handled.${c.id}`], parts: t3ResultRows(otherSplit).map((r) => `t3.${r.id}.${c.id}`) }));

/** 总计 = the six applicant columns, for the given rows. */
export const t3ColumnIdentities = (rows: string[]): Identity[] =>
  rows.map((r) => ({ rule: 't3.columns', along: r, total: [`t3.${r}.total`], parts: T3_APPLICANTS.map((c) => `t3.${r}.${c}`) }));

/** Each 行政复议 / 行政诉讼 总计 = 维持 + 纠正 + 其他 + 尚未审结. */
export const t4Identities = (): Identity[] =>
  T4_GROUPS.map((g) => ({ rule: 't4.sum', along: g.id, total: [`t4.${g.id}.total`], parts: T4_PARTS.map((c) => `t4.${g.id}.${c}`) }));

/** The rows of 表三 for a layout: with 其他处理 split (2021) or not; both where the layout is unknown. */
export function t3RowIds(otherSplit: boolean | null): string[] {
  const results = otherSplit === null ? [...new Set([...t3ResultRows(true), ...t3ResultRows(false)].map((r) => r.id))] : t3ResultRows(otherSplit).map((r) => r.id);
  return [T3_FLOW.new, T3_FLOW.carriedIn, ...results, T3_FLOW.handled, T3_FLOW.carriedOut];
}

/** Every identity of a report's tables. */
export function identitiesOf(otherSplit: boolean | null): Identity[] {
  return [
    ...t3BalanceIdentities(),
    ...(otherSplit === null ? [] : t3ResultIdentities(otherSplit)),
    ...t3ColumnIdentities(t3RowIds(otherSplit)),
    ...t4Identities(),
  ];
}

/** Whether values given for `keys` (in that order) satisfy every identity all of whose cells they hold. */
export function holdsOver(identities: Identity[], keys: string[]): (values: number[]) => boolean {
  const at = new Map(keys.map((k, i) => [k, i]));
  const usable = identities
    .filter((id) => [...id.total, ...id.parts].every((k) => at.has(k)))
    .map((id) => ({ total: id.total.map((k) => at.get(k)!), parts: id.parts.map((k) => at.get(k)!) }));
  const sum = (v: number[], at: number[]) => at.reduce((n, i) => n + v[i], 0);
  return (v) => v.length === keys.length && usable.every((id) => sum(v, id.total) === sum(v, id.parts));
}

/** The identity of a row of section 三 (values in the printed column order): the six applicant columns add up to 总计. */
export const t3RowHolds = holdsOver(t3ColumnIdentities(['row']), T3_COLUMNS.map((c) => `t3.row.${c.id}`));
