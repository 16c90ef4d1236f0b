import { T3_COLUMNS, T3_ROWS } from '../../format/catalog.js';
import type { Draft, Rule, RuleContext } from '../context.js';
import { readFacts, readPublishedTotals, type Fact, type FactId } from '../narrative/facts.js';
import type { Sentence } from '../narrative/text.js';
import { cellName, num } from '../words.js';

/**
 * The report's text against its tables and against itself. Every finding quotes the
 * sentence it read; a sentence about part of the agency (one office, 备案 cases) is
 * never held against the whole table: such a difference is info at most.
 */

const groupTotals = (group: string) => T3_ROWS.filter((r) => r.group === group).map((r) => `t3.${r.id}.total`);
const ORG_COLS = T3_COLUMNS.filter((c) => !['natural', 'total'].includes(c.id)).map((c) => `t3.new.${c.id}`);

/** What a stated number means in the tables: its words and the cells it must equal the sum of. */
const FACT_CELLS: Partial<Record<FactId, { name: string; keys: (ctx: RuleContext) => string[]; alsoMeans?: string[] }>> = {
  // 受理 is used both for new applications and for all on hand (new + carried over): either reading agrees.
  new: { name: '本年新收申请', keys: () => ['t3.new.total'], alsoMeans: ['t3.new.total', 't3.carried_in.total'] },
  new_natural: { name: '自然人申请', keys: () => ['t3.new.natural'] },
  new_org: { name: '法人或其他组织申请', keys: () => ORG_COLS },
  carried_in: { name: '上年结转', keys: () => ['t3.carried_in.total'] },
  handled: { name: '办结', keys: () => ['t3.total_handled.total'] },
  carried_out: { name: '结转下年度继续办理', keys: () => ['t3.carried_out.total'] },
  granted: { name: '予以公开', keys: () => ['t3.granted.total'] },
  partial: { name: '部分公开', keys: () => ['t3.partial.total'] },
  denied: { name: '不予公开', keys: () => groupTotals('denied') },
  unable: { name: '无法提供', keys: () => groupTotals('unable') },
  rejected: { name: '不予处理', keys: () => groupTotals('rejected') },
  other: {
    name: '其他处理',
    keys: (ctx) => (ctx.layout.otherSplit === false || (ctx.layout.otherSplit === null && ctx.has('t3.other.total')) ? ['t3.other.total'] : groupTotals('other')),
  },
  review: { name: '行政复议', keys: () => ['t4.review.total'] },
  suit: { name: '行政诉讼', keys: () => ['t4.suit_direct.total', 't4.suit_after_review.total'] },
  normative_made: { name: '制发规范性文件', keys: () => ['t2.normative.made'] },
};

const LIMITED_NOTE = '该句只说到部分范围（如某一机构代为受理、备案案件），与表格的统计口径不同，仅供核对';

function tableName(keys: string[]): string {
  return keys.length === 1 ? cellName(keys[0]) : `${cellName(keys[0])} 等 ${keys.length} 项之和`;
}

/** The first statement of each fact, per paragraph: a report repeats a figure, it rarely restates it differently. */
function firstPerParagraph(facts: Fact[]): Fact[] {
  const seen = new Set<string>();
  return facts.filter((f) => {
    const id = `${f.sentence.paragraph}:${f.id}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

const quoteOf = (sentences: Sentence[]) => [...new Set(sentences)].sort((a, b) => a.start - b.start).map((s) => s.text).join('');

export const narrativeRules: Rule[] = [
  {
    id: 'narrative.period',
    severity: 'warning',
    description: 'the stated statistics period is not 1 January to 31 December of the report\'s year',
    reads: ['text', 'meta.year'],
    applies: (ctx) => ctx.narrative !== null && ctx.year !== null,
    check(ctx) {
      const n = ctx.narrative!;
      const m = /统计(?:期限|期间|时限|时间|区间|时段)[^\d。]{0,6}?(\d{4})年(\d{1,2})月(\d{1,2})日[^\d。]{0,4}?(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日/.exec(n.joined);
      if (!m) return [];
      const [y1, m1, d1] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const [y2, m2, d2] = [m[4] ? Number(m[4]) : y1, Number(m[5]), Number(m[6])];
      const y = ctx.year!;
      if (y1 === y && m1 === 1 && d1 === 1 && y2 === y && m2 === 12 && d2 === 31) return [];
      return [{
        keys: [],
        origin: ctx.textOrigin,
        ...n.sentenceAt(m.index),
        expected: `${y}年1月1日至${y}年12月31日`,
        actual: `${y1}年${m1}月${d1}日至${y2}年${m2}月${d2}日`,
        message: `报告所述统计期限为${y1}年${m1}月${d1}日至${y2}年${m2}月${d2}日，应为${y}年1月1日至${y}年12月31日`,
      }];
    },
  },
  {
    id: 'narrative.table',
    severity: 'warning',
    description: 'a number stated in the text (applications, carried over, handled, 行政复议/行政诉讼, documents made) disagrees with the table; info where the sentence covers part of the table only',
    reads: ['text', 'meta.agency', 't3.*.total', 't3.new.*', 't4.*.total', 't2.normative.made'],
    applies: (ctx) => ctx.narrative !== null,
    check(ctx) {
      const out: Draft[] = [];
      const facts = firstPerParagraph(readFacts(ctx.narrative!, ctx.record.meta.agency));
      const reported = new Set<string>();
      for (const f of facts) {
        const spec = FACT_CELLS[f.id];
        if (!spec) continue;
        const keys = spec.keys(ctx);
        if (ctx.present(keys).length === 0) continue;
        const vals = ctx.values(keys);
        if (!vals) continue;
        const table = vals.reduce((a, b) => a + b, 0);
        if (table === f.value || reported.has(`${f.id}:${f.value}`)) continue;
        const also = spec.alsoMeans && ctx.values(spec.alsoMeans);
        if (also && also.reduce((a, b) => a + b, 0) === f.value) continue;
        reported.add(`${f.id}:${f.value}`);
        out.push({
          keys,
          severity: f.limited ? 'info' : undefined,
          origin: ctx.mixedOrigin(keys),
          page: f.sentence.page,
          quote: f.sentence.text,
          expected: table,
          actual: f.value,
          message: `正文称${spec.name} ${f.value} 件（「${f.clause}」），表格中${tableName(keys)}为 ${num(table)}` + (f.limited ? `。${LIMITED_NOTE}` : ''),
        });
      }
      return out;
    },
  },
  {
    id: 'narrative.sum',
    severity: 'warning',
    description: 'a total stated in the text disagrees with the parts stated beside it (主动公开 489条 vs categories summing to 405)',
    reads: ['text'],
    applies: (ctx) => ctx.narrative !== null,
    check(ctx) {
      const n = ctx.narrative!;
      const origin = ctx.textOrigin;
      const out: Draft[] = [];
      for (const t of readPublishedTotals(n)) {
        for (const g of t.groups) {
          const sum = g.parts.reduce((a, p) => a + p.value, 0);
          const off = g.kind === 'quarters' ? g.parts.length === 4 && sum !== t.total : g.parts.length >= 2 && (sum > t.total || (g.parts.length >= 3 && sum !== t.total));
          if (!off) continue;
          const what = g.kind === 'quarters' ? '四个季度' : g.kind === 'channels' ? '各渠道' : '所列各类';
          out.push({
            keys: [],
            origin,
            severity: g.kind === 'channels' ? 'info' : undefined,
            page: t.sentence.page,
            quote: g.quote,
            expected: t.total,
            actual: sum,
            message: `正文称主动公开政府信息 ${t.total} 条，但${what}合计 ${g.parts.map((p) => p.value).join(' + ')} = ${sum} 条`,
          });
        }
      }
      const byParagraph = new Map<number, Fact[]>();
      for (const f of firstPerParagraph(readFacts(n, ctx.record.meta.agency))) {
        if (f.limited) continue;
        byParagraph.set(f.sentence.paragraph, [...(byParagraph.get(f.sentence.paragraph) ?? []), f]);
      }
      for (const facts of byParagraph.values()) {
        const get = (id: FactId) => facts.find((f) => f.id === id);
        const relation = (total: Fact, parts: Fact[], words: string) => {
          const sum = parts.reduce((a, p) => a + p.value, 0);
          out.push({
            keys: [],
            origin,
            page: total.sentence.page,
            quote: quoteOf([total.sentence, ...parts.map((p) => p.sentence)]),
            expected: total.value,
            actual: sum,
            message: words.replace('{sum}', String(sum)),
          });
        };
        const nw = get('new');
        const nat = get('new_natural');
        const org = get('new_org');
        if (nw && nat && org && nat.value + org.value !== nw.value) {
          relation(nw, [nat, org], `正文称收到申请 ${nw.value} 件，其中自然人 ${nat.value} 件、法人或其他组织 ${org.value} 件，合计 {sum} 件`);
        }
        const handled = get('handled');
        const results = (['granted', 'partial', 'denied', 'unable', 'rejected', 'other', 'other_cases'] as FactId[]).map(get).filter((f): f is Fact => !!f);
        if (handled && results.length >= 2) {
          const sum = results.reduce((a, p) => a + p.value, 0);
          // A list may name only some outcomes; it is complete when all six are named or a catch-all closes it.
          const complete = results.some((f) => f.id === 'other_cases') || results.length >= 6;
          if (sum > handled.value || (complete && sum !== handled.value)) {
            const parts = results.map((f) => `${FACT_CELLS[f.id]?.name ?? '其他情形'} ${f.value}`).join(' + ');
            relation(handled, results, `正文称办结 ${handled.value} 件，但所列办理结果 ${parts} = {sum} 件`);
          }
        }
        const cin = get('carried_in');
        const cout = get('carried_out');
        if (nw && cin && handled && cout && nw.value + cin.value !== handled.value + cout.value) {
          out.push({
            keys: [],
            origin,
            page: nw.sentence.page,
            quote: quoteOf([nw.sentence, cin.sentence, handled.sentence, cout.sentence]),
            expected: nw.value + cin.value,
            actual: handled.value + cout.value,
            message: `正文数字不平衡：新收 ${nw.value} + 上年结转 ${cin.value} = ${nw.value + cin.value}，但办结 ${handled.value} + 结转下年度 ${cout.value} = ${handled.value + cout.value}`,
          });
        }
      }
      return out;
    },
  },
];
