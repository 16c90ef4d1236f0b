import { ALL_KEYS } from '../format/catalog.js';
import { writeFileAtomic } from './atomic.js';
import { codebookOf, type CodebookRow } from './codebook.js';
import { STATUS_PREFIX } from './columns.js';
import type { CsvEncoding } from './csv.js';

/**
 * load.do and load.R beside the CSVs: each reads them in the encoding they were written in, gives every
 * column its codebook name and label, and keeps blank apart from absent the way the tool does it (Stata:
 * extended missing .b blank, .a absent; R: a factor status column beside each value).
 */

export interface LoaderSettings {
  /** Stata's limit on a variable label, in characters. */
  stataLabelMax: number;
}

export const LOADER_SETTINGS: LoaderSettings = { stataLabelMax: 80 };

const STATA_ENCODING: Record<CsvEncoding, string> = { 'utf-8-bom': 'utf-8', gb18030: 'gb18030' };
const R_ENCODING: Record<CsvEncoding, string> = { 'utf-8-bom': 'UTF-8-BOM', gb18030: 'GB18030' };

/** Stata's compound quotes take any text but a line break and the closing `"'` pair. */
const stataText = (s: string) => `\`"${s.replace(/[\r\n]+/g, ' ').replace(/"'/g, '" \'').slice(0, LOADER_SETTINGS.stataLabelMax)}"'`;

function stataImport(file: string, rows: CodebookRow[], encoding: CsvEncoding): string[] {
  // Codes and hashes stay text (a leading zero, digits beyond a double's precision).
  const text = rows.flatMap((r, i) => (r.type === 'code' || r.type === 'text' ? [i + 1] : []));
  const lines = [
    `import delimited using "${file}", varnames(nonames) rowrange(2) encoding("${STATA_ENCODING[encoding]}") bindquote(strict) delimiters(",") stringcols(${text.join(' ')}) clear`,
    ...rows.map((r, i) => `rename v${i + 1} ${r.stata_name}`),
    ...rows.map((r) => `label variable ${r.stata_name} ${stataText(r.label_zh)}`),
  ];
  return lines;
}

export function stataLoader(encoding: CsvEncoding): string {
  const reports = codebookOf('reports.csv');
  const name = new Map(reports.map((r) => [r.column, r.stata_name]));
  const missing = ALL_KEYS.flatMap((k) => {
    const v = name.get(k)!;
    const s = name.get(`${STATUS_PREFIX}${k}`)!;
    return [`replace ${v} = .b if ${s} == "blank"`, `replace ${v} = .a if ${s} == "absent"`];
  });
  return [
    '* Written by xxgk with the CSVs beside it: names and labels from codebook.csv.',
    '* Run from this folder: do load.do  (Stata 14 or later). Leaves reports in memory and saves',
    '* reports.dta, cells.dta, findings.dta. A cell printed blank is .b, a cell the report does not have .a.',
    'version 14',
    ...stataImport('cells.csv', codebookOf('cells.csv'), encoding),
    'save "cells.dta", replace',
    ...stataImport('findings.csv', codebookOf('findings.csv'), encoding),
    'save "findings.dta", replace',
    ...stataImport('reports.csv', reports, encoding),
    ...missing,
    'save "reports.dta", replace',
    '',
  ].join('\n');
}

export function rLoader(encoding: CsvEncoding): string {
  return `# Written by xxgk with the CSVs beside it. source("load.R") from this folder:
# reports, cells, findings and codebook as data frames, each column labelled (attr "label") from codebook.csv.
# A value is NA both when printed blank and when absent; status.<key> (printed / blank / absent) tells which.
xxgk_read <- function(file) {
  cb <- codebook[codebook$csv == file, ]
  text <- cb$column[cb$type %in% c("code", "text")]
  df <- read.csv(file, fileEncoding = "${R_ENCODING[encoding]}", check.names = FALSE, na.strings = "",
                 colClasses = setNames(rep("character", length(text)), text))
  for (i in seq_len(nrow(cb))) attr(df[[cb$column[i]]], "label") <- cb$label_zh[i]
  df
}
codebook <- read.csv("codebook.csv", fileEncoding = "${R_ENCODING[encoding]}", colClasses = "character", na.strings = character(0))
reports <- xxgk_read("reports.csv")
for (s in grep("^${STATUS_PREFIX.replace('.', '\\\\.')}", names(reports), value = TRUE)) {
  reports[[s]] <- factor(reports[[s]], levels = c("printed", "blank", "absent"))
}
cells <- xxgk_read("cells.csv")
findings <- xxgk_read("findings.csv")
`;
}

export async function writeLoaders(dir: string, encoding: CsvEncoding) {
  await writeFileAtomic(`${dir}/load.do`, stataLoader(encoding));
  await writeFileAtomic(`${dir}/load.R`, rLoader(encoding));
}
