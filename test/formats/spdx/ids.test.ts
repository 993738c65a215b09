import { describe, expect, it } from 'vitest';
import { SpdxIdAllocator, encodeSpdxId } from '../../../src/formats/spdx/ids.js';
import { assignSpdxIds } from '../../../src/formats/spdx/write.js';
import { emptyDocument } from '../../../src/model/document.js';
import type { Package } from '../../../src/model/types.js';

const pkg = (ref: string, name: string, spdxId?: string): Package => ({
  ref,
  name,
  version: '1',
  checksums: {},
  files: [],
  dependsOn: [],
  ...(spdxId ? { spdxId } : {}),
});

describe('SPDX identifiers', () => {
  it('encode runs of other characters as one dash, as CPython does', () => {
    expect(encodeSpdxId('SPDXRef-FILE-Lib/_collections_abc.py')).toBe('SPDXRef-FILE-Lib-collections-abc.py');
  });

  it('suffix a colliding file id with the 8 hex digits release-tools uses', () => {
    const ids = new SpdxIdAllocator();
    expect(ids.claim('SPDXRef-FILE-Lib/collections.py')).toBe('SPDXRef-FILE-Lib-collections.py');
    expect(ids.claim('SPDXRef-FILE-Lib/_collections.py')).toBe('SPDXRef-FILE-Lib-collections.py-fc43043d');
    expect(ids.claim('SPDXRef-FILE-Lib/collections.py')).toBe('SPDXRef-FILE-Lib-collections.py');
  });

  it('tell apart two packages with the same name (pip vendors setuptools 44, 3.11 bundles setuptools 65)', () => {
    const document = emptyDocument();
    document.packages = [pkg('setuptools', 'setuptools', 'SPDXRef-PACKAGE-setuptools'), pkg('pip/setuptools', 'setuptools', 'SPDXRef-PACKAGE-setuptools')];
    const ids = assignSpdxIds(document);
    const first = ids.packages.get('setuptools');
    const second = ids.packages.get('pip/setuptools');
    expect(first).toBe('SPDXRef-PACKAGE-setuptools');
    expect(second).toMatch(/^SPDXRef-PACKAGE-setuptools-[0-9a-f]{8}$/);
  });
});
