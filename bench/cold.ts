import { resolve } from 'node:path';
import { run } from './spawn.js';
import { median } from './stats.js';

export interface ColdFigures {
  /** `node bin/xxgk.mjs extract FILE`, spawned: process start, loader, imports, one document, JSON out. */
  firstDocMs: number;
  /** `node bin/xxgk.mjs --version`: the CLI's start-up without any document. */
  cliStartMs: number;
  /** `node -e 0`: Node's own start-up, the floor. */
  nodeStartMs: number;
  file: string;
  runs: number;
}

/** A user running one file at a time pays all of this on every file. Medians of `runs` spawns each. */
export async function coldFigures(file: string, runs: number): Promise<ColdFigures> {
  const bin = resolve('bin/xxgk.mjs');
  const times = { doc: [] as number[], cli: [] as number[], node: [] as number[] };
  for (let i = 0; i < runs; i++) {
    const r = await run(process.execPath, [bin, 'extract', file]);
    if (r.code !== 0) throw new Error(`xxgk extract ${file} exited ${r.code}: ${r.stderr.trim().slice(-500)}`);
    times.doc.push(r.ms);
    times.cli.push((await run(process.execPath, [bin, '--version'])).ms);
    times.node.push((await run(process.execPath, ['-e', '0'])).ms);
  }
  return { firstDocMs: median(times.doc), cliStartMs: median(times.cli), nodeStartMs: median(times.node), file, runs };
}
