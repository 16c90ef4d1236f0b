import { isAmountKey, isChangeKey } from '../../format/catalog.js';
import type { Draft, Rule } from '../context.js';
import { cellName, colName, num, rowName, splitKey } from '../words.js';

/** Rules about single cells: blanks and values no count can have. */

export const cellRules: Rule[] = [
  {
    // Every blank is reported here, which is why the sums count a blank as 0 (RuleContext).
    id: 'cell.blank',
    severity: 'warning',
    description: 'a cell the format prints is blank (null); sums count it as 0',
    reads: ['*'],
    check(ctx) {
      const byRow = new Map<string, string[]>();
      for (const [key, v] of Object.entries(ctx.record.cells)) {
        if (v !== null) continue;
        const [t, row] = splitKey(key);
        const id = `${t}.${row}`;
        byRow.set(id, [...(byRow.get(id) ?? []), key]);
      }
      const out: Draft[] = [];
      for (const keys of byRow.values()) {
        out.push({
          keys,
          expected: null,
          actual: null,
          message: `${rowName(keys[0])}有 ${keys.length} 个单元格未填写（${keys.map(colName).join('、')}），应填数字（没有的填 0）；核对合计时按 0 计`,
        });
      }
      return out;
    },
  },
  {
    id: 'cell.value',
    severity: 'error',
    description: 'a count that is negative or not a whole number (*.change may be negative; amounts may be decimal)',
    reads: ['*'],
    check(ctx) {
      const out: Draft[] = [];
      for (const [key, v] of Object.entries(ctx.record.cells)) {
        if (v === null) continue;
        if (v < 0 && !isChangeKey(key)) {
          out.push({ keys: [key], actual: v, message: `${cellName(key)} 为 ${num(v)}：件数不能为负数` });
        } else if (!Number.isInteger(v) && !isAmountKey(key)) {
          out.push({ keys: [key], actual: v, message: `${cellName(key)} 为 ${num(v)}：件数应为整数` });
        }
      }
      return out;
    },
  },
];
