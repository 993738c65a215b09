import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCycloneDx, serialNumberFor, writeCycloneDx } from '../../src/formats/cyclonedx/index.js';
import { readSpdx } from '../../src/formats/spdx/read.js';
import { writeSpdx } from '../../src/formats/spdx/write.js';
import { addSha512, parseHashOption } from '../../src/generate/sha512.js';
import { fileHasher } from '../../src/util/hasher.js';

const sha512Hex = (bytes: Uint8Array) => createHash('sha512').update(bytes).digest('hex');
import { assignDocumentIdentity, documentContentDigest, documentIdentity } from '../../src/model/namespace.js';
import { generate, validate } from '../../src/index.js';
import { SAMPLE } from '../support/cli.js';

async function sampleModel(profile: 'complete' | 'python.org' = 'complete') {
  const result = await generate(SAMPLE, { format: ['spdx-json'], profile, created: '2026-01-01T00:00:00Z' });
  expect(result.ok).toBe(true);
  return result.model;
}

describe('document identity follows content and profile', () => {
  it("keeps python.org's namespace under --profile python.org and an explicit one; derives the rest from the content", async () => {
    const official = await sampleModel('python.org');
    expect(documentIdentity(official, { profile: 'python.org', label: 'sample' })).toBe(official.namespace);
    const complete = await sampleModel();
    expect(documentIdentity(complete, { profile: 'complete', label: 'sample', explicit: true })).toBe(complete.namespace);
    const derived = documentIdentity(complete, { profile: 'complete', label: 'Python-3.13.15.tar.xz' });
    expect(derived).toMatch(/^https:\/\/spdx\.org\/spdxdocs\/cpython-sbom\/Python-3\.13\.15\.tar\.xz-complete-[0-9a-f]{32}$/);
    expect(derived).not.toBe(official.namespace);
    // Same content, same identity: run to run and whatever the creation time.
    const again = await sampleModel();
    again.created = '2030-06-01T12:00:00Z';
    expect(documentIdentity(again, { profile: 'complete', label: 'Python-3.13.15.tar.xz' })).toBe(derived);
    // Any change of content, another identity; and so another CycloneDX serial number.
    const changed = structuredClone(again);
    (changed.files[0] as { checksums: { SHA256?: string } }).checksums.SHA256 = '0'.repeat(64);
    const changedId = documentIdentity(changed, { profile: 'complete', label: 'Python-3.13.15.tar.xz' });
    expect(changedId).not.toBe(derived);
    expect(serialNumberFor(changedId)).not.toBe(serialNumberFor(derived));
    const withCreator = structuredClone(again);
    withCreator.creators.push('Organization: Example Distro');
    expect(documentContentDigest(withCreator)).not.toBe(documentContentDigest(again));
    assignDocumentIdentity(again, { profile: 'complete', label: 'Python-3.13.15.tar.xz' });
    expect(again.namespace).toBe(derived);
    const cdx = JSON.parse(writeCycloneDx(again, { format: 'json', specVersion: '1.6' })) as { serialNumber: string };
    expect(cdx.serialNumber).toBe(serialNumberFor(derived));
  }, 60_000);
});

describe('--hash sha512', () => {
  it('parses the option', () => {
    expect(parseHashOption(['sha512', 'SHA-512'])).toEqual(['sha512']);
    expect(() => parseHashOption(['md5'])).toThrow(/--hash: unknown algorithm 'md5'/);
  });

  it('hashes in one pass with SHA-1 and SHA-256', () => {
    const hasher = fileHasher(true);
    hasher.update(Buffer.from('abc'));
    hasher.update(Buffer.from('def'));
    const sums = hasher.digest();
    expect(sums.sha1).toBe(createHash('sha1').update('abcdef').digest('hex'));
    expect(sums.sha256).toBe(createHash('sha256').update('abcdef').digest('hex'));
    expect(sums.sha512).toBe(sha512Hex(Buffer.from('abcdef')));
    expect(Object.keys(fileHasher().digest())).toEqual(['sha1', 'sha256']);
  });

  it('adds SHA-512 to every file and to packages whose artifact is at hand; both formats write, validate and read it back', async () => {
    const document = await sampleModel();
    const byPath = new Map<string, string>();
    for (const file of document.files) {
      // A wheel member is named `<wheel>/<member>`: its bytes come from the wheel, as the scan would hand them over.
      if (file.path.includes('.whl/')) byPath.set(file.path, 'e'.repeat(128));
      else byPath.set(file.path, sha512Hex(readFileSync(join(SAMPLE, file.path))));
    }
    const result = addSha512(document, byPath);
    expect(result.files).toBe(document.files.length);
    expect(document.files.every((file) => /^[0-9a-f]{128}$/.test(file.checksums.SHA512 ?? ''))).toBe(true);
    // The bundled pip wheel is a file of the tree: its package gets the same digest.
    const pip = document.packages.find((pkg) => pkg.name === 'pip');
    const wheel = document.files.find((file) => file.path.endsWith('.whl'));
    expect(pip?.checksums.SHA512).toBe(wheel?.checksums.SHA512);
    expect(result.packages).toBeGreaterThan(0);
    for (const pkg of document.packages.filter((p) => p.checksums.SHA256 && !p.checksums.SHA512)) expect(result.withoutSha512).toContain(pkg.name);

    const spdx = writeSpdx(document);
    expect((await validate({ text: spdx, name: 'x.spdx.json' })).errors).toEqual([]);
    const json = JSON.parse(spdx) as { files: { checksums: { algorithm: string }[] }[] };
    expect(json.files[0]?.checksums.map((c) => c.algorithm)).toEqual(['SHA1', 'SHA256', 'SHA512']);
    expect(readSpdx(spdx, 'x').document.files.every((file) => file.checksums.SHA512)).toBe(true);
    for (const format of ['json', 'xml'] as const) {
      const cdx = writeCycloneDx(document, { format, specVersion: '1.6' });
      expect(cdx).toContain('SHA-512');
      expect((await validate({ text: cdx, name: `x.cdx.${format}` })).errors, format).toEqual([]);
      const back = readCycloneDx(cdx, 'x').document;
      expect(
        back.files.every((file) => file.checksums.SHA512),
        format,
      ).toBe(true);
      expect(back.packages.find((pkg) => pkg.name === 'pip')?.checksums.SHA512, format).toBe(pip?.checksums.SHA512);
    }
  }, 60_000);
});
