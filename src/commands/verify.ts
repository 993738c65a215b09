import { InputError } from '../errors.js';
import type { CommandIO } from './io.js';

// Placeholder until the verify command lands; see its issue.
export async function runVerify(sbom: string, source: string, options: Record<string, unknown>, io: CommandIO): Promise<number> {
  void options;
  void io;
  throw new InputError('verify: not implemented yet');
}
