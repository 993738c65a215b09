import { InputError } from '../errors.js';

/**
 * What a generated document keeps. One scan and one detection serve both; the profile only decides
 * what the model keeps and how writers spell it.
 * - `complete` (default): all third-party code in the source, with licenses, copyrights and evidence.
 * - `python.org`: exactly the facts python.org's release tooling writes for the same input.
 */
export const PROFILES = ['complete', 'python.org'] as const;
export type Profile = (typeof PROFILES)[number];
export const DEFAULT_PROFILE: Profile = 'complete';

export function parseProfile(value: string | undefined): Profile {
  if (value === undefined) return DEFAULT_PROFILE;
  if ((PROFILES as readonly string[]).includes(value)) return value as Profile;
  throw new InputError(`--profile: unknown profile '${value}' (choose from ${PROFILES.join(', ')})`);
}
