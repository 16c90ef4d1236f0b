import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared sample corpus, read in place (never copied into the project). */
export const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus');
export const REAL = join(CORPUS, 'real');
export const SCORE_TOOL = resolve(CORPUS, '../tools/score.mjs');

export interface Truth {
  file: string;
  meta: Record<string, unknown> & { agency?: string; year?: number; format?: string };
  cells: Record<string, number | null>;
  planted?: { keys: string[]; kind: string; note: string }[];
  known_anomalies?: { keys: string[]; kind?: string; note?: string }[];
}

export const truthFor = (inputPath: string): Truth => {
  const base = inputPath.replace(/\.(pdf|txt|html)$/, '');
  const candidates = [`${base}.json`, `${base}_txt.json`, `${base}_html.json`];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`no truth file for ${inputPath}`);
  return JSON.parse(readFileSync(found, 'utf8'));
};

/** Corpus inputs by kind; `digital` = PDFs with a text layer (every PDF except the scans). */
export function corpusFiles(kind: 'digital' | 'scan' | 'text' | 'html'): string[] {
  const all = [...readdirSync(CORPUS).map((f) => join(CORPUS, f)), ...readdirSync(REAL).map((f) => join(REAL, f))];
  switch (kind) {
    case 'digital':
      return all.filter((f) => f.endsWith('.pdf') && !f.includes('scan'));
    case 'scan':
      return all.filter((f) => f.endsWith('.pdf') && f.includes('scan'));
    case 'text':
      return all.filter((f) => f.endsWith('.txt'));
    case 'html':
      return all.filter((f) => f.endsWith('.html'));
  }
}
