import { readFileSync } from 'node:fs';
import { openPdf, readPage, pageText } from '../src/extract/pdf.js';
const doc = await openPdf(new Uint8Array(readFileSync(process.argv[2])));
for (let p = 1; p <= doc.numPages; p++) console.log(`=== page ${p}\n` + pageText(await readPage(doc, p)));
