import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_WORKER_MEMORY_MB } from '../batch/limits.js';
import { positiveNumber, positiveWhole, withExamples } from './options.js';
import { DEFAULT_LOCK_MS, DEFAULT_MAX_STALLED, DEFAULT_STALLED_INTERVAL_MS } from '../batch/queue-jobs.js';


export function registerWorker(program: Command) {
  withExamples(program.command('worker'), [
    ['xxgk worker --queue redis://10.0.0.5:6379', 'work for the batch that queued there / 为该队列上的批处理工作'],
  ])
    .description('Extract reports queued by `xxgk batch --queue` on a Redis server, until stopped (Ctrl-C finishes the files in hand)\n从 Redis 队列领取 `xxgk batch --queue` 排入的报告并提取，直到停止（Ctrl-C 会先做完手头的文件）')
    .requiredOption('--queue <url>', 'Redis server holding the queue, redis://HOST:6379')
    .option('-c, --concurrency <n>', 'files extracted at once (worker processes)', positiveWhole, availableParallelism())
    .option('--queue-name <name>', 'queue name, the same as the batch’s', 'xxgk')
    .option('--timeout <seconds>', 'time limit per file', positiveNumber, 60)
    .option('--memory <mb>', 'heap limit per worker process, in MB', positiveNumber, DEFAULT_WORKER_MEMORY_MB)
    .option('--lock-duration <seconds>', 'a job whose worker stops renewing its lock this long is given to another worker', positiveNumber, DEFAULT_LOCK_MS / 1000)
    .option('--stalled-interval <seconds>', 'how often to look for jobs whose worker died', positiveNumber, DEFAULT_STALLED_INTERVAL_MS / 1000)
    .option('--max-stalled <n>', 'worker deaths on one job before it fails for good', positiveWhole, DEFAULT_MAX_STALLED)
    .option('-q, --quiet', 'no line per file')
    .action(async (o) => {
      const { startQueueWorker } = await import('../batch/queue-worker.js');
      const { QueueUrlError } = await import('../batch/queue-connection.js');
      const worker = await startQueueWorker({
        url: o.queue,
        queue: o.queueName,
        concurrency: Math.floor(o.concurrency),
        timeoutMs: o.timeout * 1000,
        memoryMb: o.memory,
        lockMs: Math.round(o.lockDuration * 1000),
        stalledIntervalMs: Math.round(o.stalledInterval * 1000),
        maxStalled: Math.floor(o.maxStalled),
        verbose: !o.quiet,
      }).catch((err: Error) => {
        if (!(err instanceof QueueUrlError)) throw err;
        console.error(`xxgk worker: ${err.message}`);
        return undefined;
      });
      if (!worker) {
        process.exitCode = 2;
        return;
      }
      let signals = 0;
      const stop = (sig: string) => {
        if (++signals > 1) {
          // The files in hand go back to the queue when their locks expire.
          console.error(`xxgk worker: ${sig} again, leaving now`);
          process.exit(130);
        }
        console.error(`xxgk worker: ${sig}: finishing the files in hand (again to leave now)`);
        worker.close().then(() => process.exit(0), (err) => {
          console.error(`xxgk worker: ${err?.message ?? err}`);
          process.exit(1);
        });
      };
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
