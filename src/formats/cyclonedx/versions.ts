/**
 * The CycloneDX versions this tool knows, as data: adding a version is one row here (plus, for a
 * written one, its spec in @cyclonedx/cyclonedx-library). Every reader, writer, schema check,
 * the CLI's choices and the library's type come from this table.
 */
export interface CycloneDxVersionRow {
  version: string;
  /** Written by `generate --cyclonedx-version` (needs the library's spec of that version). */
  written: boolean;
  /** The JSON schema file in @cyclonedx/cyclonedx-library's res/schema (undefined: XML only). */
  jsonSchema?: string;
  /** The XSD file in the same folder. */
  xsd: string;
}

export const CYCLONEDX_VERSION_TABLE = [
  { version: '1.0', written: false, xsd: 'bom-1.0.SNAPSHOT.xsd' },
  { version: '1.1', written: false, xsd: 'bom-1.1.SNAPSHOT.xsd' },
  // 1.2 and 1.3 have "-strict" variants (no additional properties); later versions are strict already.
  { version: '1.2', written: false, jsonSchema: 'bom-1.2-strict.SNAPSHOT.schema.json', xsd: 'bom-1.2.SNAPSHOT.xsd' },
  { version: '1.3', written: false, jsonSchema: 'bom-1.3-strict.SNAPSHOT.schema.json', xsd: 'bom-1.3.SNAPSHOT.xsd' },
  { version: '1.4', written: false, jsonSchema: 'bom-1.4.SNAPSHOT.schema.json', xsd: 'bom-1.4.SNAPSHOT.xsd' },
  { version: '1.5', written: false, jsonSchema: 'bom-1.5.SNAPSHOT.schema.json', xsd: 'bom-1.5.SNAPSHOT.xsd' },
  { version: '1.6', written: true, jsonSchema: 'bom-1.6.SNAPSHOT.schema.json', xsd: 'bom-1.6.SNAPSHOT.xsd' },
  { version: '1.7', written: true, jsonSchema: 'bom-1.7.SNAPSHOT.schema.json', xsd: 'bom-1.7.SNAPSHOT.xsd' },
] as const satisfies readonly CycloneDxVersionRow[];

type Row = (typeof CYCLONEDX_VERSION_TABLE)[number];

/** The versions `generate` writes (`--cyclonedx-version`). */
export type CycloneDxSpecVersion = Extract<Row, { written: true }>['version'];
export const WRITTEN_CYCLONEDX_VERSIONS = CYCLONEDX_VERSION_TABLE.filter((row) => row.written).map((row) => row.version) as CycloneDxSpecVersion[];
export const DEFAULT_CYCLONEDX_VERSION: CycloneDxSpecVersion = '1.6';

/** Versions read and validated as JSON (those with a JSON schema). */
export const JSON_CYCLONEDX_VERSIONS: readonly string[] = CYCLONEDX_VERSION_TABLE.filter((row) => 'jsonSchema' in row).map((row) => row.version);
/** Versions read and validated as XML. */
export const XML_CYCLONEDX_VERSIONS: readonly string[] = CYCLONEDX_VERSION_TABLE.map((row) => row.version);

export function cycloneDxRow(version: string): CycloneDxVersionRow | undefined {
  return (CYCLONEDX_VERSION_TABLE as readonly CycloneDxVersionRow[]).find((row) => row.version === version);
}

/** `1.2 to 1.7`, for messages. */
export function versionRange(versions: readonly string[]): string {
  return `${versions[0]} to ${versions[versions.length - 1]}`;
}
