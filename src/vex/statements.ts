/**
 * The join: for each advisory that concerns the tree (CPython itself, or a component of the SBOM
 * by purl), whether the tree's own NEWS names one of the advisory's fix references.
 *
 * - `fixed`: an entry is filed under one of the advisory's CPython issues (`gh-N`, `bpo-N`), or
 *   is filed under or names one of its pull requests (`gh-N`, `GH-N`, `` :gh:`N` ``: issues and
 *   pull requests share one numbering on GitHub). The statement cites that entry: file and line,
 *   release, section and text. An entry that only mentions an issue in its text is no evidence
 *   (it may be a follow-up, or a revert); one that mentions a pull request and says "revert" is
 *   none either.
 * - `under_investigation` otherwise, saying what was looked for and where. A CVE id named in NEWS
 *   is reported but never taken as evidence: NEWS also names CVEs to say a bundled library's
 *   vulnerable API is not used, or that a fix is partial.
 * Nothing is ever `affected` or `not_affected`: this evidence cannot say either.
 *
 * Several advisories for one CVE id (the database has such records) must agree: when one would
 * be `fixed` and another not, all of them are under investigation.
 */
import type { Package, SbomDocument, VulnerabilityStatement } from '../model/types.js';
import { vulnerabilityIdSource } from '../model/vulnerability-ids.js';
import { erratumFor } from './errata.js';
import { type IssueKey, type NewsEntry, type NewsIndex, issueLabel, parseIssueLabel } from './news.js';
import { type Advisory, type FixReference, describeReference, purlKey, referenceKey } from './osv.js';

export interface VexSummary {
  /** Advisories read (withdrawn ones left out). */
  advisories: number;
  /** Advisories about CPython or one of the SBOM's components: one statement each. */
  concerning: number;
  fixed: number;
  underInvestigation: number;
}

export interface VexOutcome {
  statements: VulnerabilityStatement[];
  summary: VexSummary;
  warnings: string[];
}

const CVE = /^CVE-\d{4}-\d{4,}$/i;

/** The `type` of a reference an erratum adds (OSV's types are upper case: FIX, REPORT, WEB). */
const ERRATUM = 'erratum';

/** `the advisory's REPORT reference`, or the erratum's. */
function whose(reference: FixReference): string {
  return reference.type === ERRATUM ? "the erratum's fix reference" : `the advisory's ${reference.type} reference`;
}

/** At most `limit` items, then how many more. */
function some(items: string[], limit = 3): string[] {
  return items.length <= limit ? items : [...items.slice(0, limit), `${items.length - limit} more`];
}

/** Longest NEWS text quoted in a statement. */
const QUOTE_LIMIT = 300;

function quote(text: string): string {
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT - 1)}…` : text;
}

/** `Misc/NEWS:2975, Python 3.13.4 final, Security: gh-135034: Fixes multiple …` */
export function citation(entry: NewsEntry): string {
  const place = [entry.release, entry.section].filter(Boolean).join(', ');
  return `${entry.file}:${entry.line}${place ? `, ${place}` : ''}: ${quote(entryText(entry))}`;
}

/** The entry as NEWS shows it: a NEWS.d record gets the `gh-N: ` prefix Misc/NEWS would give it. */
function entryText(entry: NewsEntry): string {
  if (entry.file === 'Misc/NEWS' || entry.ids.length === 0) return entry.text;
  return `${entry.ids.map(issueLabel).join(', ')}: ${entry.text}`;
}

interface Evidence {
  reference: FixReference;
  entry: NewsEntry;
  how: 'filed under' | 'names';
}

/** Entries that name a reference as its fix. */
function evidenceFor(reference: FixReference, news: NewsIndex): Evidence[] {
  if (reference.kind === 'issue') {
    const key: IssueKey = { tracker: reference.tracker, number: reference.number };
    return news.filedUnder(key).map((entry) => ({ reference, entry, how: 'filed under' }));
  }
  if (reference.kind === 'pull') {
    const key: IssueKey = { tracker: 'gh', number: reference.number };
    const filed = news.filedUnder(key).map((entry): Evidence => ({ reference, entry, how: 'filed under' }));
    const named = news
      .mentioning(key)
      .filter((entry) => !filed.some((item) => item.entry === entry) && !/\brevert/i.test(entry.text))
      .map((entry): Evidence => ({ reference, entry, how: 'names' }));
    return [...filed, ...named];
  }
  return [];
}

/** The evidence to cite: an entry of a Security section first, then the first in reading order. */
function best(evidence: Evidence[], order: Map<NewsEntry, number>): Evidence | undefined {
  const rank = (item: Evidence): number => (item.entry.section === 'Security' ? 0 : 1) * 1e9 + (order.get(item.entry) ?? 0);
  return [...evidence].sort((a, b) => rank(a) - rank(b))[0];
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The references to look for: the advisory's, corrected by an erratum where one applies. */
function fixReferencesOf(advisory: Advisory): { references: FixReference[]; erratum?: string } {
  const erratum = erratumFor([advisory.id, ...advisory.aliases]);
  if (!erratum) return { references: advisory.fixReferences };
  const dropped = new Set(erratum.notFixes);
  const references = advisory.fixReferences.filter((reference) => !dropped.has(referenceKey(reference)));
  for (const label of erratum.fixes) {
    const key = parseIssueLabel(label);
    if (!key) continue;
    const url = key.tracker === 'gh' ? `https://github.com/python/cpython/issues/${key.number}` : `https://bugs.python.org/issue${key.number}`;
    if (!references.some((reference) => referenceKey(reference) === issueLabel(key))) {
      references.push({ kind: 'issue', tracker: key.tracker, number: key.number, type: ERRATUM, url });
    }
  }
  return { references, erratum: `${erratum.cve}: looked for ${joinList(erratum.fixes)} instead of ${joinList(erratum.notFixes)}: ${erratum.why}` };
}

/** Primary id (the CVE, which scanners match on), and the other ids of the same vulnerability. */
function identifiers(advisory: Advisory): { id: string; aliases: string[] } {
  const cves = advisory.aliases.filter((alias) => CVE.test(alias)).map((alias) => alias.toUpperCase());
  if (CVE.test(advisory.id)) cves.unshift(advisory.id.toUpperCase());
  const id = cves[0] ?? advisory.id;
  const others = advisory.aliases.filter((alias) => !CVE.test(alias));
  const aliases = [...new Set([...cves.slice(1), ...(id === advisory.id ? [] : [advisory.id]), ...others])];
  return { id, aliases };
}

const sourceOf = vulnerabilityIdSource;

/** Every statement for the advisories that concern this document's subject. */
export function vexStatements(advisories: readonly Advisory[], news: NewsIndex, document: SbomDocument): VexOutcome {
  const warnings: string[] = [];
  const product = document.packages.find((pkg) => pkg.ref === document.describes[0]);
  if (!product) throw new Error('vex: the document describes no package');
  const byPurl = new Map<string, Package[]>();
  for (const pkg of document.packages) {
    if (pkg === product || !pkg.purl) continue;
    const key = purlKey(pkg.purl);
    if (!key) continue;
    const list = byPurl.get(key) ?? [];
    list.push(pkg);
    byPurl.set(key, list);
  }
  const order = new Map(news.entries.map((entry, index) => [entry, index]));
  const changelog = news.files.length === 0 ? 'the tree has no Misc/NEWS or Misc/NEWS.d' : describeFiles(news.files);

  const statements: { statement: VulnerabilityStatement; advisory: Advisory }[] = [];
  for (const advisory of advisories) {
    const affects = new Set<string>();
    if (advisory.cpython) affects.add(product.ref);
    for (const purl of advisory.packagePurls) for (const pkg of byPurl.get(purl) ?? []) affects.add(pkg.ref);
    if (affects.size === 0) continue;

    const { id, aliases } = identifiers(advisory);
    const { references, erratum } = fixReferencesOf(advisory);
    const evidence = references.flatMap((reference) => evidenceFor(reference, news));
    const chosen = best(evidence, order);
    const checkable = references.filter((reference) => reference.kind === 'issue' || reference.kind === 'pull');
    const lines: string[] = [];
    let state: VulnerabilityStatement['state'];
    if (chosen) {
      state = 'fixed';
      const others = new Set(evidence.map((item) => item.entry)).size - 1;
      lines.push(
        `${advisory.id}: fixed in this tree. ${chosen.entry.file} ${chosen.how === 'filed under' ? 'has an entry filed under' : 'names'} ` +
          `${describeReference(chosen.reference)}, ${whose(chosen.reference)} (${chosen.reference.url}): ${citation(chosen.entry)}` +
          (others > 0 ? ` (${others} more entr${others === 1 ? 'y names' : 'ies name'} the advisory's fix references)` : ''),
      );
    } else {
      state = 'under_investigation';
      if (checkable.length > 0) {
        lines.push(
          `${advisory.id}: under investigation. Looked for the advisory's fix references ` +
            `${joinList(
              some(
                checkable.map((reference) => `${describeReference(reference)} (${reference.type})`),
                8,
              ),
            )} in ${changelog}: not found.`,
        );
      } else {
        lines.push(`${advisory.id}: under investigation. The advisory names no CPython issue or pull request to look for in ${changelog}.`);
      }
      const commits = references.filter((reference) => reference.kind === 'commit');
      if (commits.length > 0) {
        lines.push(`Its fix commits (${joinList(some(commits.map(describeReference)))}) cannot be checked in a source tree.`);
      }
      const elsewhere = references.filter((reference) => reference.kind === 'elsewhere');
      if (elsewhere.length > 0) lines.push(`References in other projects' trackers (${elsewhere.length}) are not recorded in CPython's NEWS.`);
      const cveMentions = [id, ...aliases].filter((alias) => CVE.test(alias)).flatMap((cve) => news.naming(cve).map((entry) => ({ cve, entry })));
      for (const { cve, entry } of cveMentions.slice(0, 3)) {
        lines.push(`NEWS mentions ${cve} (not taken as evidence of the fix): ${citation(entry)}`);
      }
    }
    if (erratum) lines.push(`Erratum applied: ${erratum}.`);
    if (advisory.packagePurls.length > 0 && [...affects].some((ref) => ref !== product.ref)) {
      const components = [...affects].filter((ref) => ref !== product.ref);
      lines.push(`Concerns the bundled ${joinList(components)} (matched by purl).`);
    }
    const referenceUrls = [sourceOf(advisory.id).url, ...references.filter((reference) => reference.kind !== 'elsewhere').map((reference) => reference.url)];
    statements.push({
      advisory,
      statement: {
        id,
        aliases,
        source: sourceOf(id),
        affects: [...affects],
        state,
        detail: lines.join(' '),
        references: [...new Set(referenceUrls)],
      },
    });
  }

  // Advisories that share a CVE id must agree before any of them says `fixed`.
  const byId = new Map<string, { statement: VulnerabilityStatement; advisory: Advisory }[]>();
  for (const item of statements) {
    const list = byId.get(item.statement.id) ?? [];
    list.push(item);
    byId.set(item.statement.id, list);
  }
  for (const [id, group] of byId) {
    if (group.length < 2 || group.every((item) => item.statement.state === group[0]?.statement.state)) continue;
    const names = joinList(group.map((item) => item.advisory.id));
    warnings.push(`${id}: advisories ${names} give it different fixes and the tree's NEWS names only some; all are under investigation`);
    for (const item of group) {
      if (item.statement.state !== 'fixed') continue;
      item.statement.state = 'under_investigation';
      item.statement.detail = `${item.statement.detail} Not claimed fixed: ${names} all name ${id}, and the tree's NEWS names the fix references of only some of them.`;
    }
  }

  const sorted = statements.map((item) => item.statement).sort((a, b) => compareIds(a.id, b.id) || compareIds(a.aliases.join(' '), b.aliases.join(' ')));
  const fixed = sorted.filter((statement) => statement.state === 'fixed').length;
  return {
    statements: sorted,
    summary: { advisories: advisories.length, concerning: sorted.length, fixed, underInvestigation: sorted.length - fixed },
    warnings,
  };
}

/** `Misc/NEWS`, or `Misc/NEWS and 130 files of Misc/NEWS.d`. */
function describeFiles(files: readonly string[]): string {
  const rendered = files.includes('Misc/NEWS');
  const parts = files.filter((file) => file !== 'Misc/NEWS').length;
  const pieces = [...(rendered ? ['Misc/NEWS'] : []), ...(parts > 0 ? [`${parts} file${parts === 1 ? '' : 's'} of Misc/NEWS.d`] : [])];
  return pieces.join(' and ');
}

/** Ids with numbers compared as numbers: CVE-2024-999 before CVE-2024-1000, PSF-2024-2 before PSF-2024-10. */
export function compareIds(a: string, b: string): number {
  const split = (text: string) => text.split(/(\d+)/).map((part, index) => (index % 2 === 1 ? Number(part) : part));
  const left = split(a);
  const right = split(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] as string | number;
    const y = right[i] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return left.length - right.length;
}
