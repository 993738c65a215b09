/** Where a CPython tree keeps the facts this tool reads; one definition for every reader. */

/** `PY_VERSION`, the tree's own record of its version. */
export const PATCHLEVEL_PATH = 'Include/patchlevel.h';
/** CPython's partial SPDX document of its vendored packages (3.12.2 on). */
export const MANIFEST_PATH = 'Misc/sbom.spdx.json';
/** The libraries the Windows build downloads, as SPDX (3.13 on). */
export const EXTERNALS_MANIFEST = 'Misc/externals.spdx.json';
/** What the Windows build downloads, as a batch file (`set libraries=%libraries% NAME-VERSION`). */
export const GET_EXTERNALS_PATH = 'PCbuild/get_externals.bat';

/**
 * The SPDX license list version python.org's documents declare; every id the python.org profile
 * writes is in it (the complete profile declares the newer list it identifies against).
 */
export const PYTHON_ORG_LICENSE_LIST_VERSION = '3.22';
