/**
 * The file names python.org gives its Windows artifacts, and what each name says:
 * - installers: `python-3.13.15.exe` (32-bit), `python-3.13.15-amd64.exe`, `python-3.13.15-arm64.exe`;
 * - embeddable packages: `python-3.13.15-embed-amd64.zip` (also PyManager's embeddable package);
 * - PyManager packages (CPython's PC/layout/support/pymanager.py): `python-3.14.0-amd64.zip`,
 *   `python-3.14.0-test-amd64.zip` (with the test suite), `python-3.14.0t-amd64.zip` (free-threaded).
 * A `t` after the version marks a free-threaded build; pre-releases carry `a1`, `b2`, `rc1`.
 */

export type WindowsArch = 'amd64' | 'arm64' | 'win32';
export type WindowsArtifactKind = 'installer' | 'embeddable' | 'pymanager' | 'pymanager-test';

export interface WindowsArtifactName {
  fileName: string;
  /** `3.13.15`, `3.14.0rc1`: the CPython version, without the free-threading `t`. */
  version: string;
  freeThreaded: boolean;
  arch: WindowsArch;
  kind: WindowsArtifactKind;
  container: 'exe' | 'zip';
}

const VERSION = String.raw`(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)`;
const INSTALLER = new RegExp(`^python-${VERSION}(t?)(?:-(amd64|arm64|win32))?\\.exe$`);
const ZIP = new RegExp(`^python-${VERSION}(t?)(?:-(embed|test))?-(amd64|arm64|win32)\\.zip$`);

/** What an artifact's file name says, or undefined when it is not a python.org Windows artifact name. */
export function parseWindowsArtifactName(fileName: string): WindowsArtifactName | undefined {
  const installer = INSTALLER.exec(fileName);
  if (installer) {
    return {
      fileName,
      version: installer[1] as string,
      freeThreaded: installer[2] === 't',
      arch: (installer[3] as WindowsArch | undefined) ?? 'win32',
      kind: 'installer',
      container: 'exe',
    };
  }
  const zip = ZIP.exec(fileName);
  if (zip) {
    const flavour = zip[3];
    return {
      fileName,
      version: zip[1] as string,
      freeThreaded: zip[2] === 't',
      arch: zip[4] as WindowsArch,
      kind: flavour === 'embed' ? 'embeddable' : flavour === 'test' ? 'pymanager-test' : 'pymanager',
      container: 'zip',
    };
  }
  return undefined;
}

/**
 * Whether a file name looks like it is meant to be a Windows artifact (`python-*.exe`,
 * `python-*.zip`), so that a name we cannot parse is refused with a message about the name
 * rather than treated as a source tarball.
 */
export function looksLikeWindowsArtifact(fileName: string): boolean {
  return /^python-.*\.(exe|zip)$/i.test(fileName);
}

/** python.org's release tooling leaves pip out of embeddable packages only. */
export function carriesPip(name: WindowsArtifactName): boolean {
  return name.kind !== 'embeddable';
}

export const KNOWN_PATTERNS = 'python-X.Y.Z[t][-amd64|-arm64].exe, python-X.Y.Z[t][-embed|-test]-{amd64,arm64,win32}.zip';
