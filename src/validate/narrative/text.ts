import { PAGE_NUMBER, SECTION_PATTERNS, SECTION_TITLES } from '../../format/vocabulary.js';
import { fixCjkCompat } from '../../format/characters.js';

/**
 * The report's running text, prepared for reading sentences: lines joined (they wrap
 * mid-sentence and mid-number-phrase), page numbers dropped, spaces removed (PDF text
 * puts them between digits and 件), and each character's page remembered so that a
 * finding can point at it. Section headings 一 … 六 are located so that the narrative
 * (section 一 mostly) is read apart from the tables.
 */

export interface Line {
  text: string;
  page: number;
  /** Offset of the line in `joined`. */
  start: number;
  /** The line looks like a table row (two or more bare numbers). */
  numeric: boolean;
  /** 1-based line of its page's text as given (blank lines counted): for HTML and docx, the paragraph. */
  number: number;
}

export interface Sentence {
  text: string;
  start: number;
  page: number;
  paragraph: number;
}

export interface SectionHeading {
  n: number;
  line: number;
  start: number;
  text: string;
}

export { SECTION_TITLES };

/** Enough of a quote's start to find it in the text: its sentences may not stand together. */
const QUOTE_PROBE = 24;
const FULL_DIGITS = /[０-９]/g;

export function normalizeLine(s: string): string {
  return fixCjkCompat(s)
    .replace(FULL_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000\u00a0]+/g, '');
}

export class Narrative {
  readonly lines: Line[] = [];
  readonly joined: string;
  readonly headings: SectionHeading[];
  /** [start, end) of the narrative before the tables (section 一 and the preamble). */
  readonly leadEnd: number;
  /** Start of the closing sections (五, 六), or -1. */
  readonly tailStart: number;

  constructor(pages: string[]) {
    let joined = '';
    pages.forEach((pageText, i) => {
      for (const [index, rawLine] of pageText.split('\n').entries()) {
        const text = normalizeLine(rawLine);
        if (!text || PAGE_NUMBER.test(text)) continue;
        const numeric = rawLine.trim().split(/\s+/).filter((t) => /^-?\d+(?:\.\d+)?$/.test(t)).length >= 2;
        this.lines.push({ text, page: i + 1, start: joined.length, numeric, number: index + 1 });
        joined += text;
      }
    });
    this.joined = joined;
    this.headings = findHeadings(this.lines);
    const h = (n: number) => this.headings.find((x) => x.n === n);
    const tables = h(2) ?? h(3) ?? h(4);
    this.leadEnd = tables ? tables.start : joined.length;
    const tail = h(5) ?? h(6);
    this.tailStart = tail ? tail.start : -1;
  }

  /** Enough running text to read (a scan without OCR has none). */
  get usable(): boolean {
    return (this.joined.match(/[\u4e00-\u9fff]/g)?.length ?? 0) >= 100;
  }

  pageAt(offset: number): number {
    let page = this.lines[0]?.page ?? 1;
    for (const l of this.lines) {
      if (l.start > offset) break;
      page = l.page;
    }
    return page;
  }

  /** The line of the text where a quote (as a finding gives it) starts, or undefined when it is not found. */
  lineOfQuote(quote: string): Line | undefined {
    const offset = this.joined.indexOf(normalizeLine(quote).slice(0, QUOTE_PROBE));
    if (offset < 0 || !quote) return undefined;
    let found: Line | undefined;
    for (const l of this.lines) {
      if (l.start > offset) break;
      found = l;
    }
    return found;
  }

  /** The sentence (to its 。) around an offset, and its page: what a finding quotes. */
  sentenceAt(offset: number): { quote: string; page: number } {
    const from = Math.max(0, this.joined.lastIndexOf('。', offset) + 1);
    const end = this.joined.indexOf('。', offset);
    return { quote: this.joined.slice(from, end < 0 ? undefined : end + 1), page: this.pageAt(offset) };
  }

  /** The narrative before the tables, without table-like lines (when no heading bounds it). */
  leadText(): { text: string; offsets: number[] } {
    const hasBound = this.leadEnd < this.joined.length;
    let text = '';
    const offsets: number[] = [];
    for (const l of this.lines) {
      if (l.start >= this.leadEnd) break;
      if (!hasBound && l.numeric) continue;
      for (let i = 0; i < l.text.length; i++) offsets.push(l.start + i);
      text += l.text;
    }
    return { text, offsets };
  }

  /** Sentences of the lead narrative, each tagged with its paragraph ((一), (二) … start new ones). */
  sentences(): Sentence[] {
    const { text, offsets } = this.leadText();
    const lineAt = new Map(this.lines.map((l) => [l.start, l]));
    const out: Sentence[] = [];
    let paragraph = 0;
    let from = 0;
    const push = (end: number) => {
      const s = text.slice(from, end);
      if (s.replace(/[。！？!?]/g, '').length) {
        const start = offsets[from] ?? 0;
        out.push({ text: s, start, page: this.pageAt(start), paragraph });
      }
      from = end;
    };
    let headingEnd = -1;
    for (let i = 0; i < text.length; i++) {
      const line = lineAt.get(offsets[i]);
      if (PARAGRAPH_START.test(text.slice(i, i + 6)) && (i === 0 || /[。：:；;]/.test(text[i - 1]) || line)) {
        push(i);
        paragraph++;
        // A heading on a line of its own ("（一）主动公开信息") is not part of the sentence after it.
        if (line && line.text.length <= 24 && !/[。，,；;：:]/.test(line.text)) headingEnd = i + line.text.length;
      }
      if (i === headingEnd) push(i);
      if (/[。！？!?]/.test(text[i])) push(i + 1);
    }
    push(text.length);
    return out;
  }

  /** The narrative sections (lead and closing), for comparing one year's wording with another's. */
  narrativeText(): string {
    const lead = this.joined.slice(0, this.leadEnd);
    const tail = this.tailStart >= 0 ? this.joined.slice(this.tailStart) : '';
    return lead + tail;
  }
}

const PARAGRAPH_START = /^(?:[（(][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、)/;

function findHeadings(lines: Line[]): SectionHeading[] {
  const out: SectionHeading[] = [];
  let from = 0;
  for (let n = 1; n <= 6; n++) {
    const re = SECTION_PATTERNS[n - 1];
    for (let i = from; i < lines.length; i++) {
      // A heading may wrap onto the next line before its keyword.
      const text = lines[i].text + (lines[i + 1]?.text ?? '');
      if (!re.test(lines[i].text) && !(re.test(text) && lines[i].text.length <= 14)) continue;
      if (lines[i].numeric) continue;
      out.push({ n, line: i, start: lines[i].start, text: lines[i].text });
      from = i + 1;
      break;
    }
  }
  return out;
}

export function readNarrative(pages: string[]): Narrative | null {
  const n = new Narrative(pages);
  return n.usable ? n : null;
}
