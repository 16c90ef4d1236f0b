import { readFileSync } from 'node:fs';
import { openPdf, readPage } from '../src/extract/pdf.js';
import { tablesOf } from '../src/extract/pdf-reading.js';
const doc = await openPdf(new Uint8Array(readFileSync(process.argv[2])));
for (let p = 1; p <= doc.numPages; p++) {
  if (Number(process.argv[3]) && Number(process.argv[3]) !== p) continue;
  const content = await readPage(doc, p);
  const tables = tablesOf(process.argv.includes('--unruled') ? { ...content, segments: [] } : content);
  for (const [i, t] of tables.entries()) {
    console.log(`=== page ${p} table ${i} rows ${t.rowCount} bbox ${t.bbox?.map((v) => v.toFixed(0))}`);
    for (let r = 0; r < t.rowCount; r++) {
      const cells = t.cells.filter((c) => c.row0 === r).sort((a, b) => a.x0 - b.x0);
      console.log(`  r${r}: ` + cells.map((c) => `[${c.x0.toFixed(0)}-${c.x1.toFixed(0)}${c.row1 > c.row0 ? ` ↓${c.row1 - c.row0 + 1}` : ''}] ${c.text}`).join(' | '));
    }
  }
}
