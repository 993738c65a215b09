import { resolve } from 'node:path';
import type { Finding } from '../detect/types.js';
import { loadSigner } from '../sign/index.js';
import { type CycloneDxVersion, type FileListing, OUTPUT_SUFFIX, type OutputFormat } from '../formats/registry.js';
import type { ScanLimits } from '../source/types.js';
import type { Step, StepContext, SubjectKind } from '../steps/types.js';
import type { GenerateProgress } from './progress.js';
import type { Profile } from './profile.js';
import { isLargeDocument, renderValidated } from './render.js';
import { renderWarmUp } from './warm-up.js';
import { startRenderThreads } from './render-threads.js';
import { refuseFlagsElsewhere, refuseFormatsElsewhere, stepsFor, wantsSha512 } from './steps.js';
import { SUBJECTS, type SubjectFacts, subjectFlags, subjectOf } from './subjects.js';

/**
 * `generate`, top to bottom:
 *
 *     subject facts  (generate/subjects.ts: a source tree or tarball, a Windows artifact)
 *       -> steps     (generate/steps.ts: the profile's, then the flags'; each for the subjects it applies to)
 *       -> render    (formats/registry.ts: every asked-for format)
 *       -> validate  (validate/: the official schema and the semantic checks; an invalid document is never returned)
 *       -> write     (the caller: the CLI writes every output atomically, or none)
 *
 * The steps are chosen before the scan, so the scan keeps the bytes they want, and a flag that
 * does not apply to the subject (or a bad overlay) fails at once.
 */

export interface PipelineOptions {
  profile: Profile;
  /** ISO 8601 creation time. */
  created: string;
  cwd: string;
  /** The subject-dependent flags by their GenerateOptions names (`externals`, `source`, `overlay`, `creator`, `strict`, `pypi`). */
  flags: Record<string, unknown>;
  pypiUrl: string;
  limits?: Partial<ScanLimits>;
  onProgress?: (progress: GenerateProgress) => void;
  /** Steps a library caller runs after all others (`vex` runs its statements step this way). */
  extraSteps?: Step[];
  /** Render on worker threads, started before the scan (default false: measured no faster, and heavier; render-threads.ts). */
  threads?: boolean;
}

/** The document and everything decided on the way to it, before rendering. */
export interface Described extends StepContext {
  sourceKind: SubjectFacts['sourceKind'];
  baseName: string;
}

/** Subject facts, then every step: the model a run renders. */
export async function describe(sourcePath: string, options: PipelineOptions): Promise<Described> {
  const subject: SubjectKind = await subjectOf(sourcePath, options.flags);
  refuseFlagsElsewhere(subject, options.flags, options.profile);
  const steps = [
    ...(await stepsFor(subject, options.profile, options.flags, { sourcePath, cwd: options.cwd, pypiUrl: options.pypiUrl })),
    ...(options.extraSteps ?? []),
  ];

  const sha512 = wantsSha512(options.flags);
  const onProgress = options.onProgress;
  onProgress?.({ phase: 'scan', done: 0, total: 0 });
  const readers = steps.flatMap((step) => (step.reads ? [step.reads] : []));
  const facts = await SUBJECTS[subject]({
    path: sourcePath,
    wants: (path) => steps.some((step) => step.wants(path)),
    ...(readers.length > 0
      ? {
          readContent: {
            wants: (path: string) => readers.some((reader) => reader.wants(path)),
            see: (path: string, bytes: Buffer) => {
              for (const reader of readers) if (reader.wants(path)) reader.see(path, bytes);
            },
          },
        }
      : {}),
    ...subjectFlags(subject, options.flags, sha512),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(onProgress
      ? { onScan: (done: number, total: number) => onProgress({ phase: 'scan', done, total }), onDetect: () => onProgress({ phase: 'detect' }) }
      : {}),
  });
  facts.document.created = options.created;
  const context: Described = { ...facts, subject, notes: [], licenseSources: new Map(), ...(sha512 ? { sha512: true } : {}) };
  for (const step of steps) await step.apply(context);
  return context;
}

export interface PipelineResult {
  /** False when the subject's facts failed a check (`findings`); then nothing is rendered. */
  ok: boolean;
  documents: Partial<Record<OutputFormat, string>>;
  /** With `--sign`: the detached signature of each document that does not carry its own (SPDX, CycloneDX XML). */
  signatures: Partial<Record<OutputFormat, string>>;
  fileNames: Partial<Record<OutputFormat, string>>;
  described: Described;
  findings: Finding[];
}

/** The whole run but writing: describe, then render and validate every format asked for. */
export async function runPipeline(
  sourcePath: string,
  options: PipelineOptions & { formats: readonly OutputFormat[]; cycloneDxVersion: CycloneDxVersion; files?: FileListing },
): Promise<PipelineResult> {
  refuseFormatsElsewhere(options.flags, options.formats);
  // The signing key is read before the scan, so a wrong key or path fails at once.
  const signer = typeof options.flags.sign === 'string' ? await loadSigner(resolve(options.cwd, options.flags.sign)) : undefined;
  // What rendering needs loads while the source is read: in render threads started now, or here (warm-up.ts).
  const threads = options.threads !== true ? undefined : startRenderThreads(options.formats, options.cycloneDxVersion, options.files ?? 'all');
  try {
    const warm = threads ? undefined : renderWarmUp(options.formats, options.cycloneDxVersion, options.files ?? 'all');
    const onProgress = options.onProgress;
    const described = await describe(sourcePath, {
      ...options,
      onProgress: (progress) => {
        if (progress.phase === 'scan' && (progress.done ?? 0) > 0) (threads ?? warm)?.warmUp();
        onProgress?.(progress);
      },
    });
    await warm?.ready();
    if (options.flags.advisories !== undefined && options.formats.some((format) => format.startsWith('spdx'))) {
      described.notes.push('the SPDX documents carry no VEX statements (SPDX 2.3 has no place for them); the CycloneDX documents do');
    }
    const fileNames: Partial<Record<OutputFormat, string>> = {};
    for (const format of options.formats) fileNames[format] = described.baseName + OUTPUT_SUFFIX[format];
    let documents: Partial<Record<OutputFormat, string>> = {};
    let signatures: Partial<Record<OutputFormat, string>> = {};
    const ok = described.findings.length === 0;
    if (ok) {
      const onStep = onProgress ? (phase: 'render' | 'validate', format: OutputFormat) => onProgress({ phase, format }) : undefined;
      // A large tree's formats are rendered one after another in one heap, as memory wants.
      const rendered =
        threads && !isLargeDocument(described.document)
          ? await threads.render(described.document, described.baseName, onStep)
          : await renderValidated({
              document: described.document,
              formats: [...options.formats],
              cycloneDxVersion: options.cycloneDxVersion,
              ...(options.files ? { files: options.files } : {}),
              baseName: described.baseName,
              ...(onStep ? { onStep } : {}),
            });
      for (const [format, text] of rendered) documents[format] = text;
      if (signer) ({ documents, signatures } = signer.sign(documents));
    }
    return { ok, documents, signatures, fileNames, described, findings: described.findings };
  } finally {
    await threads?.close();
  }
}
