// Parsers for the command line's option values: each rejects a bad value with a message that
// commander prints after the option's name ("option '--top <k>' argument 'x' is invalid. …").
import { InvalidArgumentError } from 'commander';

function numberWhere(check: (n: number) => boolean, what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !check(n)) throw new InvalidArgumentError(`must be ${what}.`);
    return n;
  };
}

export const positiveInt = numberWhere((n) => Number.isInteger(n) && n > 0, 'a positive integer');
export const nonNegativeInt = numberWhere(
  (n) => Number.isInteger(n) && n >= 0,
  'a non-negative integer',
);
export const positiveNumber = numberWhere((n) => n > 0 && Number.isFinite(n), 'a positive number');
export const fraction = numberWhere((n) => n > 0 && n <= 1, 'in (0, 1]');
export const share = numberWhere((n) => n >= 0 && n <= 1, 'in [0, 1]');

/** A comma-separated list of non-empty names ("a,b , c" → ["a", "b", "c"]). */
export function nameList(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length === 0) throw new InvalidArgumentError('must name at least one class.');
  if (new Set(names).size !== names.length) throw new InvalidArgumentError('names a class twice.');
  return names;
}

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
