import { describe, expect, it } from 'vitest';
import { carriesPip, looksLikeWindowsArtifact, parseWindowsArtifactName } from '../../src/windows/artifact-name.js';

describe('python.org Windows artifact names', () => {
  it.each([
    ['python-3.13.15-amd64.exe', { version: '3.13.15', freeThreaded: false, arch: 'amd64', kind: 'installer', container: 'exe' }],
    ['python-3.13.15.exe', { version: '3.13.15', freeThreaded: false, arch: 'win32', kind: 'installer', container: 'exe' }],
    ['python-3.13.15t-arm64.exe', { version: '3.13.15', freeThreaded: true, arch: 'arm64', kind: 'installer', container: 'exe' }],
    ['python-3.13.15-embed-amd64.zip', { version: '3.13.15', freeThreaded: false, arch: 'amd64', kind: 'embeddable', container: 'zip' }],
    ['python-3.13.15-embed-win32.zip', { version: '3.13.15', freeThreaded: false, arch: 'win32', kind: 'embeddable', container: 'zip' }],
    ['python-3.14.0-amd64.zip', { version: '3.14.0', freeThreaded: false, arch: 'amd64', kind: 'pymanager', container: 'zip' }],
    ['python-3.14.0t-arm64.zip', { version: '3.14.0', freeThreaded: true, arch: 'arm64', kind: 'pymanager', container: 'zip' }],
    ['python-3.14.0-test-win32.zip', { version: '3.14.0', freeThreaded: false, arch: 'win32', kind: 'pymanager-test', container: 'zip' }],
    ['python-3.14.0rc1-embed-arm64.zip', { version: '3.14.0rc1', freeThreaded: false, arch: 'arm64', kind: 'embeddable', container: 'zip' }],
  ])('%s', (name, expected) => {
    expect(parseWindowsArtifactName(name)).toEqual({ fileName: name, ...expected });
    expect(looksLikeWindowsArtifact(name)).toBe(true);
  });

  it.each([
    'python-3.13.15-amd64.msi',
    'python-3.13-amd64.exe',
    'python-3.13.15-embed-sparc.zip',
    'python-3.13.15-embed.zip',
    'Python-3.13.15.tar.xz',
    'python-3.13.15-amd64.exe.spdx.json',
  ])('refuses %s', (name) => {
    expect(parseWindowsArtifactName(name)).toBeUndefined();
  });

  it('only embeddable packages leave pip out, as the release tooling does', () => {
    expect(carriesPip(parseWindowsArtifactName('python-3.13.15-embed-amd64.zip')!)).toBe(false);
    expect(carriesPip(parseWindowsArtifactName('python-3.14.0-amd64.zip')!)).toBe(true);
    expect(carriesPip(parseWindowsArtifactName('python-3.13.15t-arm64.exe')!)).toBe(true);
  });

  it('tells names meant as Windows artifacts from trees and tarballs', () => {
    expect(looksLikeWindowsArtifact('python-whatever.zip')).toBe(true);
    expect(looksLikeWindowsArtifact('Python-3.13.15.tgz')).toBe(false);
    expect(looksLikeWindowsArtifact('cpython')).toBe(false);
  });
});
