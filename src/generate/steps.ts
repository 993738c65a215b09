import { resolve } from 'node:path';
import { completeSteps } from '../complete/index.js';
import { InputError } from '../errors.js';
import { parseLicenseListVersion } from '../license/list-compat.js';
import { creatorsStep, documentIdentityStep, driftStep, licenseListStep } from '../steps/options.js';
import { pypiStep } from '../steps/pypi.js';
import { SUBJECT_KINDS, SUBJECT_LABELS, type Step, type StepAction, type SubjectKind } from '../steps/types.js';
import { windowsCompleteSteps } from '../windows/complete.js';
import type { Profile } from './profile.js';
import { hashStep, parseHashOption } from './sha512.js';
import { pushAll } from '../util/arrays.js';

/**
 * What runs after a subject's facts, as data: each profile's steps, and each flag's. A flag
 * whose step does not apply to the subject is refused with one line, never ignored.
 */

const ALL: readonly SubjectKind[] = SUBJECT_KINDS;
/** What describes CPython's own sources and artifacts: a tree or tarball, a Windows artifact. */
const BOTH: readonly SubjectKind[] = ['source', 'windows-artifact'];

/**
 * The complete profile's steps and the subjects each applies to. A Windows artifact gets what
 * makes sense for an artifact built from the tree: what its build uses and ships (the Windows
 * steps), licenses of its packages from the tree's evidence, and identity (purls, CPEs, the PSF
 * as manufacturer). It does not get what describes source files it does not contain: the
 * sources' versions, Doc/license.rst attribution, wheel members.
 */
const COMPLETE_SUBJECTS: Record<string, readonly SubjectKind[]> = {
  'windows-build-use': ['windows-artifact'],
  'windows-runtime': ['windows-artifact'],
  'windows-members': ['windows-artifact'],
  'sources-version': ['source'],
  attribution: ['source'],
  wheelMembers: ['source'],
  fileEvidence: ['source'],
  archives: ['source'],
  licenses: BOTH,
  identity: BOTH,
};

function withSubjects(action: StepAction): Step {
  const subjects = COMPLETE_SUBJECTS[action.name];
  if (!subjects) throw new Error(`generate/steps.ts: the complete profile's step '${action.name}' names no subjects`);
  return { ...action, subjects };
}

/** The steps a profile runs, in order. python.org's profile writes the subject's facts as they are. */
export const PROFILE_STEPS: Record<Profile, () => Step[]> = {
  'python.org': () => [],
  complete: () => [...windowsCompleteSteps(), ...completeSteps()].map(withSubjects),
};

/** What a flag's step gets besides the flag's value. */
export interface FlagContext {
  /** The resolved SOURCE. */
  sourcePath: string;
  cwd: string;
  pypiUrl: string;
}

/**
 * Every flag of `generate` that depends on the subject: the subjects it applies to, why it does
 * not apply to the others, and the step it adds (flags that only choose how the subject is read,
 * such as `--externals` and `--source`, add none).
 */
export interface FlagRule {
  flag: string;
  /** Its field in the library's GenerateOptions. */
  option: string;
  subjects: readonly SubjectKind[];
  /** Said when the flag is given for another subject. */
  elsewhere: string;
  step?(value: unknown, context: FlagContext): Promise<StepAction> | StepAction;
}

export const FLAG_RULES: readonly FlagRule[] = [
  {
    flag: '--externals',
    option: 'externals',
    subjects: ['source'],
    elsewhere: "a Windows artifact's SBOM always lists the externals its build downloads",
  },
  {
    flag: '--source',
    option: 'source',
    subjects: ['windows-artifact', 'platform-artifact'],
    elsewhere:
      'it names the source tree of a Windows artifact (python-X.Y.Z-….exe/.zip) or of an Android, iOS or macOS artifact (…-linux-android.tar.gz, …-iOS-XCframework.tar.gz, …-macos11.pkg); for a tree, give it as SOURCE',
  },
  {
    flag: '--overlay',
    option: 'overlay',
    subjects: ['source'],
    elsewhere: 'an overlay describes a patched source tree, not a python.org artifact',
    async step(value, context) {
      const { loadOverlay, overlayStep } = await import('../overlay/index.js');
      return overlayStep(await loadOverlay(value as string, context.sourcePath, context.cwd));
    },
  },
  { flag: '--creator', option: 'creator', subjects: ALL, elsewhere: '', step: (value) => creatorsStep(value as string[]) },
  {
    flag: '--strict',
    option: 'strict',
    subjects: BOTH,
    elsewhere: "a platform build's libraries are read from its recipe alone: there are no vendored sources whose versions could drift",
  },
  {
    flag: '--pypi',
    option: 'pypi',
    subjects: BOTH,
    elsewhere: "a platform build's libraries are C libraries, not PyPI projects",
    step: (_value, context) => pypiStep(context.pypiUrl),
  },
  {
    flag: '--platform',
    option: 'platform',
    subjects: ['source', 'platform'],
    elsewhere: "an artifact's platform follows from its name",
  },
  {
    flag: '--deployment-target',
    option: 'deploymentTarget',
    subjects: ['platform'],
    elsewhere: 'it is an assumption of the macOS recipe: give it with --platform macos',
  },
  {
    flag: '--host',
    option: 'host',
    subjects: ['platform'],
    elsewhere: 'it names the host triple of an Android or iOS build: give it with --platform android|ios',
  },
  {
    flag: '--hash',
    option: 'hash',
    subjects: BOTH,
    elsewhere: 'not yet for platform builds: their readers hash with SHA-1 and SHA-256 only, and a recipe records at most a SHA-256',
    step: (value) => hashStep(parseHashOption(hashValues(value))),
  },
  {
    flag: '--license-list-version',
    option: 'licenseListVersion',
    subjects: ALL,
    elsewhere: '',
    step: (value) => licenseListStep(parseLicenseListVersion(String(value))),
  },
  // Applied to the rendered documents (generate/pipeline.ts): the key is read before the scan.
  { flag: '--sign', option: 'sign', subjects: ALL, elsewhere: '' },
  {
    flag: '--advisories',
    option: 'advisories',
    subjects: BOTH,
    elsewhere: "the statements come from the tree's changelog, which speaks of CPython's code, not of a platform's libraries",
    // Loaded before the scan, so a bad DIR fails at once; statements from the (source) tree's changelog.
    async step(value, context) {
      const { loadAdvisories } = await import('../vex/advisory-dir.js');
      const { vexStep } = await import('../vex/step.js');
      return vexStep(await loadAdvisories(resolve(context.cwd, value as string)));
    },
  },
];

/** `--hash`'s value: repeatable on the command line, a string or a list in the library. */
export function hashValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  throw new InputError('--hash: expected an algorithm name or a list of them (sha512)');
}

/** Whether an option was given (an empty list or `false` is not). */
function given(value: unknown): boolean {
  return value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
}

/** What `--platform` names: the recipe platforms, and Windows (the tree with its externals). */
const PLATFORMS = ['macos', 'android', 'ios', 'windows'];

/** `--hash sha512` given (checked: an unknown algorithm is refused). */
export function wantsSha512(options: Record<string, unknown>): boolean {
  return options.hash !== undefined && parseHashOption(hashValues(options.hash)).includes('sha512');
}

/** Refuses, with one line, a flag a format cannot carry (`--advisories` needs CycloneDX). */
export function refuseFormatsElsewhere(options: Record<string, unknown>, formats: readonly string[]): void {
  if (options.advisories !== undefined && !formats.some((format) => format.startsWith('cyclonedx'))) {
    throw new InputError('--advisories: VEX statements are written in CycloneDX (SPDX has no place for them here); add --format cyclonedx-json');
  }
}

/**
 * Refuses, with one line, the first flag that does not apply to the subject, an unknown
 * `--platform`, and the python.org profile where python.org publishes nothing to reproduce.
 */
export function refuseFlagsElsewhere(subject: SubjectKind, options: Record<string, unknown>, profile?: Profile): void {
  const platform = options.platform;
  if (platform !== undefined && !PLATFORMS.includes(platform as string)) {
    throw new InputError(`--platform: expected ${PLATFORMS.join(', ')}, got ${String(platform)}`);
  }
  if ((subject === 'platform' || subject === 'platform-artifact') && profile === 'python.org') {
    const what = subject === 'platform' ? `the --platform ${String(platform)} build` : 'its Android, iOS or macOS artifacts';
    throw new InputError(`--profile python.org: python.org publishes no SBOM for ${what}, so there are no facts of its to reproduce; use --profile complete`);
  }
  for (const rule of FLAG_RULES) {
    if (given(options[rule.option]) && !rule.subjects.includes(subject)) {
      throw new InputError(`${rule.flag} does not apply to ${SUBJECT_LABELS[subject]}: ${rule.elsewhere}`);
    }
  }
}

/**
 * Every step of a run, in order: the profile's, then the flags' (`--creator`), then how version
 * drift is reported (`--strict`: findings), then what changes the document's identity or asks the
 * network (`--overlay`, `--pypi`), then the VEX statements (`--advisories`). Each is loaded before the scan, so a bad overlay fails at once.
 */
export async function stepsFor(subject: SubjectKind, profile: Profile, options: Record<string, unknown>, context: FlagContext): Promise<Step[]> {
  const steps = PROFILE_STEPS[profile]().filter((step) => step.subjects.includes(subject));
  const flagStep = async (option: string): Promise<Step[]> => {
    const rule = FLAG_RULES.find((candidate) => candidate.option === option) as FlagRule;
    if (!given(options[option]) || !rule.step) return [];
    return [{ ...(await rule.step(options[option], context)), subjects: rule.subjects }];
  };
  pushAll(steps, await flagStep('creator'));
  steps.push({ ...driftStep(options.strict === true), subjects: ALL });
  pushAll(steps, await flagStep('overlay'));
  pushAll(steps, await flagStep('pypi'));
  // Then what rewrites the finished content (digests, license ids), then its identity.
  pushAll(steps, await flagStep('hash'));
  pushAll(steps, await flagStep('licenseListVersion'));
  if (profile === 'complete') steps.push({ ...documentIdentityStep(profile), subjects: BOTH });
  // Last: the statements name the components by the purls and refs the document ends up with.
  pushAll(steps, await flagStep('advisories'));
  return steps;
}
