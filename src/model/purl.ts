import { PackageURL } from 'packageurl-js';

/**
 * Every package URL the tool writes is built here, through packageurl-js (the purl
 * specification's own JavaScript implementation), and every one it reads is parsed here: no purl
 * is assembled from strings elsewhere. packageurl-js validates each component and encodes it as
 * the specification says (`download_url=https%3A%2F%2F…`, subpaths, qualifiers in key order).
 */

export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string>;
  subpath?: string;
}

/** A purl from its parts, normalised as the specification says for the type (PyPI names lower case, `_` as `-`). */
export function buildPurl(parts: PurlParts): string {
  return new PackageURL(parts.type, parts.namespace, parts.name, parts.version || undefined, parts.qualifiers, parts.subpath).toString();
}

/** `pkg:pypi/typing-extensions@4.13.2`: a PyPI project, its name normalised as the purl spec's PyPI type says. */
export function pypiPurl(name: string, version?: string): string {
  return buildPurl({ type: 'pypi', name, ...(version ? { version } : {}) });
}

/**
 * A PyPI purl with the name exactly as python.org's release tooling writes it: as pip's
 * `vendor.txt` spells it (`pkg:pypi/typing_extensions@4.13.2`), which the purl spec would
 * normalise to `typing-extensions`. The python.org profile reproduces python.org's documents byte
 * for byte, so packageurl-js validates and encodes the purl, and only its normalisation of the
 * name is undone (the complete profile writes the normalised form).
 */
export function pythonOrgPypiPurl(name: string, version: string): string {
  const purl = new PackageURL('pypi', undefined, name, version, undefined, undefined);
  purl.name = name;
  return purl.toString();
}

/** `pkg:generic/NAME@VERSION?download_url=URL#SUBPATH`: code with no package-manager home. */
export function genericPurl(name: string, version?: string, qualifiers?: Record<string, string>, subpath?: string): string {
  return buildPurl({
    type: 'generic',
    name,
    ...(version ? { version } : {}),
    ...(qualifiers && Object.keys(qualifiers).length > 0 ? { qualifiers } : {}),
    ...(subpath ? { subpath } : {}),
  });
}

/** The parts of a purl, undefined when it is not one packageurl-js accepts. */
export function parsePurl(purl: string | undefined): PurlParts | undefined {
  if (!purl) return undefined;
  try {
    const parsed = PackageURL.fromString(purl);
    return {
      type: parsed.type,
      name: parsed.name,
      ...(parsed.namespace ? { namespace: parsed.namespace } : {}),
      ...(parsed.version ? { version: parsed.version } : {}),
      ...(parsed.qualifiers ? { qualifiers: { ...parsed.qualifiers } } : {}),
      ...(parsed.subpath ? { subpath: parsed.subpath } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The purl's type (`pypi`, `github`, `generic`), undefined when it is not a valid purl. */
export function purlType(purl: string | undefined): string | undefined {
  return parsePurl(purl)?.type;
}

/** `pkg:pypi/Typing_Extensions@4.13.2` -> `pkg:pypi/typing-extensions@4.13.2`; anything else unchanged. */
export function normalizedPypiPurl(purl: string): string {
  const parts = parsePurl(purl);
  return parts?.type === 'pypi' ? buildPurl(parts) : purl;
}

/**
 * A catalog purl template (`pkg:github/libexpat/libexpat@R_{version_}`) for one version: the
 * template is parsed as a purl, `{version}` (and `{version_}`, dots as underscores) filled in its
 * version and qualifier values, and the purl built again, so the result is encoded as the spec says.
 */
export function purlFromTemplate(template: string, version: string): string {
  let raw: ReturnType<typeof PackageURL.parseString>;
  try {
    raw = PackageURL.parseString(template);
  } catch (error) {
    throw new Error(`catalog purl template ${template} is not a purl: ${(error as Error).message}`);
  }
  const [type, namespace, name, rawVersion, qualifiers, subpath] = raw as [
    string,
    string | undefined,
    string | undefined,
    string | undefined,
    URLSearchParams | Record<string, string> | undefined,
    string | undefined,
  ];
  const fill = (text: string) => text.replaceAll('{version_}', version.replaceAll('.', '_')).replaceAll('{version}', version);
  // packageurl-js hands parsed qualifiers over as URLSearchParams.
  const pairs = qualifiers instanceof URLSearchParams ? [...qualifiers.entries()] : Object.entries(qualifiers ?? {});
  const filledQualifiers = pairs.length > 0 ? Object.fromEntries(pairs.map(([key, value]) => [key, fill(value)])) : undefined;
  return buildPurl({
    type,
    name: name ?? '',
    ...(namespace ? { namespace } : {}),
    ...(rawVersion ? { version: fill(rawVersion) } : {}),
    ...(filledQualifiers ? { qualifiers: filledQualifiers } : {}),
    ...(subpath ? { subpath } : {}),
  });
}
