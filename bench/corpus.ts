import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { loadPdfjs } from '../src/extract/pdf.js';
import { documentOptions } from '../src/extract/pdf.js';

export interface BenchDoc {
  path: string;
  name: string;
  bytes: number;
  pages: number;
  /** No text on any page: an image-only scan (timed only with --ocr). */
  scanned: boolean;
}

export const CORPUS_DIRS = [resolve('../shared/corpus'), resolve('../shared/corpus/real')];

/**
 * Every PDF of the corpus folders, told digital or scanned by its own content (any text item on any
 * page), never by its name: a new sample lands in the right group without touching the benchmark.
 */
export async function findDocs(dirs = CORPUS_DIRS): Promise<BenchDoc[]> {
  const pdfjs = await loadPdfjs();
  const docs: BenchDoc[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.pdf')).sort();
    } catch {
      continue;
    }
    for (const n of names) {
      const path = join(dir, n);
      const bytes = await readFile(path);
      const doc = await pdfjs.getDocument({ ...documentOptions(), data: new Uint8Array(bytes) }).promise;
      let text = 0;
      for (let p = 1; p <= doc.numPages && !text; p++) {
        const page = await doc.getPage(p);
        text += (await page.getTextContent()).items.filter((i) => 'str' in i && i.str.trim()).length;
        page.cleanup();
      }
      docs.push({ path, name: basename(path), bytes: bytes.length, pages: doc.numPages, scanned: text === 0 });
      await doc.destroy();
    }
  }
  return docs;
}
