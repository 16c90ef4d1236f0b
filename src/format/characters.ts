/**
 * Some PDF fonts map common ideographs to look-alike code points of the CJK radical
 * blocks (人⺠ for 人民, ⻘ for 青). They are the same characters to a reader; map
 * them back so that labels and agency names compare equal.
 */
const RADICAL_SUPPLEMENT: Record<string, string> = {
  '⺟': '母', '⺠': '民', '⺮': '竹', '⺩': '王', '⺬': '示', '⺯': '糸', '⺜': '日', '⺝': '月', '⺁': '厂',
  '⻁': '虎', '⻄': '西', '⻅': '见', '⻆': '角', '⻉': '贝', '⻋': '车', '⻑': '長', '⻓': '长', '⻔': '门',
  '⻗': '雨', '⻘': '青', '⻙': '韦', '⻚': '页', '⻛': '风', '⻜': '飞', '⻝': '食', '⻡': '首', '⻢': '马',
  '⻣': '骨', '⻤': '鬼', '⻥': '鱼', '⻦': '鸟', '⻧': '卤', '⻨': '麦', '⻩': '黄', '⻪': '黾', '⻬': '齐',
  '⻮': '齿', '⻰': '龙', '⻳': '龟',
};

export function fixCjkCompat(s: string): string {
  // Kangxi radicals (U+2F00–U+2FDF) and CJK compatibility ideographs have NFKC equivalents.
  if (!/[\u2e80-\u2fdf\uf900-\ufaff]/.test(s)) return s;
  return s.replace(/[\u2e80-\u2eff]/g, (c) => RADICAL_SUPPLEMENT[c] ?? c).replace(/[\u2f00-\u2fdf\uf900-\ufaff]/g, (c) => c.normalize('NFKC'));
}
