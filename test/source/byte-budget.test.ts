import { describe, expect, it } from 'vitest';
import { ByteBudget } from '../../src/source/directory.js';

/** The directory scan's bound on bytes being read at once (src/source/directory.ts). */
describe('ByteBudget', () => {
  it('lets reads in up to the limit, one alone whatever its size, in the order they asked', async () => {
    const budget = new ByteBudget(100);
    const order: string[] = [];
    let used = 0;
    let most = 0;
    const read = async (name: string, size: number, release: Promise<void>) => {
      await budget.acquire(size);
      used += size;
      most = Math.max(most, used);
      order.push(name);
      await release;
      used -= size;
      budget.release(size);
    };
    const gates = new Map<string, () => void>();
    const gate = (name: string) => new Promise<void>((open) => gates.set(name, open));
    const reads = [read('a', 60, gate('a')), read('b', 30, gate('b')), read('big', 250, gate('big')), read('c', 10, gate('c'))];
    await new Promise((resolve) => setImmediate(resolve));
    // a and b fit; big waits, and c, though it would fit, waits behind it (path order).
    expect(order).toEqual(['a', 'b']);
    gates.get('a')?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['a', 'b']);
    gates.get('b')?.();
    await new Promise((resolve) => setImmediate(resolve));
    // Alone, the big file goes even though it is over the limit.
    expect(order).toEqual(['a', 'b', 'big']);
    gates.get('big')?.();
    gates.get('c')?.();
    await Promise.all(reads);
    expect(order).toEqual(['a', 'b', 'big', 'c']);
    expect(most).toBe(250);
  });
});
