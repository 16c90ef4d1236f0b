import cliProgress from 'cli-progress';

export interface Progress {
  /** One input finished; `failed` when its record has an error, `fromLedger` when no work was done for it. */
  tick(failed: boolean, fromLedger?: boolean): void;
  /** The files are done; `next` says what the batch does now (a slow step the user would otherwise wait on in silence). */
  stop(next?: string): void;
}

export interface ProgressOptions {
  total: number;
  quiet?: boolean;
  /** Standard error by default: standard output is for results. */
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when the stream is not a terminal. */
  every?: number;
}

/**
 * A bar on a terminal; on a pipe or in a log, a plain line every few seconds and one at the end. The rate counts
 * only files processed now: those served from the ledger cost nothing and would make it absurd (1000/s).
 */
export function createProgress({ total, quiet, stream = process.stderr, every = 5 }: ProgressOptions): Progress {
  if (quiet || total === 0) return { tick() {}, stop() {} };
  const started = Date.now();
  const count = { done: 0, failed: 0, ledger: 0 };
  const rate = () => {
    const worked = count.done - count.ledger;
    return worked > 0 ? `${(worked / Math.max((Date.now() - started) / 1000, 0.001)).toFixed(2)}/s` : '—';
  };
  const eta = () => {
    const worked = count.done - count.ledger;
    return worked > 0 ? Math.round(((total - count.done) * (Date.now() - started)) / 1000 / worked) : 0;
  };
  const ledgerNote = () => (count.ledger ? `, ${count.ledger} from the ledger` : '');
  const tell = (next?: string) => next && stream.write(`xxgk batch: ${next}\n`);
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{bar} {value}/{total} files{ledger} | {speed} | ETA {eta_formatted} | {failed} failed',
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { failed: 0, speed: '—', ledger: '' });
    return {
      tick(f, fromLedger) {
        count.done++;
        if (f) count.failed++;
        if (fromLedger) count.ledger++;
        bar.increment(1, { failed: count.failed, speed: rate(), ledger: ledgerNote() });
      },
      stop(next) {
        bar.stop();
        tell(next);
      },
    };
  }
  let last = started;
  const line = () => stream.write(`xxgk batch: ${count.done}/${total} files${ledgerNote()}, ${rate()}, ETA ${eta()}s, ${count.failed} failed\n`);
  return {
    tick(f, fromLedger) {
      count.done++;
      if (f) count.failed++;
      if (fromLedger) count.ledger++;
      if (Date.now() - last >= every * 1000 && count.done < total) {
        last = Date.now();
        line();
      }
    },
    stop(next) {
      line();
      tell(next);
    },
  };
}
