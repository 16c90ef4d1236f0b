import type { Command } from 'commander';

export function registerCheck(program: Command) {
  program.command('check').description('(not yet implemented)').action(() => {
    console.error('xxgk check: not yet implemented');
    process.exitCode = 2;
  });
}
