/** The rules' names in Chinese, for reviewers' pages (ids as in ../shared/spec/rules.md); an unknown id shows as itself. */
export const RULE_NAMES_ZH: Record<string, string> = {
  't3.balance': '申请数量勾稽关系（新收＋结转＝总计＋结转下年）',
  't3.results': '办理结果之和等于总计',
  't3.columns': '各类申请人之和等于总计',
  't4.sum': '行政复议、诉讼结果之和等于总计',
  'cell.value': '数值应为非负整数',
  'cell.blank': '单元格空白',
  'cell.unit': '计量单位与格式不符',
  'structure.missing': '缺少标准表格或行',
  'structure.sections': '章节不全或顺序不符',
  'structure.label': '表内标签与官方不同',
  't2.published': '新公开数量不超过公开总数',
  't2.stock': '本年制发不超过现行有效与废止之和',
  't2.regulation_scope': '无规章制定权的机关填报了规章',
  'format.year': '表格格式与年度不符',
  'format.basis': '引用的格式文件已被替代',
  'narrative.period': '统计期限不是全年',
  'narrative.table': '正文数字与表格不符',
  'narrative.sum': '正文合计与分项不符',
  'xyear.carry': '上年结转与上年报告的结转下年不符',
  'xyear.stock': '现行有效件数与上年不衔接',
  'xyear.prev': '上一年项目数量与上年报告不衔接',
  'xyear.jump': '数量较上年变化超过十倍',
  'xyear.duplicate': '正文与上年报告雷同',
};

export const ruleNameZh = (id: string) => RULE_NAMES_ZH[id] ?? id;
