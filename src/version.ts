import { readFileSync } from 'node:fs';

/** The package version: the ledger keys re-processing on it. */
export const TOOL_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
