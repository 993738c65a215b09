/** CycloneDX: write the model (1.6/1.7, JSON/XML), read any CycloneDX 1.2–1.7 back, validate against the schemas. */
export { writeCycloneDx, serialNumberFor, type CycloneDxSpecVersion, type WriteCycloneDxOptions } from './write.js';
export { readCycloneDx, readCycloneDxJson, type ReadCycloneDxResult } from './read.js';
export { validateCycloneDxSchema, type SchemaError } from './schema.js';
