// The queue when things go wrong: Redis dies and comes back empty; a file a worker cannot read; a file changed
// after it was queued. Real redis-server on 127.0.0.1 and real `xxgk worker` processes.
import { spawnSync } from 'node:child_process';
import { appendFile, mkdtemp, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { queueName } from '../src/batch/queue-jobs.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { batchArgs, Cli, copyCorpus, freePort, HAVE_REDIS, ledgerRows, RedisServer, ROOT, sameOutputs, sha256, sleep, worker } from './queue-harness.js';

let tmp: string;
let redis: RedisServer;
const started: Cli[] = [];
const track = (c: Cli) => (started.push(c), c);

beforeAll(async () => {
  if (!HAVE_REDIS) return;
  tmp = await mkdtemp(join(tmpdir(), 'xxgk-queue-faults-'));
  redis = new RedisServer(await freePort());
  await redis.start();
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((c) => c.kill()));
});

afterAll(async () => {
  await redis?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe.skipIf(!HAVE_REDIS)('batch --queue under faults', () => {
  it('survives Redis going away and coming back empty: says so, retries, and loses no record', async () => {
    const inDir = join(tmp, 'in');
    const files = await copyCorpus(inDir);
    const local = join(tmp, 'local');
    const ref = spawnSync(process.execPath, ['bin/xxgk.mjs', ...batchArgs(inDir, local)], { cwd: ROOT, encoding: 'utf8' });
    expect(ref.status, ref.stderr).toBe(0);

    const out = join(tmp, 'outage');
    track(worker(redis.url, 'outage'));
    track(worker(redis.url, 'outage'));
    const producer = track(new Cli(batchArgs(inDir, out, redis.url, 'outage')));
    await producer.waitFor(() => ledgerRows(out).length >= 2, 'two records in the ledger');
    await redis.stop(); // no persistence: every queued job and result is gone
    await producer.waitFor(() => producer.lines(/cannot reach Redis/).length > 0, 'the producer to report the outage');
    await sleep(1000);
    await redis.start();
    expect(await producer.exited, producer.stderr).toBe(0);
    expect(producer.lines(/xxgk batch: cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: .*retrying/).length).toBeGreaterThan(0);
    expect(producer.lines(/xxgk batch: connection to Redis at .* restored/).length).toBeGreaterThan(0);
    expect(producer.stdout).toContain(`${files.length} files, ${files.length} processed, 0 from the ledger, 0 failed`);
    expect(await sameOutputs(out, local)).toEqual([]);
    expect(ledgerRows(out).map((r) => r.path).sort()).toEqual(files.map((f) => `in/${f}`).sort());
  }, 120_000);

  it('ends a job that keeps failing with an error record (after its attempts), and one whose file changed at once', async () => {
    const inDir = join(tmp, 'shared');
    const all = await copyCorpus(inDir);
    const [gone, changed] = [all.find((f) => f.endsWith('.html'))!, all.find((f) => f.endsWith('.txt'))!];
    const goneSha = await sha256(join(inDir, gone));
    const out = join(tmp, 'failing');
    // No worker yet: the producer queues everything, then the files change under it.
    const producer = track(new Cli([...batchArgs(inDir, out, redis.url, 'failing'), '--shared-fs', '--attempts', '2']));
    const queue = new Queue(queueName('failing'), { connection: { host: '127.0.0.1', port: redis.port } });
    try {
      for (let t = 0; (await queue.getJobCounts('waiting')).waiting < all.length; t += 100) {
        if (t > 60_000) throw new Error(`jobs not queued:\n${producer.stderr}`);
        await sleep(100);
      }
      // --shared-fs: the job carries the file's path, not its bytes
      const job = await queue.getJob(goneSha);
      expect(job?.data.path).toBe(join(inDir, gone));
      expect(job?.data.base64).toBeUndefined();
    } finally {
      await queue.close();
    }
    await unlink(join(inDir, gone));
    await appendFile(join(inDir, changed), '\n附：本报告已更新。\n');
    const w = track(worker(redis.url, 'failing'));
    expect(await producer.exited, producer.stderr).toBe(0);
    expect(producer.stdout).toContain(`${all.length} files, ${all.length} processed, 0 from the ledger, 2 failed`);
    const rows = ledgerRows(out);
    expect(rows).toHaveLength(all.length);
    const byPath = new Map(rows.map((r) => [r.path, r]));
    const goneRow = byPath.get(`shared/${gone}`)!;
    expect(goneRow.error_code).toBe('failed');
    expect(goneRow.error_message).toMatch(/after 2 attempts: .*cannot read .* on this worker \(ENOENT\)/);
    expect(w.lines(/attempt \d+ at .* failed: .*ENOENT/)).toHaveLength(2);
    const changedRow = byPath.get(`shared/${changed}`)!;
    expect(changedRow.error_code).toBe('failed');
    expect(changedRow.error_message).toMatch(/changed after it was queued/);
    expect(rows.filter((r) => r.error_code).map((r) => r.path).sort()).toEqual([`shared/${changed}`, `shared/${gone}`].sort());
  }, 120_000);
});
