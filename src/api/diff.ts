import { diffDocuments, isEmptyDiff } from '../diff/compare.js';
import { type FailOnKind, FAIL_ON_KINDS, failsOn, parseFailOn } from '../diff/fail-on.js';
import { readForDiff } from '../diff/read.js';
import { renderMarkdown } from '../diff/render-markdown.js';
import { renderText } from '../diff/render-text.js';
import type { DiffDetails, SbomDiff } from '../diff/types.js';
import { InputError } from '../errors.js';
import { checkOptions, checkPathArgument } from './options.js';

export type { FailOnKind };

export interface DiffOptions {
  /** Compare only packages or only files. */
  only?: 'packages' | 'files';
  /** Kinds of change that make `fails` true: a list, or the command's comma-separated text. Default `any`. */
  failOn?: string | readonly FailOnKind[];
}

export interface DiffResult {
  /** The contract's JSON shape (what `diff --format json` prints). */
  diff: SbomDiff;
  /** True when both describe the same packages and files. */
  identical: boolean;
  /** True when a change of a `failOn` kind occurred (the command then exits 1). */
  fails: boolean;
  /** What the text and Markdown reports need beyond `diff` (file owners, unchanged counts). */
  details: DiffDetails;
}

/**
 * Compares two SBOMs (paths; any mix of SPDX 2.x JSON and CycloneDX JSON/XML, gzip-compressed or
 * not). Unreadable input throws an InputError.
 */
export async function diff(oldFile: string, newFile: string, options: DiffOptions = {}): Promise<DiffResult> {
  checkPathArgument('diff', 'OLD', oldFile);
  checkPathArgument('diff', 'NEW', newFile);
  checkOptions('diff', options, { only: ['packages', 'files'], failOn: 'string-or-strings' });
  const only = options.only;
  if (only !== undefined && only !== 'packages' && only !== 'files') throw new InputError(`--only: expected packages or files, got ${String(only)}`);
  // Parsed before anything is read, so a typo fails fast.
  const failKinds = typeof options.failOn === 'string' || options.failOn === undefined ? parseFailOn(options.failOn) : parseFailOn(options.failOn.join(','));
  const [oldRead, newRead] = await Promise.all([readForDiff(oldFile), readForDiff(newFile)]);
  const { diff: result, details } = diffDocuments(oldRead, newRead, only ? { only } : {});
  const identical = isEmptyDiff(result);
  return { diff: result, identical, fails: !identical && failsOn(result, failKinds), details };
}

/** The report `diff --format text|markdown|json` prints. */
export function renderDiff(result: DiffResult, format: 'text' | 'markdown' | 'json', options: { colour?: boolean } = {}): string {
  if (format === 'json') return `${JSON.stringify(result.diff, null, 2)}\n`;
  if (format === 'markdown') return renderMarkdown(result.diff, result.details);
  return renderText(result.diff, result.details, { colour: options.colour === true });
}

/** Every kind `failOn` accepts, with what it means. */
export const DIFF_FAIL_ON_KINDS: Readonly<Record<FailOnKind, string>> = FAIL_ON_KINDS;
