import { InputError } from '../errors.js';
import { EXTERNALS_MANIFEST, MANIFEST_PATH, PATCHLEVEL_PATH } from '../cpython/paths.js';
import { readCPythonVersion } from '../cpython/release.js';
import { isBundledWheel } from '../detect/pip.js';
import type { DetectContext } from '../detect/types.js';
import { type ScanResult, type ScannedFile, scanSource } from '../source/index.js';
import type { WindowsArtifactName } from './artifact-name.js';

/** What a Windows artifact's SBOM reads of the release's source tree. */
export interface SourceTree {
  scan: ScanResult;
  context: DetectContext;
}

/** The build files that say how the Windows build uses each component. */
export function isWindowsBuildFile(path: string): boolean {
  return /^PCbuild\/[^/]+\.(vcxproj|props|bat)$/.test(path);
}

/** C sources of CPython's modules, to follow what a compiled file includes. */
function isModuleSource(path: string): boolean {
  return /^Modules\/.+\.[ch]$/.test(path);
}

/**
 * Scans `--source` (a directory or tarball, read as `generate` reads any tree) and checks that it
 * is the release the artifact was built from: its Include/patchlevel.h must name the artifact's
 * version. Only what the Windows SBOM needs is kept in memory.
 */
export async function readSourceTree(sourcePath: string, artifact: WindowsArtifactName, wants: (path: string) => boolean = () => false): Promise<SourceTree> {
  const scan = await scanSource(sourcePath, {
    wantContent: (path) =>
      wants(path) ||
      path === PATCHLEVEL_PATH ||
      path === MANIFEST_PATH ||
      path === EXTERNALS_MANIFEST ||
      isBundledWheel(path) ||
      isWindowsBuildFile(path) ||
      isModuleSource(path),
  });
  const version = readCPythonVersion(scan);
  if (version !== artifact.version) {
    throw new InputError(`--source ${sourcePath}: the tree is CPython ${version} but ${artifact.fileName} is ${artifact.version}`);
  }
  const files = new Map<string, ScannedFile>(scan.files.map((file) => [file.path, file]));
  return { scan, context: { scan, files, content: (path) => scan.contents.get(path), cpythonVersion: version } };
}
