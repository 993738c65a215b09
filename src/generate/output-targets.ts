import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';
import { OUTPUT_FORMATS, OUTPUT_SUFFIX, type OutputFormat, parseFormats } from '../formats/registry.js';

/**
 * Where `generate` writes, decided and checked before the scan: a typo'd or read-only output
 * place fails in a moment, not after seconds of hashing.
 *
 * - `--output FILE` (one format; `-` is standard output);
 * - `--output FORMAT=FILE`, repeatable, as syft has it: each format to its own place;
 * - `--out-dir DIR`, or neither: one file per format, named after the artifact.
 */

/** `FORMAT=-` or plain `-`: standard output. */
export const STDOUT = '-';

export type OutputPlan =
  /** Each format to a given place (absolute path or `-`). */
  | { kind: 'files'; formats: OutputFormat[]; targets: { format: OutputFormat; path: string }[] }
  /** One file per format in `dir`; undefined `dir`: beside a tarball, or the working directory. */
  | { kind: 'directory'; formats: OutputFormat[]; dir: string | undefined };

export interface OutputFlags {
  format?: string;
  output?: string | string[];
  outDir?: string;
}

const FORMAT_ASSIGNMENT = new RegExp(`^(${OUTPUT_FORMATS.join('|')})=(.+)$`);
/**
 * `WORD=…` where WORD could be meant as a format (letters, digits, dashes; no path characters):
 * `spdx=foo.json` is a mistyped format, never a file to be named `spdx=foo.json`.
 */
const LOOKS_LIKE_ASSIGNMENT = /^([A-Za-z][A-Za-z0-9-]{0,31})=/;

/** A mistyped FORMAT=FILE is a usage error; `./name=with=equals` still names such a file. */
function refuseUnknownAssignment(value: string): void {
  const word = LOOKS_LIKE_ASSIGNMENT.exec(value)?.[1];
  if (word === undefined || (OUTPUT_FORMATS as readonly string[]).includes(word)) return;
  throw new InputError(
    `--output ${value}: unknown format '${word}' (choose from ${OUTPUT_FORMATS.join(', ')}); ` + `for a file whose name holds '=', write ./${value}`,
  );
}

/** Reads the output flags into a plan; usage mistakes are InputErrors (exit 2). */
export function planOutputs(flags: OutputFlags, cwd: string): OutputPlan {
  const outputs = flags.output === undefined ? [] : Array.isArray(flags.output) ? flags.output : [flags.output];
  if (outputs.length > 0 && flags.outDir !== undefined) throw new InputError('--output and --out-dir cannot be used together');
  if (outputs.length === 0) {
    const formats = parseFormats(flags.format ?? 'spdx-json');
    return { kind: 'directory', formats, dir: flags.outDir === undefined ? undefined : resolve(cwd, flags.outDir) };
  }
  for (const value of outputs) refuseUnknownAssignment(value);
  const assigned = outputs.map((value) => FORMAT_ASSIGNMENT.exec(value));
  if (assigned.every((match) => match === null)) {
    if (outputs.length > 1) throw new InputError('--output FILE can be given once; use --output FORMAT=FILE for several outputs');
    const formats = parseFormats(flags.format ?? 'spdx-json');
    if (formats.length !== 1) {
      throw new InputError(`--output takes exactly one format, got ${formats.length} (use --out-dir or --output FORMAT=FILE for several)`);
    }
    return { kind: 'files', formats, targets: [{ format: formats[0] as OutputFormat, path: placeOf(outputs[0] as string, cwd) }] };
  }
  const plain = outputs.find((_, index) => assigned[index] === null);
  if (plain !== undefined) throw new InputError(`--output ${plain}: name its format (FORMAT=FILE) when several outputs are given`);
  const targets: { format: OutputFormat; path: string }[] = [];
  for (const match of assigned) {
    const format = (match as RegExpExecArray)[1] as OutputFormat;
    const path = placeOf((match as RegExpExecArray)[2] as string, cwd);
    if (targets.some((target) => target.format === format)) throw new InputError(`--output: ${format} is given twice`);
    if (targets.some((target) => target.path === path)) {
      throw new InputError(`--output: ${path === STDOUT ? 'standard output' : path} is given for two formats`);
    }
    targets.push({ format, path });
  }
  const formats = targets.map((target) => target.format);
  if (flags.format !== undefined) {
    const listed = parseFormats(flags.format);
    if (listed.length !== formats.length || listed.some((format) => !formats.includes(format))) {
      throw new InputError(`--format ${flags.format} does not match the formats of --output (${formats.join(', ')}); give either`);
    }
  }
  return { kind: 'files', formats, targets };
}

function placeOf(value: string, cwd: string): string {
  return value === STDOUT ? STDOUT : resolve(cwd, value);
}

/**
 * Fails fast when an output place cannot be written: `--output FILE` needs an existing directory
 * and must not be a directory itself; `--out-dir DIR` needs DIR, or the nearest existing directory
 * above it, to accept new files. Each directory is tested by creating and removing an empty file:
 * permission bits do not tell about read-only mounts, root, or pseudo filesystems like /proc.
 */
export async function checkOutputsWritable(plan: OutputPlan, source: string, cwd: string): Promise<void> {
  if (plan.kind === 'files') {
    for (const { path } of plan.targets) {
      if (path === STDOUT) continue;
      const existing = await statOrUndefined(path, `cannot write ${path}`);
      if (existing?.isDirectory()) throw new InputError(`cannot write ${path}: is a directory`);
      // A device, FIFO or socket (`/dev/null`, a named pipe) is written in place, not replaced
      // through a sibling: nothing is created beside it, so there is no directory to probe.
      if (existing && !existing.isFile()) continue;
      const parent = await statOrUndefined(dirname(path), `cannot write ${path}`);
      if (!parent) throw new InputError(`cannot write ${path}: ${dirname(path)}: no such directory`);
      if (!parent.isDirectory()) throw new InputError(`cannot write ${path}: ${dirname(path)} is not a directory`);
      await probeDirectory(dirname(path), `cannot write ${path}`);
    }
    return;
  }
  if (plan.dir === undefined) {
    // Beside a tarball, or in the working directory for a tree.
    const info = await stat(source).catch(() => undefined);
    const dir = info?.isFile() ? dirname(source) : cwd;
    await probeDirectory(dir, `cannot write into ${dir}`);
    return;
  }
  let current = plan.dir;
  for (;;) {
    const info = await statOrUndefined(current, `cannot write into ${plan.dir}`);
    if (info) {
      if (!info.isDirectory()) throw new InputError(`cannot write into ${plan.dir}: ${current} is not a directory`);
      break;
    }
    const parent = dirname(current);
    if (parent === current) throw new InputError(`cannot write into ${plan.dir}: no existing directory above it`);
    current = parent;
  }
  await probeDirectory(current, `cannot write into ${plan.dir}`);
}

async function statOrUndefined(path: string, label: string) {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a file stands where a directory of the path should be; the caller says which.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new InputError(`${label}: ${describeSystemError(error, path)}`);
  }
}

async function probeDirectory(dir: string, label: string): Promise<void> {
  const probe = join(dir, `.cpython-sbom-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  let handle;
  try {
    handle = await open(probe, 'wx');
  } catch (error) {
    throw new InputError(`${label}: cannot create files in ${describeSystemError(error, dir)}`);
  }
  await handle.close();
  await rm(probe, { force: true });
}

/** The files of a directory plan, once the artifact's name (and so each file's) is known. */
export function directoryTargets(
  plan: Extract<OutputPlan, { kind: 'directory' }>,
  fileNames: Partial<Record<OutputFormat, string>>,
  source: { kind: 'directory' | 'tarball' | 'windows-artifact' | 'platform-artifact'; path: string },
  cwd: string,
): { format: OutputFormat; path: string }[] {
  // Beside a tarball or artifact; in the working directory for a tree.
  const dir = plan.dir ?? (source.kind === 'directory' ? cwd : dirname(source.path));
  return plan.formats.map((format) => ({ format, path: join(dir, fileNames[format] ?? OUTPUT_SUFFIX[format]) }));
}

/**
 * Creates DIR and its missing parents one level at a time. Node's `mkdir(…, {recursive: true})`
 * never returns for a path under /proc (it retries the parent forever), so it is not used here.
 */
export async function makeDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = resolve(dir);
  while ((await stat(current).catch(() => undefined)) === undefined) {
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const path of missing) {
    await mkdir(path).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new InputError(`cannot create ${describeSystemError(error, path)}`);
    });
  }
}
