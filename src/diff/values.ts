/**
 * A value as `diff` compares it: whitespace collapsed, and SPDX `NOASSERTION`/`NONE`, an empty
 * string and an absent value all "unknown". CycloneDX can say neither, so telling them apart would
 * make every SPDX document differ from its CycloneDX twin.
 */
export function known(value: string | undefined): string | undefined {
  const text = value?.trim().replace(/\s+/g, ' ');
  return text && text !== 'NOASSERTION' && text !== 'NONE' ? text : undefined;
}
