import { child, children, type XmlElement } from '../formats/cyclonedx/xml.js';
import { cpeProblem, purlProblem } from './identifiers.js';
import { checkLicenseExpression, isKnownLicenseId } from './licenses.js';
import { pointerSegment } from '../formats/schema/errors.js';
import type { Findings } from '../formats/schema/issues.js';
import { isJsonObject, objectItems } from './json-items.js';

/**
 * What the CycloneDX schemas cannot say: bom-refs unique, every dependency ref and every
 * vulnerability's `affects` ref resolves (or is a BOM-Link), license
 * ids known and expressions valid, hash lengths match their algorithm, no component listed twice.
 * JSON and XML documents are first reduced to the same small view, each value keeping its place
 * (a JSON pointer, or an XPath-like element path with 1-based positions).
 */

interface Located<T> {
  value: T;
  path: string;
}

interface ComponentView {
  kind: 'component' | 'service';
  path: string;
  bomRef?: Located<string>;
  identity: string[];
  hashes: { alg: string; content: string; path: string }[];
  licenses: { id?: Located<string>; expression?: Located<string> }[];
  purl?: Located<string>;
  cpe?: Located<string>;
}

interface DependencyView {
  ref?: Located<string>;
  dependsOn: Located<string>[];
}

export interface CycloneDxView {
  components: ComponentView[];
  /** metadata.licenses and other document-level license choices. */
  licenses: ComponentView['licenses'];
  dependencies: DependencyView[];
  /** `vulnerabilities[]`: their bom-refs (unique with the components') and the refs they affect. */
  vulnerabilities?: { bomRef?: Located<string>; affects: Located<string>[] }[];
}

/** Hex digest length per CycloneDX hash algorithm (BLAKE3 has no fixed length). */
const CDX_HEX_LENGTH: Record<string, number> = {
  MD5: 32,
  'SHA-1': 40,
  'SHA-256': 64,
  'SHA-384': 96,
  'SHA-512': 128,
  'SHA3-256': 64,
  'SHA3-384': 96,
  'SHA3-512': 128,
  'BLAKE2b-256': 64,
  'BLAKE2b-384': 96,
  'BLAKE2b-512': 128,
  'Streebog-256': 64,
  'Streebog-512': 128,
};

export function checkCycloneDxView(view: CycloneDxView, findings: Findings): void {
  const refs = new Map<string, string>();
  for (const component of view.components) {
    const ref = component.bomRef;
    if (!ref) continue;
    const first = refs.get(ref.value);
    if (first !== undefined) findings.error(ref.path, `duplicate bom-ref ${JSON.stringify(ref.value)}: already used at ${first}`);
    else refs.set(ref.value, ref.path);
  }

  for (const vulnerability of view.vulnerabilities ?? []) {
    const ref = vulnerability.bomRef;
    if (!ref) continue;
    const first = refs.get(ref.value);
    if (first !== undefined) findings.error(ref.path, `duplicate bom-ref ${JSON.stringify(ref.value)}: already used at ${first}`);
    else refs.set(ref.value, ref.path);
  }
  // What a VEX statement is about must be in the document, or a BOM-Link into another one.
  for (const vulnerability of view.vulnerabilities ?? []) {
    for (const ref of vulnerability.affects) {
      if (!refs.has(ref.value) && !ref.value.startsWith('urn:cdx:')) {
        findings.error(
          ref.path,
          `affects ref ${JSON.stringify(ref.value)} does not resolve: no component or service has that bom-ref, and it is no BOM-Link (urn:cdx:…)`,
        );
      }
    }
  }

  for (const dependency of view.dependencies) {
    for (const ref of [dependency.ref, ...dependency.dependsOn]) {
      if (ref && !refs.has(ref.value)) {
        findings.error(ref.path, `dependency ref ${JSON.stringify(ref.value)} does not resolve: no component or service has that bom-ref`);
      }
    }
  }

  const seen = new Map<string, string>();
  for (const component of view.components) {
    for (const hash of component.hashes) {
      const expected = CDX_HEX_LENGTH[hash.alg];
      if (!/^[0-9a-fA-F]+$/.test(hash.content)) {
        findings.error(hash.path, `expected a hexadecimal ${hash.alg} digest; found ${JSON.stringify(hash.content)}`);
      } else if (expected !== undefined && hash.content.length !== expected) {
        findings.error(hash.path, `expected ${expected} hex digits for ${hash.alg}; found ${hash.content.length}`);
      }
    }
    checkLicenses(component.licenses, findings);
    const purl = component.purl && purlProblem(component.purl.value);
    if (purl) findings.error((component.purl as Located<string>).path, purl);
    const cpe = component.cpe && cpeProblem(component.cpe.value);
    if (cpe) findings.error((component.cpe as Located<string>).path, cpe);
    if (component.kind !== 'component') continue;
    const key = JSON.stringify([...component.identity, ...component.hashes.map((h) => `${h.alg}:${h.content.toLowerCase()}`).sort()]);
    const first = seen.get(key);
    if (first !== undefined) {
      findings.error(component.path, `duplicate component: same type, group, name, version, purl and hashes as ${first}`);
    } else {
      seen.set(key, component.path);
    }
  }
  checkLicenses(view.licenses, findings);
}

function checkLicenses(licenses: ComponentView['licenses'], findings: Findings): void {
  for (const license of licenses) {
    if (license.id && !isKnownLicenseId(license.id.value)) {
      findings.error(license.id.path, `unknown license id ${JSON.stringify(license.id.value)} (not on the SPDX license list; use license.name for others)`);
    }
    // CycloneDX has no LicenseRef declarations: any LicenseRef- is acceptable.
    if (license.expression) checkLicenseExpression(license.expression.value, license.expression.path, findings);
  }
}

// ---- JSON ----

type Json = Record<string, unknown>;
const isObject = isJsonObject;
const objects = objectItems;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function jsonLicenses(value: unknown, at: string): ComponentView['licenses'] {
  return objects(value).map(([i, choice]) => {
    const out: ComponentView['licenses'][number] = {};
    const license = isObject(choice.license) ? choice.license : undefined;
    const id = str(license?.id);
    if (id !== undefined) out.id = { value: id, path: `${at}/${i}/license/id` };
    const expression = str(choice.expression);
    if (expression !== undefined) out.expression = { value: expression, path: `${at}/${i}/expression` };
    return out;
  });
}

function jsonHashes(value: unknown, at: string): ComponentView['hashes'] {
  const out: ComponentView['hashes'] = [];
  for (const [i, hash] of objects(value)) {
    const alg = str(hash.alg);
    const content = str(hash.content);
    if (alg !== undefined && content !== undefined) out.push({ alg, content, path: `${at}/hashes/${i}/content` });
  }
  return out;
}

function jsonComponent(json: Json, at: string, kind: ComponentView['kind'], out: ComponentView[]): void {
  const ref = str(json['bom-ref']);
  const view: ComponentView = {
    kind,
    path: at,
    identity: [str(json.type), str(json.group), str(json.name), str(json.version), str(json.purl)].map((v) => v ?? ''),
    hashes: jsonHashes(json.hashes, at),
    licenses: jsonLicenses(json.licenses, `${at}/licenses`),
  };
  if (ref !== undefined) view.bomRef = { value: ref, path: `${at}/${pointerSegment('bom-ref')}` };
  const purl = str(json.purl);
  if (purl !== undefined) view.purl = { value: purl, path: `${at}/purl` };
  const cpe = str(json.cpe);
  if (cpe !== undefined) view.cpe = { value: cpe, path: `${at}/cpe` };
  out.push(view);
  const children = kind === 'component' ? 'components' : 'services';
  for (const [i, child] of objects(json[children])) jsonComponent(child, `${at}/${children}/${i}`, kind, out);
}

export function cycloneDxJsonView(root: Json): CycloneDxView {
  const components: ComponentView[] = [];
  const metadata = isObject(root.metadata) ? root.metadata : undefined;
  if (isObject(metadata?.component)) jsonComponent(metadata.component, '/metadata/component', 'component', components);
  for (const [i, component] of objects(root.components)) jsonComponent(component, `/components/${i}`, 'component', components);
  for (const [i, service] of objects(root.services)) jsonComponent(service, `/services/${i}`, 'service', components);
  const dependencies = objects(root.dependencies).map(([i, dependency]): DependencyView => {
    const ref = str(dependency.ref);
    const targets = [
      ...(Array.isArray(dependency.dependsOn) ? dependency.dependsOn.map((v, j) => [v, `/dependencies/${i}/dependsOn/${j}`] as const) : []),
      ...(Array.isArray(dependency.provides) ? dependency.provides.map((v, j) => [v, `/dependencies/${i}/provides/${j}`] as const) : []),
    ];
    return {
      ...(ref !== undefined ? { ref: { value: ref, path: `/dependencies/${i}/ref` } } : {}),
      dependsOn: targets.flatMap(([v, path]) => (typeof v === 'string' ? [{ value: v, path }] : [])),
    };
  });
  const vulnerabilities = objects(root.vulnerabilities).map(([i, vulnerability]) => {
    const ref = str(vulnerability['bom-ref']);
    return {
      ...(ref !== undefined ? { bomRef: { value: ref, path: `/vulnerabilities/${i}/${pointerSegment('bom-ref')}` } } : {}),
      affects: objects(vulnerability.affects).flatMap(([j, affect]) => {
        const value = str(affect.ref);
        return value !== undefined ? [{ value, path: `/vulnerabilities/${i}/affects/${j}/ref` }] : [];
      }),
    };
  });
  return { components, licenses: jsonLicenses(metadata?.licenses, '/metadata/licenses'), dependencies, vulnerabilities };
}

// ---- XML (the tree src/formats/cyclonedx/xml.ts parses) ----

/** Child elements named `name` with their 1-based position among them, for element paths. */
function numbered(element: XmlElement | undefined, name: string): [number, XmlElement][] {
  return children(element, name).map((c, i) => [i + 1, c]);
}
const text = (element: XmlElement | undefined): string | undefined => element?.text.trim();

function xmlLicenses(parent: XmlElement | undefined, at: string): ComponentView['licenses'] {
  const out: ComponentView['licenses'] = [];
  for (const [n, license] of numbered(parent, 'license')) {
    const id = text(child(license, 'id'));
    if (id !== undefined) out.push({ id: { value: id, path: `${at}/license[${n}]/id` } });
  }
  for (const [n, expression] of numbered(parent, 'expression')) {
    out.push({ expression: { value: text(expression) ?? '', path: `${at}/expression[${n}]` } });
  }
  return out;
}

function xmlComponent(element: XmlElement, at: string, kind: ComponentView['kind'], out: ComponentView[]): void {
  const ref = element.attributes['bom-ref'];
  const view: ComponentView = {
    kind,
    path: at,
    identity: [element.attributes.type ?? '', ...['group', 'name', 'version', 'purl'].map((n) => text(child(element, n)) ?? '')],
    hashes: numbered(child(element, 'hashes'), 'hash').map(([n, hash]) => ({
      alg: hash.attributes.alg ?? '',
      content: text(hash) ?? '',
      path: `${at}/hashes/hash[${n}]`,
    })),
    licenses: xmlLicenses(child(element, 'licenses'), `${at}/licenses`),
  };
  if (ref !== undefined) view.bomRef = { value: ref, path: `${at}/@bom-ref` };
  const purl = text(child(element, 'purl'));
  if (purl !== undefined) view.purl = { value: purl, path: `${at}/purl` };
  const cpe = text(child(element, 'cpe'));
  if (cpe !== undefined) view.cpe = { value: cpe, path: `${at}/cpe` };
  out.push(view);
  const group = kind === 'component' ? 'components' : 'services';
  for (const [n, c] of numbered(child(element, group), kind)) xmlComponent(c, `${at}/${group}/${kind}[${n}]`, kind, out);
}

export function cycloneDxXmlView(bom: XmlElement): CycloneDxView {
  const components: ComponentView[] = [];
  const metadata = child(bom, 'metadata');
  const main = child(metadata, 'component');
  if (main) xmlComponent(main, '/bom/metadata/component', 'component', components);
  for (const [n, c] of numbered(child(bom, 'components'), 'component')) xmlComponent(c, `/bom/components/component[${n}]`, 'component', components);
  for (const [n, s] of numbered(child(bom, 'services'), 'service')) xmlComponent(s, `/bom/services/service[${n}]`, 'service', components);
  const dependencies: DependencyView[] = [];
  for (const [n, dependency] of numbered(child(bom, 'dependencies'), 'dependency')) {
    const at = `/bom/dependencies/dependency[${n}]`;
    const targets: Located<string>[] = [];
    for (const name of ['dependency', 'provides']) {
      for (const [m, inner] of numbered(dependency, name)) {
        const value = inner.attributes.ref;
        if (value !== undefined) targets.push({ value, path: `${at}/${name}[${m}]/@ref` });
      }
    }
    const ref = dependency.attributes.ref;
    dependencies.push({ ...(ref !== undefined ? { ref: { value: ref, path: `${at}/@ref` } } : {}), dependsOn: targets });
  }
  const vulnerabilities = numbered(child(bom, 'vulnerabilities'), 'vulnerability').map(([n, vulnerability]) => {
    const at = `/bom/vulnerabilities/vulnerability[${n}]`;
    const ref = vulnerability.attributes['bom-ref'];
    return {
      ...(ref !== undefined ? { bomRef: { value: ref, path: `${at}/@bom-ref` } } : {}),
      affects: numbered(child(vulnerability, 'affects'), 'target').flatMap(([m, target]) => {
        const value = text(child(target, 'ref'));
        return value !== undefined ? [{ value, path: `${at}/affects/target[${m}]/ref` }] : [];
      }),
    };
  });
  return { components, licenses: xmlLicenses(child(metadata, 'licenses'), '/bom/metadata/licenses'), dependencies, vulnerabilities };
}
