import type { CompleteContext, CompleteStep } from '../complete/index.js';
import type { AdvisorySet } from './advisory-dir.js';
import { NewsIndex, isNewsPath } from './news.js';
import { type VexOutcome, vexStatements } from './statements.js';
import { pushAll } from '../util/arrays.js';

/**
 * The tree's changelog, from the files a scan kept: Misc/NEWS first (newest release first), then
 * Misc/NEWS.d's release files and unreleased entries in path order. Bytes are UTF-8 (blurb writes
 * UTF-8); a stray invalid byte becomes U+FFFD, which no issue number contains.
 */
export function newsIndexOf(paths: Iterable<string>, content: (path: string) => Buffer | undefined): NewsIndex {
  const news = new NewsIndex();
  const wanted = [...paths].filter(isNewsPath).sort((a, b) => (a === 'Misc/NEWS' ? -1 : b === 'Misc/NEWS' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  for (const path of wanted) {
    const bytes = content(path);
    if (bytes) news.add(path, bytes.toString('utf8'));
  }
  return news;
}

/** A step that also hands back what it found, for the caller's summary line. */
export interface VexStep extends CompleteStep {
  /** Set once `apply` has run. */
  outcome?: VexOutcome;
}

/**
 * `generate --advisories DIR` as a profile step, shaped like the complete profile's steps: it wants
 * the changelog files from the scan and, once the document is built (with purls: run it after the
 * identity step), sets `document.vulnerabilities` to one statement per advisory that concerns the
 * tree. Load the advisories before the scan (`loadAdvisories`), so a bad DIR fails at once.
 */
export function vexStep(advisories: AdvisorySet): VexStep {
  const step: VexStep = {
    name: 'vex',
    wants: isNewsPath,
    apply(context: CompleteContext): void {
      const news = newsIndexOf(context.detect.files.keys(), (path) => context.detect.content(path));
      const outcome = vexStatements(advisories.advisories, news, context.document);
      if (news.files.length === 0) context.warnings.push('the tree has no Misc/NEWS or Misc/NEWS.d: every VEX statement is under investigation');
      pushAll(context.warnings, advisories.warnings);
      pushAll(context.warnings, outcome.warnings);
      context.document.vulnerabilities = outcome.statements;
      step.outcome = outcome;
    },
  };
  return step;
}
