import { rereadCells, type CellReread } from '../extract/reread.js';
import { CONFIDENCE } from '../format/confidence.js';
import { parseCellNumber } from '../format/numbers.js';
import type { Finding, ReportRecord } from '../record/schema.js';
import { validate } from '../validate/index.js';
import { misalignments } from '../validate/second-look.js';
import { note, sectionOfKey } from '../record/notes.js';

/**
 * The record's findings, after a second look at its `source` errors: where a misalignment of our reading
 * explains one, the cells of the suspect part get a confidence below 1 and a note says why, and the findings
 * are made again (so that error is `extraction`, not laid to the agency).
 */
export function findingsWithSecondLook(record: ReportRecord): ReportRecord['findings'] {
  const findings = validate(record);
  const suspicions = misalignments(record, findings);
  if (!suspicions.length) return findings;
  for (const s of suspicions) lowerConfidence(record, s.doubted, CONFIDENCE.misaligned);
  record.notes = [...(record.notes ?? []), ...suspicions.map((s) => s.note)];
  return validate(record);
}

export const IMAGE_LOOK_SETTINGS = {
  /** Cells read again per record at most (~20 ms each): past them, a reading so broken is not laid to the report anyway. */
  maxCells: 400,
};

/** A PDF's reading of its cells from the page images, as the image look calls it (a test may stand in for it). */
export type Rereader = typeof rereadCells;

/**
 * A PDF's findings after both second looks: the misalignment look, then every cell an error still lays to the
 * report is read again from the page's image inside its cell. A cell the image does not show as the text layer
 * gave it (or whose image cannot be read) is a misreading of ours, not the report's: its confidence drops, a
 * note names both readings, and the findings are made again. Where no error is laid to the report, nothing is
 * rendered or read.
 */
export async function findingsWithImageLook(record: ReportRecord, bytes: Uint8Array, reread: Rereader = rereadCells): Promise<Finding[]> {
  const findings = findingsWithSecondLook(record);
  const accused = accusedCells(findings);
  if (!accused.length) return findings;
  const placed = accused.slice(0, IMAGE_LOOK_SETTINGS.maxCells).flatMap((key) => {
    const p = record.provenance[key];
    return p?.page !== undefined && p.bbox ? [{ key, page: p.page, bbox: p.bbox }] : [];
  });
  let reads: CellReread[] = [];
  let failure: string | null = null;
  try {
    reads = await reread(bytes, placed, (key, reading) => readingAgrees(record, key, reading));
  } catch (err) {
    failure = (err as Error)?.message ?? String(err);
  }
  const byKey = new Map(reads.map((r) => [r.key, r]));
  const doubts = accused.flatMap((key) => {
    const read = byKey.get(key);
    if (read?.readings.some((t) => readingAgrees(record, key, t))) return [];
    const p = record.provenance[key];
    return [{ key, note: note('reading_doubted', disagreementNote(record, key, read, failure), { section: sectionOfKey(key), page: p?.page, keys: [key] }) }];
  });
  if (!doubts.length) return findings;
  lowerConfidence(record, doubts.map((d) => d.key), CONFIDENCE.imageDisagrees);
  record.notes = [...(record.notes ?? []), ...doubts.map((d) => d.note)];
  return validate(record);
}

/** The cells named by errors laid to the report, each once, in the findings' order. */
function accusedCells(findings: Finding[]): string[] {
  return [...new Set(findings.filter((f) => f.severity === 'error' && f.origin === 'source').flatMap((f) => f.keys))];
}

/**
 * Whether a reading of a cell's image says what the record holds: the same number, or both blank. Digits
 * that only differ in a thousands separator the text layer printed (the digit model knows no comma) agree.
 */
export function readingAgrees(record: Pick<ReportRecord, 'cells' | 'provenance'>, key: string, reading: string | null): boolean {
  if (reading === null || !(key in record.cells)) return false;
  const n = parseCellNumber(reading);
  if (n.ok && n.value === record.cells[key]) return true;
  const printed = record.provenance[key]?.text ?? '';
  const digits = (s: string) => s.replace(/\D/g, '');
  return /[,，]/.test(printed) && digits(reading) !== '' && digits(reading) === digits(printed);
}

const shown = (t: string | null) => (t === null ? 'nothing legible' : t.trim() === '' ? 'a blank' : t.trim());

function disagreementNote(record: ReportRecord, key: string, read: CellReread | undefined, failure: string | null): string {
  const text = `${key} read ${shown(record.provenance[key]?.text ?? '')} from the text layer`;
  const tail = 'so the findings on it are not laid to the report';
  const why = failure ?? (record.provenance[key]?.bbox ? `over ${IMAGE_LOOK_SETTINGS.maxCells} cells to read` : 'its place on the page is not known');
  if (!read) return `${text}; its image could not be read again (${why}), ${tail}`;
  const seen = [...new Set(read.readings.map(shown))].join(' or ');
  return `${text}, ${seen} from the image; ${tail}`;
}

function lowerConfidence(record: ReportRecord, keys: string[], to: number) {
  for (const k of keys) {
    const p = record.provenance[k];
    if (p) record.provenance[k] = { ...p, confidence: Math.min(p.confidence, to) };
  }
}
