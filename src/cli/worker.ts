import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_WORKER_MEMORY_MB } from '../batch/limits.js';
import { DEFAULT_LOCK_MS, DEFAULT_MAX_STALLED, DEFAULT_STALLED_INTERVAL_MS } from '../batch/queue-jobs.js';

const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!(n > 0)) throw new Error(`--${name} must be a positive number, not ${v}`);
  return n;
};

export function registerWorker(program: Command) {
  program
    .command('worker')
    .description('Extract reports queued by `xxgk batch --queue` on a Redis server, until stopped (Ctrl-C finishes the files in hand)')
    .requiredOption('--queue <url>', 'Redis server holding the queue, redis://HOST:6379')
    .option('-c, --concurrency <n>', 'files extracted at once (worker processes)', positive('concurrency'), availableParallelism())
    .option('--queue-name <name>', 'queue name, the same as the batch’s', 'xxgk')
    .option('--timeout <seconds>', 'time limit per file', positive('timeout'), 60)
    .option('--memory <mb>', 'heap limit per worker process, in MB', positive('memory'), DEFAULT_WORKER_MEMORY_MB)
    .option('--lock-duration <seconds>', 'a job whose worker stops renewing its lock this long is given to another worker', positive('lock-duration'), DEFAULT_LOCK_MS / 1000)
    .option('--stalled-interval <seconds>', 'how often to look for jobs whose worker died', positive('stalled-interval'), DEFAULT_STALLED_INTERVAL_MS / 1000)
    .option('--max-stalled <n>', 'worker deaths on one job before it fails for good', positive('max-stalled'), DEFAULT_MAX_STALLED)
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
