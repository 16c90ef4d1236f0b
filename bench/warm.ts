import type { BenchDoc } from './corpus.js';
import { barePdfjs, poppler } from './bare.js';
import { endToEnd, STAGES, stagedPipeline, type StageTimes } from './staged.js';
import { median } from './stats.js';

export interface WarmDoc {
  name: string;
  pages: number;
  /** extractFile end to end, median over repetitions: the "ours" of the ratios. */
  oursMs: number;
  /** CPU time of this process (medians) for ours and the bare pass: contention by other processes leaves it alone. */
  oursCpuMs: number;
  pdfjsCpuMs: number;
  /** Median per stage of the staged composition, and the median of its per-run totals. */
  stages: StageTimes;
  stagedMs: number;
  pdfjsMs: number;
  popplerMs: number | null;
  ratioToPdfjs: number;
  ratioToPoppler: number | null;
  cells: number;
  error?: string;
}

/**
 * Warm figures per digital document: one warm-up pass over every document (fonts, CMaps and JIT), then
 * `reps` rounds in which each document runs through extractFile, the staged composition, the bare pdfjs
 * pass and pdftotext one after another, in an order that rotates every round, so that a busy moment of the
 * machine falls on all of them alike.
 */
export async function warmFigures(docs: BenchDoc[], reps: number, withPoppler: boolean, onProgress?: (s: string) => void): Promise<WarmDoc[]> {
  type Kind = 'e2e' | 'staged' | 'pdfjs' | 'poppler';
  const kinds: Kind[] = withPoppler ? ['e2e', 'staged', 'pdfjs', 'poppler'] : ['e2e', 'staged', 'pdfjs'];
  const samples = docs.map(() => ({ e2e: [] as number[], e2eCpu: [] as number[], pdfjsCpu: [] as number[], staged: [] as StageTimes[], pdfjs: [] as number[], poppler: [] as number[], cells: 0, error: undefined as string | undefined }));
  const once = async (i: number, kind: Kind) => {
    const d = docs[i];
    const s = samples[i];
    const c0 = process.cpuUsage();
    const cpu = () => {
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1000;
    };
    if (kind === 'e2e') {
      const { ms, record } = await endToEnd(d.path);
      s.e2eCpu.push(cpu());
      if (record.error) s.error = `${record.error.code}: ${record.error.message}`;
      s.e2e.push(ms);
    } else if (kind === 'staged') {
      const r = await stagedPipeline(d.path);
      s.staged.push(r.times);
      s.cells = r.cells;
    } else if (kind === 'pdfjs') {
      s.pdfjs.push(await barePdfjs(d.path));
      s.pdfjsCpu.push(cpu());
    }
    else s.poppler.push(await poppler(d.path));
  };
  for (let i = 0; i < docs.length; i++) for (const k of kinds) await once(i, k);
  for (const s of samples) (s.e2e.length = 0), (s.e2eCpu.length = 0), (s.pdfjsCpu.length = 0), (s.staged.length = 0), (s.pdfjs.length = 0), (s.poppler.length = 0);
  for (let r = 0; r < reps; r++) {
    onProgress?.(`warm round ${r + 1}/${reps}`);
    for (let i = 0; i < docs.length; i++) {
      const order = kinds.map((_, j) => kinds[(j + r + i) % kinds.length]);
      for (const k of order) await once(i, k);
    }
  }
  return docs.map((d, i) => {
    const s = samples[i];
    const stages = Object.fromEntries(STAGES.map((st) => [st, median(s.staged.map((t) => t[st]))])) as StageTimes;
    const stagedMs = median(s.staged.map((t) => STAGES.reduce((a, st) => a + t[st], 0)));
    const oursMs = median(s.e2e);
    const pdfjsMs = median(s.pdfjs);
    const popplerMs = withPoppler ? median(s.poppler) : null;
    return {
      name: d.name,
      pages: d.pages,
      oursMs,
      oursCpuMs: median(s.e2eCpu),
      pdfjsCpuMs: median(s.pdfjsCpu),
      stages,
      stagedMs,
      pdfjsMs,
      popplerMs,
      ratioToPdfjs: oursMs / pdfjsMs,
      ratioToPoppler: popplerMs ? oursMs / popplerMs : null,
      cells: s.cells,
      error: s.error,
    };
  });
}
