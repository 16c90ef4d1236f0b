import { createRequire } from 'node:module';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * SQLite with nothing to compile: Node's own `node:sqlite` where the running Node has it (22.13+, 23.4+, 24),
 * else the WebAssembly build `node-sqlite3-wasm`, which reads and writes the file itself (Node 20).
 * Both engines write the same file format, so a results directory moves between Node versions.
 */
export interface SqlStatement {
  get(...params: SqlValue[]): Record<string, unknown> | undefined;
  all(...params: SqlValue[]): Record<string, unknown>[];
  run(...params: SqlValue[]): void;
}

export type SqlValue = string | number | null;

export interface SqlDatabase {
  /** Which engine opened it, for the benchmark and error messages. */
  readonly engine: 'node:sqlite' | 'wasm';
  exec: (sql: string) => void;
  /** Positional (`?`) parameters only: the two engines name parameters differently. */
  prepare(sql: string): SqlStatement;
  close(): void;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** How long a write waits for another connection's lock before it fails. */
  busyTimeoutMs?: number;
}

export const sqliteSettings = {
  busyTimeoutMs: 10_000,
  /**
   * The WebAssembly engine locks by creating `FILE.lock` (a directory) for each transaction, which a killed process
   * leaves behind. None of our transactions lasts near this long, so a lock older than this is a dead one.
   */
  staleLockMs: 30_000,
};

const require = createRequire(import.meta.url);

/** The part of `node:sqlite` we use (its types are not in @types/node 20). */
interface NodeSqlite {
  DatabaseSync: new (
    path: string,
    opts: { readOnly: boolean },
  ) => {
    exec: (sql: string) => void;
    prepare(sql: string): { get(...p: SqlValue[]): unknown; all(...p: SqlValue[]): unknown[]; run(...p: SqlValue[]): unknown };
    close(): void;
  };
}

/** `node:sqlite` if this Node has it unflagged; quiet about its "experimental" warning, which is not the user's business. */
function nodeSqlite(): NodeSqlite | undefined {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SQLite/i.test(text)) return;
    return (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return require('node:sqlite') as NodeSqlite;
  } catch {
    return undefined;
  } finally {
    process.emitWarning = emit;
  }
}

let native: NodeSqlite | null | undefined;

/** Whether this Node has `node:sqlite` (22.13+), which openSqlite then prefers. */
export function hasNodeSqlite() {
  if (native === undefined) native = nodeSqlite() ?? null;
  return native !== null;
}

/**
 * Opens (and for writing creates) the database at `path` with the best engine this Node offers;
 * XXGK_SQLITE=wasm asks for the WebAssembly one (to test it, or to work around a bad node:sqlite).
 */
export function openSqlite(path: string, opts: OpenOptions = {}): SqlDatabase {
  const db = hasNodeSqlite() && native && process.env.XXGK_SQLITE !== 'wasm' ? openNative(native, path, opts) : openWasm(path, opts);
  db.exec(`PRAGMA busy_timeout = ${opts.busyTimeoutMs ?? sqliteSettings.busyTimeoutMs}`);
  return db;
}

function openNative(sqlite: NodeSqlite, path: string, opts: OpenOptions): SqlDatabase {
  const db = new sqlite.DatabaseSync(path, { readOnly: opts.readOnly ?? false });
  return {
    engine: 'node:sqlite',
    exec: (sql) => db.exec(sql),
    prepare(sql) {
      const st = db.prepare(sql);
      return {
        get: (...p) => st.get(...p) as Record<string, unknown> | undefined,
        all: (...p) => st.all(...p) as Record<string, unknown>[],
        run: (...p) => void st.run(...p),
      };
    },
    close: () => db.close(),
  };
}

function openWasm(path: string, opts: OpenOptions): SqlDatabase {
  const { Database } = require('node-sqlite3-wasm') as typeof import('node-sqlite3-wasm');
  if (!opts.readOnly) clearDeadLock(path);
  const db = new Database(path, { readOnly: opts.readOnly ?? false });
  // every connection takes the same lock (a directory, read or write), so readers are users too
  const registered = registerUser(path, opts.readOnly ?? false);
  if (!opts.readOnly) {
    // A WAL file (a ledger from an earlier version, or Node 22+) needs shared memory this engine lacks, except
    // under an exclusive lock: take one just long enough to turn it into a rollback-journal file.
    if (inWalMode(path)) db.exec('PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = DELETE; PRAGMA locking_mode = NORMAL');
  }
  const statements: import('node-sqlite3-wasm').Statement[] = [];
  return {
    engine: 'wasm',
    exec: (sql) => db.exec(sql),
    prepare(sql) {
      const st = db.prepare(sql);
      statements.push(st);
      return {
        get: (...p) => (st.get(p) ?? undefined) as Record<string, unknown> | undefined,
        all: (...p) => st.all(p) as Record<string, unknown>[],
        run: (...p) => void st.run(p),
      };
    },
    close() {
      for (const st of statements) if (!st.isFinalized) st.finalize();
      db.close();
      if (registered) unregisterUser(path);
    },
  };
}

/** The header's read and write versions are 2 in a WAL database (sqlite.org/fileformat.html, offsets 18 and 19). */
function inWalMode(path: string) {
  if (!existsSync(path) || statSync(path).size < 100) return false;
  const header = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  return header[18] === 2 && header[19] === 2;
}

/**
 * The processes that have the file open, one empty file per pid in `FILE.users/`. A process may open it more than
 * once (the batch's ledger and its review tables): its entry goes when its last connection closes. A reader that
 * cannot write beside the file (a read-only folder) goes unregistered; a lock it leaves is cleared by age only.
 */
const usersDir = (path: string) => `${path}.users`;
const openHere = new Map<string, number>();

function registerUser(path: string, readOnly: boolean): boolean {
  try {
    mkdirSync(usersDir(path), { recursive: true });
    writeFileSync(join(usersDir(path), String(process.pid)), '');
  } catch (err) {
    if (readOnly) return false;
    throw err;
  }
  openHere.set(path, (openHere.get(path) ?? 0) + 1);
  return true;
}

function unregisterUser(path: string) {
  const n = (openHere.get(path) ?? 1) - 1;
  if (n > 0) return void openHere.set(path, n);
  openHere.delete(path);
  rmSync(join(usersDir(path), String(process.pid)), { force: true });
  try {
    rmdirSync(usersDir(path)); // the last user out leaves nothing behind
  } catch {
    // another process still has the file open
  }
}

/**
 * A lock left by a writer that was killed mid-transaction would make every later open wait and fail. It is dead
 * when no other process that has the file open is alive (our own transactions never span an open:
 * they are synchronous), or when it is older than any transaction of ours.
 */
function clearDeadLock(path: string) {
  const lock = `${path}.lock`;
  if (!existsSync(lock)) return;
  const others = existsSync(usersDir(path)) ? readdirSync(usersDir(path)).map(Number).filter((pid) => Number.isInteger(pid) && pid !== process.pid) : [];
  const dead = others.filter((pid) => !alive(pid));
  for (const pid of dead) rmSync(join(usersDir(path), String(pid)), { force: true });
  const old = Date.now() - statSync(lock).mtimeMs > sqliteSettings.staleLockMs;
  if (dead.length === others.length || old) rmSync(lock, { recursive: true, force: true });
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
