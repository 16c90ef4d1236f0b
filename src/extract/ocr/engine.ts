/**
 * tesseract.js workers, one per model, created on first use and reused across pages and files.
 * Language data comes from the @tesseract.js-data packages in node_modules: never a CDN, never the network.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Worker } from 'tesseract.js';

const require = createRequire(import.meta.url);

export type OcrModel = 'eng' | 'chi_sim';

/** The small integer LSTM models: a fraction of the load time and memory of the full ones, as accurate on print. */
export function langPathOf(model: OcrModel): string {
  return join(dirname(require.resolve(`@tesseract.js-data/${model}/package.json`)), '4.0.0_best_int');
}

const workers = new Map<OcrModel, Promise<Worker>>();

async function createFor(model: OcrModel): Promise<Worker> {
  const { createWorker, OEM } = (await import('tesseract.js')).default;
  // Each model has its own worker, so langPath can point straight into its package folder.
  return createWorker(model, OEM.LSTM_ONLY, {
    langPath: langPathOf(model),
    cacheMethod: 'none',
    gzip: true,
  });
}

export function workerFor(model: OcrModel): Promise<Worker> {
  let w = workers.get(model);
  if (!w) {
    w = createFor(model);
    // A failed start is not cached: the next page tries again.
    w.catch(() => workers.delete(model));
    workers.set(model, w);
  }
  return w;
}

/** Ends every worker of this thread (call at the end of a run or a worker thread). */
export async function terminateOcr(): Promise<void> {
  const all = [...workers.values()];
  workers.clear();
  paramsSet.clear();
  await Promise.all(all.map(async (w) => (await w.catch(() => null))?.terminate()));
}

export interface LineReading {
  text: string;
  /** 0..100 as tesseract reports it. */
  confidence: number;
  /** Word boxes in the recognised image's pixels. */
  words: Word[];
  lines: { text: string; confidence: number; bbox: Box; words: Word[] }[];
}

type Box = { x0: number; y0: number; x1: number; y1: number };
export type Word = { text: string; confidence: number; bbox: Box };

const paramsSet = new Map<OcrModel, string>();

/** Recognises an encoded image with the given parameters (set only when they change: setting costs a round trip). */
export async function recognize(model: OcrModel, image: Buffer, params: Record<string, string>, withBlocks = false): Promise<LineReading> {
  const w = await workerFor(model);
  // Our images are scaled to a known glyph size: a fixed resolution spares tesseract its estimate
  // (and the "Estimating resolution as N" line it prints on stderr for every image).
  const all = { user_defined_dpi: '300', ...params };
  const key = JSON.stringify(all);
  if (paramsSet.get(model) !== key) {
    await w.setParameters(all);
    paramsSet.set(model, key);
  }
  const { data } = await w.recognize(image, {}, { text: true, blocks: withBlocks });
  const lines: LineReading['lines'] = [];
  const words: LineReading['words'] = [];
  for (const b of data.blocks ?? [])
    for (const p of b.paragraphs)
      for (const l of p.lines) {
        const own = l.words.map((wd) => ({ text: wd.text, confidence: wd.confidence, bbox: wd.bbox }));
        lines.push({ text: l.text, confidence: l.confidence, bbox: l.bbox, words: own });
        words.push(...own);
      }
  return { text: data.text, confidence: data.confidence, words, lines };
}

