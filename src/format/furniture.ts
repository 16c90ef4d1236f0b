import { PAGE_NUMBER } from './vocabulary.js';

/**
 * Page furniture: what a browser, a web site or a capture tool prints around a report, which are not the report's
 * own words: print stamps (12/4/26, 6:31 PM), addresses, page counters (6/9), site navigation (当前位置, 首页 >,
 * 请输入搜索内容, 登录 注册 …), a page's metadata block (标题：, 索引号, 发布机构 …), and the lines that stand at
 * the same place on every page (running headers and footers). Readers of the report's own words skip it.
 */

export const FURNITURE_SETTINGS = {
  /** Lines from the top and from the bottom of a page where running headers and footers stand. */
  edgeLines: 3,
  /** A line is a running header or footer when it stands at the same place on at least this share of the pages… */
  repeatShare: 0.5,
  /** …and on at least this many pages (one page has nothing to repeat against). */
  repeatPages: 2,
  /** Characters of its own a line keeps once the furniture words are taken out, or it is furniture. */
  minOwnChars: 2,
};

/** A browser's print date and time, in the formats Chromium, Firefox and Safari print them. */
export const PRINT_STAMPS: RegExp[] = [
  /\d{1,2}\/\d{1,2}\/\d{2,4},?\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AP]\.?M\.?)?/gi,
  /\d{4}[/.-]\d{1,2}[/.-]\d{1,2}[T\s]*\d{1,2}:\d{2}(?::\d{2})?(?:[+-]\d{2}:?\d{2})?/g,
  /\d{4}年\d{1,2}月\d{1,2}日\s*(?:上午|下午)?\s*\d{1,2}:\d{2}(?::\d{2})?/g,
  /(?:上午|下午)\s*\d{1,2}:\d{2}/g,
];

/** Addresses: a URL (OCR bends file:/// into fileW/ or file:WW/) or a path to a web page. */
export const ADDRESSES: RegExp[] = [
  // an address is ASCII: it ends where the report's own words (Chinese) begin, glued or not
  /(?:https?|ftp|file)\s*[:：][!-~]*/gi,
  /www\.[!-~]+/gi,
  /[!-~]*\/[!-~]*\.(?:s?html?|aspx?|jsp|php)\b[!-~]*/gi,
];

/** A line with the addresses in it taken out (a page's URL glued to its title, as a site's header prints it). */
export function withoutAddresses(line: string): string {
  let s = line;
  for (const re of ADDRESSES) s = s.replace(re, ' ');
  return s;
}

/** A page counter a browser prints at the end of its footer: 6/9. */
export const PAGE_COUNTER = /\d{1,3}\s*\/\s*\d{1,3}\s*$/;

/**
 * The words of a web site's navigation, search box, accessibility bar, share and print buttons and page footer,
 * as printed with whitespace removed. A line made only of these (and addresses, stamps, bullets) is furniture.
 */
export const SITE_WORDS: RegExp[] = [
  /(?:当前|您的|您现在的)(?:所在)?位置[:：]?/g,
  /首页\s*[>＞»›]?/g,
  /请输入.{0,12}?(?:内容|关键词|关键字)/g,
  /(?:热门|历史|高级|全文|站内)?搜索[:：]?/g,
  /登录|注册|注销|你好[，,]?/g,
  /网站支持IPV6|IPV6/gi,
  /无障碍(?:浏览|阅读|模式)?|(?:退出)?长者模式|适老化|关怀版|繁體版?|简体版?|移动版|手机版|智能问答/g,
  /字号[:：]?[【[]?大[】\]]?[【[]?中[】\]]?[【[]?小[】\]]?/g,
  /[【[]?(?:打印(?:本页)?|关闭(?:窗口|本页)?|收藏|返回顶部|分享到?)[】\]]?/g,
  /微信|微博|QQ空间|扫一扫|全真版|文字版|文件下载|相关链接[:：]?|浏览次数[:：]?\d*|访问量[:：]?\d*/gi,
  /(?:主办|承办|协办)单位[:：].*|版权所有.*|网站标识码.*|.*ICP备.*|.*公网安备.*/g,
];

/** A field of a page's metadata block (a capture tool's, or the disclosure catalogue's): 标题：…, 索引号 …, 发布机构 …. */
export const METADATA_FIELD =
  /^(?:(?:标题|名称|单位|来源|采集时间|索引号|发布机构|公开日期|发布日期|发布时间|成文日期|发文日期|文号|关键词|主题分类|时效|信息来源|浏览次数|点击数)\s*[:：;；]|(?:标题|名称|索引号|发布机构|公开日期|采集时间)(?=.))/;

/** A breadcrumb: 当前位置：首页 > 政务公开 > …, or 首页 > … (the agency it names is the site's section, not a title). */
export const BREADCRUMB = /^(?:(?:当前|您的|您现在的)(?:所在)?位置\s*[:：]|首页\s*[>＞»›/])/;

/** A site's date banner: 2025年12月30日 星期二 (a report dates itself without the weekday). */
export const DATE_BANNER = /^\d{4}年\d{1,2}月\d{1,2}日\s*(?:星期|周)[一二三四五六日天]$/;

const BULLETS = /[•·●◦▪■□◆◇○|｜>＞»›\-—_]/g;

/** The line as compared: NFKC, whitespace taken out. */
export const squeezed = (line: string) => line.normalize('NFKC').replace(/\s+/g, '');

// The stamps without their global flag, made once: a global pattern's test() would carry lastIndex between lines.
const STAMP_TESTS = PRINT_STAMPS.map((re) => new RegExp(re.source, re.flags.replace('g', '')));
const hasStamp = (line: string) => STAMP_TESTS.some((re) => re.test(line));

/** A line of furniture by its words alone: a print stamp's line (the browser's header), a metadata field, navigation. */
export function isFurnitureLine(line: string): boolean {
  const s = line.normalize('NFKC').trim();
  if (!s) return true;
  const q = squeezed(s);
  if (hasStamp(s) || METADATA_FIELD.test(s) || BREADCRUMB.test(s) || PAGE_NUMBER.test(q) || DATE_BANNER.test(q)) return true;
  const core = (t: string) => t.replace(BULLETS, '').replace(/[\p{P}\p{S}]/gu, '');
  let rest = squeezed(withoutAddresses(s).replace(PAGE_COUNTER, ''));
  for (const re of SITE_WORDS) rest = rest.replace(re, '');
  // A line of the report may be short (the 告 a wrapped title leaves): short is furniture only once words were taken out.
  const left = core(rest);
  return !left || (left !== core(q) && left.length < FURNITURE_SETTINGS.minOwnChars);
}

/** A furniture line with its stamps, addresses, counter and metadata label taken out: what a page title is left of it. */
export function withoutFurnitureWords(line: string): string {
  let s = line.normalize('NFKC');
  for (const re of PRINT_STAMPS) s = s.replace(re, ' ');
  return squeezed(withoutAddresses(s).replace(PAGE_COUNTER, ' ')).replace(METADATA_FIELD, '');
}

/**
 * The lines of each page that are furniture: by their words, or by standing at the same place (counted from the
 * top or the bottom of the page) with the same text, digits aside, on most pages.
 */
export function furnitureLines(pages: string[][]): boolean[][] {
  const S = FURNITURE_SETTINGS;
  const placeKey = (lines: string[], i: number) => {
    const fromEnd = lines.length - 1 - i;
    const place = i < S.edgeLines ? `t${i}` : fromEnd < S.edgeLines ? `b${fromEnd}` : null;
    return place && `${place}:${squeezed(lines[i]).replace(/\d+/g, '#')}`;
  };
  const count = new Map<string, number>();
  for (const lines of pages) {
    for (const key of new Set(lines.map((_, i) => placeKey(lines, i)))) if (key) count.set(key, (count.get(key) ?? 0) + 1);
  }
  const needed = Math.max(S.repeatPages, Math.ceil(S.repeatShare * pages.length));
  return pages.map((lines) =>
    lines.map((line, i) => {
      const key = placeKey(lines, i);
      return isFurnitureLine(line) || (!!key && (count.get(key) ?? 0) >= needed);
    }),
  );
}
