import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { kindOf, type ReadOptions, type Reading, type SourceKind } from '../extract/reader.js';
import { mapPlaced, type MappedCells } from '../normalize/collector.js';
import { readMeta } from '../normalize/meta.js';
import { mapTables } from '../normalize/tables.js';
import { errorCodeOf, ReadError } from '../record/errors.js';
import { RecordSchema, type ReportRecord } from '../record/schema.js';
import type { Note } from '../record/notes.js';
import { readPdfCells } from './pdf.js';
import { findingsWithImageLook, findingsWithSecondLook } from './second-look.js';

export { kindOf, type SourceKind };
export { ReadError as InputError };

export interface ExtractOptions extends ReadOptions {
  /** The path recorded in `source.path` (a batch gives the path inside its archive). */
  displayPath?: string;
}

/** What reading gives the record, whatever the input kind: canonical cells, metadata, notes and page text. */
export interface Extraction {
  pages: number;
  ocr: boolean;
  meta: ReportRecord['meta'];
  cells: Record<string, number | null>;
  provenance: ReportRecord['provenance'];
  notes: Note[];
  text: { pages: string[] };
}

/** read → tables → canonical cells (with provenance, built once by normalize's collector) → metadata. */
export async function extractionOf(kind: SourceKind, bytes: Uint8Array, opts: ReadOptions & { displayPath?: string } = {}): Promise<Extraction> {
  if (kind === 'pdf') {
    const pdf = await readPdfCells(bytes, opts);
    return assemble(pdf.pageCount, pdf.ocr, pdf.mapped, pdf.notes, pdf.text, pdf.layerText);
  }
  const reading =
    kind === 'html' ? (await import('../extract/html-report.js')).readHtmlReport(bytes)
    : kind === 'docx' ? await (await import('../extract/docx.js')).readDocxReport(bytes, opts.displayPath)
    : (await import('../extract/text-report.js')).readTextReport(bytes);
  return extractionOfReading(reading);
}

/** A reading of HTML or text → canonical cells. */
export function extractionOfReading(reading: Reading): Extraction {
  const mapped = reading.placed ? mapPlaced(reading.placed.cells, reading.placed.format) : mapTables(reading.tables);
  return assemble(reading.pageCount, false, mapped, [...reading.notes, ...mapped.notes], reading.text);
}

/**
 * `layerText`, where pages were read again from their image: the pages as first read. The metadata comes from them;
 * a reading from the image may fill what they lack, never override what they give.
 */
function assemble(pages: number, ocr: boolean, mapped: MappedCells, notes: Note[], text: string[], layerText?: string[]): Extraction {
  return {
    pages, ocr,
    meta: { ...(layerText ? readMeta(layerText, text) : readMeta(text)), format: mapped.format },
    cells: mapped.cells, provenance: mapped.provenance, notes, text: { pages: text },
  };
}

/** Reads one report from its bytes into a record: extraction, findings, the schema's check. Never throws. */
export async function extractBytes(name: string, bytes: Uint8Array, opts: ExtractOptions = {}): Promise<ReportRecord> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const kind = kindOf(name, bytes);
  const record = blankRecord(name, opts, { sha256, bytes: bytes.length, kind });
  try {
    applyExtraction(record, await extractionOf(kind, bytes, { ...opts, displayPath: opts.displayPath ?? name }));
    // A PDF's errors are laid to the report only once its cells' images show what its text layer says.
    record.findings = kind === 'pdf' ? await findingsWithImageLook(record, bytes) : findingsWithSecondLook(record);
    // The record's contract is checked where it leaves the pipeline: a reader that breaks it is our bug, said plainly.
    const checked = RecordSchema.safeParse(record);
    if (!checked.success) throw new ReadError('invalid_record', `the record broke its schema: ${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}`);
  } catch (err) {
    record.error = { code: errorCodeOf(err), message: (err as Error)?.message ?? String(err) };
  }
  return record;
}

export async function extractFile(path: string, opts: ExtractOptions = {}): Promise<ReportRecord> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // Nothing was read: no reader runs, and no hash (the empty input's would name content that does not exist).
    const record = blankRecord(path, opts, { sha256: '', bytes: 0, kind: kindOf(path, new Uint8Array(0)) });
    return { ...record, error: { code: 'unreadable', message: `cannot read ${path}: ${e.code ?? e.message}` } };
  }
  return extractBytes(path, bytes, opts);
}

/** A record with nothing read into it yet. */
function blankRecord(name: string, opts: ExtractOptions, source: { sha256: string; bytes: number; kind: SourceKind }): ReportRecord {
  return {
    file: basename(name),
    source: { path: opts.displayPath ?? name, sha256: source.sha256, bytes: source.bytes, pages: 0, kind: source.kind, ocr: false },
    meta: { title: null, agency: null, year: null, format: 'unknown' },
    cells: {},
    provenance: {},
    findings: [],
  };
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

