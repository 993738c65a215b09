import * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';

/**
 * CycloneDX XML text straight from the library's normalized element tree. The library's own
 * XmlSerializer hands that tree to xmlbuilder2, which builds a full DOM first: for 100,000 files
 * that DOM took over a gigabyte. This writes the same bytes (same declaration, indentation,
 * self-closed empty elements, escapes and namespace placement as xmlbuilder2's pretty printer)
 * in one walk, with nothing held but the output.
 */

type XmlText = string | number;
interface XmlNode {
  type: string;
  name?: string;
  namespace?: string | URL;
  attributes?: Record<string, XmlText | undefined | null>;
  children?: Iterable<XmlNode> | XmlText | undefined | null;
}

const TEXT_ESCAPE = /[&<>]/g;
const ATTRIBUTE_ESCAPE = /[&<>"]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeXml = (value: string, pattern: RegExp): string => value.replace(pattern, (ch) => ENTITY[ch] as string);

export function xmlText(root: XmlNode, space: number): string {
  const chunks: string[] = [];
  let out = '<?xml version="1.0" encoding="UTF-8"?>';
  const indents: string[] = [];
  // Without indentation xmlbuilder2 writes no line breaks either.
  const indent = (depth: number): string => (space === 0 ? '' : (indents[depth] ??= `\n${' '.repeat(space * depth)}`));
  const write = (node: XmlNode, depth: number, parentNamespace: string | null): void => {
    if (node.type !== 'element' || node.name === undefined) return;
    const attributes = node.attributes ?? {};
    const declared = node.namespace ?? attributes.xmlns;
    const namespace = declared === undefined || declared === null || String(declared) === '' ? parentNamespace : String(declared);
    out += `${indent(depth)}<${node.name}`;
    if (namespace !== parentNamespace) out += ` xmlns="${escapeXml(namespace ?? '', ATTRIBUTE_ESCAPE)}"`;
    for (const name in attributes) {
      const value = attributes[name];
      if (name === 'xmlns' || value === undefined || value === null) continue;
      out += ` ${name}="${escapeXml(String(value), ATTRIBUTE_ESCAPE)}"`;
    }
    const children = node.children;
    if (children === undefined || children === null) {
      out += '/>';
    } else if (typeof children === 'string' || typeof children === 'number') {
      const text = String(children);
      out += text === '' ? '/>' : `>${escapeXml(text, TEXT_ESCAPE)}</${node.name}>`;
    } else {
      let any = false;
      for (const child of children) {
        if (child.type !== 'element') continue;
        if (!any) out += '>';
        any = true;
        write(child, depth + 1, namespace);
      }
      out += any ? `${indent(depth)}</${node.name}>` : '/>';
    }
    // Hand finished pieces over now and then, so no one string grows into a deep rope.
    if (out.length > 1 << 16) {
      chunks.push(out);
      out = '';
    }
  };
  write(root, 0, null);
  chunks.push(out);
  return chunks.join('');
}

/** The library's XML serializer with xmlText in place of xmlbuilder2. */
export class DirectXmlSerializer extends Serialize.XmlBaseSerializer {
  protected _serialize(normalizedBom: Parameters<Serialize.XmlSerializer['_serialize']>[0], options: { space?: string | number } = {}): string {
    const space = typeof options.space === 'number' ? Math.max(0, options.space) : typeof options.space === 'string' ? options.space.length : 0;
    return xmlText(normalizedBom as unknown as XmlNode, space);
  }
}
