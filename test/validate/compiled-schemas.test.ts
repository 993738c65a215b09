import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { compileBundledSchema, firstDuplicateItems } from '../../src/formats/schema/bundled.js';
import { SCHEMA_IDS, type SchemaId, schemaFingerprint } from '../../src/formats/schema/sources.js';
import { COMPILED_VALIDATORS_DIR, FINGERPRINTS_FILE, compiledValidatorPath, loadCompiledValidator } from '../../src/formats/schema/validators.js';

// The standalone validators `npm run build` writes must say exactly what compiling the same
// definition at run time says: on valid documents, on planted faults, on duplicate items.
const require = createRequire(import.meta.url);
const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'validate');

function documentsFor(id: SchemaId): { name: string; json: any }[] {
  const family = id.startsWith('spdx-') ? 'spdx' : 'cyclonedx';
  const dir = join(FIXTURES, family);
  const docs = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .flatMap((name) => {
      try {
        return [{ name, json: JSON.parse(readFileSync(join(dir, name), 'utf8')) }];
      } catch {
        return [];
      }
    });
  if (family === 'cyclonedx') {
    for (const doc of docs) doc.json.specVersion = id.slice('cyclonedx-'.length);
    const base = docs.find((doc) => doc.name.startsWith('good-'));
    if (base) {
      const duplicated = structuredClone(base.json);
      duplicated.components.push(structuredClone(duplicated.components[0]));
      duplicated.components.unshift({ type: 'library' });
      docs.push({ name: 'duplicate + missing name', json: duplicated });
    }
  }
  return docs;
}

describe('precompiled schema validators', () => {
  it.each(SCHEMA_IDS)('%s: the build wrote it, and it agrees with a run-time compile', (id) => {
    const path = compiledValidatorPath(id);
    expect(existsSync(path), `${path} is missing: run npm run build`).toBe(true);
    const compiled = require(path) as ValidateFunction;
    expect(loadCompiledValidator(id), 'compiled from other schema files than those installed: run npm run build').toBe(compiled);
    const runtime = compileBundledSchema(id).validate;
    const documents = documentsFor(id);
    expect(documents.length).toBeGreaterThan(1);
    let failures = 0;
    for (const { name, json } of documents) {
      const verdict = compiled(json);
      expect(runtime(json), name).toBe(verdict);
      expect(compiled.errors ?? null, name).toEqual(runtime.errors ?? null);
      if (!verdict) failures++;
    }
    expect(failures).toBeGreaterThan(0);
  });

  it('finds the first pair of equal items, whatever their key order', () => {
    expect(firstDuplicateItems([{ a: 1, b: [1, 2] }, { a: 2 }, { b: [1, 2], a: 1 }])).toEqual([0, 2]);
    expect(firstDuplicateItems([{ a: 1 }, { a: '1' }, [1], ['1'], null, 'null'])).toBeUndefined();
  });

  it('are passed over when missing or compiled from other schema files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpython-sbom-validators-'));
    try {
      const id: SchemaId = 'spdx-2.3';
      expect(loadCompiledValidator(id, dir)).toBeUndefined();
      copyFileSync(compiledValidatorPath(id), compiledValidatorPath(id, dir));
      writeFileSync(join(dir, FINGERPRINTS_FILE), JSON.stringify({ [id]: '0'.repeat(64) }));
      expect(loadCompiledValidator(id, dir)).toBeUndefined();
      writeFileSync(join(dir, FINGERPRINTS_FILE), JSON.stringify({ [id]: schemaFingerprint(id) }));
      expect(typeof loadCompiledValidator(id, dir)).toBe('function');
      expect(JSON.parse(readFileSync(join(COMPILED_VALIDATORS_DIR, FINGERPRINTS_FILE), 'utf8'))[id]).toBe(schemaFingerprint(id));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
