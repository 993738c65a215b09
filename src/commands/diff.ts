import { diff, renderDiff } from '../api/diff.js';
import { EXIT_FINDING, EXIT_OK, InputError } from '../errors.js';
import type { CommandIO } from './io.js';

/** `diff OLD NEW`: exit 0 when they describe the same packages and files, 1 when they differ. */
export async function runDiff(oldFile: string, newFile: string, options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const format = (options.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'markdown') throw new InputError(`--format: unknown output format ${format}`);
  const result = await diff(oldFile, newFile, {
    ...(options.only !== undefined ? { only: options.only as 'packages' | 'files' } : {}),
    ...(options.failOn !== undefined ? { failOn: options.failOn as string } : {}),
  });
  io.stdout(renderDiff(result, format, { colour: io.stdoutIsTTY && !io.env.NO_COLOR }));
  return result.fails ? EXIT_FINDING : EXIT_OK;
}
