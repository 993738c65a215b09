/** What a scan of a source tree (directory or tarball) yields. Nothing else reads trees. */

export interface ScannedFile {
  /** POSIX path relative to the tree root. */
  path: string;
  size: number;
  /** Hex digests of the bytes exactly as stored. */
  sha1: string;
  sha256: string;
  /** Only when the scan was asked for it (`--hash sha512`). */
  sha512?: string;
}

export interface SkippedEntry {
  path: string;
  /** `symlink`, `hardlink`, `device`, `ignored`, … */
  reason: string;
}

export interface ArtifactInfo {
  /** Base name of the tarball, e.g. `Python-3.13.15.tar.xz`. */
  fileName: string;
  sha256: string;
  /** Only when the scan was asked for it (`--hash sha512`). */
  sha512?: string;
  size: number;
}

export interface ScanResult {
  kind: 'directory' | 'tarball';
  /** The path the user gave, resolved. */
  location: string;
  /** Top directory name: `Python-3.13.15` in a tarball, the directory's base name otherwise. */
  rootName: string;
  /** Set for tarballs: the artifact the SBOM describes. */
  artifact?: ArtifactInfo;
  /** Regular files, sorted by path. */
  files: ScannedFile[];
  /** Bytes of the files the caller asked for (see ScanOptions.wantContent). */
  contents: Map<string, Buffer>;
  skipped: SkippedEntry[];
  /**
   * A git checkout: what its ignore rules left out (untracked paths only; a directory, not
   * entered, ends with `/`), how they were judged, and ignore files that could not be read.
   */
  ignored?: { paths: string[]; rules: string; warnings: string[] };
}

export interface ScanLimits {
  /** Largest file whose bytes are kept in memory for detectors. */
  maxContentBytes: number;
  /** Most bytes a tarball may decompress to (zip-bomb guard). */
  maxTotalBytes: number;
  /** Most entries a tree may hold. */
  maxEntries: number;
}

export const DEFAULT_LIMITS: ScanLimits = {
  maxContentBytes: 64 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
  maxEntries: 500_000,
};

/**
 * A reader of files' bytes as the scan reads them, which keeps nothing in the scan's result (the
 * complete profile's per-file license scan): `see` is called once with each file `wants` names,
 * up to MAX_SEEN_BYTES (bigger files are passed over, not refused). The bytes may be a view into a
 * larger buffer the scan read: a reader that holds on to them past the call copies them.
 */
export interface ContentReader {
  wants(path: string): boolean;
  see(path: string, bytes: Buffer): void;
}

/** Largest file a ContentReader is shown. */
export const MAX_SEEN_BYTES = 8 * 1024 * 1024;

export interface ScanOptions {
  /** Paths (relative to the root) whose bytes the caller needs; all files are hashed regardless. */
  wantContent?: (path: string) => boolean;
  /** Shown each file it wants as the file is read; the bytes are not kept. */
  readContent?: ContentReader;
  limits?: Partial<ScanLimits>;
  /** Called now and then with bytes consumed so far and the total, for a progress line. */
  onProgress?: (done: number, total: number) => void;
  /** Also hash every file (and a tarball itself) with SHA-512, in the same pass (`--hash sha512`). */
  sha512?: boolean;
  /** Directory sources: leave out what git ignores (default true). */
  respectGitignore?: boolean;
  /**
   * Tarballs: an artifact's members named by their whole path (a leading `./` dropped), for
   * archives with no single top directory (python.org's Android and iOS packages); the default
   * names a source tarball's members below its one top directory.
   */
  wholeNames?: boolean;
}
