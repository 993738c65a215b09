import type { SbomDocument, VulnerabilityStatement } from '../model/types.js';
import type { VulnerabilityChange, VulnerabilityDiff, VulnerabilityView } from './types.js';
import { known } from './values.js';

/**
 * Compares the VEX statements of two documents: which vulnerabilities NEW says are fixed that OLD
 * did not, which statements are new or gone, and which changed state otherwise (a `fixed` that
 * became `affected` is a regression). Statements pair by id, then by a shared alias (one document
 * may cite PSF-2024-1 where the other cites CVE-2024-1234); the packages a statement is about are
 * shown by name, since refs are local to each document.
 */
export function compareVulnerabilities(oldDoc: SbomDocument, newDoc: SbomDocument): { result: VulnerabilityDiff; unchanged: number } {
  const oldNames = packageNames(oldDoc);
  const newNames = packageNames(newDoc);
  const olds = (oldDoc.vulnerabilities ?? []).map((statement) => view(statement, oldNames));
  const news = (newDoc.vulnerabilities ?? []).map((statement) => view(statement, newNames));

  // Each OLD statement is found by any of its names (id and aliases, upper-cased); the first
  // unused one sharing a name with a NEW statement, and about the same packages where possible,
  // is its pair.
  const byName = new Map<string, number[]>();
  olds.forEach((statement, index) => {
    for (const name of names(statement)) {
      const list = byName.get(name);
      if (list) list.push(index);
      else byName.set(name, [index]);
    }
  });
  const used = new Set<number>();
  const result: VulnerabilityDiff = { fixed: [], added: [], removed: [], changed: [] };
  let unchanged = 0;
  for (const after of news) {
    const candidates = unusedCandidates(names(after), byName, used);
    const sameAffects = candidates.find((index) => sameList((olds[index] as VulnerabilityView).affects, after.affects));
    const index = sameAffects ?? candidates[0];
    if (index === undefined) {
      result.added.push(after);
      continue;
    }
    used.add(index);
    const before = olds[index] as VulnerabilityView;
    if (before.state === after.state) {
      unchanged++;
      continue;
    }
    const change: VulnerabilityChange = {
      id: after.id,
      aliases: after.aliases,
      affects: after.affects,
      old: stateOf(before),
      new: stateOf(after),
    };
    if (after.state === 'fixed') result.fixed.push(change);
    else result.changed.push(change);
  }
  olds.forEach((statement, index) => {
    if (!used.has(index)) result.removed.push(statement);
  });
  const order = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const list of [result.fixed, result.added, result.removed, result.changed]) list.sort(order);
  return { result, unchanged };
}

/** How many unused same-name statements are weighed for a pair (documents repeating one id thousands of times stay linear). */
const MAX_CANDIDATES = 64;

function unusedCandidates(keys: string[], byName: Map<string, number[]>, used: Set<number>): number[] {
  const out: number[] = [];
  for (const key of keys) {
    const queue = byName.get(key);
    if (!queue) continue;
    // Used statements are dropped from the front for good; the rest are looked at in order.
    while (queue.length > 0 && used.has(queue[0] as number)) queue.shift();
    for (const index of queue) {
      if (out.length >= MAX_CANDIDATES) return out;
      if (!used.has(index) && !out.includes(index)) out.push(index);
    }
  }
  return out;
}

function packageNames(doc: SbomDocument): Map<string, string> {
  return new Map(doc.packages.map((pkg) => [pkg.ref, pkg.name]));
}

function view(statement: VulnerabilityStatement, names: Map<string, string>): VulnerabilityView {
  const out: VulnerabilityView = {
    id: statement.id,
    aliases: [...statement.aliases],
    affects: statement.affects.map((ref) => names.get(ref) ?? ref).sort(),
    state: statement.state,
  };
  const detail = known(statement.detail);
  if (detail) out.detail = detail;
  return out;
}

function names(statement: VulnerabilityView): string[] {
  return [...new Set([statement.id, ...statement.aliases].map((name) => name.trim().toUpperCase()).filter(Boolean))];
}

function stateOf(statement: VulnerabilityView): VulnerabilityChange['old'] {
  return statement.detail !== undefined ? { state: statement.state, detail: statement.detail } : { state: statement.state };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
