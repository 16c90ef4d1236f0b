import { CONFIDENCE } from '../format/confidence.js';
import type { ReportRecord } from '../record/schema.js';
import { validate } from '../validate/index.js';
import { misalignments } from '../validate/second-look.js';

/**
 * The record's findings, after a second look at its `source` errors: where a misalignment of our reading
 * explains one, the cells of the suspect part get a confidence below 1 and a note says why, and the findings
 * are made again (so that error is `extraction`, not laid to the agency).
 */
export function findingsWithSecondLook(record: ReportRecord): ReportRecord['findings'] {
  const findings = validate(record);
  const suspicions = misalignments(record, findings);
  if (!suspicions.length) return findings;
  for (const s of suspicions) {
    for (const k of s.doubted) {
      const p = record.provenance[k];
      if (p) record.provenance[k] = { ...p, confidence: Math.min(p.confidence, CONFIDENCE.misaligned) };
    }
  }
  record.notes = [...(record.notes ?? []), ...suspicions.map((s) => s.note)];
  return validate(record);
}
