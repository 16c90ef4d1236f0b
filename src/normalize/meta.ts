import { furnitureLines, squeezed, withoutAddresses, withoutFurnitureWords } from '../format/furniture.js';
import { SECTION_PATTERNS } from '../format/vocabulary.js';

/**
 * Report metadata from the document's own words: the title names the agency and the year
 * (相山区人力资源和社会保障局2020年政府信息公开工作年度报告), often over two lines. What a browser, a site or a
 * capture tool printed around the report (page furniture, src/format/furniture.ts) is not read for it, unless the
 * report's own words give no title at all: then a page title left in the furniture (a browser's header) is.
 */

export interface ReportMeta {
  title: string | null;
  agency: string | null;
  year: number | null;
}

export const META_SETTINGS = {
  /** Pages searched for the title: a web page's navigation may fill the whole first page of its print. */
  pagesSearched: 3,
  /** Lines a wrapped title may take. */
  titleLines: 3,
  /** Lines of the report's own words searched for a year when no title is found. */
  yearLines: 12,
  /** The longest agency name taken (a longer run of words is not a name). */
  agencyMaxChars: 40,
};

const TITLE_TAIL = /(\d{4})\s*年(?:度)?\s*(?:政府)?\s*信息公开\s*(?:工作)?\s*年度\s*报告/;
/** What may follow the title on its line: nothing, a site's suffix (_政府信息公开年报_…), or a short note in brackets. */
const AFTER_TITLE = /^(?:[_\-—–|｜].*|[（(][^）)]{0,12}[)）])?$/;
/** A title is not a sentence, nor a label with its value. */
const SENTENCE = /[。，,；;！？!?：:]/;
/** Words that no agency's name holds: the report's or the site's, not an author's. */
const NOT_AGENCY = /信息公开|年报|报告|当前位置|首页|\d/;

/**
 * The metadata from the pages as first read (text layers, and images where a page has none). `fill`, the pages with
 * some read again from their image, may give what those lack, never replace what they give.
 */
export function readMeta(pages: string[], fill?: string[]): ReportMeta {
  const own = metaOf(pages);
  if (own.title || !fill) return own;
  const filled = metaOf(fill);
  return filled.title ? filled : { ...own, year: own.year ?? filled.year };
}

function metaOf(pages: string[]): ReportMeta {
  const { head, furniture, own } = linesOf(pages);
  const found = titleIn(head) ?? titleIn(furniture.map(withoutFurnitureWords).filter(Boolean));
  return found ?? { title: null, agency: null, year: yearIn(own) };
}

/**
 * The searched pages' lines (whitespace taken out): the report's own before its first section (`head`), all its
 * own (`own`), and the furniture before that section.
 */
function linesOf(pages: string[]) {
  const pageLines = pages.map((p) => p.split('\n').filter((l) => l.trim()));
  const marks = furnitureLines(pageLines);
  const head: string[] = [];
  const own: string[] = [];
  const furniture: string[] = [];
  let inBody = false;
  pageLines.slice(0, META_SETTINGS.pagesSearched).forEach((lines, p) =>
    lines.forEach((line, i) => {
      const s = squeezed(withoutAddresses(line));
      inBody ||= SECTION_PATTERNS[0].test(s);
      if (marks[p][i]) {
        if (!inBody) furniture.push(line);
        return;
      }
      own.push(s);
      if (!inBody) head.push(s);
    }),
  );
  return { head, furniture, own };
}

/** The first title in the lines: on one line, else wrapped over two, then three. */
function titleIn(lines: string[]): ReportMeta | null {
  for (let span = 1; span <= META_SETTINGS.titleLines; span++) {
    for (let i = 0; i + span <= lines.length; i++) {
      const found = titleAt(lines, i, span);
      if (found) return found;
    }
  }
  return null;
}

function titleAt(lines: string[], i: number, span: number): ReportMeta | null {
  const part = lines.slice(i, i + span);
  if (part.some((l) => SENTENCE.test(l))) return null;
  const joined = part.join('').replace(/^[《〈]/, '');
  const m = joined.match(TITLE_TAIL);
  if (!m || m.index === undefined) return null;
  const end = m.index + m[0].length;
  if (!AFTER_TITLE.test(joined.slice(end))) return null;
  const title = joined.slice(0, end);
  const year = Number(m[1]);
  const inline = cleanAgency(joined.slice(0, m.index));
  if (inline) return isAgencyName(inline) ? { title, agency: inline, year } : null;
  // The agency may stand on the line before a title that starts with the year.
  const before = i > 0 ? cleanAgency(lines[i - 1]) : '';
  if (isAgencyName(before)) return { title: before + title, agency: before, year };
  return { title, agency: null, year };
}

/** No title: the year of a title named in the text (本报告…2019年度政府信息公开年度报告), else the first year at its top. */
function yearIn(own: string[]): number | null {
  const named = own.join('').match(TITLE_TAIL);
  if (named) return Number(named[1]);
  const anyYear = own.slice(0, META_SETTINGS.yearLines).join('').match(/(20\d{2})\s*年/);
  return anyYear ? Number(anyYear[1]) : null;
}

function isAgencyName(s: string) {
  return s.length >= 2 && s.length <= META_SETTINGS.agencyMaxChars && !/\p{P}/u.test(s.replace(/[（）()]/g, '')) && !NOT_AGENCY.test(s);
}

function cleanAgency(s: string) {
  return s.replace(/^[《〈]/, '').replace(/^关于/, '').replace(/[：:]$/, '').trim();
}
