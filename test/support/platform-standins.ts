import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import yazl from 'yazl';

/**
 * Stand-ins for python.org's Android, iOS and macOS artifacts, built in the tests from the layouts
 * CPython's build scripts make (real ones cannot be downloaded here). Placeholder bytes only.
 * - Android (Android/android.py `package()`): a gzip tarball of the package directory, names
 *   starting `./`: the Android directory's files and `prefix/` with include/, lib/ (libpython,
 *   the shared OpenSSL and SQLite libraries, the standard library).
 * - iOS (Apple/__main__.py `package()`): a gzip tarball of `Python.xcframework/` and `testbed/`.
 * - macOS: a xar archive (the `.pkg` format) with a Distribution file and one component package
 *   per part of the installer, each with its Payload, as productbuild makes them.
 */

/** Writes files under `root` and tars the directory as `make_archive(..., root_dir)` does (`./` names). */
function tarball(root: string, out: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  execFileSync('tar', ['-czf', out, '-C', root, '.']);
}

export function androidStandIn(dir: string, version: string, host = 'aarch64-linux-android'): string {
  const out = join(dir, `python-${version}-${host}.tar.gz`);
  const minor = version.split('.').slice(0, 2).join('.');
  tarball(join(dir, 'android-standin'), out, {
    'android.py': '# the Android build script\n',
    'README.md': 'Python for Android\n',
    [`prefix/include/python${minor}/Python.h`]: '/* Python.h */\n',
    'prefix/include/openssl/ssl.h': '/* ssl.h */\n',
    'prefix/include/sqlite3.h': '/* sqlite3.h */\n',
    [`prefix/lib/libpython${minor}.so`]: 'ELF libpython\n',
    'prefix/lib/libcrypto_python.so': 'ELF libcrypto\n',
    'prefix/lib/libssl_python.so': 'ELF libssl\n',
    'prefix/lib/libsqlite3_python.so': 'ELF libsqlite3\n',
    [`prefix/lib/python${minor}/os.py`]: '# os\n',
    [`prefix/lib/python${minor}/lib-dynload/_bz2.cpython-${minor.replace('.', '')}-aarch64-linux-android.so`]: 'ELF _bz2\n',
  });
  return out;
}

const IOS_FILES: Record<string, string> = {
  'Python.xcframework/Info.plist': '<plist/>\n',
  'Python.xcframework/ios-arm64/Python.framework/Python': 'Mach-O Python\n',
  'Python.xcframework/ios-arm64/Python.framework/Headers/Python.h': '/* Python.h */\n',
  'Python.xcframework/ios-arm64_x86_64-simulator/Python.framework/Python': 'Mach-O Python (simulator)\n',
  'testbed/iOSTestbed/main.m': '// testbed\n',
};

export function iosStandIn(dir: string, version: string): string {
  const out = join(dir, `python-${version}-iOS-XCframework.tar.gz`);
  tarball(join(dir, 'ios-standin'), out, IOS_FILES);
  return out;
}

/** The same XCframework as a zip (deflated members). */
export async function iosZipStandIn(dir: string, version: string): Promise<string> {
  const out = join(dir, `python-${version}-iOS-XCframework.zip`);
  const zip = new yazl.ZipFile();
  for (const [path, text] of Object.entries(IOS_FILES)) zip.addBuffer(Buffer.from(text), path, { mtime: new Date(0), compress: true });
  zip.end();
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve());
  });
  writeFileSync(out, Buffer.concat(chunks));
  return out;
}

export interface XarEntry {
  path: string;
  bytes: Buffer;
  /** Store zlib-compressed (`application/x-gzip`) instead of as is. */
  compress?: boolean;
}

/** A xar archive: header, zlib-compressed XML table of contents, heap (TOC SHA-1 first, then the members). */
export function buildXar(entries: XarEntry[], options: { corruptTocChecksum?: boolean } = {}): Buffer {
  let heapOffset = 20;
  const heap: Buffer[] = [];
  interface Node {
    name: string;
    children: Map<string, Node>;
    entry?: { data: Buffer; stored: Buffer; offset: number; compress: boolean };
  }
  const root: Node = { name: '', children: new Map() };
  for (const entry of entries) {
    const parts = entry.path.split('/');
    let node = root;
    for (const part of parts) {
      if (!node.children.has(part)) node.children.set(part, { name: part, children: new Map() });
      node = node.children.get(part) as Node;
    }
    const stored = entry.compress ? deflateSync(entry.bytes) : entry.bytes;
    node.entry = { data: entry.bytes, stored, offset: heapOffset, compress: entry.compress === true };
    heap.push(stored);
    heapOffset += stored.length;
  }
  let id = 0;
  const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');
  const fileXml = (node: Node): string => {
    id++;
    if (node.entry) {
      const { data, stored, offset, compress } = node.entry;
      return (
        `<file id="${id}"><name>${node.name}</name><type>file</type><data>` +
        `<length>${stored.length}</length><offset>${offset}</offset><size>${data.length}</size>` +
        `<encoding style="${compress ? 'application/x-gzip' : 'application/octet-stream'}"/>` +
        `<extracted-checksum style="sha1">${sha1(data)}</extracted-checksum><archived-checksum style="sha1">${sha1(stored)}</archived-checksum>` +
        '</data></file>'
      );
    }
    return `<file id="${id}"><name>${node.name}</name><type>directory</type>${[...node.children.values()].map(fileXml).join('')}</file>`;
  };
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<xar><toc><checksum style="sha1"><offset>0</offset><size>20</size></checksum>' +
    `<creation-time>2025-01-01T00:00:00</creation-time>${[...root.children.values()].map(fileXml).join('')}</toc></xar>`;
  const toc = deflateSync(Buffer.from(xml, 'utf8'));
  const tocSum = createHash('sha1').update(toc).digest();
  if (options.corruptTocChecksum) tocSum[0] = (tocSum[0] as number) ^ 0xff;
  return Buffer.concat([xarHeader(toc.length, Buffer.byteLength(xml), 1), toc, tocSum, ...heap]);
}

/** A xar header: magic, size 28, version 1, the compressed and plain TOC lengths, its checksum algorithm (0 none, 1 SHA-1). */
export function xarHeader(tocLength: number, xmlLength: number, checksumAlgorithm: number): Buffer {
  const header = Buffer.alloc(28);
  header.writeUInt32BE(0x78617221, 0);
  header.writeUInt16BE(28, 4);
  header.writeUInt16BE(1, 6);
  header.writeBigUInt64BE(BigInt(tocLength), 8);
  header.writeBigUInt64BE(BigInt(xmlLength), 16);
  header.writeUInt32BE(checksumAlgorithm, 24);
  return header;
}

/** A macOS installer stand-in: Distribution, Resources, and a component package per installer part. */
export function macosStandIn(dir: string, version: string, options: { corruptTocChecksum?: boolean } = {}): string {
  const out = join(dir, `python-${version}-macos11.pkg`);
  const minor = version.split('.').slice(0, 2).join('.');
  writeFileSync(
    out,
    buildXar(
      [
        { path: 'Distribution', bytes: Buffer.from('<installer-gui-script/>\n'), compress: true },
        { path: 'Resources/ReadMe.rtf', bytes: Buffer.from('{\\rtf1 read me}\n') },
        { path: `PythonFramework-${minor}.pkg/Bom`, bytes: Buffer.from('BOMStore') },
        { path: `PythonFramework-${minor}.pkg/PackageInfo`, bytes: Buffer.from('<pkg-info/>\n'), compress: true },
        { path: `PythonFramework-${minor}.pkg/Payload`, bytes: Buffer.from('gzip cpio payload of Python.framework') },
        { path: `PythonApplications-${minor}.pkg/Payload`, bytes: Buffer.from('gzip cpio payload of IDLE') },
      ],
      options,
    ),
  );
  return out;
}
