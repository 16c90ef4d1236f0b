import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openSqlite } from '../../src/batch/sqlite.js';

/** A row of a batch's ledger (`OUT/xxgk.sqlite`), as the tests read it behind the batch's back. */
export interface LedgerRow {
  sha256: string;
  path: string;
  processed_at: string;
  error_code: string | null;
  error_message: string | null;
}

/**
 * The ledger's rows by path; none while the batch has not created it yet. `afterKill`: the batch was killed, maybe
 * mid-transaction, so open the ledger as the next run would (clearing the dead writer's lock and rolling back its
 * torn write); a read-only reader could not, and would wait for that lock and find nothing.
 */
export function ledgerRows(out: string, opts: { afterKill?: boolean } = {}): LedgerRow[] {
  const file = join(out, 'xxgk.sqlite');
  if (!existsSync(file)) return [];
  try {
    const db = openSqlite(file, { readOnly: !opts.afterKill });
    try {
      return db.prepare('SELECT sha256, path, processed_at, error_code, error_message FROM processed ORDER BY path').all() as unknown as LedgerRow[];
    } finally {
      db.close();
    }
  } catch {
    return []; // the table is not there yet
  }
}
