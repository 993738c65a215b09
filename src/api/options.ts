import { InputError } from '../errors.js';

/**
 * The library checks what it is given before it uses it: an option of the wrong type (a number
 * for `format`, a string for `creator`) is an InputError naming the function and the option, as the
 * README promises, never a TypeError from somewhere inside. Options not listed are left alone.
 */
export type OptionKind =
  | 'string'
  | 'boolean'
  | 'function'
  | 'strings'
  | 'string-or-strings'
  | 'env'
  /** An ISO 8601 UTC time as the documents write it: `2024-01-01T00:00:00Z`. */
  | 'time'
  | readonly string[];

const DESCRIBE: Record<Exclude<OptionKind, readonly string[]>, string> = {
  string: 'a string',
  boolean: 'true or false',
  function: 'a function',
  strings: 'a list of strings',
  'string-or-strings': 'a string or a list of strings',
  env: 'an object of environment variables (strings)',
  time: "a UTC time like '2024-01-01T00:00:00Z'",
};

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'` : typeof value;
}

const isStrings = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'string');

function fits(kind: OptionKind, value: unknown): boolean {
  if (typeof kind !== 'string') return typeof value === 'string' && (kind as readonly string[]).includes(value);
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'function':
      return typeof value === 'function';
    case 'strings':
      return isStrings(value);
    case 'string-or-strings':
      return typeof value === 'string' || isStrings(value);
    case 'env':
      return (
        value !== null &&
        typeof value === 'object' &&
        !Array.isArray(value) &&
        Object.values(value).every((item) => item === undefined || typeof item === 'string')
      );
    case 'time':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) && !Number.isNaN(Date.parse(value));
  }
}

/** Checks `options` (undefined, or a plain object) against `spec`; an InputError at the first misfit. */
export function checkOptions(fn: string, options: unknown, spec: Record<string, OptionKind>): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InputError(`${fn}: options must be an object, got ${typeName(options)}`);
  }
  for (const [name, kind] of Object.entries(spec)) {
    const value = (options as Record<string, unknown>)[name];
    if (value === undefined || fits(kind, value)) continue;
    const wanted = typeof kind === 'string' ? DESCRIBE[kind as keyof typeof DESCRIBE] : `one of ${(kind as readonly string[]).join(', ')}`;
    throw new InputError(`${fn}: option '${name}' must be ${wanted}, got ${typeName(value)}`);
  }
}

/** Checks a positional argument that names a file or directory. */
export function checkPathArgument(fn: string, what: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') throw new InputError(`${fn}: ${what} must be a non-empty string (a path), got ${typeName(value)}`);
}
