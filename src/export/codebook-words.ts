/**
 * The words the codebook adds to the format catalog: English names of the catalog's row, column and group ids,
 * units, and Chinese names of the rules. Keyed by the catalog's ids, so a new id without a word here is caught
 * by the codebook test, and the Chinese labels stay the catalog's own.
 */

export const EN_ROWS: Record<string, string> = {
  // 表二
  regulation: 'regulations (规章)',
  normative: 'normative documents',
  license: 'administrative licences',
  other_service: 'other external management services',
  penalty: 'administrative penalties',
  coercion: 'administrative coercion',
  fee: 'administrative fees',
  procurement: 'centralised government procurement',
  // 表三
  new: 'new applications this year',
  carried_in: 'applications carried over from last year',
  granted: 'result: disclosed',
  partial: 'result: partly disclosed',
  'denied.state_secret': 'not disclosed: state secret',
  'denied.law_prohibited': 'not disclosed: prohibited by other laws',
  'denied.security': 'not disclosed: endangers the "three securities and one stability"',
  'denied.third_party': "not disclosed: third parties' lawful rights",
  'denied.internal': 'not disclosed: internal affairs',
  'denied.process': 'not disclosed: process information',
  'denied.enforcement': 'not disclosed: law-enforcement files',
  'denied.query': 'not disclosed: administrative query matters',
  'unable.not_held': 'cannot provide: not held by this agency',
  'unable.needs_creation': 'cannot provide: would have to be created',
  'unable.unclear': 'cannot provide: still unclear after correction',
  'rejected.petition': 'not handled: petitions, reports, complaints',
  'rejected.duplicate': 'not handled: repeated application',
  'rejected.publication': 'not handled: asks for published material',
  'rejected.excessive': 'not handled: many repeated applications without good reason',
  'rejected.confirm': 'not handled: asks to confirm or reissue information already obtained',
  other: 'other handling',
  'other.no_correction': 'other handling: applicant did not correct in time',
  'other.no_fee': 'other handling: applicant did not pay the fee in time',
  'other.misc': 'other handling: other',
  total_handled: 'total handled',
  carried_out: 'carried over to next year',
  // 表四
  review: 'administrative review',
  suit_direct: 'lawsuit without prior review',
  suit_after_review: 'lawsuit after review',
};

export const EN_COLUMNS: Record<string, string> = {
  made: 'made this year',
  published: 'published this year',
  total: 'total',
  prev: 'count the year before',
  change: 'change this year',
  decisions: 'decisions',
  items: 'procurement items',
  amount: 'amount',
  repealed: 'repealed this year',
  in_force: 'in force',
  natural: 'natural persons',
  commercial: 'commercial enterprises',
  research: 'research institutions',
  nonprofit: 'non-profit organisations',
  legal: 'legal service organisations',
  other_org: 'other organisations',
  upheld: 'upheld',
  corrected: 'corrected',
  other: 'other result',
  pending: 'pending',
};

/** Units by table and column id; the format prints 万元 for the 2021 fee amount, the 2019 procurement amount is in 万元 by the format's note. */
export const UNITS = {
  amount: '万元',
  t2: '件 (documents) or 项 (items)',
  t3: '件 (applications)',
  t4: '件 (cases)',
} as const;

/** 规则的中文名, for findings.csv and the workbook. */
export const RULE_NAMES_ZH: Record<string, string> = {
  'cell.blank': '单元格空白',
  'cell.value': '数值不合理（负数或非整数）',
  't3.balance': '表三 收结平衡（新收＋上年结转＝总计＋结转下年度）',
  't3.results': '表三 办理结果合计（（七）总计＝（一）至（六）之和）',
  't3.columns': '表三 申请人合计（总计＝各类申请人之和）',
  't4.sum': '表四 复议诉讼合计（总计＝维持＋纠正＋其他＋尚未审结）',
  't2.published': '表二 新公开数量不大于公开总数',
  't2.stock': '表二 制发件数不大于现行有效与废止之和',
  't2.regulation_scope': '表二 无规章制定权的机关填报规章',
  'format.year': '表格格式与年度不符',
  'format.basis': '引用的格式文件已废止',
  'structure.missing': '缺少标准表格或行',
  'structure.sections': '六部分缺失或顺序不符',
  'structure.label': '表格标签与官方格式不同',
  'narrative.period': '统计期限不是全年',
  'narrative.table': '正文数字与表格不符',
  'narrative.sum': '正文合计与分项不符',
  'xyear.carry': '跨年 上年结转与上年报告结转下年度不符',
  'xyear.stock': '跨年 现行有效件数不衔接',
  'xyear.prev': '跨年 上一年项目数量不衔接',
  'xyear.jump': '跨年 数量异常增减（十倍以上）',
  'xyear.duplicate': '跨年 正文与上年雷同',
};
