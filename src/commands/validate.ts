import { InputError } from '../errors.js';
import type { CommandIO } from './io.js';

// Placeholder until the validate command lands; see its issue.
export async function runValidate(files: string[], options: Record<string, unknown>, io: CommandIO): Promise<number> {
  void options;
  void io;
  throw new InputError('validate: not implemented yet');
}
