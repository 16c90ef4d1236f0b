import type { ReportRecord } from '../record/schema.js';
import { note } from '../record/notes.js';

/**
 * What one record may carry. A 1 kB PDF whose ToUnicode map gives a glyph 20 000 characters, or a 100 MB file
 * of NULs, would otherwise make a record no JSON string can hold, and take every output of the batch with it.
 * Real reports have a few hundred thousand characters of text; what is cut is said in a note.
 */
export interface RecordBounds {
  /** Characters of page text, all pages together. */
  textChars: number;
  /** Characters of one note, one provenance text, one finding's message or quote. */
  shortText: number;
  /** Notes kept. */
  notes: number;
  /** Findings kept. */
  findings: number;
}
export const defaultRecordBounds: RecordBounds = { textChars: 1_000_000, shortText: 2000, notes: 200, findings: 2000 };

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** The record within the bounds, with a note for each kind of thing cut; the same record when nothing was. */
export function boundRecord(r: ReportRecord, B: RecordBounds = defaultRecordBounds): ReportRecord {
  const said: string[] = [];
  let text = r.text;
  const chars = text?.pages.reduce((n, p) => n + p.length, 0) ?? 0;
  if (text && chars > B.textChars) {
    let left = B.textChars;
    text = { pages: text.pages.map((p) => { const kept = p.slice(0, Math.max(0, left)); left -= kept.length; return kept; }) };
    said.push(`page text cut to its first ${B.textChars} characters (the file gave ${chars})`);
  }
  let provenance = r.provenance;
  if (Object.values(provenance).some((p) => p.text.length > B.shortText)) {
    provenance = Object.fromEntries(Object.entries(provenance).map(([k, p]) => [k, { ...p, text: cut(p.text, B.shortText), ...(p.label ? { label: cut(p.label, B.shortText) } : {}) }]));
    said.push(`cell texts cut to ${B.shortText} characters`);
  }
  let findings = r.findings;
  if (findings.length > B.findings || findings.some((f) => f.message.length > B.shortText || (f.quote?.length ?? 0) > B.shortText)) {
    if (findings.length > B.findings) said.push(`only the first ${B.findings} of ${findings.length} findings kept`);
    findings = findings.slice(0, B.findings).map((f) => ({ ...f, message: cut(f.message, B.shortText), ...(f.quote !== undefined ? { quote: cut(f.quote, B.shortText) } : {}) }));
  }
  let notes = r.notes;
  if (notes && (notes.length > B.notes || notes.some((n) => n.text.length > B.shortText || (n.row?.length ?? 0) > B.shortText))) {
    if (notes.length > B.notes) said.push(`only the first ${B.notes} of ${notes.length} notes kept`);
    notes = notes.slice(0, B.notes).map((n) => ({ ...n, text: cut(n.text, B.shortText), ...(n.row !== undefined ? { row: cut(n.row, B.shortText) } : {}) }));
  }
  const longMeta = (r.meta.title?.length ?? 0) > B.shortText || (r.meta.agency?.length ?? 0) > B.shortText;
  if (text === r.text && provenance === r.provenance && findings === r.findings && notes === r.notes && !longMeta) return r;
  const meta = { ...r.meta, title: r.meta.title && cut(r.meta.title, B.shortText), agency: r.meta.agency && cut(r.meta.agency, B.shortText) };
  return { ...r, meta, provenance, findings, ...(text ? { text } : {}), notes: [...(notes ?? []), ...said.map((s) => note('record_bounded', `record bounded: ${s}`))] };
}
