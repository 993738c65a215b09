import type { DetectContext } from '../detect/types.js';
import type { Package } from '../model/types.js';

/** Whether the Windows build uses a component of the source tree, and the build file that says so. */
export interface BuildUse {
  used: boolean;
  reason: string;
}

const MAX_INCLUDE_DEPTH = 4;
const MAX_FOLLOWED = 5_000;

/** A compiled source as a project names it: a tree path, or a file under an external's directory. */
interface CompiledSource {
  project: string;
  treePath?: string;
  externalVar?: string;
}

/** `..\Modules\_bz2module.c`, `$(PySourcePath)Modules\x.c` -> `Modules/_bz2module.c`; `$(bz2Dir)\x.c` -> the variable. */
function compiledSource(project: string, include: string): CompiledSource | undefined {
  const external = /^\$\((\w+Dir)\)/.exec(include);
  if (external) return { project, externalVar: external[1] as string };
  const path = include.replace(/^\$\(PySourcePath\)/, '').replaceAll('\\', '/');
  if (!path.startsWith('../')) return undefined;
  const parts: string[] = [];
  for (const part of `PCbuild/${path}`.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return { project, treePath: parts.join('/') };
}

/** `<sqlite3Dir Condition="...">$(ExternalsDir)sqlite-3.50.4.0\</sqlite3Dir>` -> sqlite3Dir -> `sqlite-3.50.4.0`. */
function externalDirectories(props: string): Map<string, string> {
  const dirs = new Map<string, string>();
  for (const match of props.matchAll(/<(\w+Dir)\b[^>]*>\$\(ExternalsDir\)\\?([A-Za-z0-9.-]+)\\?<\/\1>/g)) {
    dirs.set(match[1] as string, match[2] as string);
  }
  return dirs;
}

/**
 * What PCbuild compiles, read from the tree: every `<ClCompile Include=...>` of every
 * PCbuild/*.vcxproj, the tree files those sources `#include` (followed a few levels, as libb2's
 * `impl/blake2b.c` is compiled through Modules/_blake2/blake2b_impl.c), and the externals each
 * project compiles from (`$(mpdecimalDir)`, named by PCbuild/python.props).
 */
export interface PcbuildUse {
  /** Tree path -> projects that compile it (directly or through #include). */
  treeFiles: Map<string, Set<string>>;
  /** External tag (`mpdecimal-4.0.0`) -> projects that compile from it. */
  externals: Map<string, Set<string>>;
  /** Whether the tree has PCbuild projects at all. */
  found: boolean;
}

export function readPcbuild(context: DetectContext): PcbuildUse {
  const treeFiles = new Map<string, Set<string>>();
  const externals = new Map<string, Set<string>>();
  const projects = [...context.files.keys()].filter((path) => /^PCbuild\/[^/]+\.vcxproj$/.test(path)).sort();
  const props = context.content('PCbuild/python.props')?.toString('utf8') ?? '';
  const dirs = externalDirectories(props);
  const add = (map: Map<string, Set<string>>, key: string, project: string) => {
    const set = map.get(key) ?? new Set<string>();
    set.add(project);
    map.set(key, set);
  };
  let followed = 0;
  const follow = (path: string, project: string, depth: number) => {
    if (depth > MAX_INCLUDE_DEPTH || followed >= MAX_FOLLOWED) return;
    followed++;
    const text = context.content(path)?.toString('latin1');
    if (text === undefined) return;
    const dir = path.slice(0, path.lastIndexOf('/'));
    for (const match of text.matchAll(/^[ \t]*#[ \t]*include[ \t]+"([^"]+)"/gm)) {
      const parts = dir.split('/');
      for (const part of (match[1] as string).split('/')) {
        if (part === '..') parts.pop();
        else if (part !== '.') parts.push(part);
      }
      const included = parts.join('/');
      if (!context.files.has(included) || treeFiles.get(included)?.has(project)) continue;
      add(treeFiles, included, project);
      follow(included, project, depth + 1);
    }
  };
  for (const projectPath of projects) {
    const project = projectPath.slice('PCbuild/'.length);
    const text = context.content(projectPath)?.toString('utf8') ?? '';
    for (const match of text.matchAll(/<ClCompile\s+Include="([^"]+)"/g)) {
      const source = compiledSource(project, match[1] as string);
      if (source?.treePath) {
        add(treeFiles, source.treePath, project);
        follow(source.treePath, project, 1);
      } else if (source?.externalVar) {
        const tag = dirs.get(source.externalVar);
        if (tag) add(externals, tag, project);
      }
    }
  }
  return { treeFiles, externals, found: projects.length > 0 };
}

/** Projects that compile from an external library (by its get_externals.bat name and version). */
export function projectsCompilingExternal(use: PcbuildUse, external: Package): string[] {
  return [...(use.externals.get(`${external.name}-${external.version}`) ?? [])].sort();
}

/**
 * Whether the Windows build uses each package of Misc/sbom.spdx.json. Python code under Lib/ is
 * part of every build's standard library. C code is used when a PCbuild project compiles one of
 * its files (directly or through an #include). A vendored copy no project compiles, while a
 * project compiles the external of the same name, is the case of mpdecimal in 3.13: the manifest
 * lists the vendored 2.5.1, PCbuild/_decimal.vcxproj builds the external 4.0.0.
 */
export function manifestBuildUse(use: PcbuildUse, packages: { pkg: Package; files: string[] }[], externals: Package[]): Map<string, BuildUse> {
  const decisions = new Map<string, BuildUse>();
  for (const { pkg, files } of packages) {
    if (files.length > 0 && files.every((path) => path.startsWith('Lib/'))) {
      decisions.set(pkg.ref, { used: true, reason: 'Python code of the standard library, part of every build' });
      continue;
    }
    if (!use.found) {
      decisions.set(pkg.ref, { used: true, reason: 'the tree has no PCbuild projects to say otherwise' });
      continue;
    }
    const projects = new Set<string>();
    for (const path of files) for (const project of use.treeFiles.get(path) ?? []) projects.add(project);
    if (projects.size > 0) {
      decisions.set(pkg.ref, {
        used: true,
        reason: `compiled by ${[...projects]
          .sort()
          .map((p) => `PCbuild/${p}`)
          .join(', ')}`,
      });
      continue;
    }
    const twin = externals.find((external) => external.name === pkg.name);
    const twinProjects = twin ? projectsCompilingExternal(use, twin) : [];
    if (twin && twinProjects.length > 0) {
      decisions.set(pkg.ref, {
        used: false,
        reason: `no PCbuild project compiles this copy; ${twinProjects.map((p) => `PCbuild/${p}`).join(', ')} compiles ${twin.name} ${twin.version} of the externals instead`,
      });
    } else {
      decisions.set(pkg.ref, { used: false, reason: 'no PCbuild project compiles its files' });
    }
  }
  return decisions;
}
