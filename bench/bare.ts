import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { documentOptions, loadPdfjs } from '../src/extract/pdf.js';
import { now } from './stats.js';

/** The floor for any pdfjs-based reader: read the file, then text and operators of every page, nothing else. */
export async function barePdfjs(path: string): Promise<number> {
  const t0 = now();
  const pdfjs = await loadPdfjs();
  const bytes = await readFile(path);
  const doc = await pdfjs.getDocument({ ...documentOptions(), data: new Uint8Array(bytes) }).promise;
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
