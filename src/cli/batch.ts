import type { Command } from 'commander';

export function registerBatch(program: Command) {
  program.command('batch').description('(not yet implemented)').action(() => {
    console.error('xxgk batch: not yet implemented');
    process.exitCode = 2;
  });
}
