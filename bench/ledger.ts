import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger, type LedgerEntry } from '../src/batch/ledger.js';
import { hasNodeSqlite } from '../src/batch/sqlite.js';
import { now } from './stats.js';

export interface LedgerFigures {
  engine: 'node:sqlite' | 'wasm';
  entries: number;
  /** Bytes of each entry's record JSON (about a digital report's). */
  recordBytes: number;
  /** One committed, synced `put`: what a batch pays per file. */
  putMs: number;
  /** One `get` of an entry that is there: what a re-run pays per file. */
  getMs: number;
  /** `all()` of every entry, as the outputs are rewritten at the end of a batch. */
  allMs: number;
}

/** The ledger on each engine this Node has, in a fresh temp directory each. */
export async function ledgerFigures(entries: number, record: unknown): Promise<LedgerFigures[]> {
  const engines: LedgerFigures['engine'][] = hasNodeSqlite() ? ['node:sqlite', 'wasm'] : ['wasm'];
  const out: LedgerFigures[] = [];
  for (const engine of engines) {
    const dir = await mkdtemp(join(tmpdir(), 'xxgk-bench-ledger-'));
    const before = process.env.XXGK_SQLITE;
    process.env.XXGK_SQLITE = engine === 'wasm' ? 'wasm' : '';
    try {
      const ledger = new Ledger(join(dir, 'xxgk.sqlite'));
      const entry = (i: number): LedgerEntry => ({
        sha256: i.toString(16).padStart(64, '0'),
        toolVersion: 'bench',
        path: `in/${i}.pdf`,
        processedAt: new Date().toISOString(),
        durationMs: i,
        errorCode: null,
        errorMessage: null,
        record: record as LedgerEntry['record'],
      });
      let t = now();
      for (let i = 0; i < entries; i++) ledger.put(entry(i));
      const putMs = (now() - t) / entries;
      t = now();
      for (let i = 0; i < entries; i++) ledger.get(entry(i).sha256, 'bench');
      const getMs = (now() - t) / entries;
      t = now();
      ledger.all();
      const allMs = now() - t;
      ledger.close();
      out.push({ engine, entries, recordBytes: JSON.stringify(record).length, putMs, getMs, allMs });
    } finally {
      if (before === undefined) delete process.env.XXGK_SQLITE;
      else process.env.XXGK_SQLITE = before;
      await rm(dir, { recursive: true, force: true });
    }
  }
  return out;
}
