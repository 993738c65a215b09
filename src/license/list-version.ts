/**
 * The SPDX license list version of the texts the licenses are identified against (npm
 * `spdx-license-list`, whose readme names it; test/license/list-version.test.ts holds the two
 * together). A complete-profile document declares it as its `licenseListVersion`, since its ids
 * (dtoa, Unicode-3.0, HPND-SMC, …) come from that list, not from the older one python.org's
 * documents declare.
 */
export const LICENSE_TEXTS_LIST_VERSION = '3.28';
