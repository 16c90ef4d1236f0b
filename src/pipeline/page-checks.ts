import { mismappedText } from '../extract/ocr/detect.js';
import { pageText } from '../extract/pdf.js';
import type { PageReading } from '../extract/pdf-reading.js';
import type { PageContent } from '../extract/types.js';
import type { MappedCells } from '../normalize/collector.js';

/**
 * When a page's text layer may not be the page, and the page is read again from its image. Each check is named,
 * with its own reason for the record's notes; like the rules, they read and never change what they look at.
 */
export const PAGE_CHECK_SETTINGS = {
  /** Rows of numbers on one page whose labels match no official row: an agency's own extra row or two (其中：…) is not enough. */
  unmatchedRows: 3,
  /** A scanned page lies under at least this share of the page. */
  scanCover: 0.5,
  /** An image this large on a page without rules may be a table pasted as a picture… */
  pictureCover: 0.2,
  /** …where fewer rules than this are drawn. */
  pictureMaxRules: 4,
  /** Characters of its own text from which a page with a picture in it keeps that text rather than its image's. */
  ownText: 200,
};

interface CheckInput {
  content: PageContent;
  mapped: MappedCells;
  /** The report lacks section 二, 三 or 四. */
  missingSection: boolean;
}

export interface PageCheck {
  id: 'sandwich' | 'picture' | 'mismapped' | 'unmatched' | 'unknown_tables';
  /** Why the text layer is not trusted alone (goes into the notes). */
  reason: string;
  /** The page keeps its own text for the narrative (a page of good text with a picture in it). */
  keepsText?: (c: PageContent) => boolean;
  applies: (x: CheckInput) => boolean;
}

const S = PAGE_CHECK_SETTINGS;

export const PAGE_CHECKS: PageCheck[] = [
  {
    id: 'sandwich',
    reason: "a scan under an invisible text layer (another program's OCR, of unknown quality)",
    applies: ({ content: c }) => !!c.invisibleText && (c.imageCover ?? 0) >= S.scanCover,
  },
  {
    id: 'picture',
    reason: 'an image covers much of it and no rules are drawn (a table pasted as a picture?)',
    keepsText: (c) => pageText(c).replace(/\s+/g, '').length >= S.ownText,
    applies: ({ content: c }) => (c.imageCover ?? 0) >= S.pictureCover && c.segments.length < S.pictureMaxRules,
  },
  {
    id: 'mismapped',
    reason: 'its text layer maps some glyphs to wrong characters',
    applies: ({ content }) => mismappedText(content),
  },
  {
    id: 'unmatched',
    reason: 'its text layer gives rows of numbers whose labels match no official row',
    applies: ({ content, mapped }) => mapped.unmatched.filter((u) => u === content.page).length >= S.unmatchedRows,
  },
  {
    // A text layer that maps glyphs to other Chinese characters (行政处罚 as 行敀夅罛) reads like this.
    id: 'unknown_tables',
    reason: 'its tables have headings the reader does not know, and the report lacks a section',
    applies: ({ content, mapped, missingSection }) => missingSection && mapped.unknownTables.includes(content.page),
  },
];

/** The first check each text-layer page fails, if any. */
export function suspectPages(pages: PageReading[], mapped: MappedCells): { page: PageReading; check: PageCheck }[] {
  const missingSection = ['t2.', 't3.', 't4.'].some((t) => !Object.keys(mapped.cells).some((k) => k.startsWith(t)));
  return pages.flatMap((page) => {
    if (page.from !== 'text') return [];
    const check = PAGE_CHECKS.find((c) => c.applies({ content: page.content, mapped, missingSection }));
    return check ? [{ page, check }] : [];
  });
}
