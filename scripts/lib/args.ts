// Command-line options of the scripts: node:util parseArgs (unknown options and missing values are
// errors) and number options that reject what is not a number instead of running with NaN.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `argv` (default: the process's) or exits with status 2 and the reason. */
export function parseOptions<O extends Options>(options: O, { positionals = false, argv = process.argv.slice(2) } = {}) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
  } catch (err) {
    usageError((err as Error).message);
  }
}

/**
 * The number given for `--name`, or `fallback` when absent. Refuses text that is not a number, and
 * numbers outside [min, max], not above 0 when `positive`, or not whole when `integer`.
 */
export function numberOption(value: string | undefined, name: string, fallback: number, { min = -Infinity, max = Infinity, integer = false, positive = false } = {}): number {
  if (value === undefined) return fallback;
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (positive && n <= 0) || (integer && !Number.isInteger(n))) {
    const range = `${positive ? 'a positive ' : 'a '}${integer ? 'whole number' : 'number'}${min > -Infinity ? ` ≥ ${min}` : ''}${max < Infinity ? ` ≤ ${max}` : ''}`;
    usageError(`--${name} must be ${range}, not ${JSON.stringify(value)}`);
  }
  return n;
}

export function usageError(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}
