import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { loadRecords, recheck } from '../validate/check.js';

export function registerCheck(program: Command) {
  program
    .command('check')
    .description('re-run the consistency rules on saved records (a record .json, or a .jsonl of records) and print them with fresh findings')
    .argument('<files...>', 'record files (.json or .jsonl)')
    .option('--out <file>', 'write the records to this file instead of standard output')
    .option('--pretty', 'indent the JSON')
    .action(async (files: string[], o: { out?: string; pretty?: boolean }) => {
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
      }
    });
}
