import { basename, resolve } from 'node:path';
import { openSqlite } from './sqlite.js';
import { z } from 'zod';
import type { Finding } from '../record/schema.js';

/**
 * What reviewers decide, kept in the batch's ledger (xxgk.sqlite) beside the records: a state and note per
 * finding, a correction per cell, and where the batch's inputs were (to show their pages). Reviews are keyed
 * by the report's content hash and the finding's rule and cells, never by a row of `processed`: a new batch
 * over the same files, or a new tool version, finds them again. Everything goes through `SqlDb`, the few
 * calls the ledger's engines (node:sqlite or WASM, src/batch/sqlite.ts) offer.
 */

export type SqlValue = string | number | null;

/** The minimal database handle the review store needs. */
export interface SqlDb {
  /** Runs statements without parameters (the tables' DDL). */
  script(sql: string): void;
  run(sql: string, params?: SqlValue[]): void;
  all<T>(sql: string, params?: SqlValue[]): T[];
  close(): void;
}

/** Opens the ledger file for the review tables (one place to change when the ledger's engine does). */
export function openSqlDb(path: string): SqlDb {
  // The ledger's own engine and journal (see sqlite.ts): the review tables live in the same file.
  const db = openSqlite(path);
  return {
    script: (sql) => db.exec(sql),
    run: (sql, params = []) => db.prepare(sql).run(...params),
    all: <T>(sql: string, params: SqlValue[] = []) => db.prepare(sql).all(...params) as T[],
    close: () => db.close(),
  };
}

export const ReviewStateSchema = z.enum(['confirmed', 'dismissed', 'open']);
export type ReviewState = z.infer<typeof ReviewStateSchema>;
export const REVIEW_STATE_ZH: Record<ReviewState, string> = { confirmed: '已核实', dismissed: '驳回', open: '待审' };

export interface Review {
  sha256: string;
  findingKey: string;
  rule: string;
  keys: string[];
  state: ReviewState;
  note: string;
  /** The finding as it was when reviewed: shown when the finding is gone from a later run. */
  message: string;
  at: string;
}

export interface Correction {
  sha256: string;
  key: string;
  /** The value the reviewer read on the page; null = the cell is blank. The printed text stays in provenance. */
  value: number | null;
  reason: string;
  at: string;
}

/**
 * A finding's identity across runs: its rule and its cells in order. Findings about no cell (a narrative
 * sentence, a missing section) add the sentence they quote, or their message.
 */
export function findingKey(f: Pick<Finding, 'rule' | 'keys' | 'quote' | 'message'>): string {
  return f.keys.length ? `${f.rule}|${f.keys.join(',')}` : `${f.rule}||${f.quote ?? f.message}`;
}

export class ReviewStore {
  constructor(private db: SqlDb) {
    db.script(`CREATE TABLE IF NOT EXISTS finding_reviews (
      sha256 TEXT NOT NULL, finding_key TEXT NOT NULL, rule TEXT NOT NULL, keys TEXT NOT NULL,
      state TEXT NOT NULL, note TEXT NOT NULL, message TEXT NOT NULL, at TEXT NOT NULL,
      PRIMARY KEY (sha256, finding_key))`);
    db.script(`CREATE TABLE IF NOT EXISTS cell_corrections (
      sha256 TEXT NOT NULL, key TEXT NOT NULL, value REAL, reason TEXT NOT NULL, at TEXT NOT NULL,
      PRIMARY KEY (sha256, key))`);
    db.script(`CREATE TABLE IF NOT EXISTS input_roots (
      name TEXT PRIMARY KEY, path TEXT NOT NULL)`);
  }

  static open(ledgerPath: string) {
    return new ReviewStore(openSqlDb(ledgerPath));
  }

  reviews(): Review[] {
    return this.db
      .all<{ sha256: string; finding_key: string; rule: string; keys: string; state: string; note: string; message: string; at: string }>(
        'SELECT * FROM finding_reviews ORDER BY sha256, finding_key',
      )
      .map((r) => ({ sha256: r.sha256, findingKey: r.finding_key, rule: r.rule, keys: JSON.parse(r.keys), state: ReviewStateSchema.parse(r.state), note: r.note, message: r.message, at: r.at }));
  }

  /** Sets a finding's review; state `open` with no note forgets it. */
  putReview(r: Omit<Review, 'at'>, at = new Date().toISOString()) {
    if (r.state === 'open' && !r.note) {
      this.db.run('DELETE FROM finding_reviews WHERE sha256 = ? AND finding_key = ?', [r.sha256, r.findingKey]);
      return;
    }
    this.db.run('INSERT OR REPLACE INTO finding_reviews (sha256, finding_key, rule, keys, state, note, message, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      r.sha256, r.findingKey, r.rule, JSON.stringify(r.keys), r.state, r.note, r.message, at,
    ]);
  }

  corrections(): Correction[] {
    return this.db.all<Correction>('SELECT sha256, key, value, reason, at FROM cell_corrections ORDER BY sha256, key');
  }

  putCorrection(c: Omit<Correction, 'at'>, at = new Date().toISOString()) {
    this.db.run('INSERT OR REPLACE INTO cell_corrections (sha256, key, value, reason, at) VALUES (?, ?, ?, ?, ?)', [c.sha256, c.key, c.value, c.reason, at]);
  }

  removeCorrection(sha256: string, key: string) {
    this.db.run('DELETE FROM cell_corrections WHERE sha256 = ? AND key = ?', [sha256, key]);
  }

  /** The batch's input arguments by the name display paths start with (`reports` of `reports/2023/a.pdf`). */
  inputRoots(): Map<string, string> {
    return new Map(this.db.all<{ name: string; path: string }>('SELECT name, path FROM input_roots').map((r) => [r.name, r.path]));
  }

  rememberInputRoots(paths: string[]) {
    for (const p of paths) {
      const abs = resolve(p);
      this.db.run('INSERT OR REPLACE INTO input_roots (name, path) VALUES (?, ?)', [basename(abs), abs]);
    }
  }

  close() {
    this.db.close();
  }
}
