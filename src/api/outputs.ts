/**
 * Where `generate`'s documents go, as the CLI decides and writes them: output places planned and
 * checked before the scan (`--output`, `--output FORMAT=FILE`, `--out-dir`), then every file
 * written atomically, all or none.
 */
export { STDOUT, checkOutputsWritable, directoryTargets, makeDirectory, planOutputs, type OutputFlags, type OutputPlan } from '../generate/output-targets.js';
export { writeFilesAtomic, type PendingOutput } from '../util/atomic-write.js';
export { signatureFileName } from '../sign/detached.js';
