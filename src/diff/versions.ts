import { compare as comparePep440, valid as validPep440 } from '@renovatebot/pep440';
import type { VersionChange } from './types.js';

/**
 * Says whether a version change is an upgrade or a downgrade. PyPI projects follow PEP 440;
 * everything else (expat 2.6.3, libb2 0.98.1, CPython 3.13.0rc1, OpenSSL 3.0.16) is compared as
 * dotted numbers with an optional suffix. Commit ids (hacl-star) carry no order: `changed`.
 */
export function classifyVersionChange(oldVersion: string, newVersion: string, pypi: boolean): VersionChange {
  if (oldVersion === newVersion) throw new Error('classifyVersionChange: versions are equal');
  if (!oldVersion || !newVersion || isCommitId(oldVersion) || isCommitId(newVersion)) return 'changed';
  const order = pypi ? pep440Order(oldVersion, newVersion) ?? dottedOrder(oldVersion, newVersion) : dottedOrder(oldVersion, newVersion);
  if (order === undefined || order === 0) return 'changed';
  return order < 0 ? 'upgrade' : 'downgrade';
}

/** A git commit id (abbreviated or full): hex with at least one letter, so 20240101 stays a number. */
export function isCommitId(version: string): boolean {
  return /^[0-9a-f]{7,64}$/i.test(version) && /[a-f]/i.test(version);
}

function pep440Order(a: string, b: string): number | undefined {
  if (!validPep440(a) || !validPep440(b)) return undefined;
  return comparePep440(a, b);
}

const DOTTED = /^v?(\d+(?:\.\d+)*)(.*)$/i;

/**
 * Dotted numeric comparison (1.10 > 1.9, 2.0 = 2.0.0), then the suffix: none sorts after any
 * pre-release tag (3.13.0rc1 < 3.13.0, semver's 1.0.0-beta < 1.0.0), tags compare numerically
 * where they hold digits (rc2 < rc10). Undefined when either side is not dotted numbers.
 */
export function dottedOrder(a: string, b: string): number | undefined {
  const left = DOTTED.exec(a);
  const right = DOTTED.exec(b);
  if (!left || !right) return undefined;
  const leftParts = (left[1] as string).split('.').map(Number);
  const rightParts = (right[1] as string).split('.').map(Number);
  for (let i = 0; i < Math.max(leftParts.length, rightParts.length); i++) {
    const difference = (leftParts[i] ?? 0) - (rightParts[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  const leftSuffix = (left[2] as string).replace(/^[-_.+]/, '');
  const rightSuffix = (right[2] as string).replace(/^[-_.+]/, '');
  if (leftSuffix === rightSuffix) return 0;
  if (!leftSuffix) return 1;
  if (!rightSuffix) return -1;
  return leftSuffix.localeCompare(rightSuffix, 'en', { numeric: true });
}
