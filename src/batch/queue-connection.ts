import type { RedisOptions } from 'bullmq';

/** Where the queue lives, from `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS). */
export function redisOptions(url: string): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new QueueUrlError(`--queue ${url}: not a URL; expected redis://HOST:6379`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new QueueUrlError(`--queue ${url}: expected a redis:// or rediss:// URL`);
  if (!u.hostname) throw new QueueUrlError(`--queue ${url}: no host`);
  const db = u.pathname.replace(/^\//, '');
  if (db && !/^\d+$/.test(db)) throw new QueueUrlError(`--queue ${url}: the path must be a database number, not ${db}`);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    // BullMQ's blocking reads must wait out a reconnection rather than fail: commands are held until Redis is back.
    maxRetriesPerRequest: null,
  };
}

export class QueueUrlError extends Error {}

/** The URL without its password, for messages. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}

export interface ConnectionWatchOptions {
  url: string;
  /** Who is talking, for the messages: `xxgk batch`, `xxgk worker`. */
  who: string;
  log: (line: string) => void;
  /** Longest wait between reconnection attempts. */
  maxDelayMs?: number;
}

/**
 * Reports the state of the connection to Redis and paces reconnection. Every BullMQ client of a process
 * shares one watch: an outage is told once when it starts, then every 30 s while it lasts, and once
 * when it ends, however many connections see it.
 */
export class ConnectionWatch {
  /** When the current outage began; undefined while connected. */
  downSince?: number;
  lastError = '';
  private lastTold = 0;

  constructor(private opts: ConnectionWatchOptions) {}

  /** ioredis' retryStrategy: exponential back-off from 0.5 s to maxDelayMs; never gives up by itself. */
  readonly retryStrategy = (times: number): number => {
    const delay = Math.min(500 * 2 ** Math.min(times - 1, 10), this.opts.maxDelayMs ?? 10_000);
    this.down(this.lastError || 'connection closed', delay);
    return delay;
  };

  /** An 'error' event of any client. */
  readonly onError = (err: Error) => {
    this.lastError = describe(err);
    this.down(this.lastError);
  };

  /** Any command that came back: the connection works. */
  up() {
    if (this.downSince === undefined) return;
    const secs = Math.round((Date.now() - this.downSince) / 1000);
    this.downSince = undefined;
    this.lastTold = 0;
    this.opts.log(`${this.opts.who}: connection to Redis at ${shownUrl(this.opts.url)} restored after ${secs} s`);
  }

  /** Seconds the current outage has lasted (0 while connected). */
  downFor(): number {
    return this.downSince === undefined ? 0 : (Date.now() - this.downSince) / 1000;
  }

  options(url = this.opts.url): RedisOptions {
    return { ...redisOptions(url), retryStrategy: this.retryStrategy };
  }

  private down(why: string, retryInMs?: number) {
    const now = Date.now();
    this.downSince ??= now;
    if (now - this.lastTold < 30_000) return;
    this.lastTold = now;
    const retry = retryInMs === undefined ? 'retrying with back-off' : `retrying in ${(retryInMs / 1000).toFixed(1)} s`;
    this.opts.log(`${this.opts.who}: cannot reach Redis at ${shownUrl(this.opts.url)}: ${why}; ${retry}`);
  }
}

function describe(err: Error & { code?: string }): string {
  const agg = err as Error & { errors?: Error[] };
  if (!err.message && agg.errors?.length) return agg.errors.map((e) => e.message).join('; ');
  return err.message || err.code || String(err);
}
