import { readMeta } from '../normalize/meta.js';
import { mapTables } from '../normalize/tables.js';
import { fixCjkCompat } from '../format/characters.js';
import type { Extraction } from './extraction.js';
import { readHtml } from './html-grid.js';
import { isMht, mhtHtml } from './mht.js';
import { declaredCharset, decodeBytes } from './text-decode.js';
import type { Table } from './types.js';

/** An agency's HTML page (hand-written, CMS or Word-exported) → canonical cells, metadata and text. */
export async function readHtmlReport(bytes: Uint8Array): Promise<Extraction> {
  const html = isMht(bytes) ? (mhtHtml(bytes) ?? '') : decodeBytes(bytes, declaredCharset(bytes));
  const { tables, text } = readHtml(fixCjkCompat(html));
  return gridExtraction(tables, text, 'page');
}

/** Tables whose cells are written down (HTML, docx: one "page", no OCR) and the document's text → an extraction. */
export function gridExtraction(tables: Table[], text: string, what: string): Extraction {
  const mapped = mapTables(tables);
  const pages = [text];
  const notes = tables.length ? mapped.notes : [`no table found in the ${what}`, ...mapped.notes];
  return {
    pages: 1,
    ocr: false,
    meta: { ...readMeta(pages), format: mapped.format },
    cells: mapped.cells,
    provenance: mapped.provenance,
    notes,
    text: { pages },
  };
}
