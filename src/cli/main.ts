import { Command } from 'commander';
import { TOOL_VERSION } from '../version.js';

type Register = (program: Command) => void;

// Each command's module is loaded only when it runs: a one-file `extract` should not pay for
// the batch's SQLite, the queue's Redis client or the renderer's canvas at start-up.
const COMMANDS: Record<string, () => Promise<Register>> = {
  extract: async () => (await import('./extract.js')).registerExtract,
  check: async () => (await import('./check.js')).registerCheck,
  schema: async () => (await import('./schema.js')).registerSchema,
  batch: async () => (await import('./batch.js')).registerBatch,
  worker: async () => (await import('./worker.js')).registerWorker,
  debug: async () => (await import('./debug.js')).registerDebug,
  serve: async () => (await import('./serve.js')).registerServe,
};

const program = new Command('xxgk')
  .description('Extract and check the tables of 政府信息公开工作年度报告 (PDF, scans, text, HTML)')
  .version(TOOL_VERSION);
const asked = process.argv[2];
const needed = asked && asked in COMMANDS ? [asked] : Object.keys(COMMANDS);
for (const name of needed) (await COMMANDS[name]())(program);
await program.parseAsync(process.argv);
