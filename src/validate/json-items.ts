/**
 * The items of a raw JSON array that have the expected type, each with its index (for the JSON
 * pointer a finding names); anything else yields nothing, since the schema check reports wrong
 * types. Plain loops: `flatMap` allocates an array per item, and a release's documents hold
 * tens of thousands of items (the semantic checks of its SPDX took 1.7 to 1.9 times as long).
 */

export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `[index, item]` for every item of `value` that is a JSON object (none when `value` is not an array). */
export function objectItems(value: unknown): [number, JsonObject][] {
  const out: [number, JsonObject][] = [];
  if (!Array.isArray(value)) return out;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (isJsonObject(item)) out.push([i, item]);
  }
  return out;
}

/** `[index, item]` for every item of `value` that is a string. */
export function stringItems(value: unknown): [number, string][] {
  const out: [number, string][] = [];
  if (!Array.isArray(value)) return out;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item === 'string') out.push([i, item]);
  }
  return out;
}
