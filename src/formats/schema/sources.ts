import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSON_CYCLONEDX_VERSIONS, cycloneDxRow } from '../cyclonedx/versions.js';

/**
 * The JSON schema files behind each validator this tool uses, and a fingerprint of them. Kept
 * apart from bundled-schemas.ts (which compiles them) so that checking a precompiled validator
 * against its sources does not load Ajv.
 *
 * - SPDX: the official schemas bundled in `schemas/`: 2.3 as released (strict), the 2.3.1 errata
 *   (draft 2019-09), and 2.2.2.
 * - CycloneDX: the schemas bundled in @cyclonedx/cyclonedx-library.
 */

export type SchemaId = 'spdx-2.2' | 'spdx-2.3' | 'spdx-2.3.1' | `cyclonedx-${string}`;
export const SCHEMA_IDS: readonly SchemaId[] = [
  'spdx-2.2',
  'spdx-2.3',
  'spdx-2.3.1',
  ...JSON_CYCLONEDX_VERSIONS.map((version): SchemaId => `cyclonedx-${version}`),
];

const require = createRequire(import.meta.url);
const SPDX_SCHEMA_DIR = fileURLToPath(new URL('../../../schemas/', import.meta.url));
const CYCLONEDX_SCHEMA_DIR = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const CYCLONEDX_REFERENCED = {
  'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': 'spdx.SNAPSHOT.schema.json',
  'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json': 'cryptography-defs.SNAPSHOT.schema.json',
  'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': 'jsf-0.82.SNAPSHOT.schema.json',
};

export interface SchemaFiles {
  /** The schema validated against. */
  main: string;
  /** Schemas it references, by the URI it references them with. */
  referenced: Record<string, string>;
}

export function schemaFiles(id: SchemaId): SchemaFiles {
  if (id.startsWith('spdx-')) return { main: join(SPDX_SCHEMA_DIR, `${id}.schema.json`), referenced: {} };
  const file = cycloneDxRow(id.slice('cyclonedx-'.length))?.jsonSchema;
  if (!file) throw new Error(`no CycloneDX JSON schema for ${id}`);
  return {
    main: join(CYCLONEDX_SCHEMA_DIR, file),
    referenced: Object.fromEntries(Object.entries(CYCLONEDX_REFERENCED).map(([uri, name]) => [uri, join(CYCLONEDX_SCHEMA_DIR, name)])),
  };
}

/**
 * SHA-256 over the Ajv version and the bytes of every schema file a validator is compiled from:
 * a precompiled validator is used only while its sources are what it was compiled from (an
 * upgraded CycloneDX library or Ajv makes the run compile afresh instead).
 */
export function schemaFingerprint(id: SchemaId): string {
  const hash = createHash('sha256');
  hash.update(`ajv ${(require('ajv/package.json') as { version: string }).version}\n`);
  const { main, referenced } = schemaFiles(id);
  for (const [name, path] of [['', main] as const, ...Object.entries(referenced).sort(([a], [b]) => (a < b ? -1 : 1))]) {
    hash.update(`${name}\n`).update(readFileSync(path));
  }
  return hash.digest('hex');
}
