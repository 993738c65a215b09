import { type CatalogComponent, fileRulesFor, fillTemplate, readVersion } from '../catalog/catalog.js';
import type { Package } from '../model/types.js';
import { matchFingerprint } from './fingerprint.js';
import { globToRegExp, selectFiles } from '../catalog/glob.js';
import type { DetectContext, Detection, Detector } from './types.js';

/**
 * One vendored component described entirely by its catalog entry: which files it owns, where
 * the tree records its version (a file + regex, or content fingerprints), and how it is
 * identified (CPE, purl, download location). Adding a component is adding catalog data.
 */
export function catalogDetector(component: CatalogComponent): Detector {
  const name = component.packageName ?? component.name;
  const readFiles = new Set<string>(
    [component.version?.file, ...(component.versionChecks ?? []).map((check) => check.file), component.checksum?.file].filter(
      (file): file is string => file !== undefined,
    ),
  );
  const present = component.present?.map(globToRegExp);

  return {
    name: component.name,
    wants: (path) => readFiles.has(path),
    detect(context: DetectContext): Detection {
      const detection: Detection = { packages: [], findings: [], warnings: [] };
      const owned = selectFiles(context.files.keys(), fileRulesFor(component, context.cpythonVersion));
      const isPresent = present ? [...context.files.keys()].some((path) => present.some((regex) => regex.test(path))) : owned.length > 0;
      if (!isPresent) return detection;

      const text = (file: string) => context.content(file)?.toString('latin1');
      let version = '';
      let comment: string;
      if (component.version) {
        const source = component.version;
        const found = text(source.file);
        version = found === undefined ? '' : (readVersion(source, found) ?? '');
        comment = `version from ${source.file}`;
        if (!version) {
          const why = found === undefined ? 'is missing' : 'records no version the catalog recognises';
          detection.warnings.push(`${name}: ${source.file} ${why}; listed without a version`);
          comment = `no version found in ${source.file}`;
        }
      } else if (component.fingerprints) {
        const match = matchFingerprint(owned, context.files, component.fingerprints);
        if (match.kind === 'exact') {
          version = match.fingerprint.version;
          comment = `version identified by content: ${owned.length} files identical to ${name} ${version} as shipped in CPython ${match.fingerprint.seenIn}`;
        } else {
          const closest = match.closest
            ? ` (closest: ${name} ${match.closest.fingerprint.version} as shipped in CPython ${match.closest.fingerprint.seenIn}, ${match.closest.matching} of ${match.closest.total} files identical)`
            : '';
          detection.warnings.push(`${name}: its ${owned.length} files match no known release${closest}; listed without a version`);
          comment = `no known release matches these files${closest}`;
        }
      } else {
        detection.warnings.push(`${name}: the tree records no version for it; listed without one`);
        comment = 'the tree records no version for it';
      }

      for (const check of component.versionChecks ?? []) {
        const found = text(check.file);
        const checked = found === undefined ? undefined : readVersion(check, found);
        if (version && checked && checked !== version) {
          detection.findings.push({
            kind: 'version-drift',
            component: name,
            path: check.file,
            message: `${name}: ${check.file} says ${checked} but ${component.version?.file ?? 'its files'} say${component.version ? 's' : ''} ${version}`,
          });
        }
      }

      const pkg: Package = {
        ref: component.name,
        name,
        version,
        purpose: 'SOURCE',
        licenseConcluded: 'NOASSERTION',
        downloadLocation: downloadLocation(component, version),
        checksums: {},
        files: owned,
        dependsOn: [],
        comment,
      };
      if (component.originator) pkg.originator = component.originator;
      if (version && component.cpe) pkg.cpe = fillTemplate(component.cpe, version);
      if (version && component.purl) pkg.purl = fillTemplate(component.purl, version);
      const checksumText = component.checksum && text(component.checksum.file);
      const sha256 = checksumText ? new RegExp((component.checksum as { regex: string }).regex).exec(checksumText)?.[1] : undefined;
      if (sha256 && version) pkg.checksums = { SHA256: sha256.toLowerCase() };
      detection.packages.push(pkg);
      return detection;
    },
  };
}

function downloadLocation(component: CatalogComponent, version: string): string {
  if (!version) return 'NOASSERTION';
  const known = component.knownDownloads?.[version];
  if (known) return known;
  return component.downloadLocation ? fillTemplate(component.downloadLocation, version) : 'NOASSERTION';
}
