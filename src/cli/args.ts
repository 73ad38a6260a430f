import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Exit statuses: 0 ok, 1 findings or conflicts, 2 usage. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A mistake in how the command was called: printed with the command's usage, exit 2. */
export class UsageError extends Error {}

/** A failure that is the user's data rather than a bug (missing file …): message only, exit 2. */
export class InputError extends Error {}

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** `util.parseArgs` with strict checking; its errors become UsageErrors. `--help`/`-h` is always accepted. */
export function parse(argv: string[], options: Options): Parsed {
  try {
    const r = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function str(p: Parsed, key: string): string | undefined {
  const v = p.values[key];
  return typeof v === 'string' ? v : undefined;
}

export function flag(p: Parsed, key: string): boolean {
  return p.values[key] === true;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T {
  if (value === undefined) throw new UsageError(`${what} is required (one of: ${allowed.join(', ')})`);
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${what} must be one of: ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

export function positiveInt(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${what} must be a non-negative integer (got "${value}")`);
  return n;
}
