import { InvalidArgumentError, type Command } from 'commander';

/**
 * Option parsers whose refusal commander prints as one line (`error: option '--jobs <n>' argument '0' is
 * invalid. …`) and exit code 1, never as a stack trace.
 */
export const positiveNumber = (v: string) => {
  const n = Number(v);
  if (!(n > 0)) throw new InvalidArgumentError('a positive number is needed / 须为正数');
  return n;
};

export const positiveWhole = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of 1 or more is needed / 须为不小于 1 的整数');
  return n;
};

/** The bilingual "Examples" block at the end of a command's help. */
export function withExamples(cmd: Command, examples: [string, string][]) {
  const width = Math.max(...examples.map(([line]) => line.length));
  return cmd.addHelpText('after', `\nExamples / 示例:\n${examples.map(([line, says]) => `  ${line.padEnd(width)}  # ${says}`).join('\n')}\n`);
}
