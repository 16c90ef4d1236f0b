import type { ReportRecord } from '../record/schema.js';
import { writeFileAtomic } from './atomic.js';

/** One record per line (../shared/spec/record.md), in the order given. */
export const recordsJsonl = (records: ReportRecord[]) => records.map((r) => JSON.stringify(r) + '\n').join('');

export const writeRecordsJsonl = (records: ReportRecord[], path: string) => writeFileAtomic(path, recordsJsonl(records));
