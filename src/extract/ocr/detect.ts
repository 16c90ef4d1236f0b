/** Which pages need OCR: no text layer (a scan, or text drawn as outlines), or one that is mostly not text (an invisible OCR layer of poor quality). */
import type { PageContent } from '../types.js';

export interface NeedsOcrSettings {
  /** Fewer visible characters than this on a page means there is no usable text layer. */
  minChars: number;
  /** Share of characters that must be CJK, ASCII letters, digits or common punctuation. */
  minPlausible: number;
  /** A page with little text needs OCR when its largest image covers at least this share of it. */
  minImageCover: number;
  /**
   * ... or when it fills at least this many curved paths: its text was converted to outlines (a page of them
   * fills hundreds, one per glyph; a logo or a seal a few dozen).
   */
  minCurvedFills: number;
  /**
   * A page an image covers this much (a scan) that carries fewer characters than `stampChars` has had a few
   * words laid over the scan (a filing stamp, a footer): those words are not the page.
   */
  scanCover: number;
  stampChars: number;
}

export const NEEDS_OCR: NeedsOcrSettings = { minChars: 20, minPlausible: 0.7, minImageCover: 0.25, minCurvedFills: 150, scanCover: 0.8, stampChars: 100 };

const PLAUSIBLE = /[\p{Script=Han}A-Za-z0-9\s.,:;!?()%\-/，。、：；！？（）《》“”‘’【】—…·]/u;

export function needsOcr(content: PageContent, s: NeedsOcrSettings = NEEDS_OCR): boolean {
  // Full-width digits and letters (０–９) are text, not garbage: compare their half-width forms.
  const text = content.items.map((i) => i.text).join('').normalize('NFKC').replace(/\s+/g, '');
  // Little text is a scan only where an image covers the page: a digital report's last page may hold just a date.
  if (text.length < s.minChars) {
    return content.imageCover === undefined || content.imageCover >= s.minImageCover || (content.curvedFills ?? 0) >= s.minCurvedFills;
  }
  if ((content.imageCover ?? 0) >= s.scanCover && text.length < s.stampChars) return true;
  let ok = 0;
  for (const ch of text) if (PLAUSIBLE.test(ch)) ok++;
  // Garbage layers are full of replacement characters, private-use glyphs and stray symbols.
  return ok / [...text].length < s.minPlausible;
}

/**
 * Letters no Chinese report prints (À–ɏ: Latin-1 and Latin Extended letters, private-use glyphs, U+FFFD):
 * a text layer whose fonts map some glyphs to the wrong characters (a PDF rewritten by a converter that
 * lost part of a font's ToUnicode map) shows them among its Chinese: 一、予以公开 comes out as ÿ一Ā予以|开.
 */
const MISMAPPED = /[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\ue000-\uf8ff\ufffd]/gu;

/** Fewest such characters on a page for its text layer to count as partly mis-mapped. */
const MIN_MISMAPPED = 3;

/** Whether a page's text layer maps some of its glyphs to wrong characters (see MISMAPPED). */
export function mismappedText(content: PageContent): boolean {
  const text = content.items.map((i) => i.text).join('');
  return (text.match(MISMAPPED)?.length ?? 0) >= MIN_MISMAPPED && /\p{Script=Han}/u.test(text);
}
