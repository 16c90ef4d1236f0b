import { TABLE_SECTION_HEADINGS } from '../format/vocabulary.js';
import { parseCellNumber } from '../format/numbers.js';
import { fixCjkCompat } from '../format/characters.js';

/**
 * A flattened report as a stream of pieces: runs of label text and number tokens, each
 * with the line (and page, where form feeds tell) it came from. Whitespace is the only
 * separator a flattened table keeps, so a token is a number only when it stands alone.
 */

export interface Piece {
  kind: 'text' | 'num';
  text: string;
  /** 1-based line in the input. */
  line: number;
  /** 1-based page, from form feeds; undefined when the text has none. */
  page?: number;
  /** Character column where the token starts on its line: meaningful only in layout-preserving text. */
  col: number;
}

export interface Line {
  text: string;
  line: number;
  page?: number;
}

/** Lines of the text; a form feed (pdftotext's page break) starts the next page. */
export function splitLines(text: string): { lines: Line[]; pages: string[] } {
  const hasPages = text.includes('\f');
  const lines: Line[] = [];
  let page = 1;
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const feeds = raw.split('\f');
    page += feeds.length - 1;
    lines.push({ text: fixCjkCompat(feeds.join('')), line: i + 1, page: hasPages ? page : undefined });
  });
  const pages = text.split('\f').map((p) => p.replace(/\r\n?/g, '\n'));
  if (pages.length > 1 && !pages[pages.length - 1].trim()) pages.pop();
  return { lines, pages };
}

/** Page furniture: "- 3 -", "—3—", "第 3 页 共 5 页", "3/5". */
const PAGE_NUMBER = /^\s*(?:[-—–－－]\s*\d+\s*[-—–－]|第\s*\d+\s*页(?:\s*[，,]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+)\s*$/;

/** Where an enumerated label starts inside a run of text: （三）, 三、, 2. — never inside a number. */
const ENUM_START = /(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|(?<![\d.．])\d{1,2}[.．、](?!\d))/g;

export const isNumberToken = (t: string) => {
  const n = parseCellNumber(t);
  return n.ok && (n.blank ? t.trim().length > 0 : true);
};

export function piecesOf(lines: Line[]): Piece[] {
  const out: Piece[] = [];
  for (const l of lines) {
    if (PAGE_NUMBER.test(l.text)) continue;
    for (const m of l.text.matchAll(/[^\s\u3000|]+/g)) {
      const token = m[0];
      if (isNumberToken(token)) {
        out.push({ kind: 'num', text: token, line: l.line, page: l.page, col: m.index });
        continue;
      }
      let col = m.index;
      for (const part of splitAtEnumerators(token)) {
        out.push({ kind: 'text', text: part, line: l.line, page: l.page, col });
        col += part.length;
      }
    }
  }
  return out;
}

function splitAtEnumerators(token: string): string[] {
  const cuts = [...token.matchAll(ENUM_START)].map((m) => m.index!).filter((i) => i > 0);
  const parts: string[] = [];
  let from = 0;
  for (const c of cuts) {
    parts.push(token.slice(from, c));
    from = c;
  }
  parts.push(token.slice(from));
  return parts.filter(Boolean);
}

export type SectionId = 't2' | 't3' | 't4';

const HEADINGS = TABLE_SECTION_HEADINGS;

/** The lines of each table section, from its heading to the next heading. */
export function sectionsOf(lines: Line[]): Partial<Record<SectionId, Line[]>> {
  const starts: { id: SectionId | 'end'; at: number }[] = [];
  let next = 0;
  lines.forEach((l, i) => {
    const flat = l.text.normalize('NFKC').replace(/\s+/g, '');
    for (let h = next; h < HEADINGS.length; h++) {
      if (HEADINGS[h].re.test(flat)) {
        starts.push({ id: HEADINGS[h].id, at: i });
        next = h + 1;
        break;
      }
    }
  });
  const out: Partial<Record<SectionId, Line[]>> = {};
  starts.forEach((s, k) => {
    if (s.id === 'end') return;
    const to = k + 1 < starts.length ? starts[k + 1].at : lines.length;
    out[s.id] = lines.slice(s.at + 1, to);
  });
  return out;
}
