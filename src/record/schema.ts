import { ErrorCodeSchema } from './errors.js';
import { NoteSchema } from './notes.js';
import { z } from 'zod';

/** The record every input yields (../shared/spec/record.md): one schema for the type, the check and the JSON Schema. */

export const ViaSchema = z.enum(['text', 'ocr', 'html', 'stream', 'docx']);

export const ProvenanceSchema = z.object({
  page: z.number().int().min(1).optional(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  line: z.number().int().min(1).optional(),
  table: z.number().int().min(1).optional(),
  row: z.number().int().min(1).optional(),
  col: z.number().int().min(1).optional(),
  text: z.string(),
  confidence: z.number().min(0).max(1),
  via: ViaSchema,
  /** The printed label where it differs from the official one (fuzzy match). */
  label: z.string().optional(),
});

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export const OriginSchema = z.enum(['source', 'extraction', 'unknown']);

export const FindingSchema = z.object({
  rule: z.string(),
  severity: SeveritySchema,
  keys: z.array(z.string()),
  message: z.string(),
  expected: z.union([z.number(), z.string(), z.null()]).optional(),
  actual: z.union([z.number(), z.string(), z.null()]).optional(),
  origin: OriginSchema,
  page: z.number().int().optional(),
  /** The sentence a narrative finding read. */
  quote: z.string().optional(),
  /** HTML and docx: the line of the record's text (one paragraph a line) where the quote starts. */
  paragraph: z.number().int().min(1).optional(),
});

export const ErrorSchema = z.object({ code: ErrorCodeSchema, message: z.string() });

export const FormatSchema = z.enum(['2019', '2021', 'hybrid', 'pre2019', 'unknown']);

export const RecordSchema = z.object({
  file: z.string(),
  source: z.object({
    path: z.string(),
    sha256: z.string(),
    bytes: z.number().int().min(0),
    pages: z.number().int().min(0),
    kind: z.enum(['pdf', 'text', 'html', 'docx']),
    ocr: z.boolean(),
  }),
  meta: z.object({
    title: z.string().nullable(),
    agency: z.string().nullable(),
    year: z.number().int().nullable(),
    format: FormatSchema,
  }),
  cells: z.record(z.string(), z.number().nullable()),
  provenance: z.record(z.string(), ProvenanceSchema),
  findings: z.array(FindingSchema),
  /** Problems of reading that are not the report's fault: unmatched labels, unaligned rows. */
  notes: z.array(NoteSchema).optional(),
  /** Narrative text of the report, kept so that `check` can re-run the narrative rules. */
  text: z.object({ pages: z.array(z.string()) }).optional(),
  error: ErrorSchema.optional(),
});

export type Provenance = z.infer<typeof ProvenanceSchema>;
export type Finding = z.infer<typeof FindingSchema>;
export type ReportRecord = z.infer<typeof RecordSchema>;
export type Severity = z.infer<typeof SeveritySchema>;
export type Origin = z.infer<typeof OriginSchema>;

export const recordJsonSchema = () => z.toJSONSchema(RecordSchema, { target: 'draft-2020-12' });
