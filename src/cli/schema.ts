import type { Command } from 'commander';
import { recordJsonSchema } from '../record/schema.js';
import { withExamples } from './options.js';

export function registerSchema(program: Command) {
  withExamples(program.command('schema'), [['xxgk schema > record.schema.json', 'for a validator or an editor / 供校验器或编辑器使用']])
    .description('Print the JSON Schema of the record that extract, batch and check write\n输出 extract、batch、check 所写记录的 JSON Schema')
    .action(() => {
      process.stdout.write(JSON.stringify(recordJsonSchema(), null, 2) + '\n');
    });
}
