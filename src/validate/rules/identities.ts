import { t3BalanceIdentities, t3ColumnIdentities, t3ResultIdentities, t3RowIds, t4Identities } from '../../format/identities.js';
import type { Draft, Rule, RuleContext } from '../context.js';
import { num, t3ColName, t3RowName, t4ColName, t4GroupName } from '../words.js';

/**
 * The arithmetic identities the official tables print or imply (表三 勾稽关系, its
 * columns and rows, 表四's groups). A total that does not add up is reported with
 * every cell involved; it is never corrected.
 */

const EPS = 1e-6;

interface Part {
  key: string;
  label: string;
}

/** total = Σ parts, when every cell is there; parts printed as 0 are folded so a long row stays readable. */
function sumIdentity(ctx: RuleContext, title: string, total: Part, parts: Part[], totalWord = '总计'): Draft[] {
  const keys = [total.key, ...parts.map((p) => p.key)];
  if (ctx.present(keys).length === 0) return [];
  const vals = ctx.values(keys);
  if (!vals) return [];
  const [t, ...ps] = vals;
  const sum = ps.reduce((a, b) => a + b, 0);
  if (Math.abs(t - sum) < EPS) return [];
  const shown = parts.map((p, i) => ({ ...p, v: ps[i] }));
  const nonZero = shown.filter((p) => p.v !== 0);
  const terms = (parts.length > 6 ? nonZero : shown).map((p) => `${p.label} ${num(p.v)}`);
  const zeros = parts.length > 6 ? shown.length - nonZero.length : 0;
  const rhs = (terms.length ? terms.join(' + ') : '0') + (zeros ? `（其余 ${zeros} 项为 0）` : '');
  return [{
    keys,
    expected: sum,
    actual: t,
    message: `${title} ${totalWord} ${num(t)} ≠ ${rhs} = ${num(sum)}`,
  }];
}

/** The part of a canonical key naming its row (t3.<row>.<col>) or its column. */
const rowOf = (key: string) => key.slice(key.indexOf('.') + 1, key.lastIndexOf('.'));
const colOf = (key: string) => key.slice(key.lastIndexOf('.') + 1);

export const identityRules: Rule[] = [
  {
    id: 't3.balance',
    severity: 'error',
    description: '表三 each column: 新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理 (the printed 勾稽关系)',
    reads: ['t3.{new,carried_in,total_handled,carried_out}.*'],
    check(ctx) {
      const out: Draft[] = [];
      for (const id of t3BalanceIdentities()) {
        const keys = [...id.total, ...id.parts];
        if (ctx.present(keys).length === 0) continue;
        const v = ctx.values(keys);
        if (!v) continue;
        const inflow = v[0] + v[1];
        const outflow = v[2] + v[3];
        if (Math.abs(inflow - outflow) < EPS) continue;
        out.push({
          keys,
          expected: inflow,
          actual: outflow,
          message:
            `表三「${t3ColName(id.along)}」列：本年新收 ${num(v[0])} + 上年结转 ${num(v[1])} = ${num(inflow)}，` +
            `但办理结果总计 ${num(v[2])} + 结转下年度继续办理 ${num(v[3])} = ${num(outflow)}（两者应相等）`,
        });
      }
      return out;
    },
  },
  {
    id: 't3.results',
    severity: 'error',
    description: '表三 each column: （七）总计 = （一）予以公开 + … + （六）其他处理 (single row, or 1./2./3. where split)',
    reads: ['t3.*'],
    applies: (ctx) => ctx.layout.otherSplit !== null,
    check(ctx) {
      return t3ResultIdentities(ctx.layout.otherSplit!).flatMap((id) =>
        sumIdentity(
          ctx,
          `表三「${t3ColName(id.along)}」列`,
          { key: id.total[0], label: '办理结果总计' },
          id.parts.map((key) => ({ key, label: t3RowName(rowOf(key)) })),
          '办理结果总计',
        ),
      );
    },
  },
  {
    id: 't3.columns',
    severity: 'error',
    description: '表三 each row: 总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他',
    reads: ['t3.*'],
    check(ctx) {
      return t3ColumnIdentities(t3RowIds(ctx.layout.otherSplit)).flatMap((id) =>
        sumIdentity(
          ctx,
          `表三「${t3RowName(id.along)}」行`,
          { key: id.total[0], label: '总计' },
          id.parts.map((key) => ({ key, label: t3ColName(colOf(key)) })),
        ),
      );
    },
  },
  {
    id: 't4.sum',
    severity: 'error',
    description: '表四 each group: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结',
    reads: ['t4.*'],
    check(ctx) {
      return t4Identities().flatMap((id) =>
        sumIdentity(
          ctx,
          t4GroupName(id.along),
          { key: id.total[0], label: '总计' },
          id.parts.map((key) => ({ key, label: t4ColName(colOf(key)) })),
        ),
      );
    },
  },
];
