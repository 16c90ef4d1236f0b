// Reads every digital corpus PDF with its rules removed and compares the cells with the truth.
import { readFileSync, readdirSync } from 'node:fs';
import { openPdf, readPage } from '../src/extract/pdf.js';
import { tablesOf } from '../src/extract/pdf-reading.js';
import { mapTables } from '../src/normalize/tables.js';
const dir = '../shared/corpus/';
const files = [...readdirSync(dir).filter((f) => f.endsWith('.pdf') && !f.includes('scan')).map((f) => dir + f), dir + 'real/hongze-qu_huaian_2024.pdf'];
for (const f of files.filter((f) => !process.argv[2] || f.includes(process.argv[2]))) {
  const doc = await openPdf(new Uint8Array(readFileSync(f)));
  const tables = [];
  const carry = {};
  for (let p = 1; p <= doc.numPages; p++) tables.push(...tablesOf({ ...(await readPage(doc, p)), segments: [] }, carry));
  const m = mapTables(tables);
  const truth = JSON.parse(readFileSync(f.replace('.pdf', '.json'), 'utf8')).cells;
  const keys = Object.keys(truth);
  const exact = keys.filter((k) => k in m.cells && m.cells[k] === truth[k]).length;
  const wrong = keys.filter((k) => k in m.cells && m.cells[k] !== truth[k]);
  console.log(`${f.split('/').pop()}: ${exact}/${keys.length} wrong ${wrong.length} ${wrong.slice(0, 4).map((k) => `${k}=${m.cells[k]}(${truth[k]})`).join(' ')}`);
  if (process.argv[2]) console.log(m.notes.join('\n'));
}
