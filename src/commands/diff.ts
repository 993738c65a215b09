import { diffDocuments, isEmptyDiff } from '../diff/compare.js';
import { failsOn, parseFailOn } from '../diff/fail-on.js';
import { readForDiff } from '../diff/read.js';
import { renderMarkdown } from '../diff/render-markdown.js';
import { renderText } from '../diff/render-text.js';
import { EXIT_FINDING, EXIT_OK, InputError } from '../errors.js';
import type { CommandIO } from './io.js';

/** `diff OLD NEW`: exit 0 when they describe the same packages and files, 1 when they differ. */
export async function runDiff(oldFile: string, newFile: string, options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const format = (options.format as string | undefined) ?? 'text';
  if (!['text', 'json', 'markdown'].includes(format)) throw new InputError(`--format: unknown output format ${format}`);
  const only = options.only as 'packages' | 'files' | undefined;
  if (only !== undefined && only !== 'packages' && only !== 'files') throw new InputError(`--only: expected packages or files, got ${String(only)}`);
  // Parse --fail-on before reading anything, so a typo fails fast.
  const failKinds = parseFailOn(options.failOn as string | undefined);

  const [oldRead, newRead] = await Promise.all([readForDiff(oldFile), readForDiff(newFile)]);
  const { diff, details } = diffDocuments(oldRead, newRead, only ? { only } : {});

  if (format === 'json') io.stdout(`${JSON.stringify(diff, null, 2)}\n`);
  else if (format === 'markdown') io.stdout(renderMarkdown(diff, details));
  else io.stdout(renderText(diff, details, { colour: io.stdoutIsTTY && !io.env.NO_COLOR }));

  if (isEmptyDiff(diff)) return EXIT_OK;
  return failsOn(diff, failKinds) ? EXIT_FINDING : EXIT_OK;
}
