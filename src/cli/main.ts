import { Command } from 'commander';
import { registerExtract } from './extract.js';
import { registerCheck } from './check.js';
import { registerSchema } from './schema.js';
import { registerBatch } from './batch.js';
import { registerWorker } from './worker.js';
import { registerDebug } from './debug.js';
import { TOOL_VERSION } from '../version.js';

const program = new Command('xxgk')
  .description('Extract and check the tables of 政府信息公开工作年度报告 (PDF, scans, text, HTML)')
  .version(TOOL_VERSION);
for (const register of [registerExtract, registerCheck, registerSchema, registerBatch, registerWorker, registerDebug]) register(program);
await program.parseAsync(process.argv);
