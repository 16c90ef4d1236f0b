/**
 * The canonical cells of the three standard tables (../shared/spec/cells.md):
 * one place that knows every key, its official label and which format prints it.
 * Everything downstream (mapping, rules, CSV columns) is derived from these tables.
 */

export type T2Format = '2019' | '2021';
export type ReportFormat = '2019' | '2021' | 'hybrid' | 'pre2019' | 'unknown';

export interface Labelled {
  id: string;
  label: string;
  /** Other printed forms of the label seen in real reports. */
  aliases?: string[];
}

// ---- Section 二 ---------------------------------------------------------------

export interface T2Row extends Labelled {
  /** The column ids this row has, in printed order. */
  cols: string[];
}

export const T2_COLUMNS: Record<T2Format, Labelled[]> = {
  '2019': [
    { id: 'made', label: '本年新制作数量' },
    { id: 'published', label: '本年新公开数量' },
    { id: 'total', label: '对外公开总数量' },
    { id: 'prev', label: '上一年项目数量' },
    { id: 'change', label: '本年增/减', aliases: ['本年增减'] },
    { id: 'decisions', label: '处理决定数量' },
    { id: 'items', label: '采购项目数量' },
    { id: 'amount', label: '采购总金额' },
  ],
  '2021': [
    { id: 'made', label: '本年制发件数' },
    { id: 'repealed', label: '本年废止件数' },
    { id: 'in_force', label: '现行有效件数' },
    { id: 'decisions', label: '本年处理决定数量' },
    { id: 'amount', label: '本年收费金额（单位：万元）', aliases: ['本年收费金额'] },
  ],
};

export const T2_ROWS: Record<T2Format, T2Row[]> = {
  '2019': [
    { id: 'regulation', label: '规章', cols: ['made', 'published', 'total'] },
    { id: 'normative', label: '规范性文件', cols: ['made', 'published', 'total'] },
    { id: 'license', label: '行政许可', cols: ['prev', 'change', 'decisions'] },
    { id: 'other_service', label: '其他对外管理服务事项', cols: ['prev', 'change', 'decisions'] },
    { id: 'penalty', label: '行政处罚', cols: ['prev', 'change', 'decisions'] },
    { id: 'coercion', label: '行政强制', cols: ['prev', 'change', 'decisions'] },
    { id: 'fee', label: '行政事业性收费', cols: ['prev', 'change'] },
    { id: 'procurement', label: '政府集中采购', cols: ['items', 'amount'] },
  ],
  '2021': [
    { id: 'regulation', label: '规章', cols: ['made', 'repealed', 'in_force'] },
    { id: 'normative', label: '行政规范性文件', aliases: ['规范性文件'], cols: ['made', 'repealed', 'in_force'] },
    { id: 'license', label: '行政许可', cols: ['decisions'] },
    { id: 'penalty', label: '行政处罚', cols: ['decisions'] },
    { id: 'coercion', label: '行政强制', cols: ['decisions'] },
    { id: 'fee', label: '行政事业性收费', cols: ['amount'] },
  ],
};

/** Cells whose values may be decimal (amounts) or negative (changes). */
export const isAmountKey = (key: string) => key === 't2.fee.amount' || key === 't2.procurement.amount';
export const isChangeKey = (key: string) => key.endsWith('.change');

// ---- Section 三 ---------------------------------------------------------------

export const T3_COLUMNS: Labelled[] = [
  { id: 'natural', label: '自然人' },
  { id: 'commercial', label: '商业企业' },
  { id: 'research', label: '科研机构' },
  { id: 'nonprofit', label: '社会公益组织' },
  { id: 'legal', label: '法律服务机构' },
  { id: 'other_org', label: '其他' },
  { id: 'total', label: '总计' },
];

export type T3Group = 'denied' | 'unable' | 'rejected' | 'other';

export interface T3Row extends Labelled {
  /** The numbered group heading this row sits under, e.g. （三）不予公开. */
  group?: T3Group;
  /** Which printings of （六） have this row. */
  otherSplit?: boolean;
}

export const T3_GROUP_LABELS: Record<T3Group, string> = {
  denied: '（三）不予公开',
  unable: '（四）无法提供',
  rejected: '（五）不予处理',
  other: '（六）其他处理',
};

/** Rows in printed order; the order is part of the official format. */
export const T3_ROWS: T3Row[] = [
  { id: 'new', label: '一、本年新收政府信息公开申请数量' },
  { id: 'carried_in', label: '二、上年结转政府信息公开申请数量' },
  { id: 'granted', label: '（一）予以公开' },
  { id: 'partial', label: '（二）部分公开（区分处理的，只计这一情形，不计其他情形）' },
  { id: 'denied.state_secret', group: 'denied', label: '1.属于国家秘密' },
  { id: 'denied.law_prohibited', group: 'denied', label: '2.其他法律行政法规禁止公开' },
  { id: 'denied.security', group: 'denied', label: '3.危及“三安全一稳定”' },
  { id: 'denied.third_party', group: 'denied', label: '4.保护第三方合法权益' },
  { id: 'denied.internal', group: 'denied', label: '5.属于三类内部事务信息' },
  { id: 'denied.process', group: 'denied', label: '6.属于四类过程性信息' },
  { id: 'denied.enforcement', group: 'denied', label: '7.属于行政执法案卷' },
  { id: 'denied.query', group: 'denied', label: '8.属于行政查询事项' },
  { id: 'unable.not_held', group: 'unable', label: '1.本机关不掌握相关政府信息' },
  { id: 'unable.needs_creation', group: 'unable', label: '2.没有现成信息需要另行制作' },
  { id: 'unable.unclear', group: 'unable', label: '3.补正后申请内容仍不明确' },
  { id: 'rejected.petition', group: 'rejected', label: '1.信访举报投诉类申请' },
  { id: 'rejected.duplicate', group: 'rejected', label: '2.重复申请' },
  { id: 'rejected.publication', group: 'rejected', label: '3.要求提供公开出版物' },
  { id: 'rejected.excessive', group: 'rejected', label: '4.无正当理由大量反复申请' },
  { id: 'rejected.confirm', group: 'rejected', label: '5.要求行政机关确认或重新出具已获取信息' },
  { id: 'other', label: '（六）其他处理', otherSplit: false },
  { id: 'other.no_correction', group: 'other', otherSplit: true, label: '1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请' },
  { id: 'other.no_fee', group: 'other', otherSplit: true, label: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请' },
  { id: 'other.misc', group: 'other', otherSplit: true, label: '3.其他' },
  { id: 'total_handled', label: '（七）总计' },
  { id: 'carried_out', label: '四、结转下年度继续办理' },
];

export const t3RowsFor = (otherSplit: boolean) => T3_ROWS.filter((r) => r.otherSplit === undefined || r.otherSplit === otherSplit);

/** The result rows that add up to （七）总计. */
export const t3ResultRows = (otherSplit: boolean) =>
  t3RowsFor(otherSplit).filter((r) => !['new', 'carried_in', 'total_handled', 'carried_out'].includes(r.id));

// ---- Section 四 ---------------------------------------------------------------

export const T4_GROUPS: Labelled[] = [
  { id: 'review', label: '行政复议' },
  { id: 'suit_direct', label: '未经复议直接起诉' },
  { id: 'suit_after_review', label: '复议后起诉' },
];

export const T4_COLUMNS: Labelled[] = [
  { id: 'upheld', label: '结果维持' },
  { id: 'corrected', label: '结果纠正' },
  { id: 'other', label: '其他结果' },
  { id: 'pending', label: '尚未审结' },
  { id: 'total', label: '总计' },
];

// ---- Keys -----------------------------------------------------------------------

export interface Layout {
  t2: T2Format;
  otherSplit: boolean;
}

export const t2Keys = (f: T2Format) => T2_ROWS[f].flatMap((r) => r.cols.map((c) => `t2.${r.id}.${c}`));
export const t3Keys = (otherSplit: boolean) => t3RowsFor(otherSplit).flatMap((r) => T3_COLUMNS.map((c) => `t3.${r.id}.${c.id}`));
export const t4Keys = () => T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => `t4.${g.id}.${c.id}`));

/** Every key a report of this layout prints, in cells.md order. */
export const keysFor = (l: Layout) => [...t2Keys(l.t2), ...t3Keys(l.otherSplit), ...t4Keys()];

/** Every key of every layout, in cells.md order without repeats: the columns of reports.csv. */
export const ALL_KEYS: string[] = [
  ...new Set([...t2Keys('2019'), ...t2Keys('2021'), ...t3Keys(false), ...t3Keys(true), ...t4Keys()]),
].sort((a, b) => sectionOf(a) - sectionOf(b));
function sectionOf(key: string) {
  return key.startsWith('t2.') ? 2 : key.startsWith('t3.') ? 3 : 4;
}

/** The format name of a layout: the official ones, or hybrid where they mix. */
export function formatOf(l: Layout): ReportFormat {
  if (l.t2 === '2019' && !l.otherSplit) return '2019';
  if (l.t2 === '2021' && l.otherSplit) return '2021';
  return 'hybrid';
}

/** A human label for a key, in the report's words: 行政复议 总计, （一）予以公开 · 自然人. */
export function labelOf(key: string): string {
  const [t, ...rest] = key.split('.');
  const col = rest[rest.length - 1];
  const row = rest.slice(0, -1).join('.');
  if (t === 't4') {
    const g = T4_GROUPS.find((x) => x.id === row)?.label ?? row;
    const c = T4_COLUMNS.find((x) => x.id === col)?.label ?? col;
    return `${g} ${c.replace(/^结果/, '')}`;
  }
  if (t === 't3') {
    const r = T3_ROWS.find((x) => x.id === row);
    const c = T3_COLUMNS.find((x) => x.id === col)?.label ?? col;
    const rl = r ? (r.group ? `${T3_GROUP_LABELS[r.group]}${r.label}` : r.label) : row;
    return `${rl} · ${c}`;
  }
  const r = T2_ROWS['2019'].find((x) => x.id === row) ?? T2_ROWS['2021'].find((x) => x.id === row);
  const c = [...T2_COLUMNS['2019'], ...T2_COLUMNS['2021']].find((x) => x.id === col);
  return `${r?.label ?? row} · ${c?.label ?? col}`;
}

const only = (a: string[], b: string[]) => new Set(a.filter((k) => !b.includes(k)));
/** Keys that only one printing has: their presence tells the formats apart (generated, never spelled out). */
export const FORMAT_MARKS = {
  t2Only2021: only(t2Keys('2021'), t2Keys('2019')),
  t2Only2019: only(t2Keys('2019'), t2Keys('2021')),
  t3OtherSplit: only(t3Keys(true), t3Keys(false)),
  t3OtherSingle: only(t3Keys(false), t3Keys(true)),
};
/** Whether a key's presence tells one format from the other. */
export const isFormatMark = (key: string) => Object.values(FORMAT_MARKS).some((s) => s.has(key));
