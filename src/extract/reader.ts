import { extname } from 'node:path';
import type { ReportFormat } from '../format/catalog.js';
import type { StreamCell } from './text-align.js';
import type { Table } from './types.js';
import { isMht } from './mht.js';
import { wordContainer } from './word-kind.js';
import type { Note } from '../record/notes.js';

/** The input kinds a reader exists for (the record's `source.kind`). */
export type SourceKind = 'pdf' | 'text' | 'html' | 'docx';

export interface ReadOptions {
  /** Read image-only pages with OCR (default true). */
  ocr?: boolean;
}

/**
 * What a reader of HTML or text hands on: the tables it found (the normalize stage gives their cells canonical
 * keys) or, for flattened text whose tables are gone, the cells it placed by the format's row order; and the
 * text of its pages. (PDF is read page by page: see pdf-reading.ts.)
 */
export interface Reading {
  pageCount: number;
  tables: Table[];
  /** Cells a stream reader placed under their keys itself (text input only). */
  placed?: { cells: StreamCell[]; format: ReportFormat };
  /** Problems of reading that are not the report's fault. */
  notes: Note[];
  /** The text of each page, for the metadata and the narrative checks. */
  text: string[];
}

/** The kind of input, from its bytes first and its name second. */
export function kindOf(name: string, bytes: Uint8Array): SourceKind {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  // Word files by their bytes: a .doc may be a docx, an RTF, or Word's "web page" (HTML or MHTML, read as HTML).
  if (wordContainer(bytes)) return 'docx';
  if (isMht(bytes)) return 'html';
  const ext = extname(name).toLowerCase();
  if (ext === '.html' || ext === '.htm' || /<html|<!doctype html|<table/i.test(head)) return 'html';
  if (ext === '.pdf') return 'pdf';
  return 'text';
}
