// The batch on a queue: real redis-server on 127.0.0.1, two `xxgk worker` processes, a producer; its outputs
// must be byte for byte those of the local batch over the same files, whatever happens to a worker or the producer.
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { redisOptions } from '../src/batch/queue-connection.js';
import { queueName } from '../src/batch/queue-jobs.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchArgs, Cli, copyCorpus, freePort, HAVE_REDIS, ledgerRows, RedisServer, ROOT, sameOutputs, sha256, worker } from './queue-harness.js';

let tmp: string;
let inDir: string;
let files: string[];
let redis: RedisServer;
let local: string;
const started: Cli[] = [];
const track = (c: Cli) => (started.push(c), c);

beforeAll(async () => {
  if (!HAVE_REDIS) return;
  tmp = await mkdtemp(join(tmpdir(), 'xxgk-queue-'));
  inDir = join(tmp, 'in');
  files = await copyCorpus(inDir);
  redis = new RedisServer(await freePort());
  await redis.start();
  // The reference: the embedded local batch over the same files.
  local = join(tmp, 'local');
  const run = spawnSync(process.execPath, ['bin/xxgk.mjs', ...batchArgs(inDir, local)], { cwd: ROOT, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((c) => c.kill()));
});

afterAll(async () => {
  await redis?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Every input once in the ledger, under its own sha256 (hashed here, independently), none failed. */
async function expectLedgerOfEveryFile(out: string) {
  const rows = ledgerRows(out);
  expect(rows.map((r) => r.path).sort()).toEqual(files.map((f) => `in/${f}`).sort());
  for (const r of rows) expect(r.sha256).toBe(await sha256(join(inDir, r.path.slice(3))));
  expect(rows.filter((r) => r.error_code)).toEqual([]);
}

async function jobKeys(queue: string) {
  const c = new Redis(redis.url);
  try {
    // What is left of the queue's jobs once the batch is done: collected jobs are released.
    return (await c.keys(`bull:${queue}-v*:*`)).filter((k) => /:[0-9a-f]{64}$/.test(k));
  } finally {
    c.disconnect();
  }
}

describe.skipIf(!HAVE_REDIS)('batch --queue with two workers', () => {
  it('writes the same outputs and ledger as the local batch', async () => {
    const out = join(tmp, 'queued');
    track(worker(redis.url, 'plain'));
    track(worker(redis.url, 'plain'));
    const producer = track(new Cli(batchArgs(inDir, out, redis.url, 'plain')));
    expect(await producer.exited, producer.stderr).toBe(0);
    expect(producer.stdout).toContain(`${files.length} files, ${files.length} processed, 0 from the ledger, 0 failed`);
    expect(await sameOutputs(out, local)).toEqual([]);
    await expectLedgerOfEveryFile(out);
    expect(await jobKeys('plain')).toEqual([]);

    // Run again: everything is in the ledger, nothing is queued.
    const again = track(new Cli(batchArgs(inDir, out, redis.url, 'plain')));
    expect(await again.exited, again.stderr).toBe(0);
    expect(again.stdout).toContain(`${files.length} files, 0 processed, ${files.length} from the ledger`);
  });

  it('loses nothing when a worker is killed with SIGKILL in the middle of a file', async () => {
    const out = join(tmp, 'worker-killed');
    const doomed = track(worker(redis.url, 'kill'));
    const survivor = track(worker(redis.url, 'kill'));
    const producer = track(new Cli(batchArgs(inDir, out, redis.url, 'kill')));
    // Killed right after it has taken its second file, so it dies holding a job.
    await doomed.waitFor(() => doomed.lines(/taking /).length >= 2, 'the doomed worker to take a second file');
    const held = doomed.lines(/taking /)[1].replace(/^.*taking /, '');
    await doomed.kill('SIGKILL');
    expect(await producer.exited, producer.stderr).toBe(0);
    // counted once: processed once, not twice and not from the ledger
    expect(producer.stdout).toContain(`${files.length} files, ${files.length} processed, 0 from the ledger, 0 failed`);
    // the job it held went back to the queue and the other worker did it
    expect(doomed.lines(new RegExp(`done ${escape(held)}`))).toEqual([]);
    expect(survivor.lines(new RegExp(`done ${escape(held)} `))).toHaveLength(1);
    expect(await sameOutputs(out, local)).toEqual([]);
    await expectLedgerOfEveryFile(out);
  });

  it('resumes collecting when the producer is killed and started again, each file once in the ledger', async () => {
    const out = join(tmp, 'producer-killed');
    const w1 = track(worker(redis.url, 'resume'));
    track(worker(redis.url, 'resume'));
    const first = track(new Cli(batchArgs(inDir, out, redis.url, 'resume')));
    await first.waitFor(() => ledgerRows(out).length >= 2, 'two records in the ledger');
    await first.kill('SIGKILL');
    const before = ledgerRows(out, { afterKill: true });
    expect(before.length).toBeLessThan(files.length);
    // The workers go on with what was queued while no producer is there to collect it.
    await w1.waitFor(() => w1.lines(/done /).length >= 4, 'the workers to go on without a producer');

    const second = track(new Cli(batchArgs(inDir, out, redis.url, 'resume')));
    expect(await second.exited, second.stderr).toBe(0);
    expect(second.stdout).toContain(`${files.length} files, ${files.length - before.length} processed, ${before.length} from the ledger, 0 failed`);
    const after = ledgerRows(out);
    // what was committed before the kill is kept as it was
    for (const row of before) expect(after.find((r) => r.sha256 === row.sha256)?.processed_at).toBe(row.processed_at);
    expect(await sameOutputs(out, local)).toEqual([]);
    await expectLedgerOfEveryFile(out);
    expect(await jobKeys('resume')).toEqual([]);
  });

  it('releases a job left behind by a producer killed between its ledger commit and the release', async () => {
    // The ledger has every file (the local run's); Redis still holds a finished job for one of them.
    const out = join(tmp, 'left-behind');
    await cp(local, out, { recursive: true });
    const queue = new Queue(queueName('left'), { connection: redisOptions(redis.url) });
    const id = await sha256(join(inDir, files[0]));
    await queue.add('extract', { sha256: id, name: files[0], displayPath: `in/${files[0]}`, size: 1, ocr: false, base64: '' }, { jobId: id });
    await queue.close();
    expect(await jobKeys('left')).toHaveLength(1);

    const producer = track(new Cli(batchArgs(inDir, out, redis.url, 'left')));
    expect(await producer.exited, producer.stderr).toBe(0);
    expect(producer.stdout).toContain(`${files.length} files, 0 processed, ${files.length} from the ledger`);
    expect(await jobKeys('left')).toEqual([]);
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
