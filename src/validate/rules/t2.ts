import { fixCjkCompat } from '../../format/characters.js';
import type { Draft, Rule, RuleContext } from '../context.js';
import { num, t2RowName } from '../words.js';

/** Table 二: what its own columns imply, and who may print 规章 at all. */

const DOCS = ['regulation', 'normative'] as const;

function compare(ctx: RuleContext, keys: string[], holds: (v: number[]) => boolean, message: (v: number[]) => string): Draft[] {
  if (ctx.present(keys).length === 0) return [];
  const v = ctx.values(keys);
  if (!v || holds(v)) return [];
  return [{ keys, message: message(v) }];
}

/**
 * The administrative level an agency's name ends at: 淮安市洪泽区人民政府 → 区,
 * 南屏市自然资源局 → 市. Words of department names that contain such characters
 * (城乡, 市场 …) are removed first.
 */
export function agencyLevel(agency: string): string | null {
  const s = fixCjkCompat(agency.normalize('NFKC'))
    .replace(/\s+/g, '')
    .replace(/城乡|乡村|市场|市政|城市|社区|区域|园区|小区|街道办事处$/g, (w) => (w === '街道办事处' ? '街道' : ''));
  const units = [...s.matchAll(/省|自治区|自治州|市|州|盟|县|区|旗|镇|乡|街道/g)];
  return units.length ? units[units.length - 1][0] : null;
}

/** 规章 are made by ministries and by provincial and 设区的市 governments only. */
const CANNOT_MAKE_REGULATIONS = new Set(['县', '区', '旗', '镇', '乡', '街道']);

export const t2Rules: Rule[] = [
  {
    id: 't2.published',
    severity: 'warning',
    description: '2019 format: 本年新公开数量 ≤ 对外公开总数量 for 规章 and 规范性文件',
    reads: ['t2.{regulation,normative}.{published,total}'],
    applies: (ctx) => ctx.layout.t2 === '2019',
    check: (ctx) =>
      DOCS.flatMap((d) =>
        compare(
          ctx,
          [`t2.${d}.published`, `t2.${d}.total`],
          ([p, t]) => p <= t,
          ([p, t]) => `表二「${t2RowName(d)}」本年新公开 ${num(p)} 件，多于对外公开总数 ${num(t)} 件`,
        ),
      ),
  },
  {
    id: 't2.stock',
    severity: 'warning',
    description: '2021 format: 本年制发件数 ≤ 现行有效件数 + 本年废止件数 for 规章 and 行政规范性文件',
    reads: ['t2.{regulation,normative}.{made,repealed,in_force}'],
    applies: (ctx) => ctx.layout.t2 === '2021',
    check: (ctx) =>
      DOCS.flatMap((d) =>
        compare(
          ctx,
          [`t2.${d}.made`, `t2.${d}.in_force`, `t2.${d}.repealed`],
          ([m, f, r]) => m <= f + r,
          ([m, f, r]) =>
            `表二「${t2RowName(d)}」本年制发 ${num(m)} 件，多于现行有效 ${num(f)} 件与本年废止 ${num(r)} 件之和 ${num(f + r)}（本年制发的文件应仍有效或已废止）`,
        ),
      ),
  },
  {
    id: 't2.regulation_scope',
    severity: 'warning',
    description: 'non-zero 规章 counts from a body that cannot make 规章 (乡镇, 街道, 县级 bodies and their departments)',
    reads: ['t2.regulation.*', 'meta.agency'],
    check(ctx) {
      const agency = ctx.record.meta.agency;
      const level = agency ? agencyLevel(agency) : null;
      if (!level || !CANNOT_MAKE_REGULATIONS.has(level)) return [];
      const keys = Object.keys(ctx.record.cells).filter((k) => k.startsWith('t2.regulation.') && (ctx.raw(k) ?? 0) !== 0);
      if (!keys.length) return [];
      return [{
        keys,
        message: `${agency}（${level}级）无权制定规章，但表二「规章」一行填有非零数字（${keys.map((k) => num(ctx.raw(k) as number)).join('、')}）；应为 0，或应计入「行政规范性文件」`,
      }];
    },
  },
];
