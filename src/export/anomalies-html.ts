import { labelOf } from '../format/catalog.js';
import type { Finding, ReportRecord } from '../record/schema.js';
import {
  ORIGIN_ZH,
  ORIGINS,
  SEVERITIES,
  SEVERITY_ZH,
  agencyOf,
  ruleDescription,
  ruleNameZh,
  showValues,
  showValue,
  blankGroupMessage,
  withBlankGroups,
  type Counts,
  type Summary,
} from './anomalies-model.js';
import { MAIN_COLOR, PART_COLOR, type FindingImage } from './anomalies-images.js';
import { pngDataUri } from './render.js';

/**
 * anomalies.html: one self-contained page (inline CSS and script, images as data: URIs, a CSP that
 * forbids every fetch) that opens from disk. Every string from a report goes through `esc`; no report
 * data is ever placed inside the script, so nothing there needs escaping.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** Snapshots are rendered at 144 dpi; shown at this many image pixels per CSS pixel they stay sharp on dense screens. */
const DISPLAY_DENSITY = 1.5;

export interface FindingView {
  finding: Finding;
  images: FindingImage[];
}

export interface ReportView {
  record: ReportRecord;
  findings: FindingView[];
  /** Findings past the image cap, listed without pictures. */
  imagesCapped: number;
  /** Findings not listed at all (past the listing cap). */
  listCapped: number;
  /** Why there are no pictures, when there are none: HTML/text source, unreadable file. */
  imageNote?: string;
}

export interface HtmlPage {
  generated: string;
  summary: Summary;
  reports: ReportView[];
  failed: ReportRecord[];
  limits: { imageFindingsPerReport: number; findingsPerReport: number };
}

export function renderHtml(page: HtmlPage): string {
  const { summary } = page;
  const rules = summary.byRule.map(([r]) => r);
  const agencies = summary.byAgency.map(([a]) => a);
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政府信息公开年度报告 数据异常核查</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>政府信息公开工作年度报告 · 数据异常核查</h1>
<p class="meta">共 ${summary.reports} 份报告，其中 ${summary.withFindings} 份发现问题，共 ${summary.findings} 条；${summary.failed} 份无法读取。生成：${esc(page.generated)}</p>
<p class="legend">“报告本身有误”：按报告所印数字，表格勾稽关系不成立，可据此核实。“可能是识别误差”：涉及的数字由 OCR 或模糊匹配读取，请先对照原文。图中<span style="color:${MAIN_COLOR}">红框</span>为被检查的单元格，<span style="color:${PART_COLOR}">橙框</span>为参与计算的单元格，虚线框为识别不确定的单元格。</p>
</header>
<section id="summary">
<h2>按机关汇总</h2>
${countsTable('机关', 'agency', summary.byAgency, summary.total)}
<h2>按规则汇总</h2>
${countsTable('规则', 'rule', summary.byRule, summary.total)}
</section>
<nav id="filters" aria-label="筛选">
${select('severity', '严重程度', SEVERITIES.map((s) => [s, SEVERITY_ZH[s]]))}
${select('origin', '来源判断', ORIGINS.map((o) => [o, ORIGIN_ZH[o]]))}
${select('rule', '规则', rules.map((r) => [r, r]))}
${select('agency', '机关', agencies.map((a) => [a, a]))}
<button type="button" id="filter-reset">清除筛选</button>
<span class="shown">显示 <b id="visible-count">${summary.findings}</b> / ${summary.findings} 条</span>
</nav>
<main id="reports">
${page.reports.map((r) => reportSection(r, page.limits)).join('\n')}
</main>
${failedSection(page.failed)}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

function countsTable(head: string, filter: string, rows: [string, Counts][], total: Counts): string {
  const cells = (c: Counts) =>
    `<td data-n="reports">${c.reports}</td><td data-n="findings">${c.findings}</td>${SEVERITIES.map((s) => `<td class="n ${s}" data-n="severity:${s}">${c.severity[s] || ''}</td>`).join('')}${ORIGINS.map((o) => `<td class="n" data-n="origin:${o}">${c.origin[o] || ''}</td>`).join('')}`;
  const body = rows
    .map(
      ([name, c]) =>
        `<tr data-group="${filter}" data-key="${esc(name)}"><th scope="row"><button type="button" class="link" data-set-filter="${filter}" data-value="${esc(name)}">${esc(name)}</button>${filter === 'rule' && ruleDescription(name) ? `<br><small class="desc">${esc(ruleDescription(name))}</small>` : ''}</th>${cells(c)}</tr>`,
    )
    .join('\n');
  return `<table class="counts">
<thead><tr><th rowspan="2">${head}</th><th rowspan="2">报告数</th><th rowspan="2">问题数</th><th colspan="3">严重程度</th><th colspan="3">来源判断</th></tr>
<tr>${SEVERITIES.map((s) => `<th>${SEVERITY_ZH[s]}</th>`).join('')}${ORIGINS.map((o) => `<th>${ORIGIN_ZH[o]}</th>`).join('')}</tr></thead>
<tbody>
${body || '<tr><td colspan="9">无</td></tr>'}
</tbody>
${filter === 'agency' ? `<tfoot><tr data-group="total"><th scope="row">合计</th>${cells(total)}</tr></tfoot>` : ''}
</table>`;
}

function select(name: string, label: string, options: [string, string][]): string {
  return `<label>${label} <select data-filter="${name}" id="filter-${name}"><option value="">全部</option>${options
    .map(([v, t]) => `<option value="${esc(v)}">${esc(t)}</option>`)
    .join('')}</select></label>`;
}

function reportSection(view: ReportView, limits: HtmlPage['limits']): string {
  const r = view.record;
  const notes: string[] = [];
  if (view.imageNote) notes.push(view.imageNote);
  if (view.imagesCapped) notes.push(`本报告问题较多，仅前 ${limits.imageFindingsPerReport} 条附原文截图，其余 ${view.imagesCapped} 条只列数字。`);
  if (view.listCapped) notes.push(`另有 ${view.listCapped} 条问题未在此页列出（每份报告最多列 ${limits.findingsPerReport} 条），见 anomalies.md 或 findings.csv。`);
  return `<section class="report" data-agency="${esc(agencyOf(r))}">
<h2>${esc(agencyOf(r))} · ${r.meta.year ?? '年份未识别'}</h2>
<p class="file">文件：<code>${esc(r.source.path)}</code> · 格式：${esc(r.meta.format)} · ${r.source.pages} 页${r.source.ocr ? ' · 含 OCR 识别' : ''}</p>
${notes.map((n) => `<p class="note">${esc(n)}</p>`).join('\n')}
${withBlankGroups(view.findings).map((g) => (Array.isArray(g) ? blankGroupArticle(r, g) : findingArticle(r, g))).join('\n')}
</section>`;
}

const figureHtml = (img: FindingImage, what: string) =>
  `<figure><img src="${pngDataUri(img.png)}" width="${Math.round(img.width / DISPLAY_DENSITY)}" height="${Math.round(img.height / DISPLAY_DENSITY)}" alt="第 ${img.page} 页，${what}"><figcaption>第 ${img.page} 页</figcaption></figure>`;

function blankGroupArticle(r: ReportRecord, group: FindingView[]): string {
  const f = group[0].finding;
  const images = group
    .flatMap((g) => g.images)
    .slice(0, 2)
    .map((img) => figureHtml(img, '空白单元格已框出'))
    .join('');
  return `<article class="finding warning blank-group" data-severity="warning" data-origin="${esc(f.origin)}" data-rule="cell.blank" data-agency="${esc(agencyOf(r))}" data-count="${group.length}">
<div class="head"><span class="badge warning">${SEVERITY_ZH.warning}</span><span class="badge origin-${esc(f.origin)}">${ORIGIN_ZH[f.origin] ?? esc(f.origin)}</span><b class="rule-name">${esc(ruleNameZh('cell.blank'))}</b><code class="rule">cell.blank</code></div>
<p class="message">${esc(blankGroupMessage(group.map((g) => g.finding)))}</p>
<div class="body">${images ? `<div class="images">${images}</div>` : ''}<details><summary>逐行列出</summary><ul>${group.map((g) => `<li>${esc(g.finding.message)}</li>`).join('')}</ul></details></div>
</article>`;
}

function findingArticle(r: ReportRecord, view: FindingView): string {
  const f = view.finding;
  const values = showValues(f);
  const onImage = new Set(view.images.flatMap((i) => i.keys));
  const keyRows = f.keys
    .map((k, i) => {
      const p = r.provenance[k];
      const conf = p && p.confidence < 1 ? ` <span class="conf">置信度 ${p.confidence.toFixed(2)}</span>` : '';
      return `<tr${i === 0 ? ' class="main"' : ''}><td>${i + 1}</td><td><code>${esc(k)}</code></td><td>${esc(labelOf(k))}${p?.label ? `<br><small>原文标签：${esc(p.label)}</small>` : ''}</td><td class="n">${esc(showValue(r, k))}</td><td>${p ? esc(p.text) : ''}</td><td>${p?.page ?? ''}${onImage.has(k) ? ' <span title="已在截图中框出">▣</span>' : ''}</td><td>${p ? esc(p.via) : ''}${conf}</td></tr>`;
    })
    .join('');
  const keysTable = `<table class="keys"><thead><tr><th>#</th><th>键</th><th>名称</th><th>数值</th><th>原文</th><th>页</th><th>读取</th></tr></thead><tbody>${keyRows}</tbody></table>`;
  const keysBlock = f.keys.length > 8 ? `<details><summary>涉及 ${f.keys.length} 个单元格</summary>${keysTable}</details>` : f.keys.length ? keysTable : '';
  const images = view.images
    .map((img) => figureHtml(img, `${img.keys.length} 个单元格已框出`))
    .join('');
  return `<article class="finding ${f.severity}" data-severity="${esc(f.severity)}" data-origin="${esc(f.origin)}" data-rule="${esc(f.rule)}" data-agency="${esc(agencyOf(r))}">
<div class="head"><span class="badge ${esc(f.severity)}">${SEVERITY_ZH[f.severity] ?? esc(f.severity)}</span><span class="badge origin-${esc(f.origin)}">${ORIGIN_ZH[f.origin] ?? esc(f.origin)}</span><b class="rule-name">${esc(ruleNameZh(f.rule))}</b><code class="rule">${esc(f.rule)}</code>${f.page ? `<span class="page">第 ${f.page} 页</span>` : ''}</div>
<p class="message">${esc(f.message)}</p>
${values ? `<p class="values">期望值 <b>${esc(values.expected)}</b> · 实际值 <b>${esc(values.actual)}</b></p>` : ''}
${f.quote ? `<blockquote>${esc(f.quote)}</blockquote>` : ''}
<div class="body">${images ? `<div class="images">${images}</div>` : ''}${keysBlock}</div>
</article>`;
}

function failedSection(failed: ReportRecord[]): string {
  if (!failed.length) return '';
  return `<section id="failed"><h2>无法读取的文件（${failed.length}）</h2><table class="counts"><thead><tr><th>文件</th><th>原因</th><th>说明</th></tr></thead><tbody>${failed
    .map((r) => `<tr><td><code>${esc(r.source.path)}</code></td><td>${esc(r.error?.code)}</td><td>${esc(r.error?.message)}</td></tr>`)
    .join('')}</tbody></table></section>`;
}

const CSS = `
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0 auto;max-width:1200px;padding:0 16px 48px;color:#222;line-height:1.5}
h1{font-size:1.5em;margin:20px 0 4px}h2{font-size:1.15em;margin:24px 0 8px}
.meta,.legend,.file{color:#555;font-size:.9em;margin:4px 0}
table{border-collapse:collapse;font-size:.88em}th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
thead th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.error{color:#b00000;font-weight:bold}td.warning{color:#a15c00}
.desc{font-weight:normal;color:#666}
button.link{background:none;border:none;padding:0;color:#0645ad;cursor:pointer;font:inherit;text-align:left}
#filters{position:sticky;top:0;background:#fff;border-bottom:1px solid #ccc;padding:8px 0;margin:16px 0;display:flex;flex-wrap:wrap;gap:10px 16px;align-items:center;z-index:1}
#filters select{max-width:240px}.shown{margin-left:auto}
.report{border-top:2px solid #333;margin-top:24px}.note{background:#fff7e0;border-left:4px solid #f0b000;padding:4px 8px;font-size:.9em}
.finding{border:1px solid #ddd;border-left:5px solid #999;margin:12px 0;padding:8px 12px;border-radius:3px}
.finding.error{border-left-color:#c00000}.finding.warning{border-left-color:#e08a00}.finding.info{border-left-color:#3a7bd5}
[hidden]{display:none!important}
.head{display:flex;gap:8px;align-items:center;flex-wrap:wrap}.rule{color:#444}.page{color:#666;font-size:.9em}
.badge{font-size:.8em;padding:1px 6px;border-radius:3px;color:#fff;background:#777}
.badge.error{background:#c00000}.badge.warning{background:#d07a00}.badge.info{background:#3a7bd5}
.badge.origin-source{background:#5a2d82}.badge.origin-extraction{background:#2f7d5c}.badge.origin-unknown{background:#666}
.message{font-weight:bold;margin:6px 0}.values{margin:4px 0}
blockquote{margin:6px 0;padding:4px 10px;border-left:3px solid #bbb;color:#444;background:#fafafa}
.body{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
.images{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0}
figure{margin:0}figure img{max-width:100%;height:auto;border:1px solid #bbb}figcaption{font-size:.8em;color:#666}
table.keys tr.main td{background:#fff0f0}.conf{color:#2f7d5c;font-size:.85em}
`;

// Plain script, no data inside: filters compare each finding's data-* attributes with the selects.
const SCRIPT = `
(function(){
  var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-filter]'));
  var findings = Array.prototype.slice.call(document.querySelectorAll('article.finding'));
  var reports = Array.prototype.slice.call(document.querySelectorAll('section.report'));
  function apply(){
    var shown = 0;
    findings.forEach(function(f){
      var ok = selects.every(function(s){ return !s.value || f.getAttribute('data-' + s.getAttribute('data-filter')) === s.value; });
      f.hidden = !ok;
      if (ok) shown += Number(f.getAttribute('data-count') || 1);
    });
    reports.forEach(function(r){ r.hidden = !r.querySelector('article.finding:not([hidden])'); });
    document.getElementById('visible-count').textContent = String(shown);
    recount();
  }
  // The summary tables count what the filters show: each row from the visible findings of its agency or rule.
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-group]'));
  rows.forEach(function(row){ Array.prototype.slice.call(row.querySelectorAll('td[data-n]')).forEach(function(td){ td.setAttribute('data-all', td.textContent); }); });
  function recount(){
    // Unfiltered, the tables keep their printed counts (reports without findings included).
    var filtered = selects.some(function(s){ return !!s.value; });
    rows.forEach(function(row){
      var group = row.getAttribute('data-group'), key = row.getAttribute('data-key');
      var n = {}, seen = [];
      findings.forEach(function(f){
        if (f.hidden || (group !== 'total' && f.getAttribute('data-' + group) !== key)) return;
        var c = Number(f.getAttribute('data-count') || 1);
        ['findings', 'severity:' + f.getAttribute('data-severity'), 'origin:' + f.getAttribute('data-origin')].forEach(function(k){ n[k] = (n[k] || 0) + c; });
        var report = f.closest('section.report');
        if (seen.indexOf(report) < 0) seen.push(report);
      });
      n.reports = seen.length;
      Array.prototype.slice.call(row.querySelectorAll('td[data-n]')).forEach(function(td){
        var k = td.getAttribute('data-n'), v = n[k] || 0;
        td.textContent = !filtered ? td.getAttribute('data-all') : v || k === 'reports' || k === 'findings' ? String(v) : '';
      });
    });
  }
  selects.forEach(function(s){ s.addEventListener('change', apply); });
  document.getElementById('filter-reset').addEventListener('click', function(){ selects.forEach(function(s){ s.value = ''; }); apply(); });
  Array.prototype.slice.call(document.querySelectorAll('[data-set-filter]')).forEach(function(b){
    b.addEventListener('click', function(){
      var s = document.getElementById('filter-' + b.getAttribute('data-set-filter'));
      s.value = b.getAttribute('data-value');
      apply();
      document.getElementById('filters').scrollIntoView();
    });
  });
  apply();
})();
`;
