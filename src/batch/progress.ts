import cliProgress from 'cli-progress';

export interface Progress {
  /** One input finished; `failed` when its record has an error. */
  tick(failed: boolean): void;
  stop(): void;
}

export interface ProgressOptions {
  total: number;
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when the stream is not a terminal. */
  every?: number;
}

/** A bar on a terminal; on a pipe or in a log, a plain line every few seconds and one at the end. */
export function createProgress({ total, quiet, stream = process.stdout, every = 5 }: ProgressOptions): Progress {
  if (quiet || total === 0) return { tick() {}, stop() {} };
  let failed = 0;
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{bar} {value}/{total} files | {speed}/s | ETA {eta_formatted} | {failed} failed',
        hideCursor: true,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    const speed = (done: number) => (done / Math.max((Date.now() - started) / 1000, 0.001)).toFixed(2);
    bar.start(total, 0, { failed, speed: '0.00' });
    let done = 0;
    return {
      tick(f) {
        if (f) failed++;
        bar.increment(1, { failed, speed: speed(++done) });
      },
      stop: () => bar.stop(),
    };
  }
  const started = Date.now();
  let done = 0;
  let last = started;
  const line = () => {
    const secs = (Date.now() - started) / 1000;
    const rate = done / Math.max(secs, 0.001);
    const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
    stream.write(`xxgk batch: ${done}/${total} files, ${rate.toFixed(2)}/s, ETA ${eta}s, ${failed} failed\n`);
  };
  return {
    tick(f) {
      done++;
      if (f) failed++;
      if (Date.now() - last >= every * 1000 && done < total) {
        last = Date.now();
        line();
      }
    },
    stop: line,
  };
}
