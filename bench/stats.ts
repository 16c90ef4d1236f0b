/** Small statistics for the benchmark: medians over repetitions and over documents. */
export function median(values: number[]): number {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
export const mb = (bytes: number) => bytes / (1024 * 1024);
export const now = () => performance.now();

/** A number for a table column: fixed decimals, right-aligned. */
export const fmt = (n: number, digits = 1, width = 7) => (Number.isFinite(n) ? n.toFixed(digits) : '—').padStart(width);

/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => displayWidth(r[c] ?? ''))));
  const cell = (s: string, c: number) => {
    const pad = ' '.repeat(Math.max(0, widths[c] - displayWidth(s)));
    return c === 0 ? s + pad : pad + s;
  };
  const line = (r: string[]) => r.map((s, c) => cell(s.trim(), c)).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Terminal columns: CJK characters take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

export const max = (values: number[]) => values.reduce((a, b) => Math.max(a, b), -Infinity);
