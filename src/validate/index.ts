import type { Finding, ReportRecord } from './schema.js';

/** Runs every rule of the rules table over one record. (Placeholder until the rules land.) */
export function validate(record: ReportRecord): Finding[] {
  void record;
  return [];
}
