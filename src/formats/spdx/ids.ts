import { createHash } from 'node:crypto';

/**
 * SPDX identifiers as CPython's and python.org's tools spell them: every run of characters outside
 * `[A-Za-z0-9.-]` becomes one `-`. That mapping is lossy (`Lib/_abc.py` and `Lib/abc.py` both give
 * `SPDXRef-FILE-Lib-abc.py`), so the allocator remembers which value owns an identifier and gives a
 * later, different value the identifier plus the first 8 hex digits of the value's SHA-256 — the
 * same suffix release-tools uses, so documents agree with python.org's wherever python.org's are
 * themselves free of duplicates.
 */
export function encodeSpdxId(value: string): string {
  return value.replace(/[^a-zA-Z0-9.-]+/g, '-');
}

export class SpdxIdAllocator {
  private readonly owners = new Map<string, string>();

  /**
   * Claims an identifier for `value` (an unencoded hint such as `SPDXRef-FILE-Lib/abc.py`) on
   * behalf of one element. `identity` tells elements apart when two share a hint (two packages
   * both called setuptools); for files it is the hint itself, as in release-tools.
   */
  claim(value: string, identity: string = value): string {
    const id = encodeSpdxId(value);
    const owner = this.owners.get(id);
    if (owner === undefined) {
      this.owners.set(id, identity);
      return id;
    }
    if (owner === identity) return id;
    const suffixed = `${id}-${createHash('sha256').update(identity).digest('hex').slice(0, 8)}`;
    const suffixOwner = this.owners.get(suffixed);
    if (suffixOwner !== undefined && suffixOwner !== identity) {
      throw new Error(`SPDX identifier collision that a hash suffix cannot resolve: ${suffixed}`);
    }
    this.owners.set(suffixed, identity);
    return suffixed;
  }
}
