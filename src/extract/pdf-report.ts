import type { ExtractOptions } from './index.js';
import type { Extraction } from './extraction.js';
import { openPdf, pageText, readPage } from './pdf.js';
import { pageTables } from './grid.js';
import { unruledTables } from './unruled.js';
import { needsOcr } from './ocr/detect.js';
import { mapTables } from '../normalize/tables.js';
import { readMeta } from '../normalize/meta.js';
import type { PageContent, Table } from './types.js';

/** The ruled tables of a page; where a page has none, its text layout stands in for the rules. */
export function tablesOf(content: PageContent): Table[] {
  const ruled = pageTables(content);
  return ruled.length ? ruled : unruledTables(content);
}

let ocrModule: Promise<typeof import('./ocr/index.js')> | undefined;

/** Ends the OCR engines if any page of this process needed them (they would keep a one-shot CLI alive). */
export async function releaseOcr(): Promise<void> {
  if (ocrModule) await (await ocrModule).terminateOcr();
  ocrModule = undefined;
}

/** A digital (or scanned) PDF report → canonical cells, metadata and page text. */
export async function readPdfReport(bytes: Uint8Array, opts: ExtractOptions): Promise<Extraction> {
  const doc = await openPdf(bytes);
  try {
    const pages: PageContent[] = [];
    let ocr = false;
    for (let p = 1; p <= doc.numPages; p++) {
      const content = await readPage(doc, p);
      // Image-only pages (scans) and pages whose text layer is garbage are read from their image.
      if (opts.ocr !== false && needsOcr(content)) {
        ocrModule ??= import('./ocr/index.js');
        pages.push(await (await ocrModule).ocrPage(doc, p));
        ocr = true;
      } else pages.push(content);
    }
    const tables: Table[] = pages.flatMap(tablesOf);
    const mapped = mapTables(tables);
    // Numbers read by OCR that break an identity which a one-digit misreading would explain are doubted.
    if (ocr) (await ocrModule!).doubtByIdentities(mapped.cells, mapped.provenance);
    const text = pages.map(pageText);
    const meta = readMeta(text);
    return {
      pages: doc.numPages,
      ocr: ocr && Object.values(mapped.provenance).some((p) => p.via === 'ocr'),
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
