import { type ValidateResult, type ValidationIssue, validate } from '../api/validate.js';
import { EXIT_ERROR, EXIT_FINDING, EXIT_OK, InputError } from '../errors.js';
import { TOOL_NAME } from '../version.js';
import { type PolicyReport, parsePolicies } from '../api/validate.js';
import type { CommandIO } from './io.js';
import { pushAll } from '../util/arrays.js';
import { MAX_MESSAGE_LINE, boundLines, oneLine } from '../util/one-line.js';

/** A result, or why the file could not be read (exit 2; the other files are still reported). */
type FileValidation = ValidateResult & { unreadable: boolean };

/** Text output shows this many findings of a kind per file; `--format json` shows all. */
const TEXT_LIMIT = 50;

export async function runValidate(files: string[], options: Record<string, unknown>, io: CommandIO): Promise<number> {
  // An unknown policy is a usage error before any file is read.
  const policy = parsePolicies((options.policy as string[] | undefined) ?? []);
  const results: FileValidation[] = [];
  for (const file of files) {
    try {
      results.push({ ...(await validate(file, { policy })), unreadable: false });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      results.push({ file, format: 'unknown', valid: false, errors: [{ path: '', message: error.message }], warnings: [], unreadable: true });
    }
  }

  for (const r of results) if (r.unreadable) io.stderr(`${TOOL_NAME}: ${r.errors[0]?.message ?? `${r.file}: unreadable`}\n`);
  if (options.format === 'json') {
    // The contract's fields, then (with --policy) the policy reports, unreadable files included.
    const contract = results.map(({ file, format, valid, errors, warnings, policies }) => ({
      file,
      format,
      valid,
      errors,
      warnings,
      ...(policy.length > 0 ? { policies: policies ?? [] } : {}),
    }));
    io.stdout(`${JSON.stringify(contract, null, 2)}\n`);
  } else {
    for (const r of results) if (!r.unreadable) io.stdout(describe(r, io.quiet === true));
  }
  if (results.some((r) => r.unreadable)) return EXIT_ERROR;
  return results.some((r) => !r.valid || (r.policies ?? []).some((report) => !report.pass)) ? EXIT_FINDING : EXIT_OK;
}

/** The text report of one file; `quiet` leaves the warnings' lines out (their count stays in the header). */
function describe(r: FileValidation, quiet: boolean): string {
  const lines = [`${r.file}: ${r.valid ? 'VALID' : 'INVALID'} (${r.format}${summary(r)})`];
  const section = (label: string, findings: ValidationIssue[]): void => {
    // The same message at many places (PACKAGE_MANAGER on every package) is said once.
    const byMessage = new Map<string, string[]>();
    // Appending in place: copying the list per finding made 200,000 repeats quadratic.
    for (const f of findings) {
      const paths = byMessage.get(f.message);
      if (paths) paths.push(f.path || '/');
      else byMessage.set(f.message, [f.path || '/']);
    }
    let shown = 0;
    for (const [message, paths] of byMessage) {
      if (shown++ === TEXT_LIMIT) {
        lines.push(`  ... and ${byMessage.size - TEXT_LIMIT} more ${label}s (--format json lists all)`);
        break;
      }
      const more = paths.length > 1 ? ` (and ${paths.length - 1} more: ${paths.slice(1, 4).join(', ')}${paths.length > 4 ? ', ...' : ''})` : '';
      lines.push(boundLines(`  ${label} ${paths[0]}${more}: ${oneLine(message, MAX_MESSAGE_LINE)}`));
    }
  };
  section('error', r.errors);
  if (!quiet) section('warning', r.warnings);
  for (const report of r.policies ?? []) pushAll(lines, describePolicy(report));
  return `${lines.join('\n')}\n`;
}

/** `policy ntia: FAILS (3 findings; 8 elements, 30 components)` and one line per finding, grouped by element. */
function describePolicy(report: PolicyReport): string[] {
  const counts = `${report.elements} elements, ${report.components} components`;
  if (report.pass) return [`  policy ${report.policy}: PASSES (${counts}; ${report.standard})`];
  const lines = [
    `  policy ${report.policy}: FAILS (${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}; ${counts}; ${report.standard})`,
  ];
  const byElement = new Map<string, PolicyReport['findings']>();
  for (const finding of report.findings) {
    const list = byElement.get(finding.element);
    if (list) list.push(finding);
    else byElement.set(finding.element, [finding]);
  }
  for (const [element, findings] of byElement) {
    const first = findings[0] as PolicyReport['findings'][number];
    if (!first.component) {
      lines.push(`    ${element}: ${first.message}`);
      continue;
    }
    lines.push(`    ${element} (${first.name}): ${findings.length} component${findings.length === 1 ? '' : 's'}`);
    for (const finding of findings.slice(0, TEXT_LIMIT)) lines.push(`      ${finding.message}`);
    if (findings.length > TEXT_LIMIT) lines.push(`      ... and ${findings.length - TEXT_LIMIT} more (--format json lists all)`);
  }
  return lines;
}

function summary(r: FileValidation): string {
  const parts: string[] = [];
  if (r.errors.length) parts.push(`${r.errors.length} error${r.errors.length === 1 ? '' : 's'}`);
  if (r.warnings.length) parts.push(`${r.warnings.length} warning${r.warnings.length === 1 ? '' : 's'}`);
  return parts.length ? `, ${parts.join(', ')}` : '';
}
