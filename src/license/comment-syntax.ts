/**
 * Where a file's comments are, by the kind of file its name says it is: a notice lives in a
 * comment (or a docstring, or anywhere in a text file), and what surrounds it is the notice's
 * extent. Approximate on purpose (a `/*` inside a string literal is taken as a comment): a notice
 * is read from comments, and code mistaken for a comment only adds words the matcher ignores.
 */
export type CommentSyntax =
  /** `/* … *\/` blocks and `//` lines: C, C++, Objective-C, JavaScript, CSS, C#. */
  | 'c'
  /** `#` lines and triple-quoted strings (module and function docstrings). */
  | 'python'
  /** `#` lines: shell, make, Perl, Ruby, TOML, YAML, CMake, config files. */
  | 'hash'
  /** `dnl` and `#` lines (autoconf, m4). */
  | 'm4'
  /** `;` lines: Lisp, assembler, INI. */
  | 'semicolon'
  /** `REM` and `::` lines: Windows batch files. */
  | 'batch'
  /** `<!-- … -->` blocks: XML, HTML, MSBuild, WiX. */
  | 'markup'
  /** `--` lines: SQL, the decimal test files. */
  | 'dashes'
  /** Every line is text: license files, READMEs, reStructuredText, Markdown, plain text. */
  | 'prose';

const BY_EXTENSION = new Map<string, CommentSyntax>();
const add = (syntax: CommentSyntax, extensions: string) => {
  for (const extension of extensions.split(' ')) BY_EXTENSION.set(extension, syntax);
};
add('c', 'c h cc cpp cxx hh hpp hxx m mm js mjs cjs ts css cs java go rs swift kt y l idl rc def d S');
add('python', 'py pyi pyw pyx pxd');
add('hash', 'sh bash zsh ksh pl pm rb mk cfg conf toml yaml yml cmake awk sed tcl ps1 psm1 r gitignore gitattributes editorconfig in am pc spec service');
add('m4', 'm4 ac');
add('semicolon', 'el lisp scm asm ini reg');
add('batch', 'bat cmd');
add('markup', 'xml html htm xhtml xsl xslt xsd wxs wxl wxi wixproj vcxproj props targets proj plist svg nuspec xaml appxmanifest manifest filters');
add('dashes', 'sql dectest lua hs');
add('prose', 'txt rst md markdown text rtf tex man 1 html5');

/** Files named without an extension that hold code of one of the kinds above. */
const BY_NAME = new Map<string, CommentSyntax>([
  ['makefile', 'hash'],
  ['gnumakefile', 'hash'],
  ['configure', 'hash'],
  ['install-sh', 'hash'],
  ['config.guess', 'hash'],
  ['config.sub', 'hash'],
  ['setup', 'hash'],
  ['dockerfile', 'hash'],
]);

export function commentSyntaxOf(path: string): CommentSyntax {
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const named = BY_NAME.get(base);
  if (named) return named;
  if (base.startsWith('makefile')) return 'hash';
  const dot = base.lastIndexOf('.');
  // No extension (README, LICENSE, COPYING, NEWS) or an unknown one: read every line.
  if (dot <= 0) return 'prose';
  return BY_EXTENSION.get(base.slice(dot + 1)) ?? 'prose';
}

/** Comment markers and string quoting before a line of a notice. */
const LEADING = /^[ \t]*(?:(?:\/\*+!?|\*+\/?|\/\/+[!/]?|#+[!:]?|;+|--+|%+|dnl\b|@?rem\b|::|<!--|\.\.(?= )|[rRuU]?(?:"""|''')|"|\\)[ \t]*)?/i;

/** What may close a line of a notice: comment ends, docstring quotes, a C string's `\n\` or `\n"`. */
const CLOSERS = ['*/', '-->', '"""', "'''", '";', '",', '\\n\\', '\\n",', '\\n";', '\\n"', '\\n', '\\', '"'];

/** A line of a notice without comment markers or C string escapes around it. */
export function stripCommentMarkers(line: string): string {
  let out = stripBoxEnd(line.replace(LEADING, '').trimEnd());
  for (let round = 0; round < 2; round++) {
    const closer = CLOSERS.find((candidate) => out.endsWith(candidate));
    if (!closer) break;
    out = out.slice(0, -closer.length).trimEnd();
    // `*/` may follow a run of stars (`****/`).
    while (closer === '*/' && out.endsWith('*')) out = out.slice(0, -1).trimEnd();
  }
  return out;
}

/** Without the right edge of a comment box (`-- text --`, `# text #`, `* text *`). */
function stripBoxEnd(line: string): string {
  let end = line.length;
  while (end > 0 && '-#*'.includes(line[end - 1] as string)) end--;
  // Only a run after a space is a box edge: "HACL*" keeps its star.
  if (end === line.length || (end > 0 && line[end - 1] !== ' ' && line[end - 1] !== '\t')) return line;
  return line.slice(0, end).trimEnd();
}
