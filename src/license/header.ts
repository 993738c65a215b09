/**
 * The leading comment block of a source file, where a vendored file states its license: a C
 * block comment or run of `//` lines, or a run of `#` lines (after a shebang or coding line), or a
 * Python module docstring. Bounded: only the first 16 KiB of a file are looked at.
 */
const HEAD_BYTES = 16 * 1024;

export function leadingComment(text: string): string {
  const head = text.slice(0, HEAD_BYTES).replace(/^\uFEFF/, '');
  const trimmed = head.replace(/^\s+/, '');
  if (trimmed.startsWith('/*')) {
    const end = trimmed.indexOf('*/');
    return end === -1 ? trimmed : trimmed.slice(0, end + 2);
  }
  const lines = trimmed.split(/\r?\n/);
  const prefix = lines[0]?.startsWith('//') ? '//' : lines[0]?.startsWith('#') ? '#' : undefined;
  if (prefix) {
    const block: string[] = [];
    for (const line of lines) {
      if (!line.trimStart().startsWith(prefix) && line.trim() !== '') break;
      block.push(line);
    }
    const comment = block.join('\n');
    // A Python file whose comment is only a shebang/coding line may state its license in the docstring.
    if (prefix === '#' && !/\bcopyright\b|\blicen[cs]/i.test(comment)) {
      const rest = trimmed.slice(comment.length).replace(/^\s+/, '');
      const docstring = /^[rRuU]?("""|''')([\s\S]*?)\1/.exec(rest);
      if (docstring) return `${comment}\n${docstring[2] ?? ''}`;
    }
    return comment;
  }
  const docstring = /^[rRuU]?("""|''')([\s\S]*?)\1/.exec(trimmed);
  return docstring ? (docstring[2] ?? '') : '';
}
