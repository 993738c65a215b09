/** Where a command writes. The CLI passes the process's streams; tests pass buffers. */
export interface CommandIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress lines, colour). */
  stderrIsTTY: boolean;
  /** Whether stdout is a terminal (colour). */
  stdoutIsTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `--quiet`: no warnings, notes, progress or "wrote" lines on stderr; errors and findings still print. */
  quiet?: boolean;
}

export function processIO(): CommandIO {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
    env: process.env,
  };
}

/** An IO that collects output, for tests and library callers. */
export function bufferIO(overrides: Partial<CommandIO> = {}): CommandIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
    stderrIsTTY: false,
    stdoutIsTTY: false,
    cwd: process.cwd(),
    env: process.env,
    ...overrides,
    out: () => out,
    err: () => err,
  };
}
