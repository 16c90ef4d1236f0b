import { T2_COLUMNS, T2_ROWS, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS, t2Keys, t3Keys, t4Keys } from '../../format/catalog.js';
import { similarity } from '../../format/labels.js';
import type { Draft, Rule, RuleContext } from '../context.js';
import type { Origin } from '../../record/schema.js';
import { SECTION_TITLES } from '../narrative/text.js';
import { colName, rowName, splitKey } from '../words.js';

/** Whether the report has its standard parts: the three tables, their rows, sections 一 to 六. */

const TABLE_NAMES: Record<string, string> = {
  t2: '表二（主动公开政府信息情况）',
  t3: '表三（收到和处理政府信息公开申请情况）',
  t4: '表四（政府信息公开行政复议、行政诉讼情况）',
};

/** Keys each table should have for this layout, or null where the layout is unknown. */
function expectedKeys(ctx: RuleContext): Record<string, string[] | null> {
  const { t2, otherSplit } = ctx.layout;
  return {
    t2: t2 ? t2Keys(t2) : null,
    t3: otherSplit === null ? null : t3Keys(otherSplit),
    t4: t4Keys(),
  };
}

/** Reading trouble noted, or OCR: the absence is more likely ours than the report's. */
function missingOrigin(ctx: RuleContext): Origin {
  const r = ctx.record;
  if (r.source.ocr || (r.notes?.length ?? 0) > 0) return 'extraction';
  return 'unknown';
}

const rowOf = (key: string) => {
  const [t, row] = splitKey(key);
  return `${t}.${row}`;
};

export const structureRules: Rule[] = [
  {
    id: 'structure.missing',
    severity: 'error',
    description: 'a standard table, or a row of it, is missing from the report (a warning where the reading is known to be shaky: OCR, unmatched labels)',
    reads: ['*'],
    applies: (ctx) => ctx.layout.format !== 'pre2019',
    check(ctx) {
      const out: Draft[] = [];
      const origin = missingOrigin(ctx);
      if (Object.keys(ctx.record.cells).length === 0) {
        // Nothing read at all (an image-only scan without OCR, an unknown layout): our failure, not a finding against the report.
        return [{ keys: [], origin: 'extraction', severity: 'warning', message: '未能从报告中读出任何统计表（可能是扫描件或无法识别的版式），请人工核对' }];
      }
      for (const [table, keys] of Object.entries(expectedKeys(ctx))) {
        const present = Object.keys(ctx.record.cells).some((k) => k.startsWith(`${table}.`));
        if (!present) {
          // Without a single key of table 二 its format is unknown; name the table alone.
          out.push({ keys: keys ?? [], origin, severity: origin === 'extraction' ? 'warning' : undefined, message: `报告中没有找到${TABLE_NAMES[table]}` });
          continue;
        }
        if (!keys) continue;
        const rows = new Map<string, string[]>();
        for (const k of keys) rows.set(rowOf(k), [...(rows.get(rowOf(k)) ?? []), k]);
        for (const rowKeys of rows.values()) {
          const missing = rowKeys.filter((k) => !ctx.has(k));
          if (!missing.length) continue;
          if (missing.length === rowKeys.length) {
            // Where our reading is known to be shaky (OCR, unmatched labels) a missing row is first a question about us.
            out.push({ keys: missing, origin, severity: origin === 'extraction' ? 'warning' : undefined, message: `${TABLE_NAMES[table].slice(0, 2)}缺少${rowName(missing[0]).slice(2)}一行` });
          } else {
            out.push({
              keys: missing,
              origin,
              severity: 'warning',
              message: `${rowName(missing[0])}一行缺少 ${missing.length} 个单元格（${missing.map(colName).join('、')}）`,
            });
          }
        }
      }
      return out;
    },
  },
  {
    id: 'structure.sections',
    severity: 'warning',
    description: 'sections 一 to 六 are not all present in order (一、总体情况 … 六、其他需要报告的事项)',
    reads: ['text'],
    applies: (ctx) => ctx.narrative !== null,
    check(ctx) {
      const found = new Set(ctx.narrative!.headings.map((h) => h.n));
      const missing = SECTION_TITLES.filter((_, i) => !found.has(i + 1));
      if (!missing.length) return [];
      return [{
        keys: [],
        origin: ctx.textOrigin,
        message: `报告正文未按规定顺序包含以下部分：${missing.join('；')}（年报应依次包括一至六部分）`,
      }];
    },
  },
  {
    id: 'structure.label',
    severity: 'info',
    description: 'a printed row or column label differs from the official one; the finding shows both',
    reads: ['*', 'provenance.label'],
    check(ctx) {
      const byLabel = new Map<string, string[]>();
      for (const [key, p] of Object.entries(ctx.record.provenance)) {
        // A label read by OCR, or pieced together from a text stream, tells more about our reading than about the report.
        if (!p.label || p.via === 'ocr' || p.via === 'stream') continue;
        byLabel.set(p.label, [...(byLabel.get(p.label) ?? []), key]);
      }
      const out: Draft[] = [];
      for (const [printed, keys] of byLabel) {
        const official = officialLabel(printed, keys[0]);
        if (!official) continue;
        out.push({ keys, origin: 'source', expected: official, actual: printed, message: `表中标签「${printed}」与标准格式「${official}」不一致` });
      }
      return out;
    },
  },
];

/** The official row or column label the printed one stands for (whichever it resembles more). */
function officialLabel(printed: string, key: string): string | null {
  const [t, row, col] = splitKey(key);
  const candidates: string[] = [];
  if (t === 't3') {
    const r = T3_ROWS.find((x) => x.id === row);
    if (r) candidates.push(r.label);
    const c = T3_COLUMNS.find((x) => x.id === col);
    if (c) candidates.push(c.label);
  } else if (t === 't4') {
    const g = T4_GROUPS.find((x) => x.id === row);
    if (g) candidates.push(g.label);
    const c = T4_COLUMNS.find((x) => x.id === col);
    if (c) candidates.push(c.label);
  } else {
    for (const f of ['2019', '2021'] as const) {
      const r = T2_ROWS[f].find((x) => x.id === row);
      if (r) candidates.push(r.label);
      const c = T2_COLUMNS[f].find((x) => x.id === col);
      if (c) candidates.push(c.label);
    }
  }
  let best: string | null = null;
  let score = -1;
  for (const c of candidates) {
    const s = similarity(printed, c);
    if (s > score) [best, score] = [c, s];
  }
  return best && best !== printed ? best : null;
}
