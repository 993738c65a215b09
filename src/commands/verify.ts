import { type SignatureCheck, type VerifyReport, verify, verifySignature } from '../api/verify.js';
import { EXIT_FINDING, EXIT_OK, InputError } from '../errors.js';
import type { CommandIO } from './io.js';

/** Text output lists this many paths per group; `--format json` lists all. */
const TEXT_LIMIT = 200;

export async function runVerify(sbom: string, source: string | undefined, options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const publicKey = options.signature as string | undefined;
  if (source === undefined) {
    if (publicKey === undefined)
      throw new InputError('verify: SOURCE is missing (give the tarball or tree, or --signature PUBKEY to check only the signature)');
    const signature = await verifySignature(sbom, publicKey);
    io.stdout(options.format === 'json' ? `${JSON.stringify({ sbom, ok: signature.ok, signature }, null, 2)}\n` : `${describeSignature(sbom, signature)}\n`);
    return signature.ok ? EXIT_OK : EXIT_FINDING;
  }
  const progress =
    io.stderrIsTTY && options.progress !== false && !io.quiet
      ? (done: number, total: number) => io.stderr(`\rverifying ${source}: ${Math.floor((100 * done) / Math.max(total, 1))}%`)
      : undefined;
  const exclude = (options.exclude as string[] | undefined) ?? [];
  const report = await verify(sbom, source, {
    exclude,
    ...(progress ? { onProgress: progress } : {}),
    ...(publicKey !== undefined ? { signature: publicKey } : {}),
  }).finally(() => {
    if (progress) io.stderr('\r\x1b[K');
  });
  io.stdout(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : describe(report, source));
  return report.ok ? EXIT_OK : EXIT_FINDING;
}

/** `signature: OK (jsf, RS512)` or `signature: FAILED (detached, …): why`. */
function describeSignature(sbom: string, check: SignatureCheck): string {
  const how = [check.kind === 'jsf' ? 'embedded JSF signature' : `detached ${check.file ?? `${sbom}.sig`}`, check.algorithm].filter(Boolean).join(', ');
  return check.ok ? `signature of ${sbom}: OK (${how})` : `signature of ${sbom}: FAILED (${how}): ${check.reason ?? 'does not verify'}`;
}

function describe(report: VerifyReport & { signature?: SignatureCheck }, source: string): string {
  const lines = [`${source} against ${report.sbom.file} (${report.sbom.format})`];
  if (report.signature) lines.push(describeSignature(report.sbom.file, report.signature));
  const { artifact, counts } = report;
  if (artifact) {
    lines.push(
      artifact.matches
        ? `artifact ${artifact.fileName}: SHA-256 matches the SBOM`
        : `artifact ${artifact.fileName}: SHA-256 DIFFERS: expected ${artifact.expected}, found ${artifact.actual}`,
    );
  }
  lines.push(`files: ${counts.listed} listed, ${counts.matched} present with the recorded hash`);
  const group = (title: string, entries: string[]): void => {
    if (entries.length === 0) return;
    lines.push(`${title} (${entries.length}):`);
    for (const entry of entries.slice(0, TEXT_LIMIT)) lines.push(`  ${entry}`);
    if (entries.length > TEXT_LIMIT) lines.push(`  ... and ${entries.length - TEXT_LIMIT} more (--format json lists all)`);
  };
  group(
    'changed',
    report.changed.map((c) => `${c.path} (${c.algorithm} expected ${c.expected}, found ${c.actual})`),
  );
  const special = new Map(report.special.map((entry) => [entry.path, entry.reason]));
  const annotate = (path: string) => (special.has(path) ? `${path} (${special.get(path)})` : path);
  group('missing', report.missing.map(annotate));
  group('unexpected', report.unexpected.map(annotate));
  group("not listed, left out by the checkout's ignore rules (reported, not failed)", report.ignored);
  group('matched only after CRLF -> LF normalisation (accepted)', report.normalised);
  group('listed without SHA-256 or SHA-1 (presence checked only)', report.unhashed);
  if (counts.listed > 0 && counts.matched === 0 && counts.missing === counts.listed) {
    lines.push('hint: no listed file was found; SOURCE should be the tree root (the directory holding README.rst), or the tarball');
  }
  const problems = [
    ...(report.signature && !report.signature.ok ? ['signature does not verify'] : []),
    ...(artifact && !artifact.matches ? ['artifact hash differs'] : []),
    ...(['changed', 'missing', 'unexpected'] as const).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${k}`),
  ];
  lines.push(problems.length === 0 ? 'OK: the source matches the SBOM' : `FAILED: ${problems.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
