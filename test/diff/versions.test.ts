import { describe, expect, it } from 'vitest';
import { classifyVersionChange, isCommitId, upstreamAsPep440, versionOrder } from '../../src/diff/versions.js';

describe('diff: version direction', () => {
  it.each([
    // Upstream (non-PyPI) schemes: dotted numbers, tags as the upstream writes them.
    ['2.6.3', '2.8.2', false, 'upgrade'],
    ['0.98.1', '0.98.0', false, 'downgrade'],
    ['1.9', '1.10', false, 'upgrade'], // numeric, not lexical
    ['3.13.0rc1', '3.13.0', false, 'upgrade'],
    ['3.13.0a7', '3.13.0b1', false, 'upgrade'],
    ['3.14.0b3', '3.14.0rc1', false, 'upgrade'],
    ['3.14.0a1+', '3.14.0a2', false, 'upgrade'], // CPython's development builds carry a '+'
    ['1.0.0-rc.2', '1.0.0-rc.10', false, 'upgrade'],
    ['1.0.0-beta', '1.0.0', false, 'upgrade'],
    ['v2.0', '1.9', false, 'downgrade'],
    ['2.0', '2.0.0', false, 'changed'], // equal numbers spelled differently
    ['2.1.2', '2.1.2.post1', false, 'upgrade'], // a post-release is not a downgrade, PyPI or not
    ['2.1.2.post1', '2.1.2', false, 'downgrade'],
    ['2.1.2.dev1', '2.1.2rc1', false, 'upgrade'],
    ['2.1.2.dev1', '2.1.2', false, 'upgrade'],
    ['2.1.2rc1', '2.1.2.post1', false, 'upgrade'],
    ['R_2_6_3', 'R_2_8_2', false, 'upgrade'], // expat's tags
    ['R_2_7_5', '2.7.5', false, 'changed'], // the tag and the version name the same release
    ['R_2_8_2', 'R_2_7_5', false, 'downgrade'],
    ['v2.1.2', 'v2.1.7', false, 'upgrade'], // mimalloc's tags
    ['1.1.1', '1.1.1w', false, 'upgrade'], // OpenSSL 1.x letter releases come after
    ['1.1.1w', '1.1.1v', false, 'downgrade'],
    ['1.1.1w', '3.0.16', false, 'upgrade'],
    ['8.6.13.0', '8.6.15.0', false, 'upgrade'], // Tcl/Tk as PCbuild names it
    ['2.5.1+ds', '2.5.1', false, 'changed'], // build metadata says nothing about order
    // PyPI projects: PEP 440.
    ['25.1.1', '26.2.1', true, 'upgrade'],
    ['1.26.20', '2.7.0', true, 'upgrade'],
    ['24.0.post1', '24.0', true, 'downgrade'],
    ['24.0', '24.0.post1', true, 'upgrade'],
    ['2.0.0rc1', '2.0.0.dev3', true, 'downgrade'],
    ['2.0.0.dev3', '2.0.0a1', true, 'upgrade'],
    ['1.0.post1.dev2', '1.0.post1', true, 'upgrade'],
    ['2025.1.31', '2026.6.17', true, 'upgrade'],
    ['1!1.0', '2.0', true, 'downgrade'], // epochs
    // No order.
    ['bb3d0dc8d9d15a5cd51094d5b69e70aa09005ff0', 'f4e1a3b2c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5', false, 'changed'],
    ['4c1c8d3', '2.0', false, 'changed'],
    ['', '1.0', false, 'changed'],
    ['weird', 'other', false, 'changed'],
  ] as const)('%s -> %s (pypi=%s) is %s', (before, after, pypi, expected) => {
    expect(classifyVersionChange(before, after, pypi)).toBe(expected);
  });

  it("strips the project's own name in front of the number", () => {
    expect(classifyVersionChange('mpdecimal-2.5.1', 'mpdecimal-4.0.0', false, 'mpdecimal')).toBe('upgrade');
    expect(upstreamAsPep440('expat-2.6.3', 'expat')).toBe('2.6.3');
    expect(upstreamAsPep440('R_2_6_3')).toBe('2.6.3');
    expect(upstreamAsPep440('1.1.1w')).toBe('1.1.1.post23');
  });

  it('gives no order for overlong or unreadable versions', () => {
    expect(versionOrder(`1.${'0.'.repeat(100)}1`, '2.0', false)).toBeUndefined();
    expect(versionOrder('1.0', 'not a version', true)).toBeUndefined();
    expect(versionOrder('1.2.3', '1.2.3', false)).toBe(0);
  });

  it('knows commit ids from numbers', () => {
    expect(isCommitId('bb3d0dc8d9d15a5cd51094d5b69e70aa09005ff0')).toBe(true);
    expect(isCommitId('4c1c8d3')).toBe(true);
    expect(isCommitId('20240101')).toBe(false);
    expect(isCommitId('2.6.3')).toBe(false);
  });
});
