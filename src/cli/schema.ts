import type { Command } from 'commander';

export function registerSchema(program: Command) {
  program.command('schema').description('(not yet implemented)').action(() => {
    console.error('xxgk schema: not yet implemented');
    process.exitCode = 2;
  });
}
