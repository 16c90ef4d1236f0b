import { labelOf } from '../format/catalog.js';
import type { Finding, ReportRecord } from '../record/schema.js';
import {
  ORIGIN_ZH,
  ORIGINS,
  SEVERITIES,
  SEVERITY_ZH,
  agencyOf,
  blankGroupMessage,
  orderFindings,
  ruleDescription,
  ruleNameZh,
  showValue,
  showValues,
  withBlankGroups,
  type Counts,
  type Summary,
} from './anomalies-model.js';

/**
 * anomalies.md: the content of anomalies.html as text, for mail, diffs and readers without a browser.
 * Text from a report is escaped so that a Markdown renderer shows it as typed (no tables broken by |,
 * no raw HTML, no links).
 */

/** Escapes Markdown punctuation and raw HTML, and folds line breaks, for one line of a page or a table cell. */
export const mdEsc = (s: unknown): string =>
  String(s ?? '')
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_[\]<>|#!~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(AUTOLINK_TRIGGERS, (c) => `\\${c}`);

/**
 * What GFM's autolink extension turns into a link: `scheme:` (http, https, mailto, xmpp…), `www.` and an `@`
 * between words. An escape splits the text there, so no renderer sees a URL or an address in report text.
 */
const AUTOLINK_TRIGGERS = /(?<=[a-z0-9])[:@]|(?<=\bwww)\./gi;

export interface MdPage {
  generated: string;
  summary: Summary;
  /** Reports with findings, in page order. */
  reports: ReportRecord[];
  failed: ReportRecord[];
}

export function renderMarkdown(page: MdPage): string {
  const { summary } = page;
  const out: string[] = [];
  out.push('# 政府信息公开工作年度报告 · 数据异常核查', '');
  out.push(`共 ${summary.reports} 份报告，其中 ${summary.withFindings} 份发现问题，共 ${summary.findings} 条；${summary.failed} 份无法读取。生成：${mdEsc(page.generated)}`, '');
  out.push('“报告本身有误”：按报告所印数字，表格勾稽关系不成立；“可能是识别误差”：涉及的数字由 OCR 或模糊匹配读取，请先对照原文。每条问题的第一个单元格为被检查的单元格。', '');
  out.push('## 按机关汇总', '', ...countsTable('机关', summary.byAgency, summary.total), '');
  out.push('## 按规则汇总', '', ...countsTable('规则', summary.byRule, null), '');
  const described = summary.byRule.filter(([id]) => ruleDescription(id));
  if (described.length) out.push(...described.map(([id]) => `- \`${mdEsc(id)}\`：${mdEsc(ruleDescription(id))}`), '');
  let agency: string | null = null;
  for (const r of page.reports) {
    if (agencyOf(r) !== agency) {
      agency = agencyOf(r);
      out.push(`## ${mdEsc(agency)}`, '');
    }
    out.push(`### ${r.meta.year ?? '年份未识别'} · ${mdEsc(r.source.path)}`, '');
    out.push(`格式 ${mdEsc(r.meta.format)}，${r.source.pages} 页${r.source.ocr ? '，含 OCR 识别' : ''}，${r.findings.length} 条问题。`, '');
    const entries = withBlankGroups(orderFindings(r.findings).map((finding) => ({ finding })));
    entries.forEach((e, i) => out.push(...(Array.isArray(e) ? blankGroupLines(r, e.map((g) => g.finding), i + 1) : findingLines(r, e.finding, i + 1))));
    out.push('');
  }
  if (page.failed.length) {
    out.push(`## 无法读取的文件（${page.failed.length}）`, '', '| 文件 | 原因 | 说明 |', '|---|---|---|');
    for (const r of page.failed) out.push(`| ${mdEsc(r.source.path)} | ${mdEsc(r.error?.code)} | ${mdEsc(r.error?.message)} |`);
    out.push('');
  }
  return out.join('\n');
}

function findingLines(r: ReportRecord, f: Finding, n: number): string[] {
  const where = f.page ? `，第 ${f.page} 页` : '';
  const out = [`${n}. **${SEVERITY_ZH[f.severity]}**（${ORIGIN_ZH[f.origin]}）${mdEsc(ruleNameZh(f.rule))} \`${mdEsc(f.rule)}\`${where}：${mdEsc(f.message)}`];
  const values = showValues(f);
  if (values) out.push(`   - 期望值 ${mdEsc(values.expected)} · 实际值 ${mdEsc(values.actual)}`);
  if (f.quote) out.push(`   - 原文：“${mdEsc(f.quote)}”`);
  for (const k of f.keys) {
    const p = r.provenance[k];
    const conf = p && p.confidence < 1 ? `，置信度 ${p.confidence.toFixed(2)}` : '';
    out.push(`   - \`${mdEsc(k)}\` ${mdEsc(labelOf(k))} = ${mdEsc(showValue(r, k))}（${placeOf(r, k)}${conf}）`);
  }
  return out;
}

/** A table's blank-cell warnings as one entry (as anomalies.html shows them), its rows listed beneath. */
function blankGroupLines(r: ReportRecord, group: Finding[], n: number): string[] {
  const f = group[0];
  return [
    `${n}. **${SEVERITY_ZH.warning}**（${ORIGIN_ZH[f.origin]}）${mdEsc(ruleNameZh(f.rule))} \`${mdEsc(f.rule)}\`：${mdEsc(blankGroupMessage(group))}`,
    // The keys as plain text, not code: a code span would show the escapes' backslashes.
    ...group.map((g) => `   - ${mdEsc(g.message)}（${placeOf(r, g.keys[0])}：${g.keys.map(mdEsc).join(' ')}）`),
  ];
}

function placeOf(r: ReportRecord, key: string): string {
  const p = r.provenance[key];
  return p?.page ? `第 ${p.page} 页` : p?.line ? `第 ${p.line} 行` : p?.row ? `表 ${p.table ?? '?'} 第 ${p.row} 行第 ${p.col ?? '?'} 列` : '位置未知';
}

function countsTable(head: string, rows: [string, Counts][], total: Counts | null): string[] {
  const cols = ['报告数', '问题数', ...SEVERITIES.map((s) => SEVERITY_ZH[s]), ...ORIGINS.map((o) => ORIGIN_ZH[o])];
  const line = (name: string, c: Counts) =>
    `| ${name} | ${[c.reports, c.findings, ...SEVERITIES.map((s) => c.severity[s]), ...ORIGINS.map((o) => c.origin[o])].join(' | ')} |`;
  if (!rows.length) return ['无。'];
  return [
    `| ${head} | ${cols.join(' | ')} |`,
    `|---|${cols.map(() => '---:').join('|')}|`,
    ...rows.map(([name, c]) => line(mdEsc(name), c)),
    ...(total ? [line('**合计**', total)] : []),
  ];
}
