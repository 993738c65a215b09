import { type Catalog, type CatalogComponent, fillTemplate, loadCatalog, readVersion } from '../catalog/catalog.js';
import { normalizePackageName } from '../model/document.js';
import { genericPurl as buildGenericPurl, normalizedPypiPurl, purlFromTemplate, purlType } from '../model/purl.js';
import type { Organization, Package } from '../model/types.js';
import type { CompleteContext, CompleteStep } from './index.js';
import { foldVersionlessPackages } from './versionless.js';

export { normalizedPypiPurl } from '../model/purl.js';

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
 * Identity for scanners (complete profile).
 * - Versions: where the tree states a better version than the python.org profile keeps (catalog
 *   `completeVersion`: 3.9's macOS libffi is a 2.00 development snapshot), that one; a package the
 *   tree gives no version at all is described as files of CPython instead (versionless.ts).
 * - purls, all through packageurl-js: PyPI names normalised as the purl spec says
 *   (`pkg:pypi/typing-extensions@4.13.2`), components with a catalog template get theirs
 *   (`pkg:github/...` for code hosted on GitHub), the rest `pkg:generic/SHORT-NAME@VERSION` with
 *   the download location as `download_url`, where the short name is the component's catalog key
 *   or plain name (`pkg:generic/dtoa`, not a slug of "dtoa (David M. Gay)").
 * - CPEs only where NVD has the product: the catalog's `projectCpes` for PyPI projects, the
 *   component's own otherwise; a CPE the catalog marks `cpeInNvd: false` (the manifest's HACL*,
 *   libb2 and mpdecimal CPEs, which no NVD entry uses) is dropped. Each CPE's source is in the catalog.
 * The document gets the PSF as manufacturer and supplier with CPython's security contact, and its
 * lifecycle (a source SBOM; an analysed one for a Windows artifact). Its creators stay the tool
 * alone: the PSF makes CPython, not the SBOM someone else generates (`generate --creator` adds
 * whoever does).
 */
export function identityStep(catalog: Catalog = loadCatalog()): CompleteStep {
  const versionFiles = new Set(catalog.components.flatMap((component) => (component.completeVersion ? [component.completeVersion.file] : [])));
  return {
    name: 'identity',
    wants: (path) => versionFiles.has(path),
    apply(context: CompleteContext): void {
      const { document } = context;
      // Versions are read from the source tree; a Windows artifact's packages keep what its facts say.
      if (context.subject === 'source') {
        for (const pkg of document.packages) correctVersion(pkg, catalog, context);
        foldVersionlessPackages(document, context.warnings);
      }
      for (const pkg of document.packages) {
        if (purlType(pkg.purl) === 'pypi' && pkg.purl) pkg.purl = normalizedPypiPurl(pkg.purl);
        pkg.purl ??= catalogPurl(pkg, catalog) ?? genericPurl(pkg);
        const component = componentOf(pkg, catalog);
        if (component?.cpeInNvd === false) delete pkg.cpe;
        if (!pkg.cpe && purlType(pkg.purl) === 'pypi' && pkg.version) {
          const known = catalog.projectCpes?.[normalizePackageName(pkg.name)];
          if (known) pkg.cpe = fillTemplate(known.cpe, pkg.version);
        }
      }
      for (const snippet of document.snippets ?? []) {
        snippet.purl ??= buildGenericPurl(shortName(snippet.ref.replace(/^snippet:/, ''), snippet.name), snippet.version);
      }
      document.manufacturer ??= PSF_ORGANIZATION;
      // A source tree is described before any build; a Windows artifact after one.
      document.lifecycles ??= [context.subject === 'windows-artifact' ? 'post-build' : SOURCE_LIFECYCLE];
    },
  };
}

/** The catalog component a package was detected from (or listed for, in the manifest). */
function componentOf(pkg: Package, catalog: Catalog): CatalogComponent | undefined {
  if (pkg.ref.includes('/') || pkg.ref.includes(':')) return undefined;
  return catalog.components.find((entry) => entry.name === pkg.ref || (entry.packageName ?? entry.name) === pkg.name);
}

/**
 * The version the tree states where the catalog knows a better place than the one the python.org
 * profile reads (`completeVersion`), with the identifiers that go with it.
 */
function correctVersion(pkg: Package, catalog: Catalog, context: CompleteContext): void {
  const component = componentOf(pkg, catalog);
  const source = component?.completeVersion;
  if (!component || !source) return;
  const text = context.detect.content(source.file)?.toString('utf8');
  const version = text === undefined ? undefined : readVersion(source, text);
  if (!version || version === pkg.version) return;
  const before = pkg.version;
  pkg.version = version;
  if (component.cpe) pkg.cpe = fillTemplate(component.cpe, version);
  if (component.purl) pkg.purl = purlFromTemplate(component.purl, version);
  else delete pkg.purl;
  if (component.downloadLocation) pkg.downloadLocation = fillTemplate(component.downloadLocation, version);
  const note = `version ${version} as ${source.file} states it${before ? ` (the python.org profile keeps ${before})` : ''}`;
  pkg.sourceInfo = pkg.sourceInfo ? `${pkg.sourceInfo}; ${note}` : note;
}

function catalogPurl(pkg: Package, catalog: Catalog): string | undefined {
  if (pkg.ref.includes('/') || !pkg.version) return undefined;
  const component = catalog.components.find((entry) => (entry.packageName ?? entry.name) === pkg.name || entry.name === pkg.ref);
  const template = component?.completePurl ?? component?.purl;
  return template ? purlFromTemplate(template, pkg.version) : undefined;
}

/**
 * `pkg:generic/SHORT-NAME@VERSION?download_url=URL` for code with no package-manager home; the
 * version and the URL only where the tree records them (a purl may have neither).
 */
export function genericPurl(pkg: Pick<Package, 'ref' | 'name' | 'version' | 'downloadLocation'>): string {
  const url = pkg.downloadLocation && /^https?:\/\//.test(pkg.downloadLocation) ? pkg.downloadLocation : undefined;
  return buildGenericPurl(shortName(pkg.ref, pkg.name), pkg.version || undefined, url ? { download_url: url } : undefined);
}

const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A component's short name: its name when that is one word (`CPython`, `libffi`, `mpdecimal`),
 * else its catalog key (`dtoa` for "dtoa (David M. Gay)", `unicode-database`), else its name
 * with every run of other characters as one `-`. Lower case, as generic purls are compared.
 */
export function shortName(ref: string, name: string): string {
  if (TOKEN.test(name)) return name.toLowerCase();
  if (TOKEN.test(ref)) return ref.toLowerCase();
  return name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
