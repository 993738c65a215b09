import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import type { Compression } from '../source/decompress.js';

/**
 * How eagerly V8 recompiles hot functions with its optimizing compiler, for one `generate` run.
 *
 * That compiler runs on a background thread. Where a core is free for it, its work costs the run
 * nothing. Where none is, it competes with the scan: on two cores an xz tarball keeps one core
 * decompressing and the main thread the other, and the compiler's ~0.6 s (python.org profile) to
 * ~1.2 s (complete profile) of CPU a run then lengthens it. On one core everything competes. In
 * those cases a run asks for hot code to run sixteen times longer before it is optimized: fewer,
 * better-informed compilations. Measured on Python-3.13.15.tar.xz, two cores, alternating rounds:
 * complete profile, both JSON formats, 4.29 against 4.72 s of CPU and 2.78 against 2.87 s of
 * wall time; three formats 5.29 against 6.20 s of CPU. With a spare core (a directory or a gzip
 * tarball on two cores) it made runs slower, so those keep V8's default, as does any run with
 * `CPYTHON_SBOM_TIERING=default`. Only how soon code is optimized changes, never what it computes.
 */

/** V8 11's tier-up budget in bytes of bytecode executed (its default is 66 KiB). */
const INTERRUPT_BUDGET = 16 * 66 * 1024;

/**
 * The engines whose flag is known. Later V8 versions replaced the budget with invocation counts, and V8
 * reports a flag it does not know on standard output (where an SBOM may be going), so only the
 * engine measured is tuned.
 */
const TUNED_ENGINE = /^11\.3\./;

export interface TuningInputs {
  /** Cores this process may use. */
  cores: number;
  /** The compression of a tarball being decompressed on a thread of its own; undefined for anything else. */
  compression: Compression | undefined;
}

/** Whether the optimizing compiler would have no core of its own during the scan. */
export function compilerLacksSpareCore({ cores, compression }: TuningInputs): boolean {
  if (cores <= 1) return true;
  return cores === 2 && compression === 'xz';
}

/** Where a run is: its environment (`CPYTHON_SBOM_TIERING`) and V8's version. */
export interface TuningPlace {
  env?: NodeJS.ProcessEnv;
  engine?: string;
}

/** Applies the tuning for this run when it pays (see above); returns whether it did. */
export function tuneOptimizingCompiler(compression: Compression | undefined, { env = process.env, engine = process.versions.v8 }: TuningPlace = {}): boolean {
  if (env.CPYTHON_SBOM_TIERING === 'default' || !TUNED_ENGINE.test(engine)) return false;
  if (!compilerLacksSpareCore({ cores: availableParallelism(), compression })) return false;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  return true;
}
