import { T2_COLUMNS, T2_ROWS, T3_COLUMNS, T3_GROUP_LABELS, T3_ROWS, T4_COLUMNS } from '../format/catalog.js';

/**
 * Short Chinese names of cells for findings' messages: the words of the printed
 * tables, short enough that an identity fits on one line
 * ("行政复议 总计 0 ≠ 维持 10 + 纠正 1 + 其他 0 + 尚未审结 0 = 11").
 */

const T3_ROW_SHORT: Record<string, string> = {
  new: '本年新收',
  carried_in: '上年结转',
  granted: '予以公开',
  partial: '部分公开',
  other: '其他处理',
  total_handled: '办理结果总计',
  carried_out: '结转下年度继续办理',
};

const T4_GROUP_SHORT: Record<string, string> = {
  review: '行政复议',
  suit_direct: '行政诉讼（未经复议直接起诉）',
  suit_after_review: '行政诉讼（复议后起诉）',
};

const stripEnum = (s: string) => s.replace(/^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+\.)/, '');

/** The row part of a t3 key: 予以公开, 不予公开·属于国家秘密. */
export function t3RowName(row: string): string {
  if (T3_ROW_SHORT[row]) return T3_ROW_SHORT[row];
  const r = T3_ROWS.find((x) => x.id === row);
  if (!r) return row;
  const body = stripEnum(r.label).replace(/（.*?）/g, '');
  return r.group ? `${stripEnum(T3_GROUP_LABELS[r.group])}·${body}` : body;
}

export const t3ColName = (col: string) => T3_COLUMNS.find((c) => c.id === col)?.label ?? col;
export const t4GroupName = (g: string) => T4_GROUP_SHORT[g] ?? g;
export const t4ColName = (col: string) => (col === 'other' ? '其他' : (T4_COLUMNS.find((c) => c.id === col)?.label ?? col).replace(/^结果/, ''));

export function t2RowName(row: string): string {
  return (T2_ROWS['2021'].find((r) => r.id === row) ?? T2_ROWS['2019'].find((r) => r.id === row))?.label ?? row;
}
export function t2ColName(col: string): string {
  return ([...T2_COLUMNS['2019'], ...T2_COLUMNS['2021']].find((c) => c.id === col)?.label ?? col).replace(/（.*?）/g, '');
}

/** Splits a key into table, row and column: t3.denied.state_secret.natural → [t3, denied.state_secret, natural]. */
export function splitKey(key: string): [string, string, string] {
  const parts = key.split('.');
  return [parts[0], parts.slice(1, -1).join('.'), parts[parts.length - 1]];
}

/** A cell's full name: 表三 予以公开 · 自然人; 行政复议 总计; 规章 · 本年制发件数. */
export function cellName(key: string): string {
  const [t, row, col] = splitKey(key);
  if (t === 't3') return `${t3RowName(row)} · ${t3ColName(col)}`;
  if (t === 't4') return `${t4GroupName(row)} ${t4ColName(col)}`;
  return `${t2RowName(row)} · ${t2ColName(col)}`;
}

/** A row's name, for findings about a whole row (blank cells, missing rows). */
export function rowName(key: string): string {
  const [t, row] = splitKey(key);
  if (t === 't3') return `表三「${t3RowName(row)}」`;
  if (t === 't4') return `表四「${t4GroupName(row)}」`;
  return `表二「${t2RowName(row)}」`;
}

export function colName(key: string): string {
  const [t, , col] = splitKey(key);
  return t === 't3' ? t3ColName(col) : t === 't4' ? t4ColName(col) : t2ColName(col);
}

/** Numbers as printed: integers plain, amounts without float noise. */
export const num = (v: number) => (Number.isInteger(v) ? String(v) : String(Math.round(v * 10000) / 10000));
