import { readFileSync } from 'node:fs';
import { openPdf, readPage } from '../src/extract/pdf.js';
const f = process.argv[2]; const pg = Number(process.argv[3] ?? 0);
const doc = await openPdf(new Uint8Array(readFileSync(f)));
for (let p = 1; p <= doc.numPages; p++) {
  if (pg && p !== pg) continue;
  const c = await readPage(doc, p);
  console.log(`== page ${p} ${c.width}x${c.height} items ${c.items.length} segs ${c.segments.length}`);
  if (process.argv[4] === 'items') for (const it of c.items) console.log(it.bbox.map(v=>v.toFixed(1)).join(','), it.vertical?'V':'', JSON.stringify(it.text));
  if (process.argv[4] === 'segs') for (const s of c.segments) console.log(s.orient, s.at.toFixed(1), s.from.toFixed(1), s.to.toFixed(1));
}
