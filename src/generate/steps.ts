import { resolve } from 'node:path';
import { completeSteps } from '../complete/index.js';
import { InputError } from '../errors.js';
import { creatorsStep, driftStep } from '../steps/options.js';
import { pypiStep } from '../steps/pypi.js';
import { SUBJECT_KINDS, SUBJECT_LABELS, type Step, type StepAction, type SubjectKind } from '../steps/types.js';
import { windowsCompleteSteps } from '../windows/complete.js';
import type { Profile } from './profile.js';
import { pushAll } from '../util/arrays.js';

/**
 * What runs after a subject's facts, as data: each profile's steps, and each flag's. A flag
 * whose step does not apply to the subject is refused with one line, never ignored.
 */

const BOTH: readonly SubjectKind[] = SUBJECT_KINDS;

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
    subjects: ['windows-artifact'],
    elsewhere: "it names the source tree of a Windows artifact (python-X.Y.Z-….exe/.zip); for a tree, give it as SOURCE",
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
  { flag: '--creator', option: 'creator', subjects: BOTH, elsewhere: '', step: (value) => creatorsStep(value as string[]) },
  { flag: '--strict', option: 'strict', subjects: BOTH, elsewhere: '' },
  { flag: '--pypi', option: 'pypi', subjects: BOTH, elsewhere: '', step: (_value, context) => pypiStep(context.pypiUrl) },
  {
    flag: '--advisories',
    option: 'advisories',
    subjects: BOTH,
    elsewhere: '',
    // Loaded before the scan, so a bad DIR fails at once; statements from the (source) tree's changelog.
    async step(value, context) {
      const { loadAdvisories } = await import('../vex/advisory-dir.js');
      const { vexStep } = await import('../vex/step.js');
      return vexStep(await loadAdvisories(resolve(context.cwd, value as string)));
    },
  },
];

/** Whether an option was given (an empty list or `false` is not). */
function given(value: unknown): boolean {
  return value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
}

/** Refuses, with one line, the first flag that does not apply to the subject. */
export function refuseFlagsElsewhere(subject: SubjectKind, options: Record<string, unknown>): void {
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
  pushAll(steps, (await flagStep('creator')));
  steps.push({ ...driftStep(options.strict === true), subjects: BOTH });
  pushAll(steps, await flagStep('overlay'));
  pushAll(steps, await flagStep('pypi'));
  // Last: the statements name the components by the purls and refs the document ends up with.
  pushAll(steps, (await flagStep('advisories')));
  return steps;
}
