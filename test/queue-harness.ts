// Shared by the queue tests: a real redis-server on 127.0.0.1, real `xxgk worker` processes, a real producer.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
export const OUTPUTS = ['records.jsonl', 'cells.csv', 'reports.csv', 'findings.csv'];

export const HAVE_REDIS = spawnSync('redis-server', ['--version']).status === 0;
if (!HAVE_REDIS) console.warn('queue tests skipped: redis-server is not installed (apt-get install redis-server; .ci/run does it)');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A throwaway redis-server: no persistence, so a restart starts empty (as a real crash without AOF would). */
export class RedisServer {
  proc?: ChildProcess;
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start() {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const client = new Redis({ host: '127.0.0.1', port: this.port, lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    try {
      for (let i = 0; i < 100; i++) {
        try {
          if ((await client.ping()) === 'PONG') return;
        } catch {
          await sleep(100);
        }
      }
      throw new Error(`redis-server did not start on port ${this.port}`);
    } finally {
      client.disconnect();
    }
  }
  async stop() {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  }
}

/** A CLI process whose stderr lines are kept, and awaited on. */
export class Cli {
  proc: ChildProcess;
  stdout = '';
  stderr = '';
  exited: Promise<number | null>;
  constructor(args: string[]) {
    this.proc = spawn(process.execPath, ['bin/xxgk.mjs', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString('utf8')));
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    this.exited = new Promise((r) => this.proc.once('exit', (code) => r(code)));
  }
  lines(re: RegExp) {
    return this.stderr.split('\n').filter((l) => re.test(l));
  }
  async waitFor(pred: () => boolean, what: string, ms = 60_000) {
    for (let t = 0; t < ms; t += 50) {
      if (pred()) return;
      if (this.proc.exitCode !== null) throw new Error(`exited (${this.proc.exitCode}) while waiting for ${what}:\n${this.stderr}`);
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}:\n${this.stderr}`);
  }
  async kill(sig: NodeJS.Signals = 'SIGKILL') {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    this.proc.kill(sig);
    await this.exited;
  }
}

/** Fast stalled-job handling, so a killed worker's job comes back within seconds. */
export const worker = (url: string, queue: string) =>
  new Cli(['worker', '--queue', url, '--queue-name', queue, '--concurrency', '1', '--lock-duration', '2', '--stalled-interval', '1']);

export const batchArgs = (inDir: string, out: string, url?: string, queue?: string) => [
  'batch',
  inDir,
  '--out',
  out,
  '--no-anomalies',
  '--quiet',
  ...(url ? ['--queue', url, '--queue-name', queue!] : ['--jobs', '2']),
];

/** The digital reports of the corpus (PDF, text, HTML); the scans are left out for time. */
export async function copyCorpus(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = (await readdir(CORPUS)).filter((f) => /\.(pdf|txt|html)$/.test(f) && !f.includes('scan'));
  for (const f of files) await copyFile(join(CORPUS, f), join(dir, f));
  return files;
}

export const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

export { ledgerRows, type LedgerRow } from './helpers/ledger.js';

export async function sameOutputs(a: string, b: string): Promise<string[]> {
  const differ: string[] = [];
  for (const f of OUTPUTS) if (!(await readFile(join(a, f))).equals(await readFile(join(b, f)))) differ.push(f);
  return differ;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
