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

  it('sorts lists of objects by their first values where those differ, exactly as by their whole compact text', () => {
    // Values chosen to meet at every boundary the shortcut relies on: one a prefix of another,
    // escapes (a quote, a backslash, control and non-ASCII characters), equal first values (the
    // shortcut must not apply), other first keys, keys absent, and first values of other types.
    const strings = ['a', 'ab', 'a"', 'a\\', 'a b', 'a\n', 'é', 'a\u0000', 'A', '', 'z', '\u{1F600}', 'a\u007f'];
    const keys = ['SPDXID', 'algorithm', 'b', 'checksums'];
    let seed = 20;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return (seed >>> 8) % n;
    };
    const pick = <T>(list: T[]): T => list[random(list.length)] as T;
    const scalar = (): JsonValue => (random(6) === 0 ? random(3) : pick(strings));
    const object = (depth: number): { [key: string]: JsonValue } => {
      const out: { [key: string]: JsonValue } = {};
      for (const key of keys) if (random(3) > 0) out[key] = depth < 2 && random(4) === 0 ? list(depth + 1) : scalar();
      return out;
    };
    const list = (depth: number): JsonValue[] => Array.from({ length: random(6) }, () => (random(8) === 0 ? scalar() : object(depth)));
    // Half the lists are shaped for the shortcut: every item keyed first by SPDXID, mostly distinct.
    const shaped = (depth: number): JsonValue[] => {
      const left = [...strings];
      return Array.from({ length: random(6) }, () => ({ ...object(depth), SPDXID: random(10) === 0 ? 'a' : (left.splice(random(left.length), 1)[0] ?? 'a') }));
    };
    let shortcuts = 0;
    for (let round = 0; round < 400; round++) {
      const value: JsonValue = { files: round % 2 === 0 ? shaped(0) : list(0), nested: [list(1)] };
      const files = value.files as { [key: string]: JsonValue }[];
      const firsts = files.map((file) => (typeof file === 'object' && file !== null ? file[Object.keys(file).sort()[0] ?? ''] : undefined));
      if (files.length > 1 && firsts.every((first) => typeof first === 'string') && new Set(firsts).size === files.length) shortcuts++;
      expect(pythonJsonDumpsSortedLists(value)).toBe(pythonJsonDumpsIndented(sortListsLikeReleaseTools(value)));
    }
    // The shortcut itself was taken often enough for this to say something.
    expect(shortcuts).toBeGreaterThan(20);
  });
});
