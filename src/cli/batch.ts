import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_WORKER_MEMORY_MB } from '../batch/limits.js';
import { runBatch } from '../batch/run.js';

const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!(n > 0)) throw new Error(`--${name} must be a positive number, not ${v}`);
  return n;
};

/** Failures named one by one on the terminal; the rest are in the outputs. */
const SHOW_FAILED = 20;

export function registerBatch(program: Command) {
  program
    .command('batch')
    .description('Extract and check every report under directories and zip archives; write JSONL, CSV, anomaly reports and a resumable ledger')
    .argument('<inputs...>', 'report files, directories, zip archives')
    .option('-o, --out <dir>', 'output directory', 'results')
    .option('-j, --jobs <n>', 'worker processes', positive('jobs'), availableParallelism())
    .option('--timeout <seconds>', 'time limit per file', positive('timeout'), 60)
    .option('--memory <mb>', 'heap limit per worker, in MB', positive('memory'), DEFAULT_WORKER_MEMORY_MB)
    .option('--no-ocr', 'do not OCR image-only pages')
    .option('--no-anomalies', 'skip anomalies.html/md (they render report pages: the slowest output)')
    .option('--retry-failed', 'process again files whose ledger entry is an error')
    .option('--max-zip-depth <n>', 'open nested archives this deep', positive('max-zip-depth'), 3)
    .option('--strict', 'exit non-zero when any file fails')
    .option('-q, --quiet', 'no progress output')
    .option('--queue <url>', 'extract on `xxgk worker`s through the Redis queue at redis://HOST:6379 (then --jobs, --timeout, --memory are the workers’)')
    .option('--shared-fs', 'with --queue: every worker sees the inputs at the same absolute paths; jobs carry paths, not bytes')
    .option('--queue-name <name>', 'with --queue: queue name, the same as the workers’', 'xxgk')
    .option('--attempts <n>', 'with --queue: tries of a file whose worker could not process it, before an error record', positive('attempts'), 3)
    .action(async (inputs: string[], o) => {
      if ((o.sharedFs || o.queueName !== 'xxgk') && !o.queue) throw new Error('--shared-fs and --queue-name need --queue');
      if (o.queue) {
        // A bad URL is told before anything is written: no output directory, no ledger.
        const { redisOptions } = await import('../batch/queue-connection.js');
        try {
          redisOptions(o.queue);
        } catch (err) {
          console.error(`xxgk batch: ${(err as Error).message}`);
          process.exitCode = 1;
          return;
        }
      }
      const queue = o.queue
        ? { url: o.queue, queue: o.queueName, sharedFs: !!o.sharedFs, retry: { attempts: Math.floor(o.attempts), backoffMs: 2000 } }
        : undefined;
      const summary = await runBatch({
        queue,
        paths: inputs,
        out: o.out,
        jobs: Math.floor(o.jobs),
        timeoutMs: o.timeout * 1000,
        memoryMb: o.memory,
        ocr: o.ocr,
        retryFailed: !!o.retryFailed,
        quiet: !!o.quiet,
        anomalies: o.anomalies,
        zipLimits: { maxDepth: Math.floor(o.maxZipDepth) },
      }).catch((err: Error) => {
        if (!queue) throw err;
        // Redis gone for good, a bad URL: said plainly; what was collected is in the ledger for the re-run.
        console.error(`xxgk batch: ${err.message}`);
        return undefined;
      });
      if (!summary) {
        process.exitCode = 1;
        return;
      }
      for (const w of summary.warnings) console.error(`xxgk batch: ${w}`);
      if (!o.quiet) {
        for (const s of summary.skipped) console.error(printable(`xxgk batch: skipped ${s.displayPath} (${s.reason})`));
        const failed = summary.records.filter((r) => r.error);
        for (const r of failed.slice(0, SHOW_FAILED)) console.error(`xxgk batch: failed ${r.source.path}: [${r.error!.code}] ${r.error!.message}`);
        if (failed.length > SHOW_FAILED) console.error(`xxgk batch: … and ${failed.length - SHOW_FAILED} more failures (see reports.csv, column error)`);
      }
      console.log(
        `xxgk batch: ${summary.total} files, ${summary.processed} processed, ${summary.fromLedger} from the ledger, ${summary.failed} failed, ${skippedSummary(summary.skipped)} → ${o.out}`,
      );
      if (o.strict && summary.failed > 0) process.exitCode = 1;
    });
}

/** `3 skipped (2 unsupported kind (.json), 1 hidden)`: how many files were passed over, and why. */
function skippedSummary(skipped: { reason: string }[]): string {
  const by = new Map<string, number>();
  for (const s of skipped) by.set(s.reason, (by.get(s.reason) ?? 0) + 1);
  const why = [...by].map(([reason, n]) => `${n} ${reason}`).join(', ');
  return printable(`${skipped.length} skipped${why ? ` (${why})` : ''}`);
}

/** Names from archives may carry control characters (escape sequences, CR/LF): shown as \xNN, never sent to the terminal. */
const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
