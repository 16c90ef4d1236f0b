// Worker thread entry: workers start without the parent's loader hooks, so this plain-JS file installs tsx's
// loader before importing the TypeScript task module (the same way bin/xxgk.mjs starts the CLI). pdfjs-dist
// is loaded first by Node itself, which keeps ~180 MB of source maps and transforms out of every worker.
await import('../extract/pdfjs-load.mjs');
const { register } = await import('tsx/esm/api');
register();
await import('./worker-task.ts');
