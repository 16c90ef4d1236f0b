// pdfjs-dist, loaded by Node itself (plain JS, so an entry can import it before tsx's loader is registered).
// 1. pdfjs-dist's legacy build and its worker module (3.3 MB of JS, 8 MB of source maps) loaded by Node itself:
//    through tsx they cost ~+180 MB RSS and ~0.4 s more per process (source maps on, loader transforms).
// 2. globalThis.pdfjsWorker: pdfjs's in-thread "fake worker" takes this module instead of import()ing it later.
// 3. The legacy build's core-js replaces Array.prototype.push, JSON.parse and JSON.stringify process-wide with
//    JS versions (forced on V8 11 for spec corner cases we never hit): ~10-15 % of a warm document's time.
//    The natives go back once both modules are evaluated.
// 4. Without DecompressionStream pdfjs inflates streams with its own synchronous decoder. Node's
//    DecompressionStream hands every chunk to the libuv thread pool and back: measured by the bench,
//    a warm document took ~37 % longer that way (13 documents: 1523 ms against 961 ms).
delete globalThis.DecompressionStream;
const natives = [
  [Array.prototype, 'push'],
  [JSON, 'parse'],
  [JSON, 'stringify'],
].map(([o, k]) => [o, k, Object.getOwnPropertyDescriptor(o, k)]);
const [pdfjs, worker] = await Promise.all([import('pdfjs-dist/legacy/build/pdf.mjs'), import('pdfjs-dist/legacy/build/pdf.worker.mjs')]);
globalThis.pdfjsWorker ??= worker;
for (const [o, k, d] of natives) Object.defineProperty(o, k, d);
export { pdfjs };
