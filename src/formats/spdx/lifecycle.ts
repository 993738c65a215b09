/**
 * The document's lifecycle (CISA's "SBOM type", CycloneDX `metadata.lifecycles`) in SPDX 2.3,
 * which has no field for it: the creation info's `comment` says it, in words a person reads and a
 * fixed phrase a program reads back (`CycloneDX lifecycle: pre-build`). SPDX 3 has
 * `software_sbomType`; CycloneDX 1.5+ `metadata.lifecycles`. The model keeps CycloneDX's phase names.
 */

/** CycloneDX 1.6 lifecycle phases, with the CISA SBOM type ("Types of SBOM Documents", 2023) each one is. */
export const LIFECYCLE_PHASES = new Map<string, { sbomType: string; meaning: string }>([
  ['design', { sbomType: 'Design', meaning: 'made from a design or specification, before any code' }],
  ['pre-build', { sbomType: 'Source', meaning: 'made from the files of a source tree or source release, before any build' }],
  ['build', { sbomType: 'Build', meaning: 'made while the software was built' }],
  ['post-build', { sbomType: 'Analyzed', meaning: 'made by analysing a built artifact after the build' }],
  ['operations', { sbomType: 'Deployed', meaning: 'made from the software as installed and operated' }],
  ['discovery', { sbomType: 'Runtime', meaning: 'made by discovering the software in a running environment' }],
  ['decommission', { sbomType: 'Decommissioned', meaning: 'made when the software was taken out of use' }],
]);

const PHRASE = 'CycloneDX lifecycle: ';

/** `SBOM type: Source (CycloneDX lifecycle: pre-build): made from the files of a source tree …`. */
export function lifecycleComment(lifecycles: readonly string[]): string {
  return lifecycles
    .map((lifecycle) => {
      const known = LIFECYCLE_PHASES.get(lifecycle);
      return known ? `SBOM type: ${known.sbomType} (${PHRASE}${lifecycle}): ${known.meaning}.` : `SBOM type: ${lifecycle} (${PHRASE}${lifecycle}).`;
    })
    .join(' ');
}

/** The lifecycles a creation-info comment states, in the order it states them (none for other comments). */
export function lifecyclesFromComment(comment: string): string[] {
  const found: string[] = [];
  let at = comment.indexOf(PHRASE);
  while (at >= 0 && found.length < 16) {
    const start = at + PHRASE.length;
    const end = comment.indexOf(')', start);
    const name = (end < 0 ? '' : comment.slice(start, end)).trim();
    if (name && name.length <= 64 && !found.includes(name)) found.push(name);
    at = comment.indexOf(PHRASE, start);
  }
  return found;
}
