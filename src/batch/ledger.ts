import Database from 'better-sqlite3';
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
 * The run ledger (SQLite, WAL). Each entry is committed on its own, so a run killed at any moment keeps
 * every record it finished and none half-written; a re-run asks `get` before doing any work.
 * Several processes may share one ledger (a queue's workers): writes wait for the lock rather than fail.
 */
export class Ledger {
  private db: Database.Database;
  private stmts;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 10000');
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
        VALUES (@sha256, @toolVersion, @path, @processedAt, @durationMs, @errorCode, @errorMessage, @record)`),
      all: this.db.prepare('SELECT * FROM processed ORDER BY path, sha256, tool_version'),
    };
  }

  get(sha256: string, toolVersion: string): LedgerEntry | undefined {
    const row = this.stmts.get.get(sha256, toolVersion) as Row | undefined;
    return row && fromRow(row);
  }

  put(entry: LedgerEntry) {
    this.stmts.put.run({ ...entry, record: JSON.stringify(entry.record) });
  }

  putSkipped(list: { displayPath: string; reason: string }[]) {
    const at = new Date().toISOString();
    this.db.transaction(() => list.forEach((s) => this.stmts.skip.run(s.displayPath, s.reason, at)))();
  }

  skipped(): { displayPath: string; reason: string }[] {
    return (this.stmts.skipped.all() as { path: string; reason: string }[]).map((r) => ({ displayPath: r.path, reason: r.reason }));
  }

  all(): LedgerEntry[] {
    return (this.stmts.all.all() as Row[]).map(fromRow);
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
