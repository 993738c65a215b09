import type { Command } from 'commander';
import { COMPLETION_SHELLS, type CompletionShell, completionScript } from '../util/shell-completion.js';
import { EXIT_OK, InputError } from '../errors.js';
import type { CommandIO } from './io.js';

/** `completion bash|zsh`: prints the completion script for the shell, made from the command tree. */
export async function runCompletion(shell: string, program: Command, io: CommandIO): Promise<number> {
  if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
    throw new InputError(`completion: unknown shell '${shell}' (choose from ${COMPLETION_SHELLS.join(', ')})`);
  }
  io.stdout(completionScript(shell as CompletionShell, program));
  return EXIT_OK;
}
