import type { ReportRecord } from '../record/schema.js';
import { agencyName } from './agency.js';
import { normaliseName } from './region.js';

/**
 * Rows of a panel that are the same report again: the same file twice (same content hash), or the same
 * agency's same year printed in another form (a PDF and its web page) whose cells are all equal. Each such
 * row names the first one, in batch order; a researcher drops them with one filter.
 */
export function duplicatesOf(records: ReportRecord[]): Map<ReportRecord, string> {
  const byHash = new Map<string, string>();
  const byCells = new Map<string, string>();
  const out = new Map<ReportRecord, string>();
  for (const r of records) {
    const sameCells = sameCellsKey(r);
    const first = (r.source.sha256 && byHash.get(r.source.sha256)) || (sameCells && byCells.get(sameCells));
    if (first) {
      out.set(r, first);
      continue;
    }
    if (r.source.sha256) byHash.set(r.source.sha256, r.source.path);
    if (sameCells) byCells.set(sameCells, r.source.path);
  }
  return out;
}

/** Agency, year and every cell with its value; none for a record without cells, agency or year. */
function sameCellsKey(r: ReportRecord): string | undefined {
  const agency = normaliseName(agencyName(r));
  const keys = Object.keys(r.cells).sort();
  if (r.error || !agency || r.meta.year === null || keys.length === 0) return undefined;
  return JSON.stringify([agency, r.meta.year, keys.map((k) => [k, r.cells[k]])]);
}
