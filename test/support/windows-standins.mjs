// Stand-ins for python.org's Windows artifacts, made byte for byte the same on every run.
//
// Real installers and embeddable zips cannot be downloaded in CI, and python.org's release tooling
// only hashes them, so a stand-in with the real name serves its parity test. The zips are laid
// out as CPython's PC/layout script lays the embeddable package out (--preset-embed: DLLs and
// extension modules flat beside python.exe, the standard library as pythonXY.zip, a ._pth file,
// the Visual C++ runtime DLLs), with a short text in place of each binary.
//
// Bytes are fixed by storing members uncompressed (no dependence on the zlib build), by a DOS
// timestamp given in local time fields (no dependence on TZ) and no extended timestamp field.
//
// Usage as a script: node test/support/windows-standins.mjs OUT_DIR NAME... writes each stand-in.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import yazl from 'yazl';

const MTIME = new Date(2024, 0, 1, 0, 0, 0);

/** Extension modules of a 3.13 Windows build as the embeddable package carries them. */
const PYDS_313 = [
  '_asyncio',
  '_bz2',
  '_ctypes',
  '_decimal',
  '_elementtree',
  '_hashlib',
  '_lzma',
  '_multiprocessing',
  '_overlapped',
  '_queue',
  '_socket',
  '_sqlite3',
  '_ssl',
  '_uuid',
  '_wmi',
  '_zoneinfo',
  'pyexpat',
  'select',
  'unicodedata',
  'winsound',
];

/** The member names of an embeddable package for X.Y.Z and an architecture. */
export function embeddableMembers(version, arch) {
  const [major, minor] = version.split('.');
  const xy = `${major}${minor}`;
  const crypto = arch === 'arm64' ? ['libcrypto-3-arm64.dll', 'libssl-3-arm64.dll'] : ['libcrypto-3.dll', 'libssl-3.dll'];
  const runtime = arch === 'win32' ? ['vcruntime140.dll'] : ['vcruntime140.dll', 'vcruntime140_1.dll'];
  return [
    'LICENSE.txt',
    ...PYDS_313.map((name) => `${name}.pyd`),
    ...crypto,
    'libffi-8.dll',
    'python.cat',
    'python.exe',
    'python3.dll',
    `python${xy}._pth`,
    `python${xy}.dll`,
    `python${xy}.zip`,
    'pythonw.exe',
    'sqlite3.dll',
    ...runtime,
  ].sort();
}

function zipBytes(entries) {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, data] of entries) {
      zip.addBuffer(data, name, { mtime: MTIME, compress: false, forceDosTimestamp: true, mode: 0o100644 });
    }
    zip.end();
    const chunks = [];
    zip.outputStream.on('data', (chunk) => chunks.push(chunk));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** The standard library zip: a few compiled modules, enough to be a real nested zip. */
async function stdlibZip(version) {
  const modules = ['os.pyc', 'ctypes/__init__.pyc', 'ctypes/macholib/dyld.pyc', 'encodings/utf_8.pyc'];
  return zipBytes(modules.map((name) => [name, Buffer.from(`stand-in for ${name} of CPython ${version}\n`)]));
}

function pthText(xy) {
  return `python${xy}.zip\n.\n\n# Uncomment to run site.main() automatically\n#import site\n`;
}

/**
 * The bytes of a stand-in artifact. `name` is python.org's file name
 * (python-3.13.15-embed-amd64.zip, python-3.13.15-amd64.exe, ...).
 */
export async function standInArtifact(name) {
  const match = /^python-(\d+)\.(\d+)\.(\d+)(t?)(-embed)?-(amd64|arm64|win32)\.(exe|zip)$/.exec(name);
  if (!match) throw new Error(`no stand-in for ${name}`);
  const [, major, minor, micro, , embed, arch, ext] = match;
  const version = `${major}.${minor}.${micro}`;
  if (ext === 'exe') {
    // An installer is never unpacked: any bytes will do, as long as they are always the same.
    const text = `stand-in for ${name}, the CPython ${version} installer; not a Windows program\n`;
    return Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from(text)]);
  }
  if (!embed) throw new Error(`no stand-in for ${name}: only embeddable zips are laid out`);
  const xy = `${major}${minor}`;
  const entries = [];
  for (const member of embeddableMembers(version, arch)) {
    if (member === `python${xy}.zip`) entries.push([member, await stdlibZip(version)]);
    else if (member === `python${xy}._pth`) entries.push([member, Buffer.from(pthText(xy))]);
    else entries.push([member, Buffer.from(`stand-in for ${member} of CPython ${version} (${arch})\n`)]);
  }
  return zipBytes(entries);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [outDir, ...names] = process.argv.slice(2);
  for (const name of names) writeFileSync(join(outDir, name), await standInArtifact(name));
}
