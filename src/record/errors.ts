import { z } from 'zod';

/**
 * Every reason a file yields no reading, one spelling each. Readers, the batch and the CLI throw or record
 * these codes only; a consumer of `record.error.code` can switch on this list.
 */
export const ErrorCodeSchema = z.enum([
  // the file itself
  'empty', 'not_found', 'unreadable', 'not_pdf', 'encrypted', 'corrupt', 'too_large', 'unsupported', 'needs_converter',
  // archives
  'bad_zip', 'zip_bomb', 'zip_limit', 'zip_depth',
  // the batch's limits and workers
  'timeout', 'memory', 'crashed', 'worker_start', 'closed',
  // our own faults, said plainly
  'invalid_record', 'failed',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** A file that cannot be read, with the code the record carries. */
export class ReadError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The error code an exception stands for: our own codes as they are, anything else a failure of ours. */
export function errorCodeOf(err: unknown): ErrorCode {
  const code = (err as { code?: unknown })?.code;
  const known = ErrorCodeSchema.safeParse(code);
  return known.success ? known.data : 'failed';
}
