import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import yazl from 'yazl';
import { readCPythonVersion } from '../../src/cpython/release.js';
import type { DetectContext, Detection, Detector } from '../../src/detect/types.js';
import { scanSource } from '../../src/source/index.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A tiny CPython-shaped tree in a temporary directory: path -> content. */
export function makeTree(files: Record<string, string | Buffer>, version = '3.11.2'): string {
  const root = mkdtempSync(join(tmpdir(), 'cpython-sbom-detect-'));
  made.push(root);
  const all: Record<string, string | Buffer> = { 'Include/patchlevel.h': `#define PY_VERSION "${version}"\n`, ...files };
  for (const [path, content] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** Scans a tree keeping what the detectors want, and runs them: the pipeline's detect step alone. */
export async function runDetectors(root: string, detectors: Detector[]): Promise<Detection> {
  const scan = await scanSource(root, { wantContent: (path) => path === 'Include/patchlevel.h' || detectors.some((d) => d.wants(path)) });
  const context: DetectContext = {
    scan,
    files: new Map(scan.files.map((file) => [file.path, file])),
    content: (path) => scan.contents.get(path),
    cpythonVersion: readCPythonVersion(scan),
  };
  const result: Detection = { packages: [], findings: [], warnings: [] };
  for (const detector of detectors) {
    const detection = await detector.detect(context);
    result.packages.push(...detection.packages);
    result.findings.push(...detection.findings);
    result.warnings.push(...detection.warnings);
  }
  return result;
}

/** A zip (wheel) in memory with the given members. */
export function makeWheel(members: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(members)) zip.addBuffer(Buffer.from(text), name, { mtime: new Date(0) });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** An expat.h as expat writes its version (indented `#  define` as newer releases do). */
export function expatHeader(version: string): string {
  const [major, minor, micro] = version.split('.');
  return `#ifndef Expat_INCLUDED\n#  define XML_MAJOR_VERSION ${major}\n#  define XML_MINOR_VERSION ${minor}\n#  define XML_MICRO_VERSION ${micro}\n#endif\n`;
}
