import type { Command } from 'commander';

export function registerDebug(program: Command) {
  program.command('debug').description('(not yet implemented)').action(() => {
    console.error('xxgk debug: not yet implemented');
    process.exitCode = 2;
  });
}
