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
    expect(firstDuplicateItems([{ 0: 1 }, [1], [[1, 2]], [[2, 1]], { a: {} }, { a: [] }, { a: 1, b: 2 }, { a: 2, b: 1 }])).toBeUndefined();
    expect(firstDuplicateItems([0, -0])).toEqual([0, 1]);
    // The earliest of the equal items, found at the first item that repeats one.
    expect(firstDuplicateItems([{ x: [1] }, 'a', { y: 1 }, { y: 1 }, { x: [1] }])).toEqual([2, 3]);
  });

  it('agrees with comparing every pair of items, on random JSON values', () => {
    // A reference as plain as can be: every pair, by sorted-key JSON text.
    const canonical = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
      if (value && typeof value === 'object')
        return `{${Object.keys(value)
          .sort()
          .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
          .join(',')}}`;
      return JSON.stringify(value);
    };
    const everyPair = (items: unknown[]): [number, number] | undefined => {
      for (let j = 0; j < items.length; j++) for (let i = 0; i < j; i++) if (canonical(items[i]) === canonical(items[j])) return [i, j];
      return undefined;
    };
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const value = (depth: number): unknown => {
      const kind = random(depth > 2 ? 4 : 6);
      if (kind === 0) return random(3);
      if (kind === 1) return ['a', 'b', ''][random(3)];
      if (kind === 2) return [true, false, null][random(3)];
      if (kind === 3) return -0;
      if (kind === 4) return Array.from({ length: random(3) }, () => value(depth + 1));
      const keys = ['a', 'b', 'c'].filter(() => random(2) === 0);
      // Keys in either order: equal objects need not be written alike.
      if (random(2) === 0) keys.reverse();
      return Object.fromEntries(keys.map((key) => [key, value(depth + 1)]));
    };
    let duplicates = 0;
    for (let round = 0; round < 2000; round++) {
      const items = Array.from({ length: 1 + random(6) }, () => value(0));
      const expected = everyPair(items);
      if (expected) duplicates++;
      expect(firstDuplicateItems(items), JSON.stringify(items)).toEqual(expected);
    }
    expect(duplicates).toBeGreaterThan(100);
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
