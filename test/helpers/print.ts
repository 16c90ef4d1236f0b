import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Arguments for a real headless Chromium to print `html` (a file path) to `pdf`, offline. Each print needs a
 * profile directory of its own: Chromium refuses to share one between running instances.
 */
export function printArgs(html: string, pdf: string, profileDir: string): string[] {
  return [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profileDir}`, '--no-pdf-header-footer',
    `--print-to-pdf=${pdf}`, `file://${html}`,
  ];
}

/** A fresh profile directory under `dir` for one print. */
export const profileIn = (dir: string, name: string) => join(dir, `profile-${name}`);
