import type { Rule } from '../context.js';
import { isFormatMark } from '../../format/catalog.js';

/** The format version against the report's year, and the format the text says it follows. */

const NAMES = { '2019': '2019 版（国办公开办函〔2019〕60号）', '2021': '2021 版（国办公开办函〔2021〕30号）' };

const BASIS_2019 = /国办公开办函[〔\[【(（]?2019[〕\]】)）]?60号/;

export const formatRules: Rule[] = [
  {
    id: 'format.year',
    severity: 'warning',
    description: 'a 2019-format table in a report for 2021 or later, or a 2021-format table before 2021; hybrid formats are info',
    reads: ['*', 'meta.year'],
    check(ctx) {
      const year = ctx.year;
      const { format, t2, otherSplit } = ctx.layout;
      if (year === null) return [];
      const origin = ctx.originOf(Object.keys(ctx.record.cells).filter(isFormatMark));
      if (format === '2019' && year >= 2021) {
        return [{ keys: [], origin, expected: '2021', actual: '2019', message: `${year} 年度报告的表格使用了${NAMES['2019']}；2021 年度起应使用${NAMES['2021']}` }];
      }
      if (format === '2021' && year < 2021) {
        return [{ keys: [], origin, expected: '2019', actual: '2021', message: `${year} 年度报告的表格使用了${NAMES['2021']}；2020 年度及以前的报告应使用${NAMES['2019']}` }];
      }
      if (format === 'hybrid' && t2 && otherSplit !== null) {
        const six = otherSplit ? '「（六）其他处理」分为三项（2021 版）' : '「（六）其他处理」只有一行（2019 版）';
        return [{ keys: [], origin, severity: 'info', actual: 'hybrid', message: `表格混用了两版格式：表二为 ${t2} 版，表三${six}` }];
      }
      return [];
    },
  },
  {
    id: 'format.basis',
    severity: 'warning',
    description: 'a report for 2021 or later cites 国办公开办函〔2019〕60号 (superseded by 〔2021〕30号) as its format',
    reads: ['text'],
    applies: (ctx) => ctx.narrative !== null && ctx.year !== null && ctx.year >= 2021,
    check(ctx) {
      const n = ctx.narrative!;
      const m = BASIS_2019.exec(n.joined);
      if (!m) return [];
      return [{
        keys: [],
        origin: ctx.textOrigin,
        ...n.sentenceAt(m.index),
        message: `${ctx.year} 年度报告称依据国办公开办函〔2019〕60号编制；该格式已由国办公开办函〔2021〕30号取代`,
      }];
    },
  },
];
