import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPdfjs } from '../src/extract/pdf.js';
import { now } from './stats.js';

const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));
const asDirUrl = (p: string) => pathToFileURL(join(pdfjsRoot, p)).href + '/';

/**
 * The getDocument options of openPdf (src/extract/pdf.ts), repeated here because openPdf does not export
 * them: the bare pass must pay for the same CMaps and font data, or the ratio flatters nobody honestly.
 */
export const pdfjsOptions = () => ({
  cMapUrl: asDirUrl('cmaps'),
  cMapPacked: true,
  standardFontDataUrl: asDirUrl('standard_fonts'),
  isEvalSupported: false,
  enableXfa: false,
  disableFontFace: true,
  useSystemFonts: false,
  verbosity: 0,
});

/** The floor for any pdfjs-based reader: read the file, then text and operators of every page, nothing else. */
export async function barePdfjs(path: string): Promise<number> {
  const t0 = now();
  const pdfjs = await loadPdfjs();
  const bytes = await readFile(path);
  const doc = await pdfjs.getDocument({ ...pdfjsOptions(), data: new Uint8Array(bytes) }).promise;
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    await Promise.all([page.getTextContent(), page.getOperatorList()]);
    page.cleanup();
  }
  await doc.destroy();
  return now() - t0;
}

/** Is `pdftotext` (poppler-utils) on the PATH? */
export async function hasPoppler(): Promise<boolean> {
  return new Promise((res) => {
    const p = spawn('pdftotext', ['-v'], { stdio: 'ignore' });
    p.on('error', () => res(false));
    p.on('exit', () => res(true));
  });
}

/** `pdftotext -bbox FILE -`, one process per file: the time includes process start (~a few ms). */
export async function poppler(path: string): Promise<number> {
  const t0 = now();
  await new Promise<void>((res, rej) => {
    const p = spawn('pdftotext', ['-bbox', path, '-'], { stdio: ['ignore', 'pipe', 'ignore'] });
    p.stdout.resume();
    p.on('error', rej);
    p.on('exit', (code) => (code === 0 ? res() : rej(new Error(`pdftotext exited ${code} on ${path}`))));
  });
  return now() - t0;
}
