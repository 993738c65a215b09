/**
 * A small, strict XML reader for CycloneDX documents: elements, attributes, text, CDATA,
 * comments, processing instructions, the five predefined entities and character references.
 *
 * Why not xmlbuilder2's parser: it accepts documents that are not well-formed (`<bom><a></bom>`,
 * an unclosed root, bare text), and a reader must refuse those. Document type declarations are
 * refused outright: CycloneDX never needs one, and refusing them rules out entity-expansion bombs
 * and external entities. One linear scan, no regular expressions over the whole text, so a
 * 5,000-component document parses in tens of milliseconds.
 */

import { MAX_NESTING_DEPTH } from '../../util/limits.js';

export interface XmlElement {
  /** Local name, without prefix. */
  name: string;
  /** Namespace URI ('' when none). */
  namespace: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Character data directly inside this element (not its children's), entities decoded; blank runs between children are dropped. */
  text: string;
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`${message} (line ${line})`);
    this.name = 'XmlSyntaxError';
  }
}

/**
 * Nesting past the limit is refused while parsing (the parser itself keeps an explicit stack, but
 * every reader of the element tree recurses, and xmllint's validation does too).
 */
export class XmlDepthError extends XmlSyntaxError {
  constructor(
    readonly limit: number,
    line: number,
  ) {
    super(`elements nested deeper than ${limit} levels`, line);
    this.name = 'XmlDepthError';
  }
}

const NAME = /[A-Za-z_][\w.:-]*/y;
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const TAG_END = /\s*(\/?)>/y;
const BLANK = /^\s*$/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

interface Open {
  element: XmlElement;
  qname: string;
  prefixes: Map<string, string>;
}

export function parseXml(source: string, maxDepth = MAX_NESTING_DEPTH): XmlElement {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const lineAt = (index: number): number => {
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
    return line;
  };
  const fail = (message: string, index: number): never => {
    throw new XmlSyntaxError(message, lineAt(index));
  };
  const decode = (raw: string, at: number): string => {
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&\s]*);?/g, (whole, entity: string) => {
      if (!whole.endsWith(';')) fail(`'&' not starting an entity reference`, at);
      if (entity.startsWith('#')) {
        const code = entity[1] === 'x' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
        if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || !/^#(x[0-9a-fA-F]+|[0-9]+)$/.test(entity)) {
          fail(`bad character reference '&${entity};'`, at);
        }
        return String.fromCodePoint(code);
      }
      const value = PREDEFINED[entity];
      if (value === undefined) fail(`unknown entity '&${entity};'`, at);
      return value as string;
    });
  };

  const stack: Open[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration', 0);
    i = end + 2;
  }
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunkEnd = lt < 0 ? text.length : lt;
    if (chunkEnd > i) {
      const chunk = text.slice(i, chunkEnd);
      const top = stack[stack.length - 1];
      const blank = BLANK.test(chunk);
      // Indentation between child elements is not content; keeping it would pile up megabytes
      // of whitespace on container elements such as <components>.
      if (top) {
        if (!blank || top.element.children.length === 0) top.element.text += decode(chunk, i);
      } else if (!blank) fail('text outside the root element', i);
    }
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment', i);
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      const end = text.indexOf(']]>', i + 9);
      const top = stack[stack.length - 1];
      if (end < 0 || !top) fail(top ? 'unterminated CDATA section' : 'CDATA outside the root element', i);
      (top as Open).element.text += text.slice(i + 9, end);
      i = end + 3;
    } else if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) fail('unterminated processing instruction', i);
      i = end + 2;
    } else if (text.startsWith('<!', i)) {
      fail('document type declarations are not accepted', i);
    } else if (text[i + 1] === '/') {
      NAME.lastIndex = i + 2;
      const name = NAME.exec(text)?.[0];
      const close = text.indexOf('>', i);
      const open = stack.pop();
      if (name === undefined || close < 0 || text.slice(NAME.lastIndex, close).trim() !== '') fail('malformed end tag', i);
      if (!open || open.qname !== name) fail(`end tag </${name}> does not match <${open?.qname ?? 'nothing'}>`, i);
      i = close + 1;
    } else {
      NAME.lastIndex = i + 1;
      const qname = NAME.exec(text)?.[0];
      if (qname === undefined) fail(`'<' not starting a tag`, i);
      let at = NAME.lastIndex;
      const raw: [string, string][] = [];
      for (;;) {
        ATTRIBUTE.lastIndex = at;
        const match = ATTRIBUTE.exec(text);
        if (!match) break;
        raw.push([match[1] as string, decode(match[2] ?? match[3] ?? '', at)]);
        at = ATTRIBUTE.lastIndex;
      }
      TAG_END.lastIndex = at;
      const end = TAG_END.exec(text);
      if (!end) fail(`malformed start tag <${qname}>`, i);
      const parent = stack[stack.length - 1];
      if (!parent && root) fail('more than one root element', i);
      let prefixes = parent?.prefixes ?? new Map<string, string>();
      const attributes: Record<string, string> = {};
      for (const [name, value] of raw) {
        if (Object.hasOwn(attributes, name)) fail(`duplicate attribute '${name}'`, i);
        attributes[name] = value;
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          if (prefixes === parent?.prefixes) prefixes = new Map(prefixes);
          prefixes.set(name === 'xmlns' ? '' : name.slice(6), value);
        }
      }
      const colon = (qname as string).indexOf(':');
      const prefix = colon < 0 ? '' : (qname as string).slice(0, colon);
      const namespace = prefixes.get(prefix);
      if (prefix !== '' && namespace === undefined) fail(`undeclared namespace prefix '${prefix}'`, i);
      const element: XmlElement = {
        name: colon < 0 ? (qname as string) : (qname as string).slice(colon + 1),
        namespace: namespace ?? '',
        attributes,
        children: [],
        text: '',
      };
      if (parent) parent.element.children.push(element);
      else root = element;
      if (stack.length >= maxDepth) throw new XmlDepthError(maxDepth, lineAt(i));
      if ((end as RegExpExecArray)[1] !== '/') stack.push({ element, qname: qname as string, prefixes });
      i = TAG_END.lastIndex;
    }
  }
  if (stack.length > 0) fail(`<${(stack[stack.length - 1] as Open).qname}> is never closed`, text.length);
  if (!root) fail('no root element', 0);
  return root as XmlElement;
}

/** First child element with this local name. */
export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((candidate) => candidate.name === name);
}

export function children(element: XmlElement | undefined, name: string): XmlElement[] {
  return element ? element.children.filter((candidate) => candidate.name === name) : [];
}

/** Trimmed text of the named child, or undefined when absent or empty. */
export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const value = child(element, name)?.text.trim();
  return value ? value : undefined;
}
