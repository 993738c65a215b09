/**
 * The XML reader for CycloneDX documents, on `sax` (a maintained streaming SAX parser, no
 * dependencies) in strict mode with namespaces: elements, attributes, text, CDATA, comments,
 * processing instructions, the five predefined entities and character references.
 *
 * What a reader of documents from outside needs beyond the parser's own checks is added here:
 * a document type declaration is refused as soon as it is seen (CycloneDX never needs one, and
 * refusing it rules out entity-expansion bombs and external entities: no entity other than the
 * five predefined ones is ever expanded); nesting deeper than the limit, a second root element
 * and an attribute given twice are refused; errors carry the line they were found on.
 */

import sax from 'sax';
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

const BLANK = /^\s*$/;

/** sax's own messages, said the way the rest of the tool says things. */
function describeSaxError(message: string, parser: sax.SAXParser, open: readonly XmlElementOpen[]): string {
  const first = message.split('\n')[0] ?? message;
  const top = open[open.length - 1];
  // The parser's state at the error (not in sax's type declarations): the tag or entity being read.
  const state = parser as unknown as { tagName?: string; entity?: string };
  if (first === 'Unexpected close tag') return `end tag </${state.tagName ?? ''}> does not match <${top?.qname ?? 'nothing'}>`;
  if (first === 'Unclosed root tag') return `<${top?.qname ?? 'root'}> is never closed`;
  if (first === 'Invalid character entity') return `unknown entity '&${state.entity ?? ''};'`;
  if (first.startsWith('Unbound namespace prefix')) return `undeclared namespace prefix in ${first.slice(first.indexOf(':') + 1).trim()}`;
  if (first.startsWith('Text data outside of root node')) return 'text outside the root element';
  return first.replace(/\.$/, '').replace(/^./, (char) => char.toLowerCase());
}

interface XmlElementOpen {
  element: XmlElement;
  qname: string;
}

export function parseXml(source: string, maxDepth = MAX_NESTING_DEPTH): XmlElement {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  // strictEntities: only the five predefined entities (sax would otherwise expand HTML's, &nbsp; and all).
  const parser = sax.parser(true, { xmlns: true, position: true, strictEntities: true } as sax.SAXOptions);
  const stack: XmlElementOpen[] = [];
  let root: XmlElement | undefined;
  let rootClosed = false;
  let attributeNames = new Set<string>();
  const line = () => parser.line + 1;
  const fail = (message: string): never => {
    throw new XmlSyntaxError(message, line());
  };

  parser.onerror = (error) => fail(describeSaxError(error.message, parser, stack));
  parser.ondoctype = () => fail('document type declarations are not accepted');
  parser.onopentagstart = () => {
    attributeNames = new Set();
  };
  parser.onattribute = (attribute) => {
    if (attributeNames.has(attribute.name)) fail(`duplicate attribute '${attribute.name}'`);
    attributeNames.add(attribute.name);
  };
  parser.onopentag = (tag) => {
    const qualified = tag as sax.QualifiedTag;
    if (rootClosed) fail('more than one root element');
    if (stack.length >= maxDepth) throw new XmlDepthError(maxDepth, line());
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(qualified.attributes)) attributes[attribute.name] = attribute.value;
    const element: XmlElement = { name: qualified.local, namespace: qualified.uri ?? '', attributes, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.element.children.push(element);
    else root = element;
    stack.push({ element, qname: qualified.name });
  };
  parser.onclosetag = () => {
    stack.pop();
    if (stack.length === 0) rootClosed = true;
  };
  parser.ontext = (chunk) => {
    const top = stack[stack.length - 1];
    // Indentation between child elements is not content; keeping it would pile up megabytes of
    // whitespace on container elements such as <components>.
    if (top && (!BLANK.test(chunk) || top.element.children.length === 0)) top.element.text += chunk;
  };
  parser.oncdata = (chunk) => {
    const top = stack[stack.length - 1];
    if (top) top.element.text += chunk;
  };

  parser.write(text).close();
  if (!root) fail('no root element');
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
