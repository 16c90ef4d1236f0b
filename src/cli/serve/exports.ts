import { REVIEW_STATE_ZH } from '../../batch/reviews.js';
import { esc } from '../../export/anomalies-html.js';
import { ORIGIN_ZH, SEVERITY_ZH } from '../../export/anomalies-model.js';
import { toCsv } from '../../export/csv.js';
import { labelOf } from '../../format/catalog.js';
import { ruleNameZh } from '../../validate/rule-names.js';
import { agencyOf, stateOf, type ReportItem } from './model.js';
import { filterReports, matchingFindings, type Filters } from './overview.js';

/** What reviewers hand on: the reviewed findings as CSV, and per agency a 整改清单 of its confirmed findings. */

export const REVIEWED_COLUMNS = [
  'agency', 'year', 'file', 'sha256', 'rule', 'rule_zh', 'severity', 'origin', 'keys', 'cells', 'message', 'expected', 'actual', 'state', 'state_zh', 'note', 'reviewed_at', 'corrections',
];

/** One row per reviewed (confirmed or dismissed) finding among the reports the filters let through. */
export function reviewedCsv(items: ReportItem[], f: Filters): string {
  return toCsv(REVIEWED_COLUMNS, reviewedRows(items, f));
}

/** The rows of the reviewed findings, in REVIEWED_COLUMNS order (for CSV now, a workbook later). */
export function reviewedRows(items: ReportItem[], f: Filters): (string | number | null)[][] {
  return filterReports(items, f).flatMap((it) =>
    matchingFindings(it, f)
      .filter((x) => stateOf(x) !== 'open')
      .map((x) => {
        const r = it.record;
        const fd = x.finding;
        const corrections = fd.keys
          .filter((k) => it.corrections.has(k))
          .map((k) => `${k}: ${r.cells[k] ?? '空白'} → ${it.corrections.get(k)!.value ?? '空白'}（${it.corrections.get(k)!.reason}）`)
          .join('; ');
        return [
          agencyOf(r), r.meta.year, r.source.path, r.source.sha256, fd.rule, ruleNameZh(fd.rule), fd.severity, fd.origin, fd.keys.join(' '),
          fd.keys.map((k) => `${labelOf(k)}=${it.corrected.cells[k] ?? '空白'}`).join('; '), fd.message,
          fd.expected == null ? null : String(fd.expected), fd.actual == null ? null : String(fd.actual),
          stateOf(x), REVIEW_STATE_ZH[stateOf(x)], x.review?.note ?? '', x.review?.at ?? '', corrections,
        ];
      }),
  );
}

/** The few calls of exceljs used here. */
interface Workbook {
  addWorksheet(name: string, options?: unknown): Worksheet;
  xlsx: { writeBuffer(): Promise<ArrayBuffer> };
}
interface Worksheet {
  columns: { header: string; key: string; width?: number }[];
  addRow(values: unknown[]): unknown;
  getRow(n: number): { font: unknown };
}

/**
 * exceljs is the workbook library of the research exports (issue 19's codebook workbook); it is loaded only
 * when a workbook is asked for, and until it is installed the export says so instead of failing.
 */
async function loadExcel(): Promise<{ Workbook: new () => Workbook } | null> {
  const name = 'exceljs';
  try {
    const m = (await import(name)) as { default?: { Workbook: new () => Workbook }; Workbook?: new () => Workbook };
    return m.default ?? (m as { Workbook: new () => Workbook });
  } catch {
    return null;
  }
}

/** The reviewed findings as a workbook (one sheet, the CSV's columns), or null without exceljs. */
export async function reviewedXlsx(items: ReportItem[], f: Filters): Promise<Buffer | null> {
  const excel = await loadExcel();
  if (!excel) return null;
  const book = new excel.Workbook();
  const sheet = book.addWorksheet('已审核问题', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = REVIEWED_COLUMNS.map((c) => ({ header: c, key: c, width: c === 'message' || c === 'cells' ? 60 : 16 }));
  sheet.getRow(1).font = { bold: true };
  // Strings go in as text (never formulas), so a report's "=…" cannot run in Excel.
  for (const row of reviewedRows(items, f)) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const STYLE = `body{font:15px/1.6 "Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#eee}.sub{color:#555;font-size:.9em}@media print{body{margin:0}}`;

/** A self-contained page (no script, nothing fetched) listing one agency's confirmed findings, for sending out. */
export function rectificationHtml(items: ReportItem[], agency: string, generated: string): string {
  const reports = items.filter((i) => agencyOf(i.record) === agency);
  const rows = reports.flatMap((it) =>
    it.findings
      .filter((x) => stateOf(x) === 'confirmed')
      .map((x) => ({ it, x })),
  );
  const body = rows
    .map(
      ({ it, x }, i) => `<tr><td>${i + 1}</td><td>${esc(it.record.meta.year ?? '')}</td><td>${esc(SEVERITY_ZH[x.finding.severity])}</td><td>${esc(ruleNameZh(x.finding.rule))}</td>
<td>${esc(x.finding.message)}${x.finding.keys.length ? `<div class="sub">${esc(x.finding.keys.map((k) => `${labelOf(k)}：${it.corrected.cells[k] ?? '空白'}`).join('；'))}</div>` : ''}</td><td>${esc(x.review?.note ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(agency)} 政府信息公开工作年度报告整改清单</title><style>${STYLE}</style></head><body>
<h1>${esc(agency)}<br>政府信息公开工作年度报告整改清单</h1>
<p class="sub">${esc(reports.map((r) => r.record.meta.title ?? r.record.source.path).join('；'))}</p>
<p>经核实，以下 ${rows.length} 项问题需要整改（${esc(ORIGIN_ZH.source)}或经人工核对确认）：</p>
<table><thead><tr><th>序号</th><th>年度</th><th>级别</th><th>问题类型</th><th>问题</th><th>审核意见</th></tr></thead><tbody>
${body}
</tbody></table>
<p class="sub">${esc(generated)}</p>
</body></html>`;
}
