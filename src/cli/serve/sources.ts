import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve, sep } from 'node:path';
import { listInputs } from '../../batch/inputs.js';
import { openPdf, type PdfDocument } from '../../extract/pdf.js';
import { PageSnapshots } from '../../export/anomalies-images.js';
import { renderPage, snapshot } from '../../export/render.js';
import type { Finding, ReportRecord } from '../../record/schema.js';

/**
 * The pages of the reports a results folder was made from. Records name their file by display path
 * (`reports/2023/a.pdf`, `a.zip!/b.pdf`); the batch remembered where each argument was, and `--sources`
 * adds more. A file is used only when its bytes still hash to the record's sha256. Renders are bounded:
 * one at a time, in size, in time, and a few documents and pages kept in memory.
 */

export interface PageLimits {
  /** Pixels per point (1.5 = 108 dpi: digits legible, a page ~1 MB of PNG at most). */
  scale: number;
  maxPageSide: number;
  /** A page that takes longer is given up (the next request may try again). */
  renderTimeoutMs: number;
  cachedPages: number;
  cachedDocuments: number;
}
export const defaultPageLimits: PageLimits = { scale: 1.5, maxPageSide: 1800, renderTimeoutMs: 20_000, cachedPages: 48, cachedDocuments: 3 };

export interface PageSize {
  width: number;
  height: number;
}

export class SourcePages {
  private docs = new Map<string, Promise<PdfDocument | null>>();
  private pngs = new Map<string, Buffer>();
  private snaps = new Map<string, Promise<PageSnapshots | null>>();
  /** Renders run one after another: a reviewer scrolling fast must not start twenty at once. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    /** Root name (the first part of display paths) → absolute path; asked afresh (a new batch may add roots). */
    private roots: () => Map<string, string>,
    private limits: PageLimits = defaultPageLimits,
  ) {}

  /** Page sizes (points, as displayed) of the given pages; null when the source is not at hand. */
  async sizes(record: ReportRecord, pages: number[]): Promise<Map<number, PageSize> | null> {
    const doc = await this.doc(record);
    if (!doc) return null;
    const out = new Map<number, PageSize>();
    for (const n of pages) {
      if (n < 1 || n > doc.numPages) continue;
      const page = await doc.getPage(n);
      const v = page.getViewport({ scale: 1 });
      out.set(n, { width: v.width, height: v.height });
    }
    return out;
  }

  /** One page as PNG, or null (no source, no such page, or the render failed or took too long). */
  png(record: ReportRecord, n: number): Promise<Buffer | null> {
    return this.rendered(`${record.source.sha256}:${n}`, async () => {
      const doc = await this.doc(record);
      if (!doc || !Number.isInteger(n) || n < 1 || n > doc.numPages) return null;
      const r = await renderPage(doc, n, { scale: this.limits.scale, maxPageSide: this.limits.maxPageSide });
      return snapshot(r, null, [], [], { maxWidth: this.limits.maxPageSide, maxHeight: this.limits.maxPageSide }).png;
    });
  }

  /** A finding's evidence: the part of its main page around its cells, outlined as in anomalies.html. */
  crop(record: ReportRecord, finding: Finding, id: string): Promise<Buffer | null> {
    return this.rendered(`${record.source.sha256}:crop:${id}`, async () => {
      const snaps = await this.snapshots(record);
      return (await snaps?.forFinding(record, finding))?.[0]?.png ?? null;
    });
  }

  /** Renders one after another, each under the time limit, the PNGs kept for the next request. */
  private rendered(id: string, make: () => Promise<Buffer | null>): Promise<Buffer | null> {
    const hit = this.pngs.get(id);
    if (hit) return Promise.resolve(hit);
    const run = this.chain.then(async () => {
      const png = await withTimeout(make(), this.limits.renderTimeoutMs).catch(() => null);
      if (png) remember(this.pngs, id, png, this.limits.cachedPages);
      return png;
    });
    this.chain = run.catch(() => null);
    return run;
  }

  private snapshots(record: ReportRecord): Promise<PageSnapshots | null> {
    if (record.source.kind !== 'pdf') return Promise.resolve(null);
    const sha = record.source.sha256;
    let p = this.snaps.get(sha);
    if (!p) {
      p = this.bytes(record).then((b) => (b ? PageSnapshots.open(b).catch(() => null) : null));
      remember(this.snaps, sha, p, this.limits.cachedDocuments, (old) => void old.then((s) => s?.close()).catch(() => {}));
    }
    return p;
  }

  private doc(record: ReportRecord): Promise<PdfDocument | null> {
    if (record.source.kind !== 'pdf') return Promise.resolve(null);
    const sha = record.source.sha256;
    let p = this.docs.get(sha);
    if (!p) {
      p = this.bytes(record).then((b) => (b ? openPdf(b).catch(() => null) : null));
      remember(this.docs, sha, p, this.limits.cachedDocuments, (old) => void old.then((d) => d?.destroy()).catch(() => {}));
    }
    return p;
  }

  /** The source file's bytes, if they are still where the batch found them and unchanged. */
  async bytes(record: ReportRecord): Promise<Uint8Array | null> {
    const bytes = await this.find(record.source.path).catch(() => null);
    if (!bytes) return null;
    return createHash('sha256').update(bytes).digest('hex') === record.source.sha256 ? bytes : null;
  }

  private async find(display: string): Promise<Uint8Array | null> {
    const roots = this.roots();
    const name = [...roots.keys()].filter((r) => display === r || display.startsWith(`${r}/`) || display.startsWith(`${r}!/`)).sort((a, b) => b.length - a.length)[0];
    if (name === undefined) return null;
    const root = roots.get(name)!;
    const rest = display.slice(name.length);
    const zipAt = rest.indexOf('!/');
    const onDisk = zipAt < 0 ? rest : rest.slice(0, zipAt);
    const file = resolve(join(root, onDisk));
    // Display paths come from records, which are data: nothing outside the root is ever read.
    if (file !== root && !file.startsWith(root + sep)) return null;
    if (zipAt < 0) return readFile(file);
    if (!/\.zip$/i.test(file)) return null;
    const wanted = basename(file) + rest.slice(zipAt);
    const set = await listInputs([file]);
    try {
      const input = set.inputs.find((i) => i.displayPath === wanted && !i.rejected);
      return input ? await input.read() : null;
    } finally {
      await set.close();
    }
  }

  async close() {
    for (const p of this.docs.values()) await p.then((d) => d?.destroy()).catch(() => {});
    for (const p of this.snaps.values()) await p.then((s) => s?.close()).catch(() => {});
    this.docs.clear();
    this.snaps.clear();
    this.pngs.clear();
  }
}

function remember<T>(map: Map<string, T>, key: string, value: T, max: number, evict?: (old: T) => void) {
  map.set(key, value);
  while (map.size > max) {
    const [k, v] = map.entries().next().value as [string, T];
    map.delete(k);
    evict?.(v);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('render timed out')), ms)))]).finally(() => clearTimeout(timer));
}
