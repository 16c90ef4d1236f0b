#!/usr/bin/env node
// Runs the compiled CLI (dist/, made by `npm run build`, which `npm install` runs). In a checkout whose sources
// are newer than dist/ (or with XXGK_FROM_SOURCE=1) it runs the TypeScript sources through tsx instead, so that
// a change is live without a build: tsx is for development only.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ keeps the compiled bytecode of our modules and pdfjs-dist (3 MB of JS) between runs.
module.enableCompileCache?.();

const at = (p) => new URL(p, import.meta.url);

/** dist/ is there and no file under src/ changed after the build began (an installed package has no src/). */
function compiledIsCurrent() {
  if (process.env.XXGK_FROM_SOURCE === '1' || !existsSync(at('../dist/.built'))) return false;
  if (!existsSync(at('../src'))) return true;
  const built = Number(readFileSync(at('../dist/.built'), 'utf8'));
  return readdirSync(at('../src'), { recursive: true }).every((f) => statSync(at(`../src/${f}`)).mtimeMs < built);
}

if (compiledIsCurrent()) {
  await import('../dist/cli/main.js');
} else {
  // Commands that read PDFs load pdfjs-dist first, by Node itself: through tsx's loader (source maps on,
  // code transformed) the same import costs ~180 MB and ~0.4 s more.
  if (['extract', 'batch', 'worker', 'debug'].includes(process.argv[2])) await import('../src/extract/pdfjs-load.mjs');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
