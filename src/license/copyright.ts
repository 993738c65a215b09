/**
 * Copyright statements of a license file or file header: lines that start with "Copyright",
 * "(c)" or "©" followed by a year or a name, with comment markers trimmed. SPDX templates'
 * placeholders (`<year> <copyright holders>`) and the license's own sentences that merely mention
 * copyright ("the above copyright notice") are not statements.
 */
const STATEMENT = /^(?:copyright\b|\(c\)|©)\s*(?:\(c\)|©)?\s*(.*)$/i;

export function extractCopyrights(text: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s*(?:\/\*+|\*+|\/\/+|#+|;+|--|\.\.)\s*/, '').replace(/\s*\*\/\s*$/, '').trim();
    const match = STATEMENT.exec(line);
    if (!match) continue;
    const rest = (match[1] ?? '').trim();
    // "(c)" and "©" alone start list items as often as statements ("(c) You must retain ..."): a year must follow.
    if (!/^copyright/i.test(line) && !/^\d{4}/.test(rest)) continue;
    // A statement names a year or a holder; "copyright notice", "copyright holders" and templates do not count.
    if (!/\d{4}/.test(rest) && !/^[A-Z]/.test(rest)) continue;
    if (/^(?:notice|holders?|owners?|law|and|statement|license)\b/i.test(rest) || /<[^>]*>/.test(rest)) continue;
    const statement = line.replace(/\s+/g, ' ').slice(0, 300);
    if (!seen.has(statement)) {
      seen.add(statement);
      found.push(statement);
    }
  }
  return found;
}
