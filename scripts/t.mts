import { readFileSync, readdirSync } from 'node:fs';
import { openPdf, readPage, pageText } from '../src/extract/pdf.js';
import { readMeta } from '../src/normalize/meta.js';
const dir = '../shared/corpus/';
for (const f of [...readdirSync(dir).filter(f=>f.endsWith('.pdf')&&!f.includes('scan')).map(f=>dir+f), dir+'real/hongze-qu_huaian_2024.pdf']) {
  const doc = await openPdf(new Uint8Array(readFileSync(f)));
  const t = pageText(await readPage(doc, 1));
  const truth = JSON.parse(readFileSync(f.replace('.pdf','.json'),'utf8')).meta;
  const m = readMeta([t]);
  console.log(m.agency === truth.agency && m.year === truth.year ? 'OK ' : 'BAD', JSON.stringify(m), truth.agency, truth.year);
}
