import { describe, expect, it } from 'vitest';
import { classifyVersionChange, dottedOrder, isCommitId } from '../../src/diff/versions.js';

describe('diff: version direction', () => {
  it.each([
    ['2.6.3', '2.8.2', false, 'upgrade'],
    ['0.98.1', '0.98.0', false, 'downgrade'],
    ['1.9', '1.10', false, 'upgrade'], // numeric, not lexical
    ['3.13.0rc1', '3.13.0', false, 'upgrade'],
    ['3.13.0a7', '3.13.0b1', false, 'upgrade'],
    ['1.0.0-rc.2', '1.0.0-rc.10', false, 'upgrade'],
    ['v2.0', '1.9', false, 'downgrade'],
    ['2.0', '2.0.0', false, 'changed'], // equal numbers spelled differently
    ['25.1.1', '26.2.1', true, 'upgrade'],
    ['1.26.20', '2.7.0', true, 'upgrade'],
    ['24.0.post1', '24.0', true, 'downgrade'], // PEP 440 only
    ['2.0.0rc1', '2.0.0.dev3', true, 'downgrade'],
    ['2025.1.31', '2026.6.17', true, 'upgrade'],
    ['bb3d0dc8d9d15a5cd51094d5b69e70aa09005ff0', 'f4e1a3b2c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5', false, 'changed'],
    ['4c1c8d3', '2.0', false, 'changed'],
    ['', '1.0', false, 'changed'],
    ['weird', 'other', false, 'changed'],
  ] as const)('%s -> %s (pypi=%s) is %s', (before, after, pypi, expected) => {
    expect(classifyVersionChange(before, after, pypi)).toBe(expected);
  });

  it('knows commit ids from numbers', () => {
    expect(isCommitId('bb3d0dc8d9d15a5cd51094d5b69e70aa09005ff0')).toBe(true);
    expect(isCommitId('4c1c8d3')).toBe(true);
    expect(isCommitId('20240101')).toBe(false);
    expect(isCommitId('2.6.3')).toBe(false);
  });

  it('orders dotted versions with suffixes', () => {
    expect(dottedOrder('1.2.3', '1.2.3')).toBe(0);
    expect(dottedOrder('1.2', '1.2.0.1')).toBe(-1);
    expect(dottedOrder('abc', '1.0')).toBeUndefined();
  });
});
