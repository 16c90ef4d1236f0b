import { createWriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { ReportRecord } from '../record/schema.js';

/** One record per line (../shared/spec/record.md), in the order given. */
export const recordsJsonl = (records: ReportRecord[]) => records.map((r) => JSON.stringify(r) + '\n').join('');

/**
 * records.jsonl, written record by record (the whole file as one string would outgrow what a string may
 * hold long before a batch's records outgrow memory), to a temp file renamed into place: whole or not at all.
 */
export async function writeRecordsJsonl(records: ReportRecord[], path: string) {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const out = createWriteStream(tmp);
  const failed = once(out, 'error').then(([err]) => Promise.reject(err));
  failed.catch(() => {});
  try {
    for (const r of records) if (!out.write(JSON.stringify(r) + '\n')) await Promise.race([once(out, 'drain'), failed]);
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
    await rename(tmp, path);
  } catch (err) {
    out.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
}
