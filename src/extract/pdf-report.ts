import type { ExtractOptions } from './index.js';
import type { Extraction } from './extraction.js';
import { openPdf, pageText, readPage } from './pdf.js';
import { pageTables } from './grid.js';
import { unruledTables } from './unruled.js';
import { mapTables } from '../normalize/tables.js';
import { readMeta } from '../normalize/meta.js';
import type { PageContent, Table } from './types.js';

/** The ruled tables of a page; where a page has none, its text layout stands in for the rules. */
export function tablesOf(content: PageContent): Table[] {
  const ruled = pageTables(content);
  return ruled.length ? ruled : unruledTables(content);
}

/** A digital (or scanned) PDF report → canonical cells, metadata and page text. */
export async function readPdfReport(bytes: Uint8Array, opts: ExtractOptions): Promise<Extraction> {
  void opts;
  const doc = await openPdf(bytes);
  try {
    const pages: PageContent[] = [];
    for (let p = 1; p <= doc.numPages; p++) pages.push(await readPage(doc, p));
    const tables: Table[] = pages.flatMap(tablesOf);
    const mapped = mapTables(tables);
    const text = pages.map(pageText);
    const meta = readMeta(text);
    return {
      pages: doc.numPages,
      ocr: false,
      meta: { ...meta, format: mapped.format },
      cells: mapped.cells,
      provenance: mapped.provenance,
      notes: mapped.notes,
      text: { pages: text },
    };
  } finally {
    await doc.destroy();
  }
}
