import type { Command } from 'commander';
import { stat, writeFile } from 'node:fs/promises';
import { extractFile } from '../pipeline/index.js';
import { releaseOcr } from '../extract/pdf-reading.js';
import { withExamples } from './options.js';

export function registerExtract(program: Command) {
  withExamples(program.command('extract'), [
    ['xxgk extract report.pdf --pretty', 'the record on standard output / 记录输出到标准输出'],
    ['xxgk extract report.pdf -o record.json', 'the record into a file / 记录写入文件'],
  ])
    .description('Read one report (PDF, scan, .txt, .html) into a JSON record\n把一份报告（PDF、扫描件、.txt、.html）读成 JSON 记录')
    .argument('<file>', 'the report / 报告文件')
    .option('-o, --out <file>', 'write the record to this file instead of standard output / 写入此文件而非标准输出')
    .option('--pretty', 'indent the JSON / 缩进 JSON')
    .option('--no-ocr', 'do not OCR image-only pages / 不对纯图像页做 OCR')
    .action(async (file: string, o: { out?: string; pretty?: boolean; ocr: boolean }) => {
      // A directory is a batch's input, not a report: said before anything is read or written.
      if ((await stat(file).catch(() => null))?.isDirectory()) {
        console.error(`xxgk extract: ${file} is a directory; extract reads one report / 这是目录，extract 只读一份报告. For every report under it / 处理目录下全部报告: xxgk batch ${file} -o results`);
        process.exitCode = 1;
        return;
      }
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
