#!/usr/bin/env node
// Build step (after tsc): turns every bundled JSON schema into a standalone Ajv validator in
// dist/validate/compiled/, so that no run pays for compiling a schema (~0.2 s for CycloneDX 1.6).
// What is compiled, and how, is defined once in src/validate/bundled-schemas.ts.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { SCHEMA_IDS, compileBundledSchema, formatsModuleSource } from '../dist/validate/bundled-schemas.js';
import { COMPILED_VALIDATORS_DIR } from '../dist/validate/schema-validators.js';

const formatsFile = 'formats.cjs';
const staging = `${COMPILED_VALIDATORS_DIR.replace(/\/$/, '')}.tmp`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
writeFileSync(join(staging, formatsFile), formatsModuleSource());
for (const id of SCHEMA_IDS) {
  const { ajv, validate } = compileBundledSchema(id, { source: { formatsModule: `./${formatsFile}` } });
  writeFileSync(join(staging, `${id}.cjs`), standaloneCode.default(ajv, validate));
}
rmSync(COMPILED_VALIDATORS_DIR, { recursive: true, force: true });
renameSync(staging, COMPILED_VALIDATORS_DIR);
