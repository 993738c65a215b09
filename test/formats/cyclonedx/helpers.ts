import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SbomDocument } from '../../../src/model/types.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'formats', 'cyclonedx');

/** A hand-made model from fixtures/formats/cyclonedx (`model.json`: upstream-style; `distributor.json`: pedigree, scopes, persons). */
export function loadModel(name: 'model' | 'distributor'): SbomDocument {
  return JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as SbomDocument;
}

/** The model with its lists in a canonical order, so two models compare by content. */
export function canonical(document: SbomDocument): SbomDocument {
  const copy = structuredClone(document);
  const byKey =
    <T>(key: (item: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  copy.packages.sort(byKey((pkg) => pkg.ref));
  for (const pkg of copy.packages) {
    pkg.files.sort();
    pkg.dependsOn.sort();
  }
  copy.files.sort(byKey((file) => file.path));
  return copy;
}

/** A CPython-sized model: `count` files, ~1% of them in a second package. */
export function bigModel(count: number): SbomDocument {
  const cpython = {
    ref: 'cpython',
    name: 'CPython',
    version: '3.13.15',
    purpose: 'SOURCE' as const,
    supplier: 'Organization: Python Software Foundation',
    licenseConcluded: 'PSF-2.0',
    checksums: { SHA256: 'a'.repeat(64) },
    cpe: 'cpe:2.3:a:python:python:3.13.15:*:*:*:*:*:*:*',
    downloadLocation: 'https://www.python.org/ftp/python/3.13.15/Python-3.13.15.tar.xz',
    files: [] as string[],
    dependsOn: ['expat'],
  };
  const expat = { ref: 'expat', name: 'expat', version: '2.8.2', purpose: 'SOURCE' as const, checksums: {}, files: [] as string[], dependsOn: [] };
  const files = [];
  for (let i = 0; i < count; i++) {
    const path = `Lib/pkg${i % 50}/module_${i}.py`;
    files.push({
      path,
      checksums: { SHA1: createHash('sha1').update(path).digest('hex'), SHA256: createHash('sha256').update(path).digest('hex') },
    });
    (i % 100 === 0 ? expat : cpython).files.push(path);
  }
  return {
    name: 'CPython SBOM',
    namespace: 'https://www.python.org/ftp/python/3.13.15/Python-3.13.15.tar.xz.spdx.json',
    created: '2024-01-01T00:00:00Z',
    creators: ['Tool: cpython-sbom-0.1.0'],
    dataLicense: 'CC0-1.0',
    describes: ['cpython'],
    packages: [cpython, expat],
    files,
    relationships: [],
    annotations: [],
  };
}
