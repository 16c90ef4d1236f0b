import { RuleContext, toFinding } from './context.js';
import { RULES } from './rules/index.js';
import type { Finding, ReportRecord } from '../record/schema.js';

export { validateAcross, acrossKey } from './across.js';
export { RULES } from './rules/index.js';

/** Runs every rule of the rules table over one record. Reads cells, never changes them. */
export function validate(record: ReportRecord): Finding[] {
  if (record.error) return [];
  const ctx = new RuleContext(record);
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const seen = ctx.forRule(rule);
    if (rule.applies && !rule.applies(seen)) continue;
    for (const draft of rule.check(seen)) findings.push(toFinding(rule, draft, seen));
  }
  return findings;
}
