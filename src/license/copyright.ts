/**
 * Copyright statements of a license file or file header: lines that start with "Copyright",
 * "(c)" or "©" followed by a year or a name, with comment markers trimmed. SPDX templates'
 * placeholders (`<year> <copyright holders>`) and the license's own sentences that merely mention
 * copyright ("the above copyright notice") are not statements.
 */
const STATEMENT = /^(?:copyright\b|\(c\)|©)\s*(?:\(c\)|©)?\s*(.*)$/i;

/** Public-domain and CC0 code names its authors instead ("Written in 2012 by Samuel Neves"). */
const AUTHORSHIP = /^(?:written|authored)\s+(?:in\s+\d{4}(?:-\d{4})?\s+)?by\s+\S/i;

export function extractCopyrights(text: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw
      .replace(/^\s*(?:\/\*+|\*+|\/\/+|#+|;+|--|\.\.)\s*/, '')
      .replace(/\s*\*\/\s*$/, '')
      .replace(/^:copyright:\s*/i, '')
      .trim();
    if (AUTHORSHIP.test(line)) {
      remember(line);
      continue;
    }
    const match = STATEMENT.exec(line);
    if (!match) continue;
    const rest = (match[1] ?? '').trim();
    // "(c)" and "©" alone start list items as often as statements ("(c) You must retain ..."): a year must follow.
    if (!/^copyright/i.test(line) && !/^\d{4}/.test(rest)) continue;
    // A statement names a year or a holder; "copyright notice", "copyright holders" and templates do not count.
    if (!/\d{4}/.test(rest) && !/^[A-Z]/.test(rest)) continue;
    // Placeholders of license templates (<year>, <copyright holders>) are not statements; e-mail addresses are.
    if (/^(?:notice|holders?|owners?|law|and|statement|license)\b/i.test(rest) || /<[^>@]*>/.test(rest)) continue;
    remember(line);
  }
  return found;

  function remember(line: string): void {
    const statement = line.replace(/\s+/g, ' ').slice(0, 300);
    if (!seen.has(statement)) {
      seen.add(statement);
      found.push(statement);
    }
  }
}
