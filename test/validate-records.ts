import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { openPdf, pageText, readPage } from '../src/extract/pdf.js';
import type { Provenance, ReportRecord } from '../src/record/schema.js';

/** Builds records from the corpus' truth files: the truth's cells read "with full confidence", and the report's own text. */

export const CORPUS = new URL('../../shared/corpus/', import.meta.url).pathname;

export interface Truth {
  file: string;
  meta: { agency: string; year: number; format: string; scanned?: boolean; title?: string | string[] };
  cells: Record<string, number | null>;
  planted?: { keys: string[]; kind: string; note: string; changed?: Record<string, unknown>; identities?: string[]; narrative?: unknown }[];
  known_anomalies?: Truth['planted'];
}

export const readTruth = (path: string): Truth => JSON.parse(readFileSync(path, 'utf8'));

/** The pages of text the report carries: its PDF's text layer, or the text file the seed was pulled into. */
export async function reportText(truthPath: string, truth: Truth): Promise<string[] | undefined> {
  const dir = truthPath.slice(0, truthPath.lastIndexOf('/'));
  // A scan is image-only: it has no text until OCR, and its record would carry none.
  if (truth.meta.scanned) return undefined;
  if (truth.file.endsWith('.txt')) return [readFileSync(join(dir, truth.file), 'utf8')];
  // An HTML page was printed to the PDF beside it; both carry the same words.
  const pdfName = truth.file.replace(/_page\.html$/, '.pdf');
  const pdfPath = join(dir, pdfName);
  if (!pdfName.endsWith('.pdf') || !existsSync(pdfPath)) return undefined;
  const doc = await openPdf(new Uint8Array(readFileSync(pdfPath)));
  const pages: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) pages.push(pageText(await readPage(doc, p)));
  await doc.destroy();
  return pages;
}

export function recordFrom(truth: Truth, pages?: string[]): ReportRecord {
  const provenance: Record<string, Provenance> = {};
  for (const [k, v] of Object.entries(truth.cells)) provenance[k] = { text: v === null ? '' : String(v), confidence: 1, via: 'text' };
  const fmt = truth.meta.format;
  return {
    file: truth.file,
    source: { path: truth.file, sha256: '', bytes: 0, pages: pages?.length ?? 0, kind: truth.file.endsWith('.txt') ? 'text' : 'pdf', ocr: false },
    meta: {
      title: null,
      agency: truth.meta.agency,
      year: truth.meta.year,
      format: fmt === '2019' || fmt === '2021' || fmt === 'hybrid' ? fmt : 'unknown',
    },
    cells: { ...truth.cells },
    provenance,
    findings: [],
    ...(pages ? { text: { pages } } : {}),
  };
}

/** The rule that must report a broken identity, from the identity's wording in the truth file. */
export function ruleForIdentity(identity: string): string {
  if (/^t4 /.test(identity)) return 't4.sum';
  if (/^t3 row .*sum of applicant columns/.test(identity)) return 't3.columns';
  if (/^t3 column \w+: 新收/.test(identity)) return 't3.balance';
  if (/^t3 column \w+: results/.test(identity)) return 't3.results';
  throw new Error(`no rule known for identity "${identity}"`);
}
