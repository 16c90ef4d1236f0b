import type { Narrative, Sentence } from './text.js';

/**
 * Numbers the narrative states about applications, appeals and documents, read
 * clause by clause: "共收到政府信息公开申请33件，其中自然人申请29件" gives
 * new = 33 and new_natural = 29. Patterns are deliberately narrow: a number that is
 * not clearly one of these facts is left alone (a wrong accusation costs more than a
 * missed finding).
 */

export type FactId =
  | 'new'
  | 'new_natural'
  | 'new_org'
  | 'carried_in'
  | 'handled'
  | 'carried_out'
  | 'granted'
  | 'partial'
  | 'denied'
  | 'unable'
  | 'rejected'
  | 'other'
  | 'other_cases'
  | 'review'
  | 'suit'
  | 'normative_made';

export interface Fact {
  id: FactId;
  value: number;
  /** The clause the number stands in. */
  clause: string;
  sentence: Sentence;
  /** Offset of the clause inside its sentence, to order facts. */
  at: number;
  /** The sentence speaks of part of the agency (one office) or of a kind of case (备案), not of the table's whole. */
  limited: boolean;
}

const N = '(\\d+)';
const GAP = (n: number) => `[^\\d，,；;。、：:]{0,${n}}?`;

/** Fact patterns, tried in order on each clause; the first match wins. */
const PATTERNS: { id: FactId; re: RegExp }[] = [
  { id: 'carried_in', re: new RegExp(`上一?年度?${GAP(2)}结转${GAP(12)}${N}件`) },
  { id: 'carried_out', re: new RegExp(`结转(?:至|到)?下一?年度?${GAP(8)}${N}件`) },
  { id: 'new_natural', re: new RegExp(`自然人${GAP(6)}${N}件`) },
  { id: 'new_org', re: new RegExp(`法人(?:或|和|及|与)?其他组织${GAP(6)}${N}件`) },
  { id: 'new', re: new RegExp(`(?:新收|收到|受理|接收|接到)${GAP(14)}申请${GAP(3)}${N}件`) },
  { id: 'handled', re: new RegExp(`办结${GAP(10)}${N}件`) },
  { id: 'partial', re: new RegExp(`部分公开${GAP(2)}${N}件`) },
  { id: 'granted', re: new RegExp(`予以公开${GAP(2)}${N}件`) },
  { id: 'denied', re: new RegExp(`不予公开${GAP(2)}${N}件`) },
  { id: 'unable', re: new RegExp(`无法提供${GAP(2)}${N}件`) },
  { id: 'rejected', re: new RegExp(`不予处理${GAP(2)}${N}件`) },
  { id: 'other', re: new RegExp(`其他处理${GAP(2)}${N}件`) },
  { id: 'other_cases', re: new RegExp(`其他(?:情形|情况|方式|结果)${GAP(2)}${N}件`) },
  { id: 'review', re: new RegExp(`行政复议(?:案件|申请)?${GAP(4)}${N}[件起]`) },
  { id: 'suit', re: new RegExp(`行政诉讼(?:案件)?${GAP(4)}${N}[件起]`) },
  { id: 'normative_made', re: new RegExp(`制发(?:行政)?规范性文件${GAP(2)}${N}件`) },
];

/** Clauses that compare with other years or speak of changes, not of this year's count. */
const NOT_A_COUNT = /同比|较上年|比上年|增加|减少|增长|下降|上升|累计至今|历年/;

/** Words that narrow a sentence to one office or one kind of case. */
const LIMITED_SCOPE = [/代表/, /备案/, /本级/, /政府办(?!公室)/, /办公室(?!联系)/];

function isLimited(sentence: string, agency: string | null): boolean {
  const own = agency ?? '';
  return LIMITED_SCOPE.some((re) => re.test(sentence) && !(re.source.includes('办') && /办公室|政府办/.test(own)));
}

export function readFacts(narrative: Narrative, agency: string | null): Fact[] {
  const facts: Fact[] = [];
  for (const s of narrative.sentences()) {
    const limited = isLimited(s.text, agency);
    let at = 0;
    for (const clause of s.text.split(/[，,；;、：:]/)) {
      const here = at;
      at += clause.length + 1;
      if (!clause || NOT_A_COUNT.test(clause)) continue;
      for (const p of PATTERNS) {
        const m = clause.match(p.re);
        if (!m) continue;
        facts.push({ id: p.id, value: Number(m[1]), clause, sentence: s, at: here, limited });
        break;
      }
    }
  }
  return facts;
}

/** 主动公开 totals and the parts printed beside them (quarters, categories, channels). */
export interface PublishedTotal {
  total: number;
  sentence: Sentence;
  groups: { kind: 'quarters' | 'list' | 'channels'; parts: { label: string; value: number }[]; quote: string }[];
}

const PUBLISHED_TOTAL = /(?:主动(?:公开|发布)|累计(?:公开|发布)|共(?:公开|发布))[^\d，,；;。、：:]{0,12}?(\d+)条/;
const QUARTER = /^第[一二三四1-4]季度[^\d]{0,12}?(\d+)条$/;
const ITEM = /^([^\d]{1,30}?)(\d+)条$/;

export function readPublishedTotals(narrative: Narrative): PublishedTotal[] {
  const sentences = narrative.sentences();
  const out: PublishedTotal[] = [];
  sentences.forEach((s, i) => {
    const m = s.text.match(PUBLISHED_TOTAL);
    if (!m || m.index === undefined || NOT_A_COUNT.test(s.text.slice(0, m.index + m[0].length))) return;
    const total = Number(m[1]);
    const after = s.text.slice(m.index + m[0].length).replace(/[。！？!?]$/, '');
    const clauses = after.split(/[，,；;、]/).filter(Boolean);
    const groups: PublishedTotal['groups'] = [];
    const quarters = clauses.map((c) => c.match(QUARTER)).filter((q): q is RegExpMatchArray => !!q);
    if (quarters.length) {
      groups.push({ kind: 'quarters', parts: quarters.map((q) => ({ label: q[0].replace(/\d+条$/, ''), value: Number(q[1]) })), quote: s.text });
    }
    // A list of parts starts with 其中 in the same sentence, or opens the next one when this
    // sentence holds nothing but the total and its quarters.
    let list = listAfterQizhong(after);
    let quote = s.text;
    const onlyQuarters = clauses.every((c) => QUARTER.test(c));
    if (!list && onlyQuarters && sentences[i + 1]?.paragraph === s.paragraph) {
      const next = sentences[i + 1].text;
      if (/^其中/.test(next)) {
        list = listAfterQizhong(next.replace(/[。！？!?]$/, ''));
        quote = s.text + next;
      }
    }
    if (list && list.length >= 2) {
      const channels = list.every((p) => /^通过/.test(p.label));
      groups.push({ kind: channels ? 'channels' : 'list', parts: list, quote });
    }
    if (groups.length) out.push({ total, sentence: s, groups });
  });
  return out;
}

function listAfterQizhong(text: string): { label: string; value: number }[] | null {
  const q = text.match(/其中(?:包括|包含|主要有)?[：:]?/);
  if (!q || q.index === undefined) return null;
  const parts: { label: string; value: number }[] = [];
  for (const c of text.slice(q.index + q[0].length).split(/[，,；;、]/)) {
    if (!c) continue;
    const m = c.match(ITEM);
    if (!m) break;
    parts.push({ label: m[1].replace(/^(?:和|及|以及)/, ''), value: Number(m[2]) });
  }
  return parts.length ? parts : null;
}
