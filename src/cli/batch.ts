import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_WORKER_MEMORY_MB } from '../batch/limits.js';
import { BatchOutputError, runBatch } from '../batch/run.js';
import { terminalSafe } from '../batch/terminal.js';
import { positiveNumber, positiveWhole, withExamples } from './options.js';
import { CSV_ENCODINGS, type CsvEncoding } from '../export/csv.js';


const csvEncoding = (v: string): CsvEncoding => {
  if (!(CSV_ENCODINGS as readonly string[]).includes(v)) throw new Error(`--csv-encoding must be ${CSV_ENCODINGS.join(' or ')}, not ${v}`);
  return v as CsvEncoding;
};

/** Failures named one by one on the terminal; the rest are in the outputs. */
const SHOW_FAILED = 20;

export function registerBatch(program: Command) {
  withExamples(program.command('batch'), [
    ['xxgk batch reports/ 2023.zip -o results/', 'every report under a folder and a zip / 目录和压缩包里的全部报告'],
    ['xxgk batch reports/ -o results/ --jobs 2 --strict', 'two workers; exit 1 if a file failed / 两个进程；有文件失败则退出码为 1'],
  ])
    .description('Extract and check every report under directories and zip archives; write JSONL, CSV, anomaly reports and a resumable ledger\n提取并检查目录和 zip 压缩包中的全部报告，输出 JSONL、CSV、异常报告和可续跑的台账')
    .argument('<inputs...>', 'report files, directories, zip archives')
    .option('-o, --out <dir>', 'output directory / 输出目录', 'results')
    .option('-j, --jobs <n>', 'worker processes / 并行进程数', positiveWhole, availableParallelism())
    .option('--timeout <seconds>', 'time limit per file / 每个文件的时限', positiveNumber, 60)
    .option('--memory <mb>', 'heap limit per worker, in MB / 每个进程的内存上限（MB）', positiveNumber, DEFAULT_WORKER_MEMORY_MB)
    .option('--no-ocr', 'do not OCR image-only pages / 不对纯图像页做 OCR')
    .option('--no-anomalies', 'skip anomalies.html/md (they render report pages: the slowest output) / 不生成异常报告（最慢的输出）')
    .option('--retry-failed', 'process again files whose ledger entry is an error / 重新处理台账中出错的文件')
    .option('--max-zip-depth <n>', 'open nested archives this deep / 嵌套压缩包的最大层数', positiveWhole, 3)
    .option('--csv-encoding <encoding>', `CSV encoding: ${CSV_ENCODINGS.join(' or ')} (GB18030 for Stata 13 and older Excel) / CSV 编码`, csvEncoding, 'utf-8-bom')
    .option('--strict', 'exit non-zero when any file fails / 有文件失败时退出码非零')
    .option('-q, --quiet', 'no progress output / 不显示进度')
    .option('--queue <url>', 'extract on `xxgk worker`s through the Redis queue at redis://HOST:6379 (then --jobs, --timeout, --memory are the workers’)')
    .option('--shared-fs', 'with --queue: every worker sees the inputs at the same absolute paths; jobs carry paths, not bytes')
    .option('--queue-name <name>', 'with --queue: queue name, the same as the workers’', 'xxgk')
    .option('--attempts <n>', 'with --queue: tries of a file whose worker could not process it, before an error record', positiveWhole, 3)
    .action(async (inputs: string[], o) => {
      if ((o.sharedFs || o.queueName !== 'xxgk') && !o.queue) return fail('--shared-fs and --queue-name need --queue / 须与 --queue 同用');
      // A path that is not there is a typing mistake, not an input that failed: told before anything is written.
      const missing = inputs.filter((p) => !existsSync(p));
      if (missing.length) return fail(`${missing.join(', ')}: no such file or directory / 文件或目录不存在 (nothing written)`);
      if (o.queue) {
        // A bad URL is told before anything is written: no output directory, no ledger.
        const { redisOptions } = await import('../batch/queue-connection.js');
        try {
          redisOptions(o.queue);
        } catch (err) {
          return fail((err as Error).message);
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
        csvEncoding: o.csvEncoding,
        zipLimits: { maxDepth: Math.floor(o.maxZipDepth) },
      }).catch((err: Error) => {
        // Redis gone for good, a bad URL, a full or read-only output folder: said plainly in one line;
        // what was finished is in the ledger for the re-run.
        if (!queue && !(err instanceof BatchOutputError)) throw err;
        console.error(`xxgk batch: ${terminalSafe(err.message)}`);
        return undefined;
      });
      if (!summary) {
        process.exitCode = 1;
        return;
      }
      for (const w of summary.warnings) console.error(`xxgk batch: ${terminalSafe(w)}`);
      if (!o.quiet) {
        for (const s of summary.skipped) console.error(`xxgk batch: skipped ${terminalSafe(s.displayPath)} (${terminalSafe(s.reason)})`);
        const failed = summary.records.filter((r) => r.error);
        for (const r of failed.slice(0, SHOW_FAILED)) console.error(`xxgk batch: failed ${terminalSafe(r.source.path)}: [${terminalSafe(r.error!.code)}] ${terminalSafe(r.error!.message)}`);
        if (failed.length > SHOW_FAILED) console.error(`xxgk batch: … and ${failed.length - SHOW_FAILED} more failures (see reports.csv, column error)`);
      }
      console.log(
        `xxgk batch: ${summary.total} files, ${summary.processed} processed, ${summary.fromLedger} from the ledger, ${summary.failed} failed${skippedSummary(summary.skipped)} → ${terminalSafe(o.out)}`,
      );
      if (o.strict && summary.failed > 0) process.exitCode = 1;
    });
}

function fail(message: string) {
  console.error(`xxgk batch: ${message}`);
  process.exitCode = 1;
}

/** `3 skipped (2 unsupported kind (.json), 1 hidden)`: how many files were passed over, and why. */
/** `, N skipped (why)`, or nothing when no file was skipped: the summary line scripts read stays the same. */
function skippedSummary(skipped: { reason: string }[]): string {
  if (skipped.length === 0) return '';
  const by = new Map<string, number>();
  for (const s of skipped) by.set(s.reason, (by.get(s.reason) ?? 0) + 1);
  const why = [...by].map(([reason, n]) => `${n} ${reason}`).join(', ');
  return terminalSafe(`, ${skipped.length} skipped${why ? ` (${why})` : ''}`);
}
