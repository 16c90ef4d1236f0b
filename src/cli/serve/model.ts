import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findingKey, type Correction, type Review, type ReviewState, type ReviewStore } from '../../batch/reviews.js';
import { identifyAgency } from '../../export/agency.js';
import { agencyOf, orderFindings } from '../../export/anomalies-model.js';
import { divisionByCode, fullName, type Division } from '../../export/region.js';
import type { Finding, Origin, ReportRecord, Severity } from '../../record/schema.js';
import { parseRecords } from '../../validate/check.js';
import { validate } from '../../validate/index.js';

/**
 * What the review app shows, computed from a results folder: its records (records.jsonl, re-read when a batch
 * rewrites it) with the reviewers' corrections applied and the rules run again on them, and every finding
 * paired with its review. Nothing here writes; the store is read afresh on each request (reviews are few).
 */

export interface FindingItem {
  finding: Finding;
  key: string;
  review?: Review;
}

export interface ReportItem {
  record: ReportRecord;
  /** The record with the corrections' values in its cells (provenance, the printed text, unchanged). */
  corrected: ReportRecord;
  corrections: Map<string, Correction>;
  /** Findings after corrections, most severe first. */
  findings: FindingItem[];
  /** Findings of the batch that the corrected values no longer raise. */
  resolved: FindingItem[];
  /** Reviews of findings that neither the batch nor the corrected values raise any more. */
  orphans: Review[];
  region: ReportRegion;
}

/** Where the agency is, by the region look-up of reports.csv (region_code, region_name). */
export interface ReportRegion {
  /** The agency's division, or for a township the division list lacks, the one above it. */
  division?: Division;
  /** Its full name, province first (a township the list lacks: the name above it, then 下属乡镇). */
  name: string;
  /** Why there is no division, or how it was found (the look-up's own note, as in reports.csv). */
  note: string;
}

export function regionOf(record: ReportRecord): ReportRegion {
  const id = identifyAgency(record);
  const own = id.region_code ? divisionByCode(id.region_code) : undefined;
  if (own) return { division: own, name: id.region_name, note: id.region_note };
  const above = id.level === 'township' && id.parent_code ? divisionByCode(id.parent_code) : undefined;
  if (above) return { division: above, name: `${fullName(above)}下属乡镇`, note: id.region_note };
  return { name: '', note: id.region_note };
}

/** The division and every division above it: a filter by a province finds its cities' and counties' reports. */
export function regionChain(region: ReportRegion): Division[] {
  const out: Division[] = [];
  for (let d = region.division; d; d = d.parent) out.push(d);
  return out;
}

export const REVIEW_PROGRESS = ['none', 'partial', 'done', 'clean'] as const;
export type ReviewProgress = (typeof REVIEW_PROGRESS)[number];
export const REVIEW_PROGRESS_ZH: Record<ReviewProgress, string> = { none: '未审', partial: '审核中', done: '已审完', clean: '无问题' };

export function progressOf(item: ReportItem): ReviewProgress {
  if (!item.findings.length) return 'clean';
  const reviewed = item.findings.filter((f) => f.review && f.review.state !== 'open').length;
  return reviewed === 0 ? 'none' : reviewed === item.findings.length ? 'done' : 'partial';
}

export function countBy(items: FindingItem[], severity: Severity, origin?: Origin) {
  return items.filter((f) => f.finding.severity === severity && (!origin || f.finding.origin === origin)).length;
}

export const stateOf = (f: FindingItem): ReviewState => f.review?.state ?? 'open';

/** Rules whose findings need the whole batch: kept from the batch, not re-run on one corrected record. */
const isAcross = (f: Finding) => f.rule.startsWith('xyear.');

export function buildItem(record: ReportRecord, reviews: Review[], corrections: Correction[]): ReportItem {
  const byKey = new Map(reviews.map((r) => [r.findingKey, r]));
  const corr = new Map(corrections.map((c) => [c.key, c]));
  const corrected: ReportRecord = corr.size ? { ...record, cells: { ...record.cells } } : record;
  for (const c of corr.values()) if (c.key in record.cells) corrected.cells[c.key] = c.value;
  const current = corr.size ? [...validate(corrected), ...record.findings.filter(isAcross)] : record.findings;
  const item = (finding: Finding): FindingItem => {
    const key = findingKey(finding);
    return { finding, key, review: byKey.get(key) };
  };
  const findings = orderFindings(current).map(item);
  const now = new Set(findings.map((f) => f.key));
  const resolved = record.findings.map(item).filter((f) => !now.has(f.key));
  const known = new Set([...now, ...resolved.map((f) => f.key)]);
  return { record, corrected, corrections: corr, findings, resolved, orphans: reviews.filter((r) => !known.has(r.findingKey)), region: regionOf(record) };
}

/** The results folder: records by content hash, re-read when records.jsonl changes. */
export class Results {
  private loaded?: { mtimeMs: number; size: number; records: ReportRecord[]; problems: string[] };

  constructor(
    readonly dir: string,
    readonly store: ReviewStore,
  ) {}

  get recordsPath() {
    return join(this.dir, 'records.jsonl');
  }

  async records(): Promise<{ records: ReportRecord[]; problems: string[] }> {
    const st = statSync(this.recordsPath);
    if (!this.loaded || this.loaded.mtimeMs !== st.mtimeMs || this.loaded.size !== st.size) {
      const { records, problems } = parseRecords(this.recordsPath, await readFile(this.recordsPath, 'utf8'));
      // The same file twice in a batch (a folder and a zip of it) is one report to review.
      const seen = new Set<string>();
      const distinct = records.filter((r) => !seen.has(r.source.sha256) && seen.add(r.source.sha256));
      this.loaded = { mtimeMs: st.mtimeMs, size: st.size, records: distinct, problems };
    }
    return this.loaded;
  }

  async items(): Promise<ReportItem[]> {
    const { records } = await this.records();
    const reviews = group(this.store.reviews(), (r) => r.sha256);
    const corrections = group(this.store.corrections(), (c) => c.sha256);
    return records.map((r) => buildItem(r, reviews.get(r.source.sha256) ?? [], corrections.get(r.source.sha256) ?? []));
  }

  async item(sha256: string): Promise<ReportItem | undefined> {
    const { records } = await this.records();
    const record = records.find((r) => r.source.sha256 === sha256);
    if (!record) return undefined;
    return buildItem(
      record,
      this.store.reviews().filter((r) => r.sha256 === sha256),
      this.store.corrections().filter((c) => c.sha256 === sha256),
    );
  }
}

function group<T>(list: T[], by: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const t of list) {
    const k = by(t);
    const l = out.get(k) ?? [];
    l.push(t);
    out.set(k, l);
  }
  return out;
}

export { agencyOf };
