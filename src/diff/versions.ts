import { compare as comparePep440, explain as explainPep440 } from '@renovatebot/pep440';
import type { VersionChange } from './types.js';

/**
 * Says whether a version change is an upgrade or a downgrade, in the component's own scheme:
 *
 * - PyPI projects (a `pkg:pypi/` purl) follow PEP 440 as PyPI does: `24.0` < `24.0.post1`,
 *   `2.0.0.dev3` < `2.0.0rc1` < `2.0.0`.
 * - Everything else (expat, mimalloc, mpdecimal, libb2, CPython itself, the Windows externals) is
 *   upstream's dotted numbers, written the way the upstream tags them: `R_2_6_3` (expat's tags),
 *   `v2.1.2`, `mpdecimal-4.0.0`, semver's `1.0.0-rc.2`, OpenSSL's letter releases `1.1.1w`. Such
 *   a version is first rewritten into PEP 440 form (tag prefix off, `_` between numbers as `.`,
 *   OpenSSL's letter as a post-release, build metadata `+…` dropped) and then ordered by the same
 *   PEP 440 library, so the release/pre/post/dev order is the one well-tested rule everywhere:
 *   `2.1.2` < `2.1.2.post1`, `3.13.0rc1` < `3.13.0`, `1.1.1` < `1.1.1a` < `1.1.1w`.
 *
 * Commit ids (hacl-star) and versions neither rule can read carry no order: `changed`. So do two
 * spellings of one version (`2.0` and `2.0.0`).
 */
export function classifyVersionChange(oldVersion: string, newVersion: string, pypi: boolean, name = ''): VersionChange {
  if (oldVersion === newVersion) throw new Error('classifyVersionChange: versions are equal');
  const order = versionOrder(oldVersion, newVersion, pypi, name);
  if (order === undefined || order === 0) return 'changed';
  return order < 0 ? 'upgrade' : 'downgrade';
}

/**
 * Orders two versions of one component (negative: `a` is older), or undefined when either has no
 * order (empty, a commit id, an unreadable scheme).
 */
export function versionOrder(a: string, b: string, pypi: boolean, name = ''): number | undefined {
  if (!a || !b || isCommitId(a) || isCommitId(b)) return undefined;
  const left = pypi ? (pep440Form(a) ?? upstreamAsPep440(a, name)) : upstreamAsPep440(a, name);
  const right = pypi ? (pep440Form(b) ?? upstreamAsPep440(b, name)) : upstreamAsPep440(b, name);
  if (left === undefined || right === undefined) return undefined;
  return Math.sign(comparePep440(left, right));
}

/** A git commit id (abbreviated or full): hex with at least one letter, so 20240101 stays a number. */
export function isCommitId(version: string): boolean {
  return /^[0-9a-f]{7,64}$/i.test(version) && /[a-f]/i.test(version);
}

/** Longest version text handed to the PEP 440 parser; real ones are under 40 characters. */
const MAX_VERSION_LENGTH = 128;

function pep440Form(version: string): string | undefined {
  if (version.length > MAX_VERSION_LENGTH) return undefined;
  return explainPep440(version) ? version : undefined;
}

/** `R_`, `v`, `release-`, `rel_`: a tag's word before the first number. */
const TAG_PREFIX = /^[A-Za-z]{1,16}[-_]?(?=\d)/;
/** `2_6_3` (expat's tags): numbers joined by underscores, and nothing else. */
const UNDERSCORED = /^\d{1,9}(?:_\d{1,9}){1,8}$/;
/** `1.1.1w`: OpenSSL 1.x's letter releases, which come after `1.1.1`. */
const LETTER_RELEASE = /^(\d{1,9}(?:\.\d{1,9}){0,8})([a-z])$/;

/**
 * Rewrites an upstream (non-PyPI) version into a PEP 440 version that orders the same way, or
 * undefined when it cannot be read as numbers with pre/post/dev tags.
 */
export function upstreamAsPep440(version: string, name = ''): string | undefined {
  if (version.length > MAX_VERSION_LENGTH) return undefined;
  let text = version.trim();
  // `expat-2.6.3`, `mpdecimal-4.0.0`: the project's own name in front of the number.
  const lowerName = name.toLowerCase();
  if (lowerName && text.toLowerCase().startsWith(`${lowerName}-`) && /^\d/.test(text.slice(lowerName.length + 1))) {
    text = text.slice(lowerName.length + 1);
  }
  text = text.replace(TAG_PREFIX, '');
  // Build metadata (semver `+build.5`) says nothing about order.
  const plus = text.indexOf('+');
  if (plus >= 0) text = text.slice(0, plus);
  if (UNDERSCORED.test(text)) text = text.replaceAll('_', '.');
  const letter = LETTER_RELEASE.exec(text);
  if (letter) text = `${letter[1]}.post${(letter[2] as string).charCodeAt(0) - 96}`;
  return pep440Form(text);
}
