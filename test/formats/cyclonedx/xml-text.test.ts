import { Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import { describe, expect, it } from 'vitest';
import { XmlNormalizerFactory } from '../../../src/formats/cyclonedx/pedigree.js';
import { buildBom } from '../../../src/formats/cyclonedx/write.js';
import { DirectXmlSerializer } from '../../../src/formats/cyclonedx/xml-text.js';
import { parseXml, type XmlElement } from '../../../src/formats/cyclonedx/xml.js';
import type { SbomDocument } from '../../../src/model/types.js';
import { bigModel, loadModel } from './helpers.js';

/** The same model through the library's own XML serializer (xmlbuilder2) and through ours. */
function both(document: SbomDocument, spec = Spec.Spec1dot6): { library: string; direct: string } {
  const { bom, pedigrees, fileRefs } = buildBom(document);
  const factory = new XmlNormalizerFactory(spec, pedigrees, fileRefs);
  return {
    library: new Serialize.XmlSerializer(factory).serialize(bom, { sortLists: false, space: 2 }),
    direct: new DirectXmlSerializer(factory).serialize(bom, { sortLists: false, space: 2 }),
  };
}

describe('CycloneDX XML written without a DOM is byte for byte what xmlbuilder2 writes', () => {
  it.each(['model', 'distributor'] as const)('%s', (name) => {
    const { library, direct } = both(loadModel(name));
    expect(direct).toBe(library);
  });

  it('CycloneDX 1.7 and a 500-file model', () => {
    const { library, direct } = both(bigModel(500), Spec.Spec1dot7);
    expect(direct.length).toBeGreaterThan(50_000);
    expect(direct).toBe(library);
  });

  it('text and attributes that need escaping', () => {
    const document = loadModel('model');
    const pkg = document.packages[0] as SbomDocument['packages'][number];
    pkg.description = 'a & b < c > d "quoted" \'single\' ]]> tab\there\nnewline é€😀 \u0001';
    pkg.comment = '<![CDATA[ not cdata ]]> & more';
    pkg.name = 'name "with" <markup> & more';
    const { library, direct } = both(document);
    expect(direct).toBe(library);
    expect(direct).toContain('a &amp; b &lt; c &gt; d');
  });

  it('text that already looks like an entity is escaped again, so it reads back as written', () => {
    // The one place we differ on purpose: xmlbuilder2 leaves "&amp;" in text as it is, so the
    // text comes back as "&"; ours writes "&amp;amp;".
    const document = loadModel('model');
    const pkg = document.packages[0] as SbomDocument['packages'][number];
    pkg.description = 'AT&amp;T &#65; &lt;';
    const { direct } = both(document);
    const bom = parseXml(direct);
    const texts: string[] = [];
    const walk = (element: XmlElement): void => {
      texts.push(element.text);
      element.children.forEach(walk);
    };
    walk(bom);
    expect(texts).toContain('AT&amp;T &#65; &lt;');
  });

  it('unindented output matches too', () => {
    const { bom, pedigrees, fileRefs } = buildBom(loadModel('distributor'));
    const factory = new XmlNormalizerFactory(Spec.Spec1dot6, pedigrees, fileRefs);
    expect(new DirectXmlSerializer(factory).serialize(bom, { sortLists: false })).toBe(
      new Serialize.XmlSerializer(factory).serialize(bom, { sortLists: false }),
    );
  });
});
