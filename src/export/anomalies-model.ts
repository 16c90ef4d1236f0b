import { ACROSS_RULES } from '../validate/across.js';
import { RULES } from '../validate/index.js';
import { RULE_NAMES_ZH, ruleNameZh } from '../validate/rule-names.js';

export { ruleNameZh };
import type { Finding, Origin, ReportRecord, Severity } from '../record/schema.js';

/** What the anomaly pages show, independent of HTML or Markdown: findings per report, ordered, with counts. */

export const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
export const ORIGINS: Origin[] = ['source', 'unknown', 'extraction'];

export const SEVERITY_ZH: Record<Severity, string> = { error: '错误', warning: '警告', info: '提示' };
export const ORIGIN_ZH: Record<Origin, string> = { source: '报告本身有误', extraction: '可能是识别误差', unknown: '无法判定' };

/** Reports whose agency could not be read are still listed, under this name. */
export const UNKNOWN_AGENCY = '（未识别机关）';

export const agencyOf = (r: ReportRecord) => r.meta.agency?.trim() || UNKNOWN_AGENCY;

export interface Counts {
  findings: number;
  reports: number;
  severity: Record<Severity, number>;
  origin: Record<Origin, number>;
}

const emptyCounts = (): Counts => ({
  findings: 0,
  reports: 0,
  severity: { error: 0, warning: 0, info: 0 },
  origin: { source: 0, extraction: 0, unknown: 0 },
});

export interface Summary {
  reports: number;
  failed: number;
  withFindings: number;
  findings: number;
  total: Counts;
  byAgency: [string, Counts][];
  byRule: [string, Counts][];
}

/** Findings most worth a reader's time first: errors before warnings, the report's own errors before ours. */
export function orderFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort(
      (a, b) =>
        SEVERITIES.indexOf(a.f.severity) - SEVERITIES.indexOf(b.f.severity) ||
        ORIGINS.indexOf(a.f.origin) - ORIGINS.indexOf(b.f.origin) ||
        a.f.rule.localeCompare(b.f.rule) ||
        a.i - b.i,
    )
    .map((x) => x.f);
}

/** Reports grouped by agency (by name), then year, then file: the order both pages list them in. */
export function orderReports(records: ReportRecord[]): ReportRecord[] {
  return records
    .slice()
    .sort(
      (a, b) =>
        agencyOf(a).localeCompare(agencyOf(b), 'zh') ||
        (a.meta.year ?? 0) - (b.meta.year ?? 0) ||
        a.source.path.localeCompare(b.source.path),
    );
}

export function summarize(records: ReportRecord[]): Summary {
  const total = emptyCounts();
  const agencies = new Map<string, Counts>();
  const rules = new Map<string, Counts & { seen: Set<ReportRecord> }>();
  for (const r of records) {
    const agency = agencyOf(r);
    const a = agencies.get(agency) ?? emptyCounts();
    agencies.set(agency, a);
    a.reports++;
    total.reports++;
    for (const f of r.findings) {
      for (const c of [total, a]) add(c, f);
      let rc = rules.get(f.rule);
      if (!rc) rules.set(f.rule, (rc = { ...emptyCounts(), seen: new Set() }));
      add(rc, f);
      if (!rc.seen.has(r)) {
        rc.seen.add(r);
        rc.reports++;
      }
    }
  }
  const byWeight = (x: [string, Counts], y: [string, Counts]) =>
    y[1].severity.error - x[1].severity.error || y[1].findings - x[1].findings || x[0].localeCompare(y[0], 'zh');
  return {
    reports: records.length,
    failed: records.filter((r) => r.error).length,
    withFindings: records.filter((r) => r.findings.length > 0).length,
    findings: total.findings,
    total,
    byAgency: [...agencies].sort(byWeight),
    byRule: [...rules].map(([k, v]): [string, Counts] => [k, { findings: v.findings, reports: v.reports, severity: v.severity, origin: v.origin }]).sort(byWeight),
  };
}

function add(c: Counts, f: Finding) {
  c.findings++;
  c.severity[f.severity]++;
  c.origin[f.origin]++;
}

/** A value as printed in the page: blank cells say so, missing keys say so. */
export function showValue(record: ReportRecord, key: string): string {
  if (!(key in record.cells)) return '（无此单元格）';
  const v = record.cells[key];
  return v === null ? '（空白）' : String(v);
}

/** Expected and actual as a pair worth printing, or null when neither says anything (both absent or blank). */
export function showValues(f: Finding): { expected: string; actual: string } | null {
  if (f.expected == null && f.actual == null) return null;
  return { expected: f.expected == null ? '—' : String(f.expected), actual: f.actual == null ? '—' : String(f.actual) };
}

const DESCRIPTIONS = new Map<string, string>([...RULES, ...ACROSS_RULES].map((r) => [r.id, r.description]));
/** What a rule checks: its Chinese name for the reader, then the rules table's own description. */
export const ruleDescription = (id: string) => [RULE_NAMES_ZH[id], DESCRIPTIONS.get(id)].filter(Boolean).join('：');

/**
 * `cell.blank` findings, one per blank row, gathered into one card per table and origin (a township that
 * leaves a column blank has dozens), in the place of the first of them; every other finding stays itself.
 */
export function withBlankGroups<T extends { finding: Finding }>(findings: T[]): (T | T[])[] {
  const out: (T | T[])[] = [];
  const groups = new Map<string, T[]>();
  for (const fv of findings) {
    const f = fv.finding;
    if (f.rule !== 'cell.blank' || !f.keys.length) {
      out.push(fv);
      continue;
    }
    const id = `${f.keys[0].split('.')[0]}|${f.origin}`;
    const group = groups.get(id);
    if (group) group.push(fv);
    else {
      const fresh = [fv];
      groups.set(id, fresh);
      out.push(fresh);
    }
  }
  return out;
}

export const TABLE_NAMES: Record<string, string> = { t2: '表二 主动公开', t3: '表三 依申请公开', t4: '表四 行政复议和行政诉讼' };

/** The one line a table's group of blank-cell warnings says, in anomalies.html and anomalies.md alike. */
export function blankGroupMessage(group: Finding[]): string {
  const table = group[0].keys[0].split('.')[0];
  const cells = group.reduce((n, f) => n + f.keys.length, 0);
  return `${TABLE_NAMES[table] ?? table}：${group.length} 行有空白单元格（共 ${cells} 格），求和时按 0 计算。`;
}
