import type { Command } from 'commander';

export function registerWorker(program: Command) {
  program.command('worker').description('(not yet implemented)').action(() => {
    console.error('xxgk worker: not yet implemented');
    process.exitCode = 2;
  });
}
