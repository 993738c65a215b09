import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonDepthExceeded } from '../../src/util/bounded-json.js';
import { MAX_INFLATED_BYTES, MAX_NESTING_DEPTH } from '../../src/util/limits.js';
import { FIXED_EPOCH, REPO, SAMPLE, run, tempDir } from '../support/cli.js';

const dir = tempDir('cpython-sbom-reads-');
const CLI = join(REPO, 'dist', 'cli.js');
const SPDX = join(dir, 'sample.spdx.json');
const CDX_XML = join(REPO, 'fixtures', 'formats', 'cyclonedx', 'model.cdx.xml');
const CDX_JSON = join(REPO, 'fixtures', 'formats', 'cyclonedx', 'model.cdx.json');

/** The built CLI as a child process, with a timeout so that a hang fails the test. */
function cli(args: string[], input?: string): { code: number | null; stdout: string; stderr: string; signal: NodeJS.Signals | null } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH },
    timeout: 30_000,
    ...(input === undefined ? {} : { input }),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, signal: result.signal };
}

function expectOneLine(result: { code: number | null; stderr: string }, ...fragments: string[]): void {
  expect(result.code).toBe(2);
  expect(result.stderr.endsWith('\n')).toBe(true);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/internal error|\n\s+at |Maximum call stack/);
  for (const fragment of fragments) expect(result.stderr).toContain(fragment);
}

execFileSync(process.execPath, [CLI, 'generate', SAMPLE, '--output', SPDX], { env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH } });
const spdxText = readFileSync(SPDX, 'utf8');

describe('bounded reads of SBOMs (class 6)', () => {
  it('refuses a FIFO with no writer without hanging: validate, diff, verify', () => {
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    expectOneLine(cli(['validate', fifo]), 'fifo.json', 'FIFO');
    expectOneLine(cli(['diff', SPDX, fifo]), 'fifo.json', 'FIFO');
    expectOneLine(cli(['verify', fifo, SAMPLE]), 'fifo.json', 'FIFO');
  });

  it('refuses a device such as /dev/urandom without reading it', () => {
    expectOneLine(cli(['diff', SPDX, '/dev/urandom']), '/dev/urandom', 'a device');
    expectOneLine(cli(['validate', '/dev/zero']), '/dev/zero', 'a device');
  });

  it('refuses a directory', () => {
    expectOneLine(cli(['validate', dir]), 'a directory');
  });

  it("reads standard input as '-'", () => {
    const result = cli(['validate', '-'], spdxText);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('VALID');
  });

  it('stops gzip data that inflates past the bound', () => {
    const bomb = join(dir, 'bomb.spdx.json.gz');
    // Zeros past the bound, compressed by the system gzip (streams: no big buffer in this process).
    execFileSync('bash', ['-c', `head -c ${MAX_INFLATED_BYTES + 1024} /dev/zero | gzip -1 > '${bomb}'`]);
    expectOneLine(cli(['diff', SPDX, bomb]), 'bomb.spdx.json.gz', 'inflates to more than');
    expectOneLine(cli(['validate', bomb]), 'inflates to more than');
  });

  it('still reads a gzip-compressed SBOM of python.org', async () => {
    const gz = join(REPO, 'fixtures', 'diff', 'python.org');
    const file = execFileSync('bash', ['-c', `ls '${gz}'/*.spdx.json.gz | head -1`], { encoding: 'utf8' }).trim();
    const result = await run(['validate', file]);
    expect(result.code).toBeLessThan(2);
  });
});

/** `depth` levels of nesting around `inner`. */
const nest = (depth: number, inner = '1'): string => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

describe('depth and size (class 7)', () => {
  it('the depth scan skips brackets inside strings', () => {
    expect(jsonDepthExceeded('{"a": "[[[[[[[[[[[["}', 3)).toBe(-1);
    expect(jsonDepthExceeded('{"a": "\\"[[[[", "b": [[[1]]]}', 3)).toBeGreaterThan(0);
    expect(jsonDepthExceeded(nest(MAX_NESTING_DEPTH))).toBe(-1);
    expect(jsonDepthExceeded(nest(MAX_NESTING_DEPTH + 1))).toBeGreaterThan(0);
  });

  it.each([
    ['specVersion of CycloneDX JSON', () => readFileSync(CDX_JSON, 'utf8').replace(/"specVersion"\s*:\s*"[^"]*"/, `"specVersion": ${nest(5000)}`)],
    ['a ref of CycloneDX JSON', () => readFileSync(CDX_JSON, 'utf8').replace(/"ref"\s*:\s*"[^"]*"/, `"ref": ${nest(5000)}`)],
    [
      'nested components',
      () => {
        // Written as text: JSON.stringify itself recurses and would overflow here.
        const doc = JSON.parse(readFileSync(CDX_JSON, 'utf8')) as { components: unknown };
        doc.components = 'NESTED';
        const open = '{"type": "library", "name": "c", "components": ['.repeat(3000);
        const nested = `[${open}{"type": "library", "name": "leaf"}${']}'.repeat(3000)}]`;
        return JSON.stringify(doc).replace('"NESTED"', nested);
      },
    ],
    ['SPDX spdxVersion', () => spdxText.replace('"spdxVersion": "SPDX-2.3"', `"spdxVersion": ${nest(5000)}`)],
    ['SPDX 3 @graph', () => `{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": ${nest(5000)}}`],
  ])('JSON nested thousands deep (%s): one line naming the file, every command', (_label, make) => {
    const file = join(dir, `deep-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, make());
    expectOneLine(cli(['validate', file]), file, `nested deeper than ${MAX_NESTING_DEPTH}`);
    expectOneLine(cli(['diff', SPDX, file]), file, `nested deeper than ${MAX_NESTING_DEPTH}`);
    expectOneLine(cli(['verify', file, SAMPLE]), file, `nested deeper than ${MAX_NESTING_DEPTH}`);
  });

  it('CycloneDX XML nested 10,000 deep', () => {
    const xml = readFileSync(CDX_XML, 'utf8').replace('</metadata>', `${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</metadata>`);
    const file = join(dir, 'deep.cdx.xml');
    writeFileSync(file, xml);
    expectOneLine(cli(['validate', file]), 'deep.cdx.xml', `nested deeper than ${MAX_NESTING_DEPTH}`);
    expectOneLine(cli(['diff', SPDX, file]), 'deep.cdx.xml', `nested deeper than ${MAX_NESTING_DEPTH}`);
  });

  // The XML reader expands no entity but the five predefined ones and refuses any DOCTYPE as soon
  // as it is seen: no file is read (XXE), nothing grows (billion laughs), every command says so.
  it.each([
    ['an external entity (XXE)', `<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`, '&xxe;'],
    ['a parameter entity fetching a URL', `<!DOCTYPE bom [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>`, ''],
    [
      'a billion laughs',
      `<!DOCTYPE bom [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]>`,
      '&lol9;',
    ],
  ])('CycloneDX XML with %s: one line, DOCTYPE refused, nothing expanded', (_label, doctype, reference) => {
    const xml = readFileSync(CDX_XML, 'utf8')
      .replace(/^(<\?xml[^>]*\?>\s*)/, `$1${doctype}\n`)
      .replace('</metadata>', `<properties><property name="x">${reference}</property></properties></metadata>`);
    const file = join(dir, `doctype-${Math.random().toString(36).slice(2)}.cdx.xml`);
    writeFileSync(file, xml);
    for (const args of [
      ['validate', file],
      ['diff', SPDX, file],
      ['verify', file, SAMPLE],
    ]) {
      const result = cli(args);
      expectOneLine(result, file, 'document type declarations are not accepted (line 2)');
      expect(result.stderr).not.toContain('root:');
      expect(result.stdout).not.toContain('lollol');
    }
  });

  it('CycloneDX XML with a 4 MB attribute and a 4 MB text: read, compared as usual', () => {
    const xml = readFileSync(CDX_XML, 'utf8');
    const huge = xml
      .replace('<bom ', `<bom x-huge="${'a'.repeat(4_000_000)}" `)
      .replace('</metadata>', `<properties><property name="x">${'b'.repeat(4_000_000)}</property></properties></metadata>`);
    expect(huge.length).toBeGreaterThan(8_000_000);
    const file = join(dir, 'huge-attribute.cdx.xml');
    writeFileSync(file, huge);
    const original = join(dir, 'model.cdx.xml');
    writeFileSync(original, xml);
    const result = cli(['diff', original, file, '--only', 'packages']);
    expect(result.signal).toBeNull();
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The misplaced <properties> makes the document invalid: said as a finding, not a crash.
    const validation = cli(['validate', file]);
    expect(validation.code).toBe(1);
    expect(validation.stdout).toMatch(/INVALID/);
  });

  it('CycloneDX XML that is not well formed: an attribute twice, two roots, an unknown entity, an unbound prefix', () => {
    const xml = readFileSync(CDX_XML, 'utf8');
    const cases: [string, string][] = [
      [xml.replace('<bom ', '<bom version="1" '), "duplicate attribute 'version'"],
      [`${xml}\n<bom/>`, 'more than one root element'],
      [xml.replace('</metadata>', '<properties><property name="x">&nbsp;</property></properties></metadata>'), "unknown entity '&nbsp;'"],
      [xml.replace('</metadata>', '<x:y/></metadata>'), 'undeclared namespace prefix'],
    ];
    for (const [text, message] of cases) {
      const file = join(dir, `malformed-${Math.random().toString(36).slice(2)}.cdx.xml`);
      writeFileSync(file, text);
      expectOneLine(cli(['diff', SPDX, file]), file, message);
    }
  });

  it('a Misc/sbom.spdx.json 10,000 deep in the tree: generate refuses it naming the file', async () => {
    const tree = join(dir, 'deep-manifest-tree');
    cpSync(SAMPLE, tree, { recursive: true });
    const manifest = join(tree, 'Misc', 'sbom.spdx.json');
    const text = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, text.replace('"SPDXID"', `"deep": ${nest(10_000)}, "SPDXID"`));
    const result = await run(['generate', tree, '--output', '-']);
    expectOneLine(result, 'Misc/sbom.spdx.json', `nested deeper than ${MAX_NESTING_DEPTH}`);
  });

  it("validate's text output summarises 50,000 repeated findings in a few lines", () => {
    const doc = JSON.parse(readFileSync(CDX_JSON, 'utf8')) as { components: unknown[] };
    // The same semantic finding (an unknown hash algorithm name) on every component.
    doc.components = Array.from({ length: 50_000 }, (_, i) => ({ type: 'library', name: `p${i}`, 'bom-ref': `dup` }));
    const file = join(dir, 'many.cdx.json');
    writeFileSync(file, JSON.stringify(doc));
    const result = cli(['validate', file]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeLessThan(120);
    expect(result.stdout).toMatch(/and \d{4,} more/);
  });
});

describe('messages are one line (class 8)', () => {
  it('a JSON syntax error in input with newlines names the line, not the raw text', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "spdxVersion": "SPDX-2.3",\n  "name":\n}\n');
    for (const args of [
      ['validate', file],
      ['diff', SPDX, file],
      ['verify', file, SAMPLE],
    ]) {
      expectOneLine(cli(args), 'broken.json', 'not valid JSON');
    }
  });

  it('a file name with a newline stays on one line', () => {
    const file = join(dir, 'two\nlines.json');
    writeFileSync(file, '{');
    expectOneLine(cli(['diff', SPDX, file]), 'two\\nlines.json');
  });

  it('accepts a UTF-8 byte-order mark in every reader', () => {
    const file = join(dir, 'bom.spdx.json');
    writeFileSync(file, `\uFEFF${spdxText}`);
    expect(cli(['validate', file]).code).toBe(0);
    expect(cli(['diff', SPDX, file]).code).toBe(0);
    expect(cli(['verify', file, SAMPLE]).code).toBe(0);
    const xml = join(dir, 'bom.cdx.xml');
    writeFileSync(xml, `\uFEFF${readFileSync(CDX_XML, 'utf8')}`);
    expect(cli(['validate', xml]).code).toBe(0);
    const spdx3 = join(dir, 'bom.spdx3.json');
    const spdx3Text = execFileSync(process.execPath, [CLI, 'generate', SAMPLE, '--format', 'spdx3-json', '--output', '-'], {
      env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    writeFileSync(spdx3, `\uFEFF${spdx3Text}`);
    expect(cli(['validate', spdx3]).code).toBe(0);
    expect(cli(['diff', SPDX, spdx3]).code).toBe(0);
    expect(cli(['verify', spdx3, SAMPLE]).code).toBe(0);
  });
});
