import { PackageURL } from 'packageurl-js';
import { LineCounter, type Node, type Pair, type YAMLMap, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { InputError } from '../errors.js';
import { decodeDocument, readInputBytes } from '../util/read-input.js';

/** An overlay is a page of YAML; 1 MiB is far more than any distributor's. */
const MAX_OVERLAY_BYTES = 1024 * 1024;

/**
 * The overlay file as written: every value keeps the line it came from, because every later
 * complaint about it (a missing patch, an unknown component) must name the overlay's file and line.
 */
export interface OverlaySpec {
  /** The overlay's path as the user gave it, for messages. */
  file: string;
  supplier?: string;
  package: { name?: string; version?: string; purl?: string };
  namespace?: string;
  upstream?: Located;
  patches?: { series?: Located; dir?: Located };
  unbundled: { component: string; replacedBy?: string; line: number }[];
  exclude: string[];
}

export interface Located {
  value: string;
  line: number;
}

const TOP_KEYS = ['supplier', 'package', 'namespace', 'upstream', 'patches', 'unbundled', 'exclude'];

export async function readOverlaySpec(path: string, shownAs: string = path): Promise<OverlaySpec> {
  let bytes: Buffer;
  try {
    // A regular file only (a FIFO would block the run, a device never end), and a bounded one.
    bytes = await readInputBytes(path, MAX_OVERLAY_BYTES);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.message.replaceAll(path, shownAs));
    throw error;
  }
  return parseOverlaySpec(decodeDocument(bytes), shownAs);
}

export function parseOverlaySpec(text: string, file: string): OverlaySpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const lineOf = (node: unknown): number => {
    const range = (node as Node | null | undefined)?.range;
    return range ? lines.linePos(range[0]).line : 1;
  };
  const fail = (node: unknown, message: string): never => {
    throw new InputError(`${file}:${lineOf(node)}: ${message}`);
  };

  const syntax = doc.errors[0];
  if (syntax) {
    const line = lines.linePos(syntax.pos[0]).line;
    throw new InputError(`${file}:${line}: not valid YAML: ${syntax.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) throw new InputError(`${file}:1: the overlay is empty`);
  if (!isMap(root)) return fail(root, 'the overlay must be a mapping of keys (supplier, package, upstream, patches, …)');

  const string = (node: unknown, what: string, numbersToo = false): string => {
    const value = isScalar(node) ? node.value : undefined;
    const ok = typeof value === 'string' ? value.trim() !== '' : numbersToo && typeof value === 'number';
    if (!ok) return fail(node, `${what} must be a non-empty string`);
    // A number is taken as written (`3.10` must not become `3.1`).
    const range = (node as Node).range;
    return typeof value === 'number' && range ? text.slice(range[0], range[1]).trim() : String(value).trim();
  };
  const purl = (node: unknown, what: string): string => {
    const value = string(node, what);
    try {
      PackageURL.fromString(value);
    } catch (error) {
      return fail(node, `${what}: not a package URL: ${value} (${(error as Error).message})`);
    }
    return value;
  };
  const entries = (map: YAMLMap, allowed: string[], where: string): Map<string, Pair> => {
    const out = new Map<string, Pair>();
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || !allowed.includes(key)) {
        fail(pair.key, `unknown key ${JSON.stringify(key ?? String(pair.key))}${where} (known: ${allowed.join(', ')})`);
      }
      out.set(key as string, pair);
    }
    return out;
  };

  const spec: OverlaySpec = { file, package: {}, unbundled: [], exclude: [] };
  const top = entries(root, TOP_KEYS, '');
  for (const [key, pair] of top) {
    const value = pair.value as Node | null;
    switch (key) {
      case 'supplier':
        spec.supplier = string(value ?? pair.key, 'supplier');
        break;
      case 'namespace': {
        const namespace = string(value ?? pair.key, 'namespace');
        if (!/^[a-z][a-z0-9+.-]*:\/\/[^\s#]+$/i.test(namespace)) fail(value, `namespace must be an absolute URI without '#': ${namespace}`);
        spec.namespace = namespace;
        break;
      }
      case 'upstream':
        spec.upstream = { value: string(value ?? pair.key, 'upstream'), line: lineOf(value) };
        break;
      case 'package': {
        if (!isMap(value)) return fail(value ?? (pair.key as Node), 'package must be a mapping with name, version, purl');
        for (const [field, inner] of entries(value, ['name', 'version', 'purl'], ' in package')) {
          const node = inner.value ?? inner.key;
          // `version: 3.13` parses as a number; take it as written.
          spec.package[field as 'name' | 'version' | 'purl'] = field === 'purl' ? purl(node, 'package.purl') : string(node, `package.${field}`, true);
        }
        break;
      }
      case 'patches': {
        if (!isMap(value)) return fail(value ?? (pair.key as Node), 'patches must be a mapping with series: PATH or dir: PATH');
        const fields = entries(value, ['series', 'dir'], ' in patches');
        if (fields.size !== 1) fail(value, 'patches takes exactly one of series: PATH or dir: PATH');
        const [field, inner] = [...fields][0] as [string, Pair];
        spec.patches = { [field]: { value: string(inner.value ?? inner.key, `patches.${field}`), line: lineOf(inner.value as Node) } };
        break;
      }
      case 'unbundled': {
        if (!isSeq(value)) return fail(value ?? (pair.key as Node), 'unbundled must be a list of {component: NAME, replacedBy: PURL}');
        for (const item of value.items as Node[]) {
          // `- expat` is shorthand for `- component: expat`.
          if (isScalar(item)) {
            spec.unbundled.push({ component: string(item, 'unbundled component'), line: lineOf(item) });
            continue;
          }
          if (!isMap(item)) return fail(item, 'each unbundled entry must be {component: NAME, replacedBy: PURL}');
          const fields = entries(item, ['component', 'replacedBy'], ' in unbundled');
          const component = fields.get('component');
          if (!component) return fail(item, 'unbundled entry without component');
          const entry: OverlaySpec['unbundled'][number] = {
            component: string(component.value ?? component.key, 'unbundled component'),
            line: lineOf((component.value as Node | null) ?? (component.key as Node)),
          };
          const replacedBy = fields.get('replacedBy');
          if (replacedBy) entry.replacedBy = purl(replacedBy.value ?? replacedBy.key, 'replacedBy');
          spec.unbundled.push(entry);
        }
        break;
      }
      case 'exclude': {
        if (!isSeq(value)) return fail(value ?? (pair.key as Node), 'exclude must be a list of globs');
        for (const item of value.items as Node[]) spec.exclude.push(string(item, 'each exclude entry'));
        break;
      }
    }
  }
  return spec;
}
