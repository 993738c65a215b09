/**
 * Corrections to advisories whose fix reference would give a false answer against CPython's NEWS.
 *
 * The rule `vex` applies — the tree's NEWS names the issue or pull request the advisory links —
 * assumes that what NEWS records under that number is the fix. An issue can collect several
 * changes, and when an advisory links an issue whose earlier change was something else, the rule
 * would call a tree fixed that is not. Each entry here names the vulnerability (by CVE id, which
 * every database that describes it shares), the references that are not its fix, the references
 * that are (as CPython's own NEWS records them), and why. An erratum only ever replaces the
 * reference looked for; the evidence is still the tree's NEWS.
 */
export interface AdvisoryErratum {
  /** The CVE id of the vulnerability. */
  cve: string;
  /** References the advisory gives that are not this vulnerability's fix (`gh-99418`). */
  notFixes: string[];
  /** References that are, as the tree's NEWS records them (`gh-102153`). */
  fixes: string[];
  /** What the NEWS entries of each say, and where they are. */
  why: string;
}

export const ADVISORY_ERRATA: readonly AdvisoryErratum[] = [
  {
    // PSF-2023-1. Misc/NEWS of 3.11.2 names gh-99418 (3.11.1, Library); 3.11.2 is affected all the
    // same: NVD and the advisory's own text say the fix came in 3.11.4.
    cve: 'CVE-2023-24329',
    notFixes: ['gh-99418'],
    fixes: ['gh-102153'],
    why:
      'gh-99418 also records an earlier, different change (3.11.1, 3.12.0a2: URL schemes that begin with a digit, ' +
      'plus or minus); the fix for this CVE, stripping leading C0 control and space characters in urlsplit(), ' +
      'is gh-102153 (3.11.4, 3.12.0b1), whose NEWS entry names the CVE',
  },
];

const byCve = new Map(ADVISORY_ERRATA.map((erratum) => [erratum.cve, erratum]));

/** The erratum for an advisory (by its id or any alias), if there is one. */
export function erratumFor(ids: readonly string[]): AdvisoryErratum | undefined {
  for (const id of ids) {
    const erratum = byCve.get(id.toUpperCase());
    if (erratum) return erratum;
  }
  return undefined;
}
