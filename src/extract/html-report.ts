import { fixCjkCompat } from '../format/characters.js';
import type { Reading } from './reader.js';
import { note } from '../record/notes.js';
import { readHtml } from './html-grid.js';
import { isMht, mhtHtml } from './mht.js';
import { declaredCharset, decodeBytes } from './text-decode.js';

/** An agency's HTML page (hand-written, CMS or Word-exported) → its tables and text. */
export function readHtmlReport(bytes: Uint8Array): Reading {
  const html = isMht(bytes) ? (mhtHtml(bytes) ?? '') : decodeBytes(bytes, declaredCharset(bytes));
  const { tables, text } = readHtml(fixCjkCompat(html));
  return { pageCount: 1, tables, notes: tables.length ? [] : [note('no_table', 'no table found in the page')], text: [text] };
}
