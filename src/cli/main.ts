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
  .description('Extract and check the tables of 政府信息公开工作年度报告 (PDF, scans, text, HTML)\n提取并核验政府信息公开工作年度报告（PDF、扫描件、文本、HTML）中的表格')
  .version(TOOL_VERSION);
const asked = process.argv[2];
// `--version` needs no command; the overall help lists them all.
const versionOnly = asked === '--version' || asked === '-V';
const needed = asked && asked in COMMANDS ? [asked] : versionOnly ? [] : Object.keys(COMMANDS);
for (const name of needed) (await COMMANDS[name]())(program);
program.addHelpText('after', '\nExample / 示例:\n  xxgk batch reports/ -o results/   # every report under reports/ / 处理 reports/ 下全部报告\n  xxgk <command> --help             # one command\'s options / 查看某命令的选项\n');
try {
  await program.parseAsync(process.argv);
} catch (err) {
  // Our own failures are told in one line; the stack is for a bug report (XXGK_DEBUG=1).
  console.error(`xxgk: ${process.env.XXGK_DEBUG ? ((err as Error).stack ?? err) : ((err as Error).message ?? err)}`);
  process.exitCode = 1;
}
