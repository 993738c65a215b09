import { describe, expect, it } from 'vitest';
import {
  pythonJsonDumpsCompact,
  pythonJsonDumpsIndented,
  pythonJsonDumpsSortedLists,
  pythonJsonString,
  sortListsLikeReleaseTools,
  type JsonValue,
} from '../../src/util/python-json.js';

// Expected texts are what CPython 3.11's json.dumps prints for the same values.
describe('JSON as CPython writes it', () => {
  it('escapes like ensure_ascii', () => {
    const cases: [string, string][] = [
      ['a"b\\c', '"a\\"b\\\\c"'],
      ['é', '"\\u00e9"'],
      ['\x7f', '"\\u007f"'],
      ['\u2028', '"\\u2028"'],
      ['😀', '"\\ud83d\\ude00"'],
      ['tab\tnl\ncr\r\b\f\x01', '"tab\\tnl\\ncr\\r\\b\\f\\u0001"'],
      ['Lib/os.py', '"Lib/os.py"'],
    ];
    for (const [value, expected] of cases) expect(pythonJsonString(value)).toBe(expected);
  });

  it('indents with sort_keys, empty containers inline, no trailing newline', () => {
    const value = { b: [1, { z: 'é' }, []], a: {}, c: true, d: null };
    expect(pythonJsonDumpsIndented(value)).toBe(
      '{\n  "a": {},\n  "b": [\n    1,\n    {\n      "z": "\\u00e9"\n    },\n    []\n  ],\n  "c": true,\n  "d": null\n}',
    );
  });

  it('writes the compact form with ", " and ": " separators', () => {
    expect(pythonJsonDumpsCompact({ b: [1, 2], a: 'x' })).toBe('{"a": "x", "b": [1, 2]}');
  });

  it('refuses values Python would write differently (floats)', () => {
    expect(() => pythonJsonDumpsIndented({ a: 1.5 })).toThrow(/Python JSON/);
  });

  it('sorts every list deepest first by the compact text of its items, as release-tools does', () => {
    const value = {
      relationships: [
        { spdxElementId: 'B', relationshipType: 'CONTAINS', relatedSpdxElement: 'y' },
        { spdxElementId: 'A', relationshipType: 'CONTAINS', relatedSpdxElement: 'y' },
        { spdxElementId: 'A', relationshipType: 'CONTAINS', relatedSpdxElement: 'x' },
      ],
      nested: [[3, 1], [2]],
    };
    expect(sortListsLikeReleaseTools(value)).toEqual({
      relationships: [
        { spdxElementId: 'A', relationshipType: 'CONTAINS', relatedSpdxElement: 'x' },
        { spdxElementId: 'A', relationshipType: 'CONTAINS', relatedSpdxElement: 'y' },
        { spdxElementId: 'B', relationshipType: 'CONTAINS', relatedSpdxElement: 'y' },
      ],
      nested: [[1, 3], [2]],
    });
  });

  it('writes sorted lists in one pass exactly as sorting then dumping does', () => {
    const values: JsonValue[] = [
      { b: [{ y: [3, 'é', { q: [] }], x: 1 }, { y: [1], x: 0 }, [], {}], a: { c: [[2, 1], [1, 2], []] }, ü: null },
      [[{ k: ['b', 'a'] }, { k: ['a'] }], [], [{}]],
      {
        files: [
          {
            SPDXID: 'SPDXRef-FILE-b',
            checksums: [
              { algorithm: 'SHA256', checksumValue: 'f' },
              { algorithm: 'SHA1', checksumValue: 'e' },
            ],
          },
          { SPDXID: 'SPDXRef-FILE-a', checksums: [] },
        ],
      },
      'plain',
      [],
      { skipped: undefined as unknown as null, kept: false },
    ];
    for (const value of values) {
      expect(pythonJsonDumpsSortedLists(value)).toBe(pythonJsonDumpsIndented(sortListsLikeReleaseTools(value)));
    }
  });
});
