// Worker process entry (src/batch/pool.ts forks it). Built (dist/batch/), it imports the compiled task module.
// From the sources it stays plain JS so that pdfjs-dist is loaded by Node itself before tsx's loader is installed
// for the TypeScript task module (as bin/xxgk.mjs starts the CLI); through tsx pdfjs would cost ~180 MB of source
// maps and transforms in every worker.
import { existsSync } from 'node:fs';

const compiled = new URL('./worker-task.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  await import('../extract/pdfjs-load.mjs');
  const { register } = await import('tsx/esm/api');
  register();
  await import('./worker-task.ts');
}
