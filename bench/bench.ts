/**
 * `npm run bench [-- --json] [--ocr] [--reps N] [--batch N] [--cold N] [--skip warm,batch,cold,ledger]`
 *
 * Speed and memory of the digital-PDF pipeline against its floor (the bare pdfjs pass) and against
 * poppler, in a warm process, in a batch of worker threads, and in a cold process. Targets are printed,
 * never asserted: the machine's load changes the figures, the lead compares them between commits.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { hasPoppler } from './bare.js';
import { batchFigures, repeatTo, type BatchFigures } from './batch.js';
import { coldFigures, type ColdFigures } from './cold.js';
import { findDocs } from './corpus.js';
import { ledgerFigures, type LedgerFigures } from './ledger.js';
import { ocrFigures, type OcrFigures } from './ocr.js';
import { STAGE_LABELS, STAGES } from './staged.js';
import { fmt, max, median, sum, table } from './stats.js';
import { warmFigures, type WarmDoc } from './warm.js';

const TARGETS = { ratioToPdfjs: 1.3, speedup: 1.8, peakRssMb: 300, coldCli: 3, coldDoc: 8 };

interface Args {
  json: boolean;
  ocr: boolean;
  reps: number;
  batch: number;
  cold: number;
  skip: Set<string>;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, ocr: false, reps: 5, batch: 200, cold: 3, skip: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${k} wants a positive whole number, got ${argv[i]}`);
      return v;
    };
    if (k === '--json') a.json = true;
    else if (k === '--ocr') a.ocr = true;
    else if (k === '--reps') a.reps = num();
    else if (k === '--batch') a.batch = num();
    else if (k === '--cold') a.cold = num();
    else if (k === '--skip') for (const s of (argv[++i] ?? '').split(',')) a.skip.add(s.trim());
    else throw new Error(`unknown option ${k} (known: --json --ocr --reps N --batch N --cold N --skip warm,batch,cold,ledger)`);
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
// With --json, stdout carries the JSON alone: the human report goes to stderr.
const say = (s = '') => (args.json ? process.stderr : process.stdout).write(s + '\n');
const progress = (s: string) => process.stderr.write(`  … ${s}\n`);
const t0 = performance.now();
const load0 = loadavg()[0];

say(`xxgk bench · ${gitHead()} · node ${process.version} · ${cpus().length} cores · load ${load0.toFixed(2)}`);
if (load0 > cpus().length * 0.5) say(`note: the machine is busy (load ${load0.toFixed(2)} on ${cpus().length} cores): wall times are inflated and noisy`);

const docs = await findDocs();
const digital = docs.filter((d) => !d.scanned);
const scans = docs.filter((d) => d.scanned);
if (!digital.length) throw new Error('no digital PDF found in ../shared/corpus or ../shared/corpus/real');
const poppler = await hasPoppler();
say(`${digital.length} digital PDFs, ${scans.length} scanned; poppler ${poppler ? 'pdftotext found' : 'not installed'}`);

let warm: WarmDoc[] = [];
if (!args.skip.has('warm')) {
  warm = await warmFigures(digital, args.reps, poppler, progress);
  say();
  say(`Warm process, per document (ms, median of ${args.reps} runs after one warm-up; ours = extractFile end to end)`);
  const header = ['document', 'pages', ...STAGES.map((s) => STAGE_LABELS[s]), 'staged', 'ours', 'pdfjs', 'poppler*', 'ours/pdfjs', 'ours/poppler'];
  const row = (w: Pick<WarmDoc, 'name' | 'pages' | 'stages' | 'stagedMs' | 'oursMs' | 'pdfjsMs' | 'popplerMs'>, r1: string, r2: string) => [
    w.name.replace(/\.pdf$/i, '').slice(0, 44),
    String(w.pages),
    ...STAGES.map((s) => fmt(w.stages[s])),
    fmt(w.stagedMs),
    fmt(w.oursMs),
    fmt(w.pdfjsMs),
    w.popplerMs === null ? '—' : fmt(w.popplerMs),
    r1,
    r2,
  ];
  const total = {
    name: 'total',
    pages: sum(warm.map((w) => w.pages)),
    stages: Object.fromEntries(STAGES.map((s) => [s, sum(warm.map((w) => w.stages[s]))])) as WarmDoc['stages'],
    stagedMs: sum(warm.map((w) => w.stagedMs)),
    oursMs: sum(warm.map((w) => w.oursMs)),
    pdfjsMs: sum(warm.map((w) => w.pdfjsMs)),
    popplerMs: poppler ? sum(warm.map((w) => w.popplerMs ?? 0)) : null,
  };
  const rows = warm.map((w) => row(w, fmt(w.ratioToPdfjs, 2), w.ratioToPoppler === null ? '—' : fmt(w.ratioToPoppler, 1)));
  rows.push(row(total, fmt(total.oursMs / total.pdfjsMs, 2), total.popplerMs ? fmt(total.oursMs / total.popplerMs, 1) : '—'));
  say(table(header, rows));
  say('* poppler = `pdftotext -bbox FILE -` spawned per file: its time includes process start (a few ms).');
  for (const w of warm) if (w.error) say(`! ${w.name}: extractFile gave an error record: ${w.error}`);
  const share = STAGES.map((s) => `${STAGE_LABELS[s]} ${((100 * total.stages[s]) / total.stagedMs).toFixed(0)}%`).join(', ');
  say(`stage shares: ${share}`);
}

let batch: BatchFigures[] = [];
if (!args.skip.has('batch')) {
  const files = repeatTo(digital.map((d) => d.path), args.batch);
  for (const w of [1, 2]) {
    progress(`batch of ${files.length} files with ${w} worker(s)`);
    batch.push(await batchFigures(files, w));
  }
  say();
  say(`Batch of ${files.length} files (the digital PDFs repeated), WorkerPool of src/batch, each run in a fresh process`);
  say(
    table(
      ['workers', 'files/s', 'wall s', 'cores used', 'CPU ms/file', 'CPU workers/helpers/main', 'first rec s', 'file ms (med)', 'batch process RSS', 'RSS per worker', 'worker heap peak', 'RSS 1st→last ¼', 'heap 1st→last ¼', 'failed'],
      batch.map((b) => [
        String(b.workers),
        fmt(b.filesPerSec, 2),
        fmt(b.wallMs / 1000, 1),
        fmt(b.coresUsed, 2),
        fmt(b.cpuPerFileMs, 0),
        b.cpuShares ? [b.cpuShares.workers, b.cpuShares.helpers, b.cpuShares.main].map((x) => `${Math.round(x * 100)}`).join('/') + ' %' : '—',
        fmt(b.firstResultMs / 1000, 2),
        fmt(b.medianFileMs, 0),
        `${fmt(b.mainPeakRssMb, 0)} MB`,
        `${fmt(b.perWorkerRssMb, 0)} MB`,
        `${fmt(b.isolatePeakMb, 0)} MB`,
        `${b.rssFirstQuarterMb.toFixed(0)}→${b.rssLastQuarterMb.toFixed(0)} MB`,
        `${b.isolateFirstQuarterMb.toFixed(0)}→${b.isolateLastQuarterMb.toFixed(0)} MB`,
        String(b.failed),
      ]),
    ),
  );
  say('cores used = CPU time of the batch\'s process and its workers / wall time: with 2 workers on 2 cores it should be near 2; lower means the machine was shared.');
  say('CPU workers/helpers/main = shares of that CPU time: the workers\' JavaScript threads, their V8 helper threads (concurrent GC, optimising compiler), the batch\'s own process.');
  say('RSS per worker = peak RSS of the largest worker process (each worker is a process of its own); batch process RSS = the process that reads the files and runs the pool.');
}

let cold: ColdFigures | null = null;
if (!args.skip.has('cold')) {
  progress('cold starts');
  cold = await coldFigures(digital[0].path, args.cold);
  say();
  say(`Cold process (median of ${cold.runs} spawns): first document ${fmt(cold.firstDocMs, 0)} ms` + ` (${digital[0].name}); CLI start alone (--version) ${fmt(cold.cliStartMs, 0)} ms; node -e 0 ${fmt(cold.nodeStartMs, 0)} ms`);
  say(`  ${cold.compiled ? 'compiled (dist/)' : 'NOT compiled: dist/ is missing or older than src/ (npm run build)'}; from the sources through tsx: first document ${fmt(cold.fromSource.firstDocMs, 0)} ms, --version ${fmt(cold.fromSource.cliStartMs, 0)} ms`);
}

let ledger: LedgerFigures[] = [];
if (!args.skip.has('ledger')) {
  progress('ledger');
  // About a digital report's record: 300 cells with their provenance.
  const record = { cells: Array.from({ length: 300 }, (_, i) => ({ key: `t3.k${i}`, value: i, page: 3, box: [72, 100 + i, 140, 112 + i], text: String(i), confidence: 1 })) };
  ledger = await ledgerFigures(500, record);
  say();
  say(`Ledger (${ledger[0].entries} entries of ${(ledger[0].recordBytes / 1024).toFixed(0)} KB, each put its own synced transaction)`);
  say(table(['engine', 'put ms', 'get ms', 'all() ms'], ledger.map((l) => [l.engine, fmt(l.putMs, 2), fmt(l.getMs, 3), fmt(l.allMs, 0)])));
}

let ocr: OcrFigures | null = null;
if (args.ocr) {
  progress('OCR of the scans');
  ocr = await ocrFigures(scans);
  say();
  if (!ocr.available) say(`OCR: ${ocr.reason}`);
  else {
    say('OCR, scanned PDFs (one run each)');
    say(table(['document', 'pages', 'ms', 's/page', 'cells'], ocr.docs.map((d) => [d.name, String(d.pages), fmt(d.ms, 0), fmt(d.secondsPerPage, 2), String(d.cells)])));
    say(`OCR: ${ocr.secondsPerPage.toFixed(2)} s per scanned page`);
  }
}

// Headline figures, against the targets.
const ratioToPdfjs = warm.length ? median(warm.map((w) => w.ratioToPdfjs)) : null;
const popRatios = warm.map((w) => w.ratioToPoppler).filter((r): r is number => r !== null);
const ratioToPoppler = popRatios.length ? median(popRatios) : null;
const speedup = batch.length === 2 ? batch[1].filesPerSec / batch[0].filesPerSec : null;
// The part of the speed-up the code controls, readable on a shared machine: CPU per file should not grow with workers.
const cpuGrowth = batch.length === 2 ? batch[1].cpuPerFileMs / batch[0].cpuPerFileMs : null;
const peakRssMb = batch.length ? max(batch.map((b) => b.perWorkerRssMb)) : null;
const rssGrowthMb = batch.length ? max(batch.map((b) => b.rssLastQuarterMb - b.rssFirstQuarterMb)) : null;
const mark = (ok: boolean | null) => (ok === null ? '' : ok ? 'ok  ' : 'MISS');
say();
say('Targets');
say(`${mark(ratioToPdfjs === null ? null : ratioToPdfjs <= TARGETS.ratioToPdfjs)} ours / bare pdfjs (median over documents): ${ratioToPdfjs?.toFixed(2) ?? '—'} (target ≤ ${TARGETS.ratioToPdfjs})`);
say(`     the same on CPU time (steadier on a shared machine): ${warm.length ? median(warm.map((w) => w.oursCpuMs / w.pdfjsCpuMs)).toFixed(2) : '—'}`);
say(`     ours / poppler (median): ${ratioToPoppler?.toFixed(1) ?? '—'}`);
say(`${mark(speedup === null ? null : speedup >= TARGETS.speedup)} 2 workers / 1 worker throughput: ${speedup?.toFixed(2) ?? '—'} (target ≥ ${TARGETS.speedup}); CPU per file ×${cpuGrowth?.toFixed(2) ?? '—'} from 1 to 2 workers, cores used ${batch.map((b) => b.coresUsed.toFixed(2)).join(' / ') || '—'}`);
say(`${mark(peakRssMb === null ? null : peakRssMb <= TARGETS.peakRssMb)} peak RSS per worker: ${peakRssMb?.toFixed(0) ?? '—'} MB (target ≤ ${TARGETS.peakRssMb}); growth first→last quarter ${rssGrowthMb?.toFixed(0) ?? '—'} MB`);
const coldRatio = (ms: number | undefined) => (cold && ms !== undefined ? ms / cold.nodeStartMs : null);
const [cliRatio, docRatio] = [coldRatio(cold?.cliStartMs), coldRatio(cold?.firstDocMs)];
say(`${mark(cliRatio === null ? null : cliRatio <= TARGETS.coldCli)} cold --version / node -e 0: ${cliRatio?.toFixed(1) ?? '—'} (target ≤ ${TARGETS.coldCli})`);
say(`${mark(docRatio === null ? null : docRatio <= TARGETS.coldDoc)} cold first document / node -e 0: ${docRatio?.toFixed(1) ?? '—'} (target ≤ ${TARGETS.coldDoc}); ${cold ? cold.firstDocMs.toFixed(0) + ' ms' : '—'}`);
const load1 = loadavg()[0];
say(`bench took ${((performance.now() - t0) / 1000).toFixed(0)} s; load ${load0.toFixed(2)} → ${load1.toFixed(2)}`);

if (args.json) {
  const out = {
    commit: gitHead(),
    node: process.version,
    cores: cpus().length,
    load: [load0, load1],
    ratioToPdfjs,
    ratioToPoppler,
    speedup,
    cpuPerFileGrowth: cpuGrowth,
    ratioToPdfjsCpu: warm.length ? median(warm.map((w) => w.oursCpuMs / w.pdfjsCpuMs)) : null,
    peakRssMb,
    coldFirstDocMs: cold?.firstDocMs ?? null,
    coldCliToNode: cliRatio,
    coldDocToNode: docRatio,
    rssGrowthMb,
    ocrSecondsPerPage: ocr?.available ? ocr.secondsPerPage : null,
    targets: TARGETS,
    warm,
    batch,
    cold,
    ledger,
    ocr,
  };
  await new Promise<void>((res) => process.stdout.write(JSON.stringify(out, null, 2) + '\n', () => res()));
}
// Whatever a stage left open (a pdfjs or OCR handle), the bench's output is complete: end here.
process.exit(0);

function gitHead(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown commit';
  }
}
