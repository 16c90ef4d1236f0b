/**
 * Report metadata from the document's own words: the title names the agency and the
 * year (相山区人力资源和社会保障局2020年政府信息公开工作年度报告), often over two lines.
 */

export interface ReportMeta {
  title: string | null;
  agency: string | null;
  year: number | null;
}

const TITLE_TAIL = /(\d{4})\s*年(?:度)?\s*(?:政府)?\s*信息公开\s*(?:工作)?\s*年度\s*报告/;

export function readMeta(pages: string[]): ReportMeta {
  const lines = (pages[0] ?? '')
    .split('\n')
    .map((l) => l.normalize('NFKC').replace(/[\s]+/g, ''))
    .filter(Boolean)
    .slice(0, 12);
  // The title may wrap: look for the tail in the first lines joined pairwise.
  for (let i = 0; i < lines.length; i++) {
    for (const span of [1, 2, 3]) {
      const joined = lines.slice(i, i + span).join('');
      const m = joined.match(TITLE_TAIL);
      if (!m || m.index === undefined) continue;
      let agency = joined.slice(0, m.index).replace(/^[《〈]/, '').trim();
      // The agency may stand on the line before a title that starts with the year.
      if (!agency && i > 0 && !/[。，,]/.test(lines[i - 1])) agency = lines[i - 1];
      const title = joined.slice(0, m.index + m[0].length).replace(/^[《〈]/, '');
      return {
        title: agency && !title.startsWith(agency) ? agency + title : title,
        agency: cleanAgency(agency) || null,
        year: Number(m[1]),
      };
    }
  }
  const anyYear = lines.join('').match(/(20\d{2})\s*年/);
  return { title: null, agency: null, year: anyYear ? Number(anyYear[1]) : null };
}

function cleanAgency(s: string) {
  return s.replace(/^关于/, '').replace(/[：:]$/, '');
}
