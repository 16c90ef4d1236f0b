import { REVIEW_STATE_ZH } from '../../batch/reviews.js';
import { esc } from '../../export/anomalies-html.js';
import { ORIGIN_ZH, SEVERITY_ZH } from '../../export/anomalies-model.js';
import { OriginSchema, SeveritySchema } from '../../record/schema.js';
import { ruleNameZh } from '../../validate/rule-names.js';
import { agencyOf, countBy, progressOf, regionChain, REVIEW_PROGRESS, REVIEW_PROGRESS_ZH, stateOf, type FindingItem, type ReportItem } from './model.js';
import { layout } from './layout.js';

/**
 * The overview: every report, with its counts and review state; filters, search, sort and page live in the
 * URL. A page lists a bounded number of reports (a results folder of hundreds stays a small page); the
 * counts are over every report the filters let through.
 */

export const OVERVIEW_SETTINGS = {
  /** Reports listed per page. */
  pageSize: 100,
  /** Page links shown either side of the current page (first and last always). */
  pageLinksAround: 3,
};

export const FILTERS = ['q', 'agency', 'region', 'year', 'rule', 'severity', 'origin', 'review', 'sort'] as const;
export type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

export function filtersOf(params: URLSearchParams): Filters {
  const out: Filters = {};
  for (const k of FILTERS) {
    const v = params.get(k)?.trim();
    if (v) out[k] = v.slice(0, 200);
  }
  return out;
}

/** The page asked for (1 = first); kept apart from the filters, which the exports share. */
export function pageOf(params: URLSearchParams): number {
  const n = Number(params.get('page'));
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** The value of the region filter for reports whose agency has no division. */
export const NO_REGION = 'none';

const inRegion = (it: ReportItem, code: string) => (code === NO_REGION ? !it.region.division : regionChain(it.region).some((d) => d.code === code));

/** Findings of a report that the finding filters (rule, severity, origin) let through. */
export function matchingFindings(item: ReportItem, f: Filters): FindingItem[] {
  return item.findings.filter(
    (x) => (!f.rule || x.finding.rule === f.rule) && (!f.severity || x.finding.severity === f.severity) && (!f.origin || x.finding.origin === f.origin),
  );
}

export function filterReports(items: ReportItem[], f: Filters): ReportItem[] {
  const q = f.q?.toLowerCase();
  const findingFilter = !!(f.rule || f.severity || f.origin);
  const out = items.filter((it) => {
    const r = it.record;
    if (f.agency && agencyOf(r) !== f.agency) return false;
    if (f.region && !inRegion(it, f.region)) return false;
    if (f.year && String(r.meta.year ?? '') !== f.year) return false;
    if (f.review && progressOf(it) !== f.review) return false;
    if (findingFilter && !matchingFindings(it, f).length) return false;
    if (q && ![agencyOf(r), it.region.name, r.meta.title ?? '', r.source.path, r.source.sha256].some((s) => s.toLowerCase().includes(q))) return false;
    return true;
  });
  return sortReports(out, f.sort);
}

const SORTS: Record<string, (a: ReportItem, b: ReportItem) => number> = {
  agency: (a, b) => agencyOf(a.record).localeCompare(agencyOf(b.record), 'zh') || (a.record.meta.year ?? 0) - (b.record.meta.year ?? 0),
  region: (a, b) => (a.region.division?.code ?? '~').localeCompare(b.region.division?.code ?? '~') || SORTS.agency(a, b),
  year: (a, b) => (b.record.meta.year ?? 0) - (a.record.meta.year ?? 0) || SORTS.agency(a, b),
  errors: (a, b) => countBy(b.findings, 'error') - countBy(a.findings, 'error') || countBy(b.findings, 'warning') - countBy(a.findings, 'warning') || SORTS.agency(a, b),
  warnings: (a, b) => countBy(b.findings, 'warning') - countBy(a.findings, 'warning') || SORTS.agency(a, b),
  file: (a, b) => a.record.source.path.localeCompare(b.record.source.path),
};
export const SORT_ZH: Record<string, string> = { errors: '错误数', warnings: '警告数', agency: '机关', region: '行政区划', year: '年度', file: '文件' };

function sortReports(items: ReportItem[], sort = 'errors'): ReportItem[] {
  return items.slice().sort(SORTS[sort] ?? SORTS.errors);
}

const option = (value: string, label: string, selected?: string) => `<option value="${esc(value)}"${value === selected ? ' selected' : ''}>${esc(label)}</option>`;
const select = (name: string, label: string, all: string, options: [string, string][], selected?: string) =>
  `<label>${esc(label)} <select name="${name}" id="filter-${name}">${option('', all, selected ?? '')}${options.map(([v, l]) => option(v, l, selected)).join('')}</select></label>`;

function filterForm(items: ReportItem[], f: Filters): string {
  const agencies = [...new Set(items.map((i) => agencyOf(i.record)))].sort((a, b) => a.localeCompare(b, 'zh'));
  const years = [...new Set(items.map((i) => i.record.meta.year).filter((y): y is number => y != null))].sort((a, b) => b - a);
  const rules = [...new Set(items.flatMap((i) => i.findings.map((x) => x.finding.rule)))].sort();
  // Every division a report lies in or under, province first (codes sort so), and the reports without one.
  const regions = new Map(items.flatMap((i) => regionChain(i.region).map((d) => [d.code, d] as const)));
  const regionOptions: [string, string][] = [...regions.values()].sort((a, b) => a.code.localeCompare(b.code)).map((d) => [d.code, `${'　'.repeat(LEVEL_DEPTH[d.level])}${d.name}（${d.code}）`]);
  if (items.some((i) => !i.region.division)) regionOptions.push([NO_REGION, '区划未定']);
  return `<form id="filters" method="get" action="/">
  <label>搜索 <input type="search" name="q" id="filter-q" value="${esc(f.q ?? '')}" placeholder="机关、标题、文件名"></label>
  ${select('agency', '机关', '全部机关', agencies.map((a) => [a, a]), f.agency)}
  ${select('region', '区划', '全部区划', regionOptions, f.region)}
  ${select('year', '年度', '全部年度', years.map((y) => [String(y), String(y)]), f.year)}
  ${select('rule', '规则', '全部规则', rules.map((r) => [r, `${ruleNameZh(r)}（${r}）`]), f.rule)}
  ${select('severity', '级别', '全部级别', SeveritySchema.options.map((s) => [s, SEVERITY_ZH[s]]), f.severity)}
  ${select('origin', '来源', '全部来源', OriginSchema.options.map((o) => [o, ORIGIN_ZH[o]]), f.origin)}
  ${select('review', '审核', '全部状态', REVIEW_PROGRESS.map((p) => [p, REVIEW_PROGRESS_ZH[p]]), f.review)}
  ${select('sort', '排序', '按错误数', Object.entries(SORT_ZH).filter(([k]) => k !== 'errors'), f.sort)}
  <button type="submit">筛选</button> <a href="/" id="filter-reset">清除</a>
</form>`;
}

const LEVEL_DEPTH = { province: 0, city: 1, county: 2, township: 3 } as const;

/** Short origin names for the counts' columns (the full ones in the tooltip). */
const ORIGIN_SHORT: Record<string, string> = { source: '原文', extraction: '识别', unknown: '未定' };

const byOrigin = (items: FindingItem[], sev: 'error' | 'warning') => {
  const n = countBy(items, sev);
  if (!n) return '<td class="num">0</td>';
  const parts = OriginSchema.options.map((o) => [o, countBy(items, sev, o)] as const).filter(([, c]) => c > 0);
  return `<td class="num"><b>${n}</b> <span class="split">${parts.map(([o, c]) => `<span class="origin-${o}" title="${esc(ORIGIN_ZH[o])}">${ORIGIN_SHORT[o]} ${c}</span>`).join(' ')}</span></td>`;
};

function row(it: ReportItem): string {
  const r = it.record;
  const p = progressOf(it);
  const confirmed = it.findings.filter((x) => stateOf(x) === 'confirmed').length;
  const dismissed = it.findings.filter((x) => stateOf(x) === 'dismissed').length;
  return `<tr data-sha="${esc(r.source.sha256)}">
  <td><a class="report-link" href="/report/${esc(r.source.sha256)}">${esc(agencyOf(r))}</a>${r.meta.title ? `<div class="sub">${esc(r.meta.title)}</div>` : ''}</td>
  ${regionCell(it)}
  <td>${esc(r.meta.year ?? '—')}</td><td>${esc(r.meta.format)}</td><td>${esc(r.source.kind)}${r.source.ocr ? '（OCR）' : ''}</td>
  ${byOrigin(it.findings, 'error')}${byOrigin(it.findings, 'warning')}
  <td class="review-${p}">${esc(REVIEW_PROGRESS_ZH[p])}${confirmed || dismissed ? `<div class="sub">${esc(REVIEW_STATE_ZH.confirmed)} ${confirmed} · ${esc(REVIEW_STATE_ZH.dismissed)} ${dismissed}</div>` : ''}</td>
  <td class="file">${esc(r.source.path)}${r.error ? `<div class="sub error">无法读取：${esc(r.error.code)}</div>` : ''}</td>
</tr>`;
}

/** The region as reports.csv has it; none: a dash, the look-up's reason in the tooltip. */
function regionCell(it: ReportItem): string {
  const { division, name, note } = it.region;
  if (!division) return `<td class="region none" title="${esc(note)}">—</td>`;
  return `<td class="region" data-code="${esc(division.code)}"${note ? ` title="${esc(note)}"` : ''}>${esc(name)}<div class="sub">${esc(division.code)}</div></td>`;
}

/** The page of the list asked for, within the pages there are. */
export function pageSlice<T>(list: T[], asked: number, size = OVERVIEW_SETTINGS.pageSize) {
  const pages = Math.max(1, Math.ceil(list.length / size));
  const page = Math.min(Math.max(1, asked), pages);
  return { page, pages, from: (page - 1) * size, rows: list.slice((page - 1) * size, page * size) };
}

/** Links to the pages: first, last, and a few around the current one; each keeps the filters. */
function pager(page: number, pages: number, f: Filters, id: string): string {
  if (pages <= 1) return '';
  const href = (p: number) => `/?${new URLSearchParams({ ...f, ...(p > 1 ? { page: String(p) } : {}) }).toString()}`;
  const around = OVERVIEW_SETTINGS.pageLinksAround;
  const shown = [...new Set([1, ...Array.from({ length: 2 * around + 1 }, (_, i) => page - around + i), pages])].filter((p) => p >= 1 && p <= pages);
  const links = shown.map((p, i) => `${i && p - shown[i - 1] > 1 ? '<span class="gap">…</span>' : ''}${p === page ? `<b aria-current="page">${p}</b>` : `<a href="${esc(href(p))}">${p}</a>`}`);
  const prev = page > 1 ? `<a rel="prev" href="${esc(href(page - 1))}">上一页</a>` : '';
  const next = page < pages ? `<a rel="next" href="${esc(href(page + 1))}">下一页</a>` : '';
  return `<nav class="pager" id="${id}" aria-label="分页"><span class="page-info">第 ${page} / ${pages} 页</span> ${prev} ${links.join(' ')} ${next}</nav>`;
}

export function renderOverview(items: ReportItem[], f: Filters, askedPage: number, csrf: string, problems: string[]): string {
  const shown = filterReports(items, f);
  const { page, pages, from, rows } = pageSlice(shown, askedPage);
  const matching = shown.flatMap((it) => matchingFindings(it, f));
  const confirmedAgencies = [...new Set(items.filter((i) => i.findings.some((x) => stateOf(x) === 'confirmed')).map((i) => agencyOf(i.record)))].sort((a, b) => a.localeCompare(b, 'zh'));
  const query = new URLSearchParams(Object.entries(f)).toString();
  const range = pages > 1 ? `（本页第 ${from + 1}–${from + rows.length} 份）` : '';
  const body = `<header><h1>政府信息公开年度报告 · 审核</h1></header>
<main class="overview">
${filterForm(items, f)}
<p id="summary">显示 <b id="shown-count">${shown.length}</b> / ${items.length} 份报告${range}；其中问题 <b id="finding-count">${matching.length}</b> 项（错误 ${countBy(matching, 'error')}，警告 ${countBy(matching, 'warning')}，提示 ${countBy(matching, 'info')}；已核实 ${matching.filter((x) => stateOf(x) === 'confirmed').length}，驳回 ${matching.filter((x) => stateOf(x) === 'dismissed').length}）</p>
${problems.length ? `<p class="warn">records.jsonl 中有 ${problems.length} 行无法读取：${esc(problems.slice(0, 3).join('；'))}</p>` : ''}
${pager(page, pages, f, 'pager-top')}
<table id="reports"><thead><tr><th>机关</th><th>行政区划</th><th>年度</th><th>格式</th><th>类型</th><th>错误</th><th>警告</th><th>审核</th><th>文件</th></tr></thead>
<tbody>${rows.map(row).join('\n')}</tbody></table>
${pager(page, pages, f, 'pager-bottom')}
<section id="exports"><h2>导出</h2>
<p>已审核问题：<a id="export-csv" href="/export/findings.csv${query ? `?${esc(query)}` : ''}">CSV</a> · <a id="export-xlsx" href="/export/findings.xlsx${query ? `?${esc(query)}` : ''}">Excel</a>（当前筛选下所有已核实或驳回的问题及备注，不限本页）</p>
<h3>整改清单（按机关，只含已核实问题）</h3>
${confirmedAgencies.length ? `<ul id="agency-lists">${confirmedAgencies.map((a) => `<li><a href="/export/rectification.html?agency=${esc(encodeURIComponent(a))}">${esc(a)}</a></li>`).join('')}</ul>` : '<p class="sub">尚无已核实的问题。</p>'}
</section>
</main>`;
  return layout('审核总览', body, csrf);
}
