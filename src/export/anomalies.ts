import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding, ReportRecord } from '../record/schema.js';
import { TOOL_VERSION } from '../version.js';
import { defaultImageLimits, PageSnapshots, type FindingImage, type ImageLimits } from './anomalies-images.js';
import { renderHtml, type ReportView } from './anomalies-html.js';
import { renderMarkdown } from './anomalies-md.js';
import { writeFileAtomic } from './atomic.js';
import { orderFindings, orderReports, summarize } from './anomalies-model.js';

/**
 * The anomaly reports for oversight bodies (政务公开 offices): anomalies.html, one page that opens
 * from disk with a snapshot of the report around every finding's cells, and anomalies.md, the same as
 * text. Rendering is bounded per report and per run, and a report that cannot be rendered still has
 * its findings listed: nothing here takes a batch down.
 */

export interface AnomalyOptions {
  /** The bytes of the report's source file, or null when they are no longer at hand. */
  readSource(record: ReportRecord): Promise<Uint8Array | null>;
  /** Findings of one report that get snapshots (the most severe first). */
  imageFindingsPerReport?: number;
  /** Findings of one report listed in the HTML (the Markdown lists all). */
  findingsPerReport?: number;
  /** Snapshots in the whole page: keeps a batch of thousands of reports to a page a browser can open. */
  maxImages?: number;
  images?: Partial<ImageLimits>;
  /**
   * Renders one report's snapshots (default imagesFor, in this process). The batch renders them in a worker
   * process, under the per-file time and memory limits: a page that would take minutes or gigabytes to draw
   * costs its report its pictures, nothing more. A rejection leaves the report's findings without pictures.
   */
  renderImages?: (bytes: Uint8Array, record: ReportRecord, findings: Finding[], limits: ImageLimits) => Promise<FindingImage[][]>;
  /**
   * A line on the page saying when or from what it was made. The default names the tool version only,
   * so that the same records always give the same bytes (a re-run batch re-exports identical pages).
   */
  generated?: string;
}

export const defaultAnomalyOptions = { imageFindingsPerReport: 12, findingsPerReport: 200, maxImages: 1000 };

export async function writeAnomalyReports(records: ReportRecord[], outDir: string, opts: AnomalyOptions): Promise<void> {
  const generated = opts.generated ?? `xxgk-audit ${TOOL_VERSION}`;
  const summary = summarize(records);
  const ordered = orderReports(records);
  const withFindings = ordered.filter((r) => r.findings.length > 0);
  const failed = ordered.filter((r) => r.error);
  const views = await buildViews(withFindings, opts);
  await mkdir(outDir, { recursive: true });
  const limits = {
    imageFindingsPerReport: opts.imageFindingsPerReport ?? defaultAnomalyOptions.imageFindingsPerReport,
    findingsPerReport: opts.findingsPerReport ?? defaultAnomalyOptions.findingsPerReport,
  };
  // Whole files or none: a full disk leaves the previous reports in place and the error goes to the caller.
  await writeFileAtomic(join(outDir, 'anomalies.html'), renderHtml({ generated, summary, reports: views, failed, limits }));
  await writeFileAtomic(join(outDir, 'anomalies.md'), renderMarkdown({ generated, summary, reports: withFindings, failed }));
}

/** Findings per report with their snapshots, one source document open at a time. */
export async function buildViews(records: ReportRecord[], opts: AnomalyOptions): Promise<ReportView[]> {
  const perReport = opts.imageFindingsPerReport ?? defaultAnomalyOptions.imageFindingsPerReport;
  const listed = opts.findingsPerReport ?? defaultAnomalyOptions.findingsPerReport;
  let budget = opts.maxImages ?? defaultAnomalyOptions.maxImages;
  const limits: ImageLimits = { ...defaultImageLimits, ...opts.images };
  const views: ReportView[] = [];
  for (const record of records) {
    const findings = orderFindings(record.findings).slice(0, listed);
    const view: ReportView = { record, findings: findings.map((finding) => ({ finding, images: [] })), imagesCapped: 0, listCapped: record.findings.length - findings.length };
    views.push(view);
    const placed = findings.filter((f) => f.keys.some((k) => record.provenance[k]?.bbox && record.provenance[k]?.page));
    if (!placed.length) {
      if (findings.some((f) => f.keys.length)) view.imageNote = noPositionNote(record);
      continue;
    }
    if (budget <= 0) {
      view.imageNote = '本页截图数量已达上限，本报告未附截图。';
      continue;
    }
    try {
      const bytes = await opts.readSource(record);
      if (!bytes) {
        view.imageNote = '原文件不可用，未附截图。';
        continue;
      }
      const chosen = view.findings.filter((fv) => placed.includes(fv.finding));
      const shown = chosen.slice(0, Math.min(perReport, budget));
      view.imagesCapped = chosen.length - shown.length;
      const images = await (opts.renderImages ?? imagesFor)(bytes, record, shown.map((fv) => fv.finding), limits);
      shown.forEach((fv, i) => (fv.images = images[i] ?? []));
      budget -= images.reduce((n, imgs) => n + imgs.length, 0);
    } catch (err) {
      view.imageNote = `原文无法渲染，未附截图：${(err as Error)?.message ?? String(err)}`;
    }
  }
  return views;
}

/** Snapshots for each finding of one report, in process; a finding whose page pdfjs cannot draw gets none. */
export async function imagesFor(bytes: Uint8Array, record: ReportRecord, findings: Finding[], limits: ImageLimits = defaultImageLimits): Promise<FindingImage[][]> {
  const snaps = await PageSnapshots.open(bytes, limits);
  try {
    const out: FindingImage[][] = [];
    // One page that pdfjs cannot draw costs that finding its picture, not the report its others.
    for (const f of findings) out.push(await snaps.forFinding(record, f).catch(() => []));
    return out;
  } finally {
    await snaps.close().catch(() => {});
  }
}

function noPositionNote(record: ReportRecord): string {
  if (record.source.kind === 'html') return '原文为网页（HTML），无版面位置，只列数字。';
  if (record.source.kind === 'text') return '原文为纯文本，无版面位置，只列数字。';
  return '未能定位单元格在页面上的位置，只列数字。';
}
