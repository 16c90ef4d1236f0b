// Reads PDFs (report, truth JSON) pairs given as arguments and compares cells: for tables with only horizontal rules.
import { readFileSync } from 'node:fs';
import { extractFile } from '../src/pipeline/index.js';
for (let i = 2; i + 1 < process.argv.length; i += 2) {
  const rec = await extractFile(process.argv[i]);
  const truth = JSON.parse(readFileSync(process.argv[i + 1], 'utf8')).cells;
  const keys = Object.keys(truth);
  const exact = keys.filter((k) => k in rec.cells && rec.cells[k] === truth[k]).length;
  const wrong = Object.keys(rec.cells).filter((k) => rec.cells[k] !== truth[k]);
  const missing = keys.filter((k) => !(k in rec.cells));
  console.log(`${process.argv[i].split('/').pop()}: ${exact}/${keys.length} wrong ${wrong.length} ${wrong.slice(0, 6).map((k) => `${k}=${rec.cells[k]}(${truth[k]})`).join(' ')}`);
  console.log('  missing:', missing.slice(0, 40).join(' '));
}
