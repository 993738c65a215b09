import type { PlatformLibrary } from '../catalog/catalog.js';
import { InputError } from '../errors.js';

/** The platforms whose builds' libraries `generate --platform` reads from the tree's recipes. */
export type RecipePlatform = 'macos' | 'android' | 'ios';
export const RECIPE_PLATFORMS: readonly RecipePlatform[] = ['macos', 'android', 'ios'];
export const PLATFORM_LABELS: Record<RecipePlatform, string> = { macos: 'macOS installer', android: 'Android', ios: 'iOS' };

/** How CPython's build uses a library, as SPDX 2.3 names it. */
export type LinkKind = 'STATIC_LINK' | 'DYNAMIC_LINK';

/** A patch the recipe applies to a library's sources. */
export interface RecipePatch {
  /** A file of the tree (`Mac/BuildScript/tk868_on_10_8_10_9.patch`), or a URL the recipe downloads. */
  location: string;
  local: boolean;
  /** A downloaded patch's checksum as the recipe records it. */
  checksum?: RecipeChecksum;
  /** `patches` (a diff) or `patchscripts` (a script of diffs). */
  kind: 'patch' | 'patch script';
}

export interface RecipeChecksum {
  algorithm: 'SHA256' | 'MD5';
  value: string;
}

/** One library a platform's build downloads, as its recipe says. */
export interface RecipeLibrary {
  library: PlatformLibrary;
  /** As the recipe spells it: `OpenSSL 3.0.19`, `openssl-3.0.19-1`. */
  recipeName: string;
  version: string;
  /** BeeWare's build number of a prebuilt library (`-1` of `openssl-3.0.19-1`). */
  build?: string;
  url: string;
  checksum?: RecipeChecksum;
  patches: RecipePatch[];
  link: LinkKind;
  /** Why the link is what it is, in words. */
  linkReason: string;
  /** Where the recipe names it: `Mac/BuildScript/build-installer.py:249`. */
  where: string;
  /** Whether the download is the library's sources (macOS) or a build of it (BeeWare's releases). */
  download: 'source' | 'binary';
}

/** A recipe read for one set of assumptions. */
export interface PlatformRecipe {
  platform: RecipePlatform;
  /** The recipe file, relative to the tree. */
  file: string;
  /** The function read (`library_recipes`). */
  entryPoint: string;
  /** What a condition of the recipe needed, with the values used (recorded in the document). */
  assumptions: { name: string; value: string; why: string }[];
  libraries: RecipeLibrary[];
  /** Who builds the downloads (BeeWare), when they are binaries. */
  supplier?: string;
}

/** A library of the catalog by the name a recipe gives it (case-insensitive), or an error naming the line. */
export function catalogLibrary(libraries: readonly PlatformLibrary[], recipeName: string, where: string): PlatformLibrary {
  const wanted = recipeName.toLowerCase();
  const found = libraries.find((library) => library.recipeNames.some((name) => name.toLowerCase() === wanted));
  if (!found) throw new InputError(`${where}: the recipe downloads '${recipeName}', which the catalog's platform libraries do not name`);
  return found;
}

/** A checksum by its length: 64 hex digits are SHA-256, 32 MD5; anything else is refused. */
export function recipeChecksum(value: string, where: string): RecipeChecksum {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return { algorithm: 'SHA256', value: value.toLowerCase() };
  if (/^[0-9a-fA-F]{32}$/.test(value)) return { algorithm: 'MD5', value: value.toLowerCase() };
  throw new InputError(`${where}: checksum ${JSON.stringify(value.slice(0, 80))} is neither a SHA-256 nor an MD5 digest`);
}

/** Whether a library ships a file whose name begins with one of the patterns' literal prefixes. */
export function shipsLibraryFile(library: PlatformLibrary, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const prefix = pattern.split('*')[0] ?? '';
    return prefix.length >= 4 && (library.libraryNames ?? []).some((name) => name.startsWith(prefix) || prefix.startsWith(name));
  });
}
