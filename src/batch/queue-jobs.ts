import { z } from 'zod';
import type { ReportRecord } from '../record/schema.js';
import { TOOL_VERSION } from '../version.js';

/**
 * The queue's name carries the tool version: a worker extracts with its own code, and a record made by
 * another version would be filed in the ledger under the wrong key. Workers and producers of one version
 * meet on one queue; another version's jobs wait for their own workers.
 */
export const queueName = (base = 'xxgk') => `${base}-v${TOOL_VERSION.replace(/[^0-9A-Za-z.-]/g, '_')}`;

/** One file to extract. Its job id is its sha256, so the same content is never queued twice. */
export const JobDataSchema = z
  .object({
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Base name, as the record's `file`. */
    name: z.string().min(1),
    displayPath: z.string().min(1),
    size: z.number().int().nonnegative(),
    ocr: z.boolean(),
    /** The bytes, base64 (Redis stores strings); absent when the workers read `path` on a shared file system. */
    base64: z.string().optional(),
    /** Absolute path every worker sees (`--shared-fs`). */
    path: z.string().optional(),
  })
  .refine((d) => (d.base64 === undefined) !== (d.path === undefined), 'a job carries either the bytes or a path');
export type JobData = z.infer<typeof JobDataSchema>;

/** What a worker returns: the record (an error record when extraction failed) and the time it took. */
export const JobResultSchema = z.object({
  record: z.custom<ReportRecord>((r) => typeof r === 'object' && r !== null && typeof (r as ReportRecord).source === 'object', 'a record'),
  ms: z.number().nonnegative(),
});
export type JobResult = z.infer<typeof JobResultSchema>;

/** Retries of a job whose processing threw (a worker that could not read the file or start a thread). */
export interface RetryPolicy {
  attempts: number;
  /** First back-off delay; doubled at each attempt. */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 2000 };

/** Defaults of the workers' stalled-job handling: a killed worker's job is back in the queue within about a minute. */
export const DEFAULT_LOCK_MS = 30_000;
export const DEFAULT_STALLED_INTERVAL_MS = 30_000;
/** A job whose worker dies this many times (a file that kills the process) fails rather than going round forever. */
export const DEFAULT_MAX_STALLED = 2;
