import { InputError } from '../errors.js';
import type { CommandIO } from './io.js';

// Placeholder until the regen command lands; see its issue.
export async function runRegen(checkout: string, options: Record<string, unknown>, io: CommandIO): Promise<number> {
  void options;
  void io;
  throw new InputError('regen: not implemented yet');
}
