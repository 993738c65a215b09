#!/usr/bin/env node
// Build step (after tsc): what every run would otherwise derive again from the sources.
// - dist/formats/schema/compiled/: every bundled JSON schema as a standalone Ajv validator, so that no
//   run pays for compiling one (~0.2 s for CycloneDX 1.6). What is compiled, and how, is defined
//   once in src/formats/schema/bundled.ts; fingerprints.json records the schema files each was
//   compiled from, so a run uses it only while those are what is installed.
// - dist/catalog/components.json: catalog/components.yaml as JSON (~1 ms to read, not ~50 ms),
//   with the SHA-256 of the YAML it came from: a run uses it only while the YAML still has that content.
// - dist/license/spdx-index.{json,bin}: the SPDX license texts as bigram sets (see the end).
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { CATALOG_JSON, CATALOG_YAML, catalogYamlDigest, parseCatalogYaml } from '../dist/catalog/catalog.js';
import { compileBundledSchema, formatsModuleSource } from '../dist/formats/schema/bundled.js';
import { SCHEMA_IDS, schemaFingerprint } from '../dist/formats/schema/sources.js';
import { COMPILED_VALIDATORS_DIR, FINGERPRINTS_FILE, compiledValidatorPath } from '../dist/formats/schema/validators.js';

/** Writes into a sibling staging directory, then swaps it in, so a failed build leaves no half set. */
function replaceDirectory(target, fill) {
  const staging = `${target.replace(/\/$/, '')}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  fill(staging);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
}

replaceDirectory(COMPILED_VALIDATORS_DIR, (dir) => {
  const formatsFile = 'formats.cjs';
  writeFileSync(join(dir, formatsFile), formatsModuleSource());
  const fingerprints = {};
  for (const id of SCHEMA_IDS) {
    const { ajv, validate } = compileBundledSchema(id, { source: { formatsModule: `./${formatsFile}` } });
    writeFileSync(compiledValidatorPath(id, dir), standaloneCode.default(ajv, validate));
    fingerprints[id] = schemaFingerprint(id);
  }
  writeFileSync(join(dir, FINGERPRINTS_FILE), `${JSON.stringify(fingerprints, null, 2)}\n`);
});

mkdirSync(dirname(CATALOG_JSON), { recursive: true });
const catalogYaml = readFileSync(CATALOG_YAML, 'utf8');
writeFileSync(`${CATALOG_JSON}.tmp`, JSON.stringify({ yamlSha256: catalogYamlDigest(catalogYaml), catalog: parseCatalogYaml(catalogYaml) }));
renameSync(`${CATALOG_JSON}.tmp`, CATALOG_JSON);

// dist/license/spdx-index.{json,bin}: the SPDX license list's texts, normalised into bigram sets
// (src/license/spdx-index.ts), so the license matcher does not normalise 700 texts per run.
{
  const { INDEX_BIN, INDEX_JSON, computeLicenseIndex, serializeLicenseIndex } = await import('../dist/license/spdx-index.js');
  const { json, bin } = serializeLicenseIndex(computeLicenseIndex());
  mkdirSync(dirname(INDEX_JSON), { recursive: true });
  writeFileSync(`${INDEX_BIN}.tmp`, bin);
  writeFileSync(`${INDEX_JSON}.tmp`, json);
  renameSync(`${INDEX_BIN}.tmp`, INDEX_BIN);
  renameSync(`${INDEX_JSON}.tmp`, INDEX_JSON);
}
