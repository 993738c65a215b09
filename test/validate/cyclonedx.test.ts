import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startXmlSchemaCheck } from '../../src/formats/cyclonedx/schema.js';
import { validateText } from '../../src/validate/index.js';

const DIR = join(import.meta.dirname, '..', '..', 'fixtures', 'validate', 'cyclonedx');
const goodJson = () => JSON.parse(readFileSync(join(DIR, 'good-1.6.cdx.json'), 'utf8')) as Record<string, any>;
const goodXml = () => readFileSync(join(DIR, 'good-1.6.cdx.xml'), 'utf8');
const checkJson = (doc: unknown) => validateText(JSON.stringify(doc), 'bom.cdx.json');
const checkXml = (text: string) => validateText(text, 'bom.cdx.xml');

describe('validate: CycloneDX JSON', () => {
  it.each(['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'])('accepts a good %s document', async (version) => {
    const doc = goodJson();
    doc.specVersion = version;
    if (version < '1.4') delete doc.$schema;
    else doc.$schema = `http://cyclonedx.org/schema/bom-${version}.schema.json`;
    const result = await checkJson(doc);
    expect(result.errors).toEqual([]);
    expect(result.format).toBe(`cyclonedx-${version}-json`);
  });

  it('refuses a duplicate bom-ref', async () => {
    const doc = goodJson();
    doc.components[1]['bom-ref'] = 'expat';
    const result = await checkJson(doc);
    expect(result.errors).toContainEqual({ path: '/components/1/bom-ref', message: 'duplicate bom-ref "expat": already used at /components/0/bom-ref' });
  });

  it('refuses a dependency ref that does not resolve', async () => {
    const doc = goodJson();
    doc.dependencies[0].dependsOn.push('libmpdec');
    const result = await checkJson(doc);
    expect(result.errors).toEqual([{ path: '/dependencies/0/dependsOn/1', message: expect.stringMatching(/"libmpdec" does not resolve/) }]);
  });

  it('refuses an unknown license id and a bad expression', async () => {
    const doc = goodJson();
    doc.metadata.component.licenses[0].license.id = 'Python-Special-1.0';
    doc.components[0].licenses[0].expression = 'MIT OR Made-Up';
    const result = await checkJson(doc);
    const paths = result.errors.map((e) => e.path);
    expect(paths).toContain('/metadata/component/licenses/0/license/id');
    expect(paths).toContain('/components/0/licenses/0/expression');
    expect(result.errors.find((e) => e.path === '/metadata/component/licenses/0/license/id')?.message).toMatch(/Python-Special-1.0/);
  });

  it('refuses a hash whose length does not fit its algorithm', async () => {
    const doc = goodJson();
    doc.components[0].hashes[0].content = 'a'.repeat(40); // a SHA-1 length under SHA-256
    const result = await checkJson(doc);
    expect(result.errors).toEqual([{ path: '/components/0/hashes/0/content', message: 'expected 64 hex digits for SHA-256; found 40' }]);
  });

  it('refuses the same component listed twice', async () => {
    const doc = goodJson();
    doc.components.push({ ...doc.components[0], 'bom-ref': 'expat-again' });
    const result = await checkJson(doc);
    expect(result.errors).toEqual([{ path: '/components/2', message: expect.stringMatching(/duplicate component: .* as \/components\/0/) }]);
  });

  it('reports schema errors with their place, and identical items linearly', async () => {
    const doc = goodJson();
    delete doc.components[0].name;
    doc.dependencies.push(doc.dependencies[1]);
    const result = await checkJson(doc);
    expect(result.errors).toContainEqual({ path: '/components/0/name', message: "required property 'name' is missing" });
    expect(result.errors).toContainEqual({ path: '/dependencies', message: expect.stringMatching(/items 1 and 2 are identical/) });
  });

  it('still recognises a document whose bomFormat is missing, and says so', async () => {
    const doc = goodJson();
    delete doc.bomFormat;
    const result = await checkJson(doc);
    expect(result.format).toBe('cyclonedx-1.6-json');
    expect(result.errors).toEqual([{ path: '/bomFormat', message: "required property 'bomFormat' is missing" }]);
  });

  it('refuses an unsupported specVersion', async () => {
    const doc = goodJson();
    doc.specVersion = '2.0';
    const result = await checkJson(doc);
    expect(result.valid).toBe(false);
    expect(result.errors[0]?.path).toBe('/specVersion');
  });
});

describe('validate: CycloneDX XML', () => {
  it.each(['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'])('accepts a good %s document', async (version) => {
    const result = await checkXml(goodXml().replace('bom/1.6', `bom/${version}`));
    expect(result.errors).toEqual([]);
    expect(result.format).toBe(`cyclonedx-${version}-xml`);
  });

  it('refuses a duplicate bom-ref, a dangling dependency, a short hash and an unknown license', async () => {
    const text = goodXml()
      .replace('bom-ref="file:Lib/os.py"', 'bom-ref="expat"')
      .replace('<dependency ref="expat"/>\n    </dependency>', '<dependency ref="libmpdec"/>\n    </dependency>')
      .replace('<hash alg="SHA-256">4a0b4dd5ad4de0df2e2eee4764fe5c9f1c4ab4e1fcba1d4a8b1af3b0a0a7b9a5', `<hash alg="SHA-256">${'b'.repeat(40)}`)
      .replace('<expression>MIT</expression>', '<expression>MIT AND Made-Up-2.0</expression>');
    const result = await checkXml(text);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { path: '/bom/components/component[2]/@bom-ref', message: expect.stringMatching(/duplicate bom-ref "expat"/) },
        { path: '/bom/dependencies/dependency[1]/dependency[1]/@ref', message: expect.stringMatching(/"libmpdec" does not resolve/) },
        { path: '/bom/components/component[1]/hashes/hash[1]', message: 'expected 64 hex digits for SHA-256; found 40' },
        { path: '/bom/components/component[1]/licenses/expression[1]', message: expect.stringMatching(/unknown license id 'Made-Up-2.0'/) },
      ]),
    );
  });

  it('reports schema errors from the XSD', async () => {
    const result = await checkXml(goodXml().replace('<name>expat</name>', '<nom>expat</nom>'));
    expect(result.valid).toBe(false);
    expect(result.errors[0]?.path).toMatch(/component/);
  });

  it('treats malformed XML and non-CycloneDX XML as unreadable', async () => {
    const broken = await checkXml(goodXml().replace('</components>', ''));
    expect(broken.unreadable).toBe(true);
    expect(broken.errors[0]?.message).toMatch(/^bom\.cdx\.xml: not well-formed XML \(.*\(line \d+\)\)$/);
    const doctype = await checkXml(goodXml().replace('<bom ', '<!DOCTYPE bom [<!ENTITY lol "lol">]>\n<bom '));
    expect(doctype.unreadable).toBe(true);
    const other = await checkXml('<?xml version="1.0"?><project><name>x</name></project>');
    expect(other.unreadable).toBe(true);
    expect(other.errors[0]?.message).toMatch(/not a CycloneDX document/);
  });

  // generate checks its own XML with xmllint running beside the element tree's reading; the
  // validate command reads the tree first: the same findings, in the same order.
  it('gives the same findings whether xmllint starts before or after the element tree is read', async () => {
    const schemaAndSemantic = goodXml().replace('<name>expat</name>', '<nom>expat</nom>').replace('bom-ref="file:Lib/os.py"', 'bom-ref="expat"');
    for (const text of [goodXml(), schemaAndSemantic, goodXml().replace('</components>', ''), goodXml().replace('bom/1.6', 'bom/1.1')]) {
      const own = await validateText(text, 'bom.cdx.xml', { ownRendering: true });
      expect(own).toEqual(await checkXml(text));
    }
    const both = await validateText(schemaAndSemantic, 'bom.cdx.xml', { ownRendering: true });
    // The XSD's findings first, then the semantic one.
    expect(both.errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/'\{[^}]+\}nom': This element is not expected/),
      expect.stringMatching(/Duplicate key-sequence \['expat'\]/),
      expect.stringMatching(/^duplicate bom-ref "expat"/),
    ]);
  });

  it('hands xmllint the document before its result is awaited', async () => {
    const { errors } = await startXmlSchemaCheck(goodXml(), '1.6');
    // xmllint runs on a thread that boots and compiles libxml2 first: its result cannot be there
    // one turn of the event loop later (it would be, had the start waited for it).
    const nextTurn = new Promise((resolve) => setImmediate(() => resolve('pending')));
    expect(await Promise.race([errors.then(() => 'done'), nextTurn])).toBe('pending');
    expect(await errors).toEqual([]);
  });
});
