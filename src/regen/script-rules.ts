import { InputError } from '../errors.js';
import { evaluateAt, findAssignment, type PyValue } from './pyliteral.js';

/**
 * What one generation of CPython's Tools/build/generate_sbom.py does, read from the script's text
 * (never run). The script changed often between December 2023 and 2025: it started hashing raw
 * bytes and accepting any licence of an allow-list, looked pip and its vendored projects up on
 * PyPI for two months, then gained the externals manifest, the HACL* and expat refresh checks and
 * CRLF->LF normalisation. regen applies exactly the rules the checkout's own script has, so its
 * verdict is the script's.
 */
export interface ScriptRules {
  /** `data.replace(b"\r\n", b"\n")` unless the data has a NUL byte (from 3.13); else raw bytes. */
  normalizeLineEndings: boolean;
  /** `PurePosixPath(PureWindowsPath(path))`: backslashes in globbed paths become slashes. */
  windowsPaths: boolean;
  /** The licenseConcluded rule. */
  license: { kind: 'noassertion' } | { kind: 'allowed'; expressions: string[] } | { kind: 'none' };
  /** REQUIRED_PROPERTIES_PACKAGE, and whether a package must have exactly these keys (2023 scripts). */
  required: { fields: string[]; exact: boolean };
  /** Checks of a package against a refresh script, as the script writes them. */
  refreshChecks: RefreshCheck[];
  /** Whether it regenerates Misc/externals.spdx.json, and updates the CPE version there. */
  externals: { writes: boolean; updatesCpe: boolean };
  /** A package without `checksums` gets its archive downloaded and hashed (else: a missing field). */
  downloadsMissingChecksums: boolean;
  /** Set when the script computes pip (and its vendored projects) at run time from PyPI. */
  pypi?: PypiRules;
}

export interface RefreshCheck {
  /** The package name the script compares against (3.13.5's compared 'libexpat', so never ran). */
  packageName: string;
  /** The refresh script it reads, relative to the checkout. */
  file: string;
  /** Its regexes, in the script's order: what each one's group 1 is compared with. */
  patterns: { regex: string; compares: 'versionInfo' | 'checksums'; hasGroup: boolean; variable: string }[];
}

export interface PypiRules {
  /** 2024 scripts also read pip/_vendor/vendor.txt and look each pinned project up. */
  vendored: boolean;
  /** pip's entry as the script writes it (a dict literal), and where in the script it is. */
  pipTemplateAt: number;
  /** The `package.update({...})` template of a vendored project, when `vendored`. */
  projectTemplateAt?: number;
  /** Whether the script adds `pip DEPENDS_ON project` relationships. */
  dependsOn: boolean;
  /** Whether a missing ensurepip pip wheel removes pip and its dependencies (else: a failure). */
  wheelOptional: boolean;
}

/** The rules of the newest scripts (3.13.6 onwards), for a tree without its script. */
export const CURRENT_RULES: ScriptRules = {
  normalizeLineEndings: true,
  windowsPaths: true,
  license: { kind: 'noassertion' },
  required: {
    fields: ['SPDXID', 'name', 'versionInfo', 'downloadLocation', 'checksums', 'licenseConcluded', 'externalRefs', 'primaryPackagePurpose'],
    exact: false,
  },
  refreshChecks: [
    {
      packageName: 'hacl-star',
      file: 'Modules/_hacl/refresh.sh',
      patterns: [{ regex: 'expected_hacl_star_rev=([0-9a-f]{40})', compares: 'versionInfo', hasGroup: true, variable: 'expected_hacl_star_rev' }],
    },
    {
      packageName: 'expat',
      file: 'Modules/expat/refresh.sh',
      patterns: [
        { regex: 'expected_libexpat_version="([0-9]+\\.[0-9]+\\.[0-9]+)"', compares: 'versionInfo', hasGroup: true, variable: 'expected_libexpat_version' },
        { regex: 'expected_libexpat_sha256="([a-f0-9]{64})"', compares: 'checksums', hasGroup: true, variable: 'expected_libexpat_sha256' },
      ],
    },
  ],
  externals: { writes: true, updatesCpe: true },
  downloadsMissingChecksums: true,
};

export function readScriptRules(script: string, file: string): ScriptRules {
  return {
    normalizeLineEndings: /\.replace\(\s*b(["'])\\r\\n\1\s*,\s*b(["'])\\n\2\s*\)/.test(script),
    windowsPaths: /PureWindowsPath\(/.test(script),
    license: licenseRule(script, file),
    required: requiredFields(script, file),
    refreshChecks: refreshChecks(script),
    externals: {
      writes: /["']Misc\/externals\.spdx\.json["']/.test(script),
      updatesCpe: /\[\s*["']referenceType["']\s*\]\s*!=\s*["']cpe23Type["']/.test(script),
    },
    downloadsMissingChecksums: /["']checksums["']\s+not\s+in\s+package\b/.test(script),
    ...pypiRules(script, file),
  };
}

function licenseRule(script: string, file: string): ScriptRules['license'] {
  if (/license_concluded\s*!=\s*["']NOASSERTION["']|\[\s*["']licenseConcluded["']\s*\]\s*!=\s*["']NOASSERTION["']/.test(script)) {
    return { kind: 'noassertion' };
  }
  if (/\bin\s+ALLOWED_LICENSE_EXPRESSIONS/.test(script)) {
    const at = findAssignment(script, 'ALLOWED_LICENSE_EXPRESSIONS');
    if (at === undefined) throw new InputError(`${file}: checks licenses against ALLOWED_LICENSE_EXPRESSIONS but does not define it`);
    return { kind: 'allowed', expressions: stringList(evaluateAt(script, at, file), file, 'ALLOWED_LICENSE_EXPRESSIONS') };
  }
  return { kind: 'none' };
}

function requiredFields(script: string, file: string): ScriptRules['required'] {
  const at = findAssignment(script, 'REQUIRED_PROPERTIES_PACKAGE');
  if (at === undefined) return CURRENT_RULES.required;
  const fields = stringList(evaluateAt(script, at, file), file, 'REQUIRED_PROPERTIES_PACKAGE');
  // 2023: `set(package.keys()) != REQUIRED_PROPERTIES_PACKAGE` (exactly these keys);
  // 2024 on: `REQUIRED_PROPERTIES_PACKAGE - set(package.keys())` (at least these).
  const exact = /set\(\s*package\.keys\(\)\s*\)\s*[!=]=\s*REQUIRED_PROPERTIES_PACKAGE/.test(script);
  return { fields, exact };
}

function stringList(value: PyValue, file: string, name: string): string[] {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
    throw new InputError(`${file}: ${name} is not a literal collection of strings`);
  }
  return value;
}

/**
 * `if package["name"] == "NAME":` blocks that read a refresh script and compare what its regexes
 * find with the package's version or checksum.
 */
function refreshChecks(script: string): RefreshCheck[] {
  const checks: RefreshCheck[] = [];
  const lines = script.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^(\s*)if\s+package\[\s*["']name["']\s*\]\s*==\s*["']([^"']+)["']\s*:\s*(?:#.*)?$/.exec(lines[i] as string);
    if (!head) continue;
    const indent = (head[1] as string).length;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j] as string;
      if (line.trim() !== '' && line.length - line.trimStart().length <= indent) break;
      body.push(line);
    }
    const text = body.join('\n');
    const file = /["']((?:[\w.-]+\/)*refresh\.sh)["']/.exec(text)?.[1];
    if (!file) continue;
    const patterns: RefreshCheck['patterns'] = [];
    for (const match of text.matchAll(/re\.search\(\s*r?(["'])((?:\\.|(?!\1).)*)\1/g)) {
      const regex = match[2] as string;
      const variable = /^(\w+)/.exec(regex)?.[1] ?? regex;
      patterns.push({
        regex,
        variable,
        compares: /sha256/i.test(variable) ? 'checksums' : 'versionInfo',
        hasGroup: /\((?!\?)/.test(regex.replace(/\\./g, '')),
      });
    }
    if (patterns.length > 0) checks.push({ packageName: head[2] as string, file, patterns });
  }
  return checks;
}

function pypiRules(script: string, file: string): { pypi?: PypiRules } {
  const start = /^def\s+discover_pip_sbom_package\s*\(/m.exec(script);
  if (!start) return {};
  const bodyStart = script.indexOf('\n', start.index) + 1;
  const end = /^\S/m.exec(script.slice(bodyStart));
  const bodyEnd = end ? bodyStart + end.index : script.length;
  const body = script.slice(start.index, bodyEnd);
  const append = /sbom_data\[\s*["']packages["']\s*\]\.append\(\s*/.exec(body);
  if (!append) throw new InputError(`${file}: discover_pip_sbom_package() writes no pip entry regen can read`);
  const update = /package\.update\(\s*/.exec(body);
  return {
    pypi: {
      vendored: /vendor\.txt/.test(body),
      pipTemplateAt: start.index + append.index + append[0].length,
      ...(update ? { projectTemplateAt: start.index + update.index + update[0].length } : {}),
      dependsOn: /["']DEPENDS_ON["']/.test(body),
      wheelOptional: /def\s+maybe_remove_pip_and_deps_from_sbom/.test(script),
    },
  };
}
