import parseExpression from 'spdx-expression-parse';
import { holderOf } from './copyright.js';
import { pushAll } from '../util/arrays.js';

/**
 * CPython's own lineage, as its LICENSE tells it: the Python Software Foundation, BeOpen.com,
 * CNRI (Corporation for National Research Initiatives) and CWI (Stichting Mathematisch Centrum),
 * with Guido van Rossum, whose early copyrights went to them. A notice naming only these, under
 * the licenses of that stack, is CPython's; any other holder or license is someone else's code.
 */
const LINEAGE_HOLDER =
  /python software foundation|\bpsf\b|beopen|corporation for national research initiatives|\bcnri\b|stichting mathematisch centrum|mathematisch centrum|\bcwi\b|\bsmc\b|centrum voor wiskunde|guido van rossum/i;

/** The licenses of the Python license stack (LICENSE: PSF, BeOpen, CNRI, and the whole as Python-2.0). */
export const LINEAGE_LICENSES: ReadonlySet<string> = new Set(['PSF-2.0', 'Python-2.0', 'Python-2.0.1', 'CNRI-Python', 'CNRI-Python-GPL-Compatible']);

/**
 * CWI's license for Python up to 1.2 is the Historical Permission Notice and Disclaimer with CWI's
 * name: HPND is CPython's where the only holders are the lineage's.
 */
const LINEAGE_WHEN_OWN_HOLDERS: ReadonlySet<string> = new Set(['HPND']);

export function isLineageHolder(statement: string): boolean {
  return LINEAGE_HOLDER.test(statement);
}

/** Whether a statement names a holder at all ("Copyright (c) 2003." names none). */
export function namesHolder(statement: string): boolean {
  return /[A-Za-z\u00C0-\u024F]{2,}/.test(holderOf(statement));
}

/** The license ids (and exceptions) of an expression. */
export function licenseIds(expression: string): string[] {
  const ids: string[] = [];
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const record = node as { license?: string; exception?: string; left?: unknown; right?: unknown };
    if (record.license) ids.push(record.license);
    if (record.exception) ids.push(record.exception);
    walk(record.left);
    walk(record.right);
  };
  try {
    walk(parseExpression(expression));
  } catch {
    pushAll(
      ids,
      (expression.match(/[A-Za-z0-9.+-]+/g) ?? []).filter((word) => !/^(?:AND|OR|WITH)$/.test(word)),
    );
  }
  return ids;
}

/** Whether every license of an expression is of CPython's own stack (given whether the file's holders all are). */
export function isLineageExpression(expression: string, ownHoldersOnly: boolean): boolean {
  return licenseIds(expression).every((id) => LINEAGE_LICENSES.has(id) || (ownHoldersOnly && LINEAGE_WHEN_OWN_HOLDERS.has(id)));
}
