import { T3_COLUMNS } from '../format/catalog.js';
import { fixCjkCompat } from '../format/characters.js';
import { RuleContext, toFinding, type Draft } from './context.js';
import type { ReadPattern } from './reads.js';
import type { Finding, Origin, ReportRecord, Severity } from '../record/schema.js';
import { cellName, num, t2RowName, t3ColName } from './words.js';

/**
 * Rules across the reports of one agency in a batch (../shared/spec/rules.md, "Across
 * reports"): each compares a report with the same agency's report of the year before.
 * Findings belong to the later report; their keys name its cells.
 */

export interface AcrossRule {
  id: string;
  severity: Severity;
  description: string;
  /** As a rule's reads (reads.ts), for both years' records. */
  reads: readonly ReadPattern[];
  applies?: (prev: RuleContext, cur: RuleContext) => boolean;
  check: (prev: RuleContext, cur: RuleContext) => Draft[];
}

const weaker = (a: Origin, b: Origin): Origin => (a === 'extraction' || b === 'extraction' ? 'extraction' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'source');

/** A draft comparing cells of both years: origin from both records' provenance. */
function pair(prev: RuleContext, prevKeys: string[], cur: RuleContext, curKeys: string[], d: Omit<Draft, 'keys' | 'origin'>): Draft {
  return { ...d, keys: curKeys, origin: weaker(prev.originOf(prevKeys), cur.originOf(curKeys)) };
}

const T2_PREV_ROWS = ['license', 'other_service', 'penalty', 'coercion', 'fee'];

export const ACROSS_RULES: readonly AcrossRule[] = [
  {
    id: 'xyear.carry',
    severity: 'warning',
    description: '上年结转 of year Y = 结转下年度继续办理 of year Y−1, each column',
    reads: ['t3.{carried_in,carried_out}.*'],
    check(prev, cur) {
      const out: Draft[] = [];
      for (const c of T3_COLUMNS.map((x) => x.id)) {
        const a = prev.value(`t3.carried_out.${c}`);
        const b = cur.value(`t3.carried_in.${c}`);
        if (a === undefined || b === undefined || a === b) continue;
        out.push(pair(prev, [`t3.carried_out.${c}`], cur, [`t3.carried_in.${c}`], {
          expected: a,
          actual: b,
          message: `${cur.year} 年表三「${t3ColName(c)}」上年结转 ${num(b)} 件，但 ${prev.year} 年报告的结转下年度继续办理为 ${num(a)} 件`,
        }));
      }
      return out;
    },
  },
  {
    id: 'xyear.stock',
    severity: 'warning',
    description: '2021 format: 现行有效件数(Y) = 现行有效件数(Y−1) + 本年制发件数(Y) − 本年废止件数(Y), for 规章 and 行政规范性文件',
    reads: ['t2.{regulation,normative}.{in_force,made,repealed}'],
    applies: (prev, cur) => prev.layout.t2 === '2021' && cur.layout.t2 === '2021',
    check(prev, cur) {
      const out: Draft[] = [];
      for (const d of ['regulation', 'normative']) {
        const before = prev.value(`t2.${d}.in_force`);
        const curKeys = [`t2.${d}.in_force`, `t2.${d}.made`, `t2.${d}.repealed`];
        const v = cur.values(curKeys);
        if (before === undefined || !v) continue;
        const [now, made, repealed] = v;
        const expected = before + made - repealed;
        if (expected === now) continue;
        out.push(pair(prev, [`t2.${d}.in_force`], cur, curKeys, {
          expected,
          actual: now,
          message: `表二「${t2RowName(d)}」现行有效 ${num(now)} 件，但 ${prev.year} 年现行有效 ${num(before)} + 本年制发 ${num(made)} − 本年废止 ${num(repealed)} = ${num(expected)} 件`,
        }));
      }
      return out;
    },
  },
  {
    id: 'xyear.prev',
    severity: 'warning',
    description: '2019 format: 上一年项目数量(Y) = 上一年项目数量(Y−1) + 本年增/减(Y−1)',
    reads: ['t2.*.{prev,change}'],
    applies: (prev, cur) => prev.layout.t2 === '2019' && cur.layout.t2 === '2019',
    check(prev, cur) {
      const out: Draft[] = [];
      for (const r of T2_PREV_ROWS) {
        const prevKeys = [`t2.${r}.prev`, `t2.${r}.change`];
        const v = prev.values(prevKeys);
        const now = cur.value(`t2.${r}.prev`);
        if (!v || now === undefined) continue;
        const expected = v[0] + v[1];
        if (expected === now) continue;
        out.push(pair(prev, prevKeys, cur, [`t2.${r}.prev`], {
          expected,
          actual: now,
          message: `表二「${t2RowName(r)}」上一年项目数量 ${num(now)}，但 ${prev.year} 年报告为 ${num(v[0])}，本年增/减 ${num(v[1])}，应为 ${num(expected)}`,
        }));
      }
      return out;
    },
  },
  {
    id: 'xyear.jump',
    severity: 'info',
    description: 'a count grows or shrinks more than tenfold (and by more than 50) from the year before',
    reads: ['*'],
    check(prev, cur) {
      const out: Draft[] = [];
      for (const key of Object.keys(cur.record.cells)) {
        if (key.endsWith('.change')) continue;
        const a = prev.value(key);
        const b = cur.value(key);
        if (a === undefined || b === undefined) continue;
        if (Math.abs(b - a) <= 50 || Math.max(a, b) <= 10 * Math.min(a, b)) continue;
        out.push(pair(prev, [key], cur, [key], {
          expected: a,
          actual: b,
          message: `${cellName(key)}由 ${prev.year} 年的 ${num(a)} 变为 ${num(b)}，变化超过十倍，请核实`,
        }));
      }
      return out;
    },
  },
  {
    id: 'xyear.duplicate',
    severity: 'warning',
    description: 'the narrative sections are ≥ 90 % the same text as the year before (内容雷同)',
    reads: ['text'],
    applies: (prev, cur) => prev.narrative !== null && cur.narrative !== null,
    check(prev, cur) {
      const a = prev.narrative!.narrativeText();
      const b = cur.narrative!.narrativeText();
      const s = textSimilarity(a, b);
      if (s === null || s < 0.9) return [];
      return [{
        keys: [],
        origin: weaker(prev.textOrigin, cur.textOrigin),
        expected: '< 90%',
        actual: `${Math.round(s * 100)}%`,
        message: `${cur.year} 年报告的文字部分与 ${prev.year} 年报告 ${Math.round(s * 100)}% 相同（内容雷同）`,
      }];
    },
  },
];

/** Shared 4-character shingles (digits and punctuation removed, so updated numbers do not hide a copy); null when too short to judge. */
export function textSimilarity(a: string, b: string): number | null {
  const clean = (s: string) => s.replace(/[\d\s\p{P}\p{S}]/gu, '');
  const shingles = (s: string) => {
    const out = new Set<string>();
    for (let i = 0; i + 4 <= s.length; i++) out.add(s.slice(i, i + 4));
    return out;
  };
  const ca = clean(a);
  const cb = clean(b);
  if (ca.length < 200 || cb.length < 200) return null;
  const sa = shingles(ca);
  const sb = shingles(cb);
  let common = 0;
  for (const x of sa) if (sb.has(x)) common++;
  return (2 * common) / (sa.size + sb.size);
}

/** An agency name as it compares across years: width, spaces, years and title words removed. */
export function agencyKey(name: string): string {
  return fixCjkCompat(name.normalize('NFKC'))
    .replace(/\s+/g, '')
    .replace(/\d{4}年度?/g, '')
    .replace(/关于|政府信息公开|工作|年度|报告|[《》〈〉"“”]/g, '')
    .replace(/的$/, '');
}

/** The key of a record in validateAcross' result: its content hash, or its file name when it has none. */
export const acrossKey = (r: ReportRecord) => r.source?.sha256 || r.file;

/** Findings of the cross-year rules, per record (acrossKey); records without agency or year are left out. */
export function validateAcross(records: ReportRecord[]): Map<string, Finding[]> {
  const result = new Map<string, Finding[]>();
  const byAgency = new Map<string, RuleContext[]>();
  for (const r of records) {
    if (r.error || !r.meta.agency || r.meta.year === null) continue;
    const k = agencyKey(r.meta.agency);
    if (!k) continue;
    const ctx = new RuleContext(r);
    byAgency.set(k, [...(byAgency.get(k) ?? []), ctx]);
  }
  for (const ctxs of byAgency.values()) {
    for (const cur of ctxs) {
      for (const prev of ctxs.filter((p) => p.year === cur.year! - 1)) {
        for (const rule of ACROSS_RULES) {
          const [p, c] = [prev.forRule(rule), cur.forRule(rule)];
          if (rule.applies && !rule.applies(p, c)) continue;
          for (const d of rule.check(p, c)) {
            const key = acrossKey(cur.record);
            result.set(key, [...(result.get(key) ?? []), toFinding(rule, d, c)]);
          }
        }
      }
    }
  }
  return result;
}
