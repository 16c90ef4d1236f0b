import type { Provenance, ReportRecord } from '../record/schema.js';

/** What every reader (PDF, OCR, text, HTML) hands to the record: cells with provenance, metadata, text. */
export interface Extraction {
  pages: number;
  ocr: boolean;
  meta: ReportRecord['meta'];
  cells: Record<string, number | null>;
  provenance: Record<string, Provenance>;
  /** Reading problems: labels that matched nothing, rows that could not be aligned. */
  notes: string[];
  text: { pages: string[] };
}
