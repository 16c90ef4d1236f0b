import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from './spawn.js';
import { median } from './stats.js';

export interface ColdFigures {
  /** `node bin/xxgk.mjs extract FILE`, spawned: process start, loader, imports, one document, JSON out. */
  firstDocMs: number;
  /** `node bin/xxgk.mjs --version`: the CLI's start-up without any document. */
  cliStartMs: number;
  /** `node -e 0`: Node's own start-up, the floor. */
  nodeStartMs: number;
  /** The same two through tsx from the TypeScript sources (XXGK_FROM_SOURCE=1), as the CLI ran before its build step. */
  fromSource: { firstDocMs: number; cliStartMs: number };
  /** Whether the first figures are of the compiled CLI (dist/ current); `npm run bench` builds first. */
  compiled: boolean;
  file: string;
  runs: number;
}

/** A user running one file at a time pays all of this on every file. Medians of `runs` spawns each. */
export async function coldFigures(file: string, runs: number): Promise<ColdFigures> {
  const bin = resolve('bin/xxgk.mjs');
  const times = { doc: [] as number[], cli: [] as number[], node: [] as number[], srcDoc: [] as number[], srcCli: [] as number[] };
  const source = { ...process.env, XXGK_FROM_SOURCE: '1' };
  const extract = async (env?: NodeJS.ProcessEnv) => {
    const r = await run(process.execPath, [bin, 'extract', file], { env });
    if (r.code !== 0) throw new Error(`xxgk extract ${file} exited ${r.code}: ${r.stderr.trim().slice(-500)}`);
    return r.ms;
  };
  for (let i = 0; i < runs; i++) {
    times.doc.push(await extract());
    times.cli.push((await run(process.execPath, [bin, '--version'])).ms);
    times.node.push((await run(process.execPath, ['-e', '0'])).ms);
    times.srcDoc.push(await extract(source));
    times.srcCli.push((await run(process.execPath, [bin, '--version'], { env: source })).ms);
  }
  return {
    firstDocMs: median(times.doc),
    cliStartMs: median(times.cli),
    nodeStartMs: median(times.node),
    fromSource: { firstDocMs: median(times.srcDoc), cliStartMs: median(times.srcCli) },
    compiled: compiledIsCurrent(),
    file,
    runs,
  };
}

/** What bin/xxgk.mjs decides: dist/ built after every change under src/. */
function compiledIsCurrent() {
  if (!existsSync('dist/.built')) return false;
  const built = Number(readFileSync('dist/.built', 'utf8'));
  return readdirSync('src', { recursive: true }).every((f) => statSync(join('src', String(f))).mtimeMs < built);
}
