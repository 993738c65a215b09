import { PackageURL } from 'packageurl-js';
import { type Catalog, fillTemplate, loadCatalog } from '../catalog/catalog.js';
import { normalizePackageName } from '../model/document.js';
import type { Organization, Package } from '../model/types.js';
import type { CompleteContext, CompleteStep } from './index.js';

/** The organisation behind CPython, and where CPython asks for security reports to go. */
export const PSF_ORGANIZATION: Organization = {
  name: 'Python Software Foundation',
  urls: ['https://www.python.org/psf/'],
  securityContact: { email: 'security@python.org', url: 'https://www.python.org/dev/security/' },
};

/**
 * Where a complete-profile document of a source tree or release tarball is made: from the source,
 * before any build (CycloneDX `pre-build`, CISA's "Source" SBOM). Not `build`: nothing is compiled
 * or configured, and which vendored code a build uses is not known (a build may leave out the
 * Windows-only or macOS-only code, or replace bundled libraries by system ones).
 */
export const SOURCE_LIFECYCLE = 'pre-build';

/**
 * Identity for scanners (complete profile): a purl for every package — PyPI names normalised as
 * the purl spec says (lower case, `_` as `-`), components with a catalog template get theirs
 * (`pkg:github/...` for code hosted on GitHub), the rest `pkg:generic/NAME@VERSION` with the
 * download location as `download_url` — and CPEs where NVD has the product (catalog
 * `projectCpes` for PyPI projects; python.org's CPEs are kept). The document gets the PSF as
 * manufacturer and supplier with CPython's security contact, and its lifecycle (a source SBOM).
 * Its creators stay the tool alone: the PSF makes CPython, not the SBOM someone else generates
 * (`generate --creator` adds whoever does).
 */
export function identityStep(catalog: Catalog = loadCatalog()): CompleteStep {
  return {
    name: 'identity',
    wants: () => false,
    apply(context: CompleteContext): void {
      const { document } = context;
      for (const pkg of document.packages) {
        if (pkg.purl?.startsWith('pkg:pypi/')) pkg.purl = normalizedPypiPurl(pkg.purl);
        pkg.purl ??= catalogPurl(pkg, catalog) ?? genericPurl(pkg);
        if (!pkg.cpe && pkg.purl?.startsWith('pkg:pypi/') && pkg.version) {
          const template = catalog.projectCpes?.[normalizePackageName(pkg.name)];
          if (template) pkg.cpe = fillTemplate(template, pkg.version);
        }
      }
      for (const snippet of document.snippets ?? []) snippet.purl ??= genericPurl({ name: snippet.name, version: snippet.version ?? '' });
      document.manufacturer ??= PSF_ORGANIZATION;
      // A source tree is described before any build; a Windows artifact after one.
      document.lifecycles ??= [context.subject === 'windows-artifact' ? 'post-build' : SOURCE_LIFECYCLE];
    },
  };
}

/** `pkg:pypi/Typing_Extensions@4.13.2` -> `pkg:pypi/typing-extensions@4.13.2` (purl spec, PyPI type). */
export function normalizedPypiPurl(purl: string): string {
  try {
    const parsed = PackageURL.fromString(purl);
    const name = parsed.name.toLowerCase().replaceAll('_', '-');
    return new PackageURL('pypi', parsed.namespace, name, parsed.version, parsed.qualifiers, parsed.subpath).toString();
  } catch {
    return purl;
  }
}

function catalogPurl(pkg: Package, catalog: Catalog): string | undefined {
  if (pkg.ref.includes('/') || !pkg.version) return undefined;
  const component = catalog.components.find((entry) => (entry.packageName ?? entry.name) === pkg.name || entry.name === pkg.ref);
  const template = component?.completePurl ?? component?.purl;
  return template ? fillTemplate(template, pkg.version) : undefined;
}

/**
 * `pkg:generic/NAME@VERSION?download_url=URL` for code with no package-manager home; the version
 * and the URL only where the tree records them (a purl may have neither).
 */
export function genericPurl(pkg: Pick<Package, 'name' | 'version' | 'downloadLocation'>): string {
  const url = pkg.downloadLocation && /^https?:\/\//.test(pkg.downloadLocation) ? pkg.downloadLocation : undefined;
  const name = pkg.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  return new PackageURL('generic', undefined, name, pkg.version || undefined, url ? { download_url: url } : undefined, undefined).toString();
}
