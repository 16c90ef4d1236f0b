import { openSqlite, type SqlDatabase, type SqlStatement } from './sqlite.js';
import type { ReportRecord } from '../record/schema.js';

/** One processed file: the record and how it went. Keyed by the file's content and the tool version. */
export interface LedgerEntry {
  sha256: string;
  toolVersion: string;
  /** Display path of the input it was first processed as. */
  path: string;
  /** ISO time it finished. */
  processedAt: string;
  durationMs: number;
  errorCode: string | null;
  errorMessage: string | null;
  record: ReportRecord;
}

/**
 * The run ledger (SQLite). Each entry is committed on its own and synced to disk before the commit returns, so a
 * run killed at any moment keeps every record it finished and none half-written (the next open drops a torn
 * write); a re-run asks `get` before doing any work. WAL on node:sqlite; a rollback journal on the WebAssembly
 * engine (Node 20), which has no shared memory for WAL (it converts a WAL ledger when it opens one): ~1.5 ms a
 * put against ~0.4 (bench/README.md). Other connections (a reader while the batch runs) wait for the lock.
 */
export class Ledger {
  private db: SqlDatabase;
  private stmts: Record<'get' | 'put' | 'all' | 'skip' | 'skipped', SqlStatement>;

  constructor(path: string) {
    this.db = openSqlite(path);
    this.db.exec(`PRAGMA journal_mode = ${this.db.engine === 'wasm' ? 'DELETE' : 'WAL'}`);
    this.db.exec('PRAGMA synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS processed (
      sha256 TEXT NOT NULL,
      tool_version TEXT NOT NULL,
      path TEXT NOT NULL,
      processed_at TEXT NOT NULL,
      duration_ms INTEGER NOT NULL,
      error_code TEXT,
      error_message TEXT,
      record TEXT NOT NULL,
      PRIMARY KEY (sha256, tool_version)
    )`);
    // Files a batch passed over on purpose (hidden, links, kinds it does not read), so the ledger accounts for every file.
    this.db.exec('CREATE TABLE IF NOT EXISTS skipped (path TEXT PRIMARY KEY, reason TEXT NOT NULL, seen_at TEXT NOT NULL)');
    this.stmts = {
      skip: this.db.prepare('INSERT OR REPLACE INTO skipped (path, reason, seen_at) VALUES (?, ?, ?)'),
      skipped: this.db.prepare('SELECT path, reason FROM skipped ORDER BY path'),
      get: this.db.prepare('SELECT * FROM processed WHERE sha256 = ? AND tool_version = ?'),
      put: this.db.prepare(`INSERT OR REPLACE INTO processed
        (sha256, tool_version, path, processed_at, duration_ms, error_code, error_message, record)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
      all: this.db.prepare('SELECT * FROM processed ORDER BY path, sha256, tool_version'),
    };
  }

  get(sha256: string, toolVersion: string): LedgerEntry | undefined {
    const row = this.stmts.get.get(sha256, toolVersion) as Row | undefined;
    return row && fromRow(row);
  }

  put(entry: LedgerEntry) {
    const e = entry;
    this.stmts.put.run(e.sha256, e.toolVersion, e.path, e.processedAt, e.durationMs, e.errorCode, e.errorMessage, JSON.stringify(e.record));
  }

  putSkipped(list: { displayPath: string; reason: string }[]) {
    const at = new Date().toISOString();
    // one transaction: one sync to disk for the whole list
    this.db.exec('BEGIN');
    try {
      for (const s of list) this.stmts.skip.run(s.displayPath, s.reason, at);
      this.db.exec('COMMIT');
    } catch (err) {
      this.db.exec('ROLLBACK');
      throw err;
    }
  }

  skipped(): { displayPath: string; reason: string }[] {
    return (this.stmts.skipped.all() as unknown as { path: string; reason: string }[]).map((r) => ({ displayPath: r.path, reason: r.reason }));
  }

  all(): LedgerEntry[] {
    return (this.stmts.all.all() as unknown as Row[]).map(fromRow);
  }

  close() {
    this.db.close();
  }
}

interface Row {
  sha256: string;
  tool_version: string;
  path: string;
  processed_at: string;
  duration_ms: number;
  error_code: string | null;
  error_message: string | null;
  record: string;
}

const fromRow = (r: Row): LedgerEntry => ({
  sha256: r.sha256,
  toolVersion: r.tool_version,
  path: r.path,
  processedAt: r.processed_at,
  durationMs: r.duration_ms,
  errorCode: r.error_code,
  errorMessage: r.error_message,
  record: JSON.parse(r.record),
});
