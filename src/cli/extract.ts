import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { extractFile } from '../pipeline/index.js';
import { releaseOcr } from '../extract/pdf-reading.js';

export function registerExtract(program: Command) {
  program
    .command('extract')
    .description('read one report (PDF, scan, .txt, .html) into a JSON record')
    .argument('<file>', 'the report')
    .option('--out <file>', 'write the record to this file instead of standard output')
    .option('--pretty', 'indent the JSON')
    .option('--no-ocr', 'do not OCR image-only pages')
    .action(async (file: string, o: { out?: string; pretty?: boolean; ocr: boolean }) => {
      const record = await extractFile(file, { ocr: o.ocr });
      await releaseOcr();
      const json = JSON.stringify(record, null, o.pretty ? 2 : undefined) + '\n';
      if (o.out) await writeFile(o.out, json);
      else process.stdout.write(json);
      if (record.error) {
        console.error(`xxgk extract: ${file}: ${record.error.message} (${record.error.code})`);
        process.exitCode = 1;
      }
    });
}
