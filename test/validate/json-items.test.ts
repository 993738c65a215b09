import { describe, expect, it } from 'vitest';
import { isJsonObject, objectItems, stringItems } from '../../src/validate/json-items.js';
import { Findings } from '../../src/formats/schema/issues.js';
import { checkSpdxSemantics } from '../../src/validate/spdx-semantics.js';

describe('the items a semantic check walks', () => {
  it('keeps the objects of an array with their own indices, skipping what the schema refuses', () => {
    const value = [{ a: 1 }, null, [1], 'x', 7, { b: 2 }];
    expect(objectItems(value)).toEqual([
      [0, { a: 1 }],
      [5, { b: 2 }],
    ]);
    expect(stringItems(value)).toEqual([[3, 'x']]);
    expect(isJsonObject([])).toBe(false);
    expect(isJsonObject(null)).toBe(false);
  });

  it('yields nothing for what is not an array', () => {
    for (const value of [undefined, null, 'files', 3, { 0: { a: 1 }, length: 1 }]) {
      expect(objectItems(value)).toEqual([]);
      expect(stringItems(value)).toEqual([]);
    }
  });

  it('points a finding at the item by its place in the document, past items of the wrong type', () => {
    const findings = new Findings();
    checkSpdxSemantics(
      {
        SPDXID: 'SPDXRef-DOCUMENT',
        documentDescribes: ['SPDXRef-a'],
        files: ['not a file', { SPDXID: 'SPDXRef-a', fileName: './a', checksums: [{ algorithm: 'SHA1', checksumValue: 'zz' }] }],
      },
      findings,
    );
    expect(findings.errors.map((error) => error.path)).toContain('/files/1/checksums/0/checksumValue');
  });
});
