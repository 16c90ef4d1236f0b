/**
 * The words of the document itself, as the official format prints them: section headings and page numbers.
 * Readers find sections by these, the narrative checks by these; nobody spells them again.
 */

/** The six section titles of the official format, in order. */
export const SECTION_TITLES = ['一、总体情况', '二、主动公开政府信息情况', '三、收到和处理政府信息公开申请情况', '四、政府信息公开行政复议、行政诉讼情况', '五、存在的主要问题及改进情况', '六、其他需要报告的事项'];

/** A heading, loosely: its ordinal at a line start and one word of its official title (they are often reworded). */
export const SECTION_PATTERNS: RegExp[] = [
  /^一、.{0,6}(?:总体|概述|概况|基本情况)/,
  /^二、.{0,8}主动公开/,
  /^三、.{0,8}(?:收到和处理|依申请|申请)/,
  /^四、.{0,12}(?:行政复议|行政诉讼)/,
  /^五、.{0,12}(?:问题|改进|不足)/,
  /^六、.{0,8}(?:其他|其它)/,
];

/** The headings that open the three tables' sections, and the one that ends them, as printed (whitespace removed, NFKC). */
export const TABLE_SECTION_HEADINGS: { id: 't2' | 't3' | 't4' | 'end'; re: RegExp }[] = [
  { id: 't2', re: /^二[、.]?主动公开政府信息/ },
  { id: 't3', re: /^三[、.]?收到和处理政府信息公开申请/ },
  { id: 't4', re: /^四[、.]?政府信息公开行政复议/ },
  { id: 'end', re: /^(?:五[、.]?(?:存在|主要问题)|六[、.]?其他需要报告)/ },
];

/** A line that is only a page number: 3, -3-, 第3页, 第3页共9页, 3/9. */
export const PAGE_NUMBER = /^(?:[-—–]*\d{1,3}[-—–]*|第\d+页(?:共\d+页)?|\d+\/\d+)$/;
