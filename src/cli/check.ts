import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { loadRecords, recheck } from '../validate/check.js';
import { withExamples } from './options.js';

export function registerCheck(program: Command) {
  withExamples(program.command('check'), [
    ['xxgk check record.json', 'after correcting a number by hand / 手工改正数字后重新检查'],
    ['xxgk check results/records.jsonl --strict -o checked.jsonl', 'exit 1 on any error finding / 有 error 级问题则退出码为 1'],
  ])
    .description('Re-run the consistency rules on saved records (a record .json, or a .jsonl of records) and print them with fresh findings\n对保存的记录（.json 或 .jsonl）重新运行一致性规则，输出带新检查结果的记录')
    .argument('<files...>', 'record files (.json or .jsonl) / 记录文件')
    .option('-o, --out <file>', 'write the records to this file instead of standard output / 写入此文件而非标准输出')
    .option('--pretty', 'indent the JSON / 缩进 JSON')
    .option('--strict', 'exit non-zero when a record has an error finding / 有 error 级检查结果时退出码非零')
    .action(async (files: string[], o: { out?: string; pretty?: boolean; strict?: boolean }) => {
      const all = [];
      let lines = files.length > 1;
      for (const f of files) {
        const loaded = await loadRecords(f);
        for (const p of loaded.problems) console.error(`xxgk check: ${p}`);
        if (loaded.problems.length) process.exitCode = 1;
        lines ||= loaded.lines || loaded.records.length > 1;
        all.push(...loaded.records);
      }
      const checked = recheck(all);
      const indent = o.pretty ? 2 : undefined;
      // One record prints as one JSON object; several as JSONL (or an indented array with --pretty).
      const out = !lines && checked.length === 1
        ? JSON.stringify(checked[0], null, indent) + '\n'
        : o.pretty
          ? JSON.stringify(checked, null, 2) + '\n'
          : checked.map((r) => JSON.stringify(r) + '\n').join('');
      if (o.out) await writeFile(o.out, out);
      else process.stdout.write(out);
      for (const r of checked) {
        const n = (s: string) => r.findings.filter((f) => f.severity === s).length;
        console.error(`${r.file}: ${n('error')} errors, ${n('warning')} warnings, ${n('info')} info`);
        if (o.strict && n('error') > 0) process.exitCode = 1;
      }
    });
}
