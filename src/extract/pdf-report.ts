import type { ExtractOptions } from './index.js';
import type { Extraction } from './extraction.js';
import { openPdf, pageText, readPage } from './pdf.js';
import { pageTables } from './grid.js';
import { mapTables } from '../normalize/tables.js';
import { readMeta } from '../normalize/meta.js';
import type { PageContent, Table } from './types.js';

/** A digital (or scanned) PDF report → canonical cells, metadata and page text. */
export async function readPdfReport(bytes: Uint8Array, opts: ExtractOptions): Promise<Extraction> {
  void opts;
  const doc = await openPdf(bytes);
  try {
    const pages: PageContent[] = [];
    for (let p = 1; p <= doc.numPages; p++) pages.push(await readPage(doc, p));
    const tables: Table[] = pages.flatMap((c) => pageTables(c));
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
