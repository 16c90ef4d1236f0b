#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader: no build step between a change and a run.
// Commands that read PDFs load pdfjs-dist first, by Node itself: through tsx's loader (source maps on,
// code transformed) the same import costs ~180 MB and ~0.4 s more.
if (['extract', 'batch', 'worker', 'debug'].includes(process.argv[2])) await import('../src/extract/pdfjs-load.mjs');
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/main.ts');
