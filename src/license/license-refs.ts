import type { ExtractedLicense } from '../model/types.js';

/**
 * The one license this tool names that is not on the SPDX license list: code its authors put in
 * the public domain ("Released to the public domain, by Tim Peters, 15 April 1998"). SPDX has no
 * identifier for a public-domain dedication; a document that uses this one carries its text in
 * `hasExtractedLicensingInfos`, as SPDX asks of every `LicenseRef-`.
 */
export const PUBLIC_DOMAIN_REF = 'LicenseRef-public-domain';

export function publicDomainLicense(): ExtractedLicense {
  return {
    id: PUBLIC_DOMAIN_REF,
    name: 'Public domain dedication',
    text: "The file states that its author placed the code (or the part of it the statement names) in the public domain; each file's own statement is in its copyright text or comment.",
    comment: 'Used for files whose text dedicates their code to the public domain without naming a license (CC0 dedications are CC0-1.0).',
  };
}
