import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { RecordSchema, type ReportRecord } from '../record/schema.js';
import { validate } from '../validate/index.js';
import { isMht } from './mht.js';
import { wordContainer } from './word-kind.js';
import { readPdfReport } from './pdf-report.js';
import type { Extraction } from './extraction.js';

export interface ExtractOptions {
  /** Read image-only pages with OCR (default true). */
  ocr?: boolean;
  /** The path recorded in `source.path` (a batch gives the path inside its archive). */
  displayPath?: string;
}

export type SourceKind = 'pdf' | 'text' | 'html' | 'docx';

export class InputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The kind of input, from its bytes first and its name second. */
export function kindOf(name: string, bytes: Uint8Array): SourceKind {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  // Word files by their bytes: a .doc may be a docx, an RTF, or Word's "web page" (HTML, read below as such).
  if (wordContainer(bytes)) return 'docx';
  if (isMht(bytes)) return 'html';
  const ext = extname(name).toLowerCase();
  if (ext === '.html' || ext === '.htm' || /<html|<!doctype html|<table/i.test(head)) return 'html';
  if (ext === '.pdf') return 'pdf';
  return 'text';
}

/** Reads one report from its bytes into a record. Never throws: a failure is a record with `error`. */
export async function extractBytes(name: string, bytes: Uint8Array, opts: ExtractOptions = {}): Promise<ReportRecord> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const kind = kindOf(name, bytes);
  const record: ReportRecord = {
    file: basename(name),
    source: { path: opts.displayPath ?? name, sha256, bytes: bytes.length, pages: 0, kind, ocr: false },
    meta: { title: null, agency: null, year: null, format: 'unknown' },
    cells: {},
    provenance: {},
    findings: [],
  };
  try {
    const ex = await readerFor(kind)(bytes, { ...opts, displayPath: opts.displayPath ?? name });
    applyExtraction(record, ex);
    record.findings = validate(record);
    // The record's contract is checked where it leaves the extractor: a reader that breaks it is our bug, said plainly.
    const checked = RecordSchema.safeParse(record);
    if (!checked.success) throw new InputError('invalid_record', `the record broke its schema: ${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}`);
  } catch (err) {
    const e = err as { code?: string; message?: string };
    record.error = { code: typeof e?.code === 'string' ? e.code : 'failed', message: e?.message ?? String(err) };
  }
  return record;
}

export async function extractFile(path: string, opts: ExtractOptions = {}): Promise<ReportRecord> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return extractBytes(path, new Uint8Array(0), opts).then((r) => ({
      ...r,
      findings: [],
      error: { code: 'unreadable', message: `cannot read ${path}: ${e.code ?? e.message}` },
    }));
  }
  return extractBytes(path, bytes, opts);
}

type Reader = (bytes: Uint8Array, opts: ExtractOptions) => Promise<Extraction>;

function readerFor(kind: SourceKind): Reader {
  switch (kind) {
    case 'pdf':
      return readPdfReport;
    case 'text':
      return async (bytes) => (await import('./text-report.js')).readTextReport(bytes);
    case 'html':
      return async (bytes) => (await import('./html-report.js')).readHtmlReport(bytes);
    case 'docx':
      return async (bytes, opts) => (await import('./docx.js')).readDocxReport(bytes, opts.displayPath);
  }
}

function applyExtraction(record: ReportRecord, ex: Extraction) {
  record.source.pages = ex.pages;
  record.source.ocr = ex.ocr;
  record.meta = ex.meta;
  record.cells = ex.cells;
  record.provenance = ex.provenance;
  if (ex.notes.length) record.notes = ex.notes;
  record.text = ex.text;
}
