import { documentTables, PdfReader, type PageReading } from '../extract/pdf-reading.js';
import { pageText, unturnBox } from '../extract/pdf.js';
import type { ReadOptions } from '../extract/reader.js';
import type { MappedCells } from '../normalize/collector.js';
import { mergeReadings } from '../normalize/merge.js';
import { mapTables } from '../normalize/tables.js';
import { suspectPages } from './page-checks.js';
import { note, type Note } from '../record/notes.js';

/** A PDF read to canonical cells: its pages, the pages' checks and second readings, the OCR doubts. */
export interface PdfCells {
  pageCount: number;
  /** A table value came from a page's image. */
  ocr: boolean;
  mapped: MappedCells;
  notes: Note[];
  text: string[];
  /** Each page's text as first read: its text layer, or its image where it has none (the metadata is read from it). */
  layerText: string[];
}

const mapPages = (pages: PageReading[]) => mapTables(documentTables(pages.map((p) => p.content)));

export async function readPdfCells(bytes: Uint8Array, opts: ReadOptions): Promise<PdfCells> {
  const reader = await PdfReader.open(bytes, opts);
  try {
    const first = await reader.readPages();
    let mapped = mapPages(first);
    let [pages, textPages] = [first, first];
    if (opts.ocr !== false) ({ mapped, pages, textPages } = await readSuspectsAgain(reader, first, mapped));
    unturnProvenance(mapped, first, pages);
    const ocr = pages.some((p) => p.from === 'image');
    if (ocr) await reader.doubtOcr(mapped.cells, mapped.provenance);
    return {
      pageCount: reader.pageCount,
      ocr: ocr && Object.values(mapped.provenance).some((p) => p.via === 'ocr'),
      mapped,
      notes: [...reader.notes, ...mapped.notes],
      text: textPages.map((p) => pageText(p.content)),
      layerText: first.map((p) => pageText(p.content)),
    };
  } finally {
    await reader.close();
  }
}

/**
 * Pages whose text layer may not be the page (mis-mapped glyphs, another program's OCR over a scan, a table
 * pasted as a picture) are read again from their image, and the two readings put together.
 */
async function readSuspectsAgain(reader: PdfReader, pages: PageReading[], mapped: MappedCells) {
  const suspects = suspectPages(pages, mapped);
  const again = [...pages];
  const text = [...pages];
  for (const { page, check } of suspects) {
    const read = await reader.fromImage(page.content);
    if (!read) continue;
    const i = page.content.page - 1;
    again[i] = read;
    if (!check.keepsText?.(page.content)) text[i] = read;
    reader.notes.push(note('page_read_from_image', `page ${page.content.page}: ${check.reason}; the page was also read from its image`, { page: page.content.page }));
  }
  if (!again.some((p, i) => p !== pages[i])) return { mapped, pages, textPages: pages };
  return { mapped: mergeReadings(mapped, mapPages(again)), pages: again, textPages: text };
}

/** Boxes of pages read turned go back onto the page as displayed, by the frame of the reading they came from. */
function unturnProvenance(mapped: MappedCells, first: PageReading[], final: PageReading[]) {
  for (const p of Object.values(mapped.provenance)) {
    const frame = p.page !== undefined ? (p.via === 'ocr' ? final : first)[p.page - 1]?.frame : null;
    if (frame && p.bbox) p.bbox = unturnBox(p.bbox, frame);
  }
}
