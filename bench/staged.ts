import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { extractFile } from '../src/pipeline/index.js';
import { openPdf, pageText, readPage } from '../src/extract/pdf.js';
import { pageTables } from '../src/extract/grid.js';
import { mapTables } from '../src/normalize/tables.js';
import { readMeta } from '../src/normalize/meta.js';
import { validate } from '../src/validate/index.js';
import type { PageContent, Table } from '../src/extract/types.js';
import type { ReportRecord } from '../src/record/schema.js';
import { now } from './stats.js';

export const STAGES = ['load', 'textRules', 'grid', 'mapping', 'meta', 'rulesCheck'] as const;
export type Stage = (typeof STAGES)[number];
export type StageTimes = Record<Stage, number>;
export const STAGE_LABELS: Record<Stage, string> = {
  load: 'load',
  textRules: 'text+rules',
  grid: 'grid',
  mapping: 'mapping',
  meta: 'meta',
  rulesCheck: 'rules check',
};

/**
 * The digital-PDF pipeline of extractFile (src/extract/index.ts → pdf-report.ts), composed here from the
 * same stage functions with a timer around each, so the pipeline's own code carries no timing.
 * load = read the file, hash it, open it with pdfjs, and destroy the document at the end.
 */
export async function stagedPipeline(path: string): Promise<{ times: StageTimes; cells: number }> {
  const times: StageTimes = { load: 0, textRules: 0, grid: 0, mapping: 0, meta: 0, rulesCheck: 0 };
  let t = now();
  const lap = (stage: Stage) => {
    const t1 = now();
    times[stage] += t1 - t;
    t = t1;
  };
  const bytes = await readFile(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const doc = await openPdf(bytes);
  lap('load');
  const pages: PageContent[] = [];
  for (let p = 1; p <= doc.numPages; p++) pages.push(await readPage(doc, p));
  lap('textRules');
  const tables: Table[] = pages.flatMap((c) => pageTables(c));
  lap('grid');
  const mapped = mapTables(tables);
  lap('mapping');
  const text = pages.map(pageText);
  const meta = readMeta(text);
  lap('meta');
  const record: ReportRecord = {
    file: basename(path),
    source: { path, sha256, bytes: bytes.length, pages: doc.numPages, kind: 'pdf', ocr: false },
    meta: { ...meta, format: mapped.format },
    cells: mapped.cells,
    provenance: mapped.provenance,
    findings: [],
    text: { pages: text },
  };
  if (mapped.notes.length) record.notes = mapped.notes;
  record.findings = validate(record);
  lap('rulesCheck');
  await doc.destroy();
  lap('load');
  return { times, cells: Object.keys(mapped.cells).length };
}

/** The real entry point, end to end: what a user's warm process pays per file. */
export async function endToEnd(path: string): Promise<{ ms: number; record: ReportRecord }> {
  const t0 = now();
  const record = await extractFile(path, { ocr: false });
  return { ms: now() - t0, record };
}
