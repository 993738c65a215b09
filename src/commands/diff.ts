import { InputError } from '../errors.js';
import type { CommandIO } from './io.js';

// Placeholder until the diff command lands; see its issue.
export async function runDiff(oldFile: string, newFile: string, options: Record<string, unknown>, io: CommandIO): Promise<number> {
  void options;
  void io;
  throw new InputError('diff: not implemented yet');
}
