import { findingKey, REVIEW_STATE_ZH, type Review } from '../../batch/reviews.js';
import { esc } from '../../export/anomalies-html.js';
import { ORIGIN_ZH, SEVERITY_ZH, showValues, TABLE_NAMES, withBlankGroups } from '../../export/anomalies-model.js';
import { orderedKeys } from '../../export/csv.js';
import { labelOf } from '../../format/catalog.js';
import { ruleNameZh } from '../../validate/rule-names.js';
import { agencyOf, stateOf, type FindingItem, type ReportItem } from './model.js';
import { jsonBlock, layout } from './layout.js';
import type { PageSize } from './sources.js';
import type { Provenance } from '../../record/schema.js';

/** One report: its pages with the cells over them, its findings to review, its cells to correct. */

export const VIA_ZH: Record<string, string> = { text: 'PDF 文字层', ocr: '图像识别（OCR）', html: '网页表格', stream: '纯文本' };

const fmt = (v: number | null | undefined) => (v === null ? '（空白）' : v === undefined ? '—' : String(v));

function reviewControls(keys: string[], state: string, note: string): string {
  return `<div class="review" data-fkeys="${esc(JSON.stringify(keys))}">
  <span class="state state-${esc(state)}">${esc(REVIEW_STATE_ZH[state as 'open'])}</span>
  <button type="button" class="act-confirm" data-state="confirmed">已核实</button>
  <button type="button" class="act-dismiss" data-state="dismissed">驳回</button>
  <button type="button" class="act-reopen" data-state="open">待审</button>
  <textarea class="note" rows="2" placeholder="备注（驳回时请说明理由）">${esc(note)}</textarea>
  <button type="button" class="act-note">保存备注</button>
</div>`;
}

function cellChips(item: ReportItem, keys: string[]): string {
  return keys
    .map((k, i) => `<button type="button" class="chip${i === 0 ? ' main' : ''}${item.corrections.has(k) ? ' corrected' : ''}" data-key="${esc(k)}">${esc(labelOf(k))} <b>${esc(fmt(item.corrected.cells[k]))}</b></button>`)
    .join(' ');
}

/** `crop`: the finding's index in the report's findings, when its evidence can be cut from a page. */
function findingCard(item: ReportItem, f: FindingItem, fresh: boolean, crop: number | null): string {
  const x = f.finding;
  const values = showValues(x);
  const img = crop === null ? '' : `<img class="crop" src="/crop/${esc(item.record.source.sha256)}/${crop}.png" loading="lazy" alt="原文截图：${esc(ruleNameZh(x.rule))}">`;
  return `<article class="finding sev-${x.severity} origin-${x.origin} state-${stateOf(f)}" data-fkey="${esc(f.key)}" data-keys="${esc(JSON.stringify(x.keys))}">
  <h3><span class="badge sev">${esc(SEVERITY_ZH[x.severity])}</span> <span class="badge origin">${esc(ORIGIN_ZH[x.origin])}</span> ${esc(ruleNameZh(x.rule))} <code>${esc(x.rule)}</code>${fresh ? ' <span class="badge fresh">更正后新出现</span>' : ''}</h3>
  <p class="message">${esc(x.message)}</p>
  ${values ? `<p class="values">应为 ${esc(values.expected)}，实为 ${esc(values.actual)}</p>` : ''}
  ${x.quote ? `<blockquote>${esc(x.quote)}</blockquote>` : ''}
  ${img}
  ${x.keys.length ? `<p class="cells">${cellChips(item, x.keys)}</p>` : ''}
  ${reviewControls([f.key], stateOf(f), f.review?.note ?? '')}
</article>`;
}

/** `cell.blank` warnings, one card per table and origin (as in anomalies.html): a blank column makes dozens. */
function blankGroup(list: FindingItem[]): string {
  const t = list[0].finding.keys[0].split('.')[0];
  const keys = list.flatMap((f) => f.finding.keys);
  const states = new Set(list.map(stateOf));
  const state = states.size === 1 ? [...states][0] : 'open';
  const notes = [...new Set(list.map((f) => f.review?.note ?? '').filter(Boolean))].join('；');
  return `<article class="finding blank-group sev-warning origin-${list[0].finding.origin} state-${state}" data-fkey="${esc(list.map((f) => f.key).join(' '))}" data-keys="${esc(JSON.stringify(keys))}">
  <h3><span class="badge sev">${esc(SEVERITY_ZH.warning)}</span> <span class="badge origin">${esc(ORIGIN_ZH[list[0].finding.origin])}</span> ${esc(TABLE_NAMES[t] ?? t)}：${list.length} 行有空白单元格（共 ${keys.length} 格） <code>cell.blank</code></h3>
  <p class="message">空白单元格在求和时按 0 计算。</p>
  <details><summary>逐行列出</summary><ul>${list.map((f) => `<li>${esc(f.finding.message)}</li>`).join('')}</ul></details>
  ${reviewControls(list.map((f) => f.key), state, notes)}
</article>`;
}

function pagesHtml(item: ReportItem, sizes: Map<number, PageSize> | null): string {
  const r = item.record;
  if (r.source.kind !== 'pdf') return `<p class="note">原文为${r.source.kind === 'html' ? '网页' : '纯文本'}，无页面图像；单元格见下表。</p>`;
  if (!sizes) return '<p class="note">原文件不在批处理时的位置，或内容已变更，无法显示页面图像（可用 --sources 指明原文件所在目录）。</p>';
  const byPage = new Map<number, string[]>();
  for (const [k, p] of Object.entries(r.provenance)) if (p.page && p.bbox) byPage.set(p.page, [...(byPage.get(p.page) ?? []), k]);
  return [...byPage.keys()]
    .sort((a, b) => a - b)
    .filter((n) => sizes.has(n))
    .map((n) => {
      const s = sizes.get(n)!;
      const cells = byPage
        .get(n)!
        .map((k) => `<button type="button" class="cell${item.corrections.has(k) ? ' corrected' : ''}" data-key="${esc(k)}" data-bbox="${esc(r.provenance[k].bbox!.join(','))}" title="${esc(labelOf(k))}"></button>`)
        .join('');
      return `<figure class="page" id="page-${n}" data-page="${n}" data-w="${s.width}" data-h="${s.height}"><img src="/page/${esc(r.source.sha256)}/${n}.png" alt="第 ${n} 页" loading="lazy">${cells}<figcaption>第 ${n} 页</figcaption></figure>`;
    })
    .join('\n');
}

function cellsTable(item: ReportItem): string {
  const keys = orderedKeys(item.record.cells);
  return `<table id="cells"><thead><tr><th>单元格</th><th>键</th><th>原文</th><th>读数</th><th>现值</th><th>置信度</th></tr></thead><tbody>${keys
    .map((k) => {
      const p = item.record.provenance[k];
      return `<tr data-key="${esc(k)}"${item.corrections.has(k) ? ' class="corrected"' : ''}><td>${esc(labelOf(k))}</td><td><code>${esc(k)}</code></td><td>${esc(p?.text ?? '')}</td><td>${esc(fmt(item.record.cells[k]))}</td><td>${esc(fmt(item.corrected.cells[k]))}</td><td>${esc(p ? p.confidence.toFixed(2) : '')}</td></tr>`;
    })
    .join('')}</tbody></table>`;
}

function orphansHtml(orphans: Review[]): string {
  if (!orphans.length) return '';
  return `<section id="orphans"><h2>原问题已不存在的审核</h2><p class="sub">这些审核所针对的问题在本次批处理中已不再出现（规则或读数已变化）；审核记录仍保留。</p><ul>${orphans
    .map((o) => `<li class="orphan state-${esc(o.state)}"><b>${esc(REVIEW_STATE_ZH[o.state])}</b> ${esc(ruleNameZh(o.rule))} <code>${esc(o.rule)}</code>：${esc(o.message)}${o.note ? `<div class="sub">备注：${esc(o.note)}</div>` : ''}</li>`)
    .join('')}</ul></section>`;
}

function correctionsHtml(item: ReportItem): string {
  if (!item.corrections.size) return '';
  const resolved = item.resolved.length
    ? `<p id="recheck">已按更正值重新检查：${item.resolved.length} 项问题不再成立。</p><ul id="resolved">${item.resolved.map((f) => `<li><code>${esc(f.finding.rule)}</code> ${esc(f.finding.message)}</li>`).join('')}</ul>`
    : '<p id="recheck">已按更正值重新检查：原有问题仍然成立。</p>';
  return `<section id="corrections"><h2>单元格更正</h2><ul>${[...item.corrections.values()]
    .map((c) => `<li data-key="${esc(c.key)}">${esc(labelOf(c.key))} <code>${esc(c.key)}</code>：原文「${esc(item.record.provenance[c.key]?.text ?? '')}」读作 ${esc(fmt(item.record.cells[c.key]))}，更正为 <b>${esc(fmt(c.value))}</b>。理由：${esc(c.reason)} <button type="button" class="act-uncorrect" data-key="${esc(c.key)}">撤销</button></li>`)
    .join('')}</ul>${resolved}</section>`;
}

/** Where a cell was read, in the source's own terms: a page, a web page's table cell, a line of text. */
function whereOf(p: Provenance): string {
  if (p.via === 'html' && p.row) return `第 ${p.table ?? 1} 个表格 第 ${p.row} 行 第 ${p.col ?? '?'} 列`;
  if (p.via === 'stream' && p.line) return `第 ${p.line} 行`;
  return p.page ? `第 ${p.page} 页` : '—';
}

/** What the page's script needs about each cell: its label, values and provenance. */
function cellData(item: ReportItem) {
  const r = item.record;
  return Object.fromEntries(
    orderedKeys(r.cells).map((k) => {
      const p = r.provenance[k];
      const c = item.corrections.get(k);
      return [k, { label: labelOf(k), read: r.cells[k], value: item.corrected.cells[k], text: p?.text ?? null, confidence: p?.confidence ?? null, via: p ? (VIA_ZH[p.via] ?? p.via) : null, page: p?.page ?? null, where: p ? whereOf(p) : null, bbox: p?.bbox ?? null, printedLabel: p?.label ?? null, correction: c ? { value: c.value, reason: c.reason, at: c.at } : null }];
    }),
  );
}

const cellPanel = `<section id="cell-panel" hidden><h2>单元格</h2><dl id="cell-info"></dl>
<form id="correct-form"><label>更正为 <input name="value" id="correct-value" inputmode="decimal" placeholder="数字；留空表示空白"></label>
<label>理由 <input name="reason" id="correct-reason" required placeholder="例如：原文打印为 12，识别为 17"></label>
<button type="submit">保存更正</button></form><p class="sub">原文读数保留；保存后按更正值重新检查。</p></section>`;

export function renderReport(item: ReportItem, sizes: Map<number, PageSize> | null, csrf: string): string {
  const r = item.record;
  const originalKeys = new Set(r.findings.map(findingKey));
  const fresh = (f: FindingItem) => item.corrections.size > 0 && !originalKeys.has(f.key);
  // Without page images the cells' table takes their place beside the findings.
  const pictured = r.source.kind === 'pdf' && !!sizes;
  const table = `<section id="cell-table"><h2>全部单元格</h2>${cellsTable(item)}</section>`;
  const crop = (f: FindingItem) => (sizes && f.finding.keys.some((k) => r.provenance[k]?.bbox) ? item.findings.indexOf(f) : null);
  const body = `<header><a href="/" id="back">← 总览</a><h1>${esc(agencyOf(r))}</h1>
<p class="sub">${esc(r.meta.title ?? '')} · ${esc(r.meta.year ?? '年度未识别')} · 格式 ${esc(r.meta.format)} · ${esc(r.source.path)} · sha256 ${esc(r.source.sha256.slice(0, 12))}…</p>
${r.error ? `<p class="warn">无法读取：${esc(r.error.code)} ${esc(r.error.message)}</p>` : ''}</header>
<main class="report" data-sha="${esc(r.source.sha256)}">
<div class="pages">${pagesHtml(item, sizes)}${pictured ? '' : table}</div>
<aside>${cellPanel}
<section id="findings"><h2>问题 ${item.findings.length} 项</h2>
${withBlankGroups(item.findings).map((g) => (Array.isArray(g) ? blankGroup(g) : findingCard(item, g, fresh(g), crop(g)))).join('\n')}
${item.findings.length ? '' : '<p>未发现问题。</p>'}
</section>
${correctionsHtml(item)}
${orphansHtml(item.orphans)}
</aside>
${pictured ? table : ''}
</main>
${jsonBlock('cells-data', cellData(item))}`;
  return layout(agencyOf(r), body, csrf);
}
