import type { Command } from 'commander';
import { recordJsonSchema } from '../record/schema.js';

export function registerSchema(program: Command) {
  program
    .command('schema')
    .description('print the JSON Schema of the record that extract, batch and check write')
    .action(() => {
      process.stdout.write(JSON.stringify(recordJsonSchema(), null, 2) + '\n');
    });
}
