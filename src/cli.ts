#!/usr/bin/env node
/**
 * Wires the commands to commander. Each command lives in `commands/<name>.ts` and returns its
 * exit code; this file only parses arguments and turns errors into one line on stderr.
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import { realpathSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tuneOptimizingCompiler } from './commands/engine-tuning.js';
import { type CommandIO, processIO } from './commands/io.js';
import { COMPLETION_SHELLS, withCompletion } from './util/shell-completion.js';
import { FAIL_ON_KINDS } from './diff/fail-on.js';
import { EXIT_ERROR, isUserFacingError, FindingError } from './errors.js';
import { OUTPUT_FORMATS } from './formats/registry.js';
import { boundLines, oneLine } from './util/one-line.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';
import { maxOf } from './util/arrays.js';

type Runner = (io: CommandIO) => Promise<number>;

/** What every `--help` ends with: when the command exits 0, 1 and 2, and examples to copy. */
interface HelpFooter {
  exit: [ok: string, finding: string, error?: string];
  examples: string[];
}

const DEFAULT_ERROR = 'an error: bad usage, unreadable or malformed input, I/O failure (one line on stderr)';

function footer({ exit: [ok, finding, error = DEFAULT_ERROR], examples }: HelpFooter): string {
  return `\nExit codes:\n  0  ${ok}\n  1  ${finding}\n  2  ${error}\n` + `\nExamples:\n${examples.map((example) => `  ${example}`).join('\n')}\n`;
}

/**
 * The conventions every command follows: `--quiet` (warnings and notes off, errors kept),
 * `--no-progress`, and a help that ends with exit codes and examples.
 */
function conventions(command: Command, help: HelpFooter): Command {
  return command
    .option('-q, --quiet', 'no warnings, notes or progress on stderr; errors and findings still print')
    .option('--no-progress', 'no progress line on stderr (validate, diff and regen never show one)')
    .addHelpText('after', footer(help));
}

/** The IO a command runs with: `--quiet` from its flags. */
function commandIO(io: CommandIO, options: Record<string, unknown>): CommandIO {
  return options.quiet === true ? { ...io, quiet: true } : io;
}

export function buildProgram(io: CommandIO, run: (runner: Runner) => void): Command {
  const program = new Command(TOOL_NAME)
    .description('Software Bills of Materials (SPDX 2.3, CycloneDX) for CPython source trees and release tarballs')
    .version(TOOL_VERSION)
    .option('--debug', 'print stack traces for errors')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .exitOverride()
    .addHelpText(
      'after',
      '\nExit codes (every command): 0 success; 1 a finding (invalid document, differences, stale SBOM,\n' +
        'tampered file, version drift); 2 an error (bad usage, unreadable input, not a CPython tree).\n' +
        'Every command takes --quiet and --no-progress; `cpython-sbom COMMAND --help` shows its examples.\n' +
        '\nExamples:\n' +
        '  cpython-sbom generate Python-3.13.15.tar.xz --out-dir sboms\n' +
        '  cpython-sbom generate fixtures/sample-cpython --output -     (the small sample tree shipped in the package)\n' +
        '  source <(cpython-sbom completion bash)',
    );

  const generate = program
    .command('generate')
    .description(
      'Write SBOMs for a CPython source directory or release tarball (.tgz, .tar.gz, .tar.xz),\n' +
        'or for a python.org Windows artifact (python-X.Y.Z[t][-embed]-ARCH.exe/.zip) with --source TREE.',
    )
    .argument('<SOURCE>', 'CPython source directory or release tarball, or a python.org Windows artifact (with --source)')
    .addOption(
      withCompletion(new Option('-f, --format <list>', `comma-separated: ${OUTPUT_FORMATS.join(', ')} (default: spdx-json)`), {
        words: OUTPUT_FORMATS,
        list: true,
      }),
    )
    .option(
      '-o, --output <[format=]file>',
      "write the one format to FILE ('-' for stdout); FORMAT=FILE, repeatable, writes each format to its own FILE",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('-d, --out-dir <dir>', 'write one file per format into DIR, named after the artifact')
    .option('--overlay <file>', 'YAML overlay for distributor builds (see README: Overlays)')
    .addOption(
      new Option('--profile <profile>', "complete: all third-party code with licenses and evidence; python.org: the facts python.org's release tooling writes")
        .choices(['complete', 'python.org'])
        .default('complete'),
    )
    .addOption(new Option('--cyclonedx-version <version>', 'CycloneDX spec version to write').choices(['1.6', '1.7']).default('1.6'))
    .addOption(
      new Option('--files <which>', 'all: every file with its hashes; none: the packages only, each keeping the verification code of its files')
        .choices(['all', 'none'])
        .default('all'),
    )
    .option('--externals', 'also list the Windows build externals of PCbuild/get_externals.bat')
    .option('--strict', 'make version drift between Misc/sbom.spdx.json and the vendored sources a finding (exit 1), not a warning')
    .option('--allow-drift', 'no-op, kept for old scripts: version drift is a warning unless --strict')
    .option(
      '--creator <actor>',
      "who makes the SBOM besides the tool (the only default creator), repeatable: 'Organization: NAME (EMAIL)' or 'Person: NAME (EMAIL)'",
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .option('--pypi', "look up pip's and its vendored projects' artifacts on PyPI (network)")
    .option('--pypi-url <url>', 'PyPI JSON API base URL for --pypi', 'https://pypi.org/pypi')
    .option(
      '--advisories <dir>',
      'VEX: say in the CycloneDX documents which known vulnerabilities of the PSF advisory database (OSV files in DIR) the tree has fixed, from its Misc/NEWS',
    )
    .option(
      '--source <tree>',
      "for an artifact (Windows: python-X.Y.Z[t][-embed]-ARCH.exe/.zip; Android: python-X.Y.Z-HOST.tar.gz; iOS: python-X.Y.Z-iOS-XCframework.tar.gz|.zip; macOS: python-X.Y.Z-macosNN.pkg): the release's source directory or tarball",
    )
    .addOption(
      new Option(
        '--platform <platform>',
        "what that platform's build of the tree bundles: macos, android, ios (the libraries its build recipe downloads, read as data), windows (the tree with its externals)",
      ).choices(['macos', 'android', 'ios', 'windows']),
    )
    .option(
      '--deployment-target <version>',
      "--platform macos: the deployment target the recipe's conditions test (default: python.org's, 10.13 for 3.12+, 10.9 before)",
    )
    .option('--host <triple>', '--platform android|ios: the host whose libraries are listed (default: aarch64-linux-android, arm64-apple-ios)')
    .addOption(
      withCompletion(
        new Option(
          '--hash <algorithm>',
          'also hash every file and package with ALGORITHM (sha512; SHA-1 and SHA-256 are always written), repeatable',
        ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
        { words: ['sha512'] },
      ),
    )
    .option(
      '--license-list-version <X.Y>',
      'write license ids newer than SPDX license list X.Y as LicenseRef- ids with their text, for validators with that list',
    )
    .option(
      '--sign <key.pem>',
      'sign the SBOMs with the private key in KEY.pem: CycloneDX JSON carries a JSF signature, other formats get FILE.sig beside them',
    )
    .action(async (source: string, options: Record<string, unknown>) => {
      // A tarball starts decompressing on its own thread now, while the rest of the tool loads.
      // (A wrong guess at --hash costs nothing but the early start: the scan checks it.)
      const { prefetchTarball, dropPrefetched } = await import('./source/prefetch.js');
      const compression = await prefetchTarball(resolvePath(io.cwd, source), {
        sha512: Array.isArray(options.hash) && options.hash.some((value) => /sha512/i.test(String(value))),
      });
      // Before the rest of the tool loads, so that its code is optimized the way the run pays for.
      tuneOptimizingCompiler(compression, { env: io.env });
      const { runGenerate } = await import('./commands/generate.js');
      run(async (io) => {
        try {
          return await runGenerate(source, options, commandIO(io, options));
        } finally {
          dropPrefetched();
        }
      });
    })
    .addHelpText(
      'after',
      '\nOverlay (YAML; paths relative to SOURCE, a patched source directory):\n' +
        '  supplier: NAME                      the distributor\n' +
        "  package: {name, version, purl}      the distributor's package, which the SBOM describes\n" +
        '  namespace: URI                      SPDX document namespace\n' +
        '  upstream: PATH                      upstream tarball (hashed) or an SBOM of it\n' +
        '  patches: {series: PATH} | {dir: PATH}   applied patches (quilt series or *.patch/*.diff)\n' +
        '  unbundled: [{component, replacedBy: PURL}]   bundled components the build does not use\n' +
        '  exclude: [GLOB]                     paths left out of the file list (debian/**, .pc/**)\n' +
        'Example overlay: examples/debian-python3.13.yaml (shipped in the package)\n' +
        'The package also ships a small synthetic tree, fixtures/sample-cpython, to try the tool on;\n' +
        'describing it always prints a note saying it is not a CPython release.',
    );
  conventions(generate, {
    exit: [
      'the SBOMs were written (warnings, if any, on stderr)',
      'a finding: the tree fails a check (a file hashing other than Misc/sbom.spdx.json records, version drift under --strict); nothing written',
      'an error: bad usage (no SOURCE, unknown format in --format or -o FORMAT=FILE), unreadable input, not a CPython tree',
    ],
    examples: [
      'cpython-sbom generate Python-3.13.15.tar.xz --out-dir sboms --format spdx-json,cyclonedx-json',
      'cpython-sbom generate ./cpython -o spdx-json=cpython.spdx.json -o cyclonedx-xml=cpython.cdx.xml',
      'cpython-sbom generate ./cpython --profile python.org --output - | jq .packages[].name',
      'cpython-sbom generate ./debian-tree --overlay debian/sbom-overlay.yaml --out-dir sboms',
      'cpython-sbom generate Python-3.13.15.tar.xz -d sboms -f spdx-json,cyclonedx-json --hash sha512 --sign release-key.pem',
      'cpython-sbom generate Python-3.14.4.tar.xz --platform macos --format cyclonedx-json --output macos.cdx.json',
      'cpython-sbom generate python-3.14.4-aarch64-linux-android.tar.gz --source Python-3.14.4.tar.xz --out-dir sboms',
    ],
  });

  const regen = program
    .command('regen')
    .description(
      "Rewrite Misc/sbom.spdx.json and Misc/externals.spdx.json as the checkout's own\n" +
        'Tools/build/generate_sbom.py does, with the rules of that generation of the script (read, never run).',
    )
    .argument('<CHECKOUT>', 'CPython checkout')
    .option('--check', "write nothing; exit 1 when either file would change or the script's checks fail")
    .option('--strict', "also fail on checks stricter than the script's (vendored headers' versions, refresh scripts it does not read)")
    .option('--online', 'download what the script downloads: changed externals archives, and PyPI metadata for early-2024 scripts (network)')
    .option('--pypi-url <url>', 'PyPI JSON API base URL for --online', 'https://pypi.org/pypi')
    .addOption(new Option('--allow-drift', 'accepted for compatibility: drift is a warning unless --strict').hideHelp())
    .action(async (checkout: string, options: Record<string, unknown>) => {
      const { runRegen } = await import('./commands/regen.js');
      run((io) => runRegen(checkout, options, commandIO(io, options)));
    })
    .addHelpText(
      'after',
      "\nThe first line of a failure says which case: stale, fails the script's checks, or fails a\n" +
        'strict check (with --strict), naming manifest, package and field. Globs that leave the tree\n' +
        '(.., symbolic links) are refused. A script that looks pip up on PyPI at run time\n' +
        '(Dec 2023 - Feb 2024) needs --online.\n' +
        'CPYTHON_SBOM_DOWNLOAD_MIRROR=http://host/base fetches https://x/y from http://host/base/x/y instead.',
    );
  conventions(regen, {
    exit: [
      "both files are (or, with --check, already were) what the checkout's script writes, and its checks pass",
      "with --check: either file would change; or the script's checks fail (strict checks too, with --strict)",
    ],
    examples: ['cpython-sbom regen ~/src/cpython', 'cpython-sbom regen ~/src/cpython --check --strict'],
  });

  const validate = program
    .command('validate')
    .description('Validate SPDX 2.2 and 2.3 JSON, SPDX 3.0.1 JSON-LD and CycloneDX 1.2-1.7 JSON/XML documents (format and version detected from content)')
    .argument('<FILE...>', "SBOM documents ('-' for standard input)")
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--policy <name>',
      'also hold each document to a compliance policy, repeatable: ntia, cisa-2025, bsi-tr-03183-2, scvs-l1 (a missing element is a finding, exit 1)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (files: string[], options: Record<string, unknown>) => {
      const { runValidate } = await import('./commands/validate.js');
      run((io) => runValidate(files, options, commandIO(io, options)));
    })
    .addHelpText(
      'after',
      '\nPolicies (--policy, repeatable), each element checked on the document and on every component:\n' +
        '  ntia             NTIA minimum elements (2021): supplier, name, version, identifiers, dependencies, author, timestamp\n' +
        '  cisa-2025        CISA 2025 minimum elements: adds component hash, license, tool name, generation context (lifecycle)\n' +
        '  bsi-tr-03183-2   BSI TR-03183-2 v2.1: CycloneDX 1.6+/SPDX 3.0.1+, SHA-512, creator contacts, filename, licences, …\n' +
        '  scvs-l1          OWASP SCVS level 1 controls a BOM can show (1.1, 1.3, 1.7, 2.1, 2.3, 2.7, 2.9, 2.12, 2.14, 3.18, 5.11, 5.12, 6.3)',
    );
  conventions(validate, {
    exit: [
      'every document is valid (warnings allowed; --quiet leaves them out of the text report), and passes every --policy',
      'a document is invalid (schema, identifiers, references, licenses, checksums, verification codes) or misses an element a --policy requires',
      'a document is unreadable (missing, not JSON or XML, neither SPDX nor CycloneDX); the others are still reported',
    ],
    examples: [
      'cpython-sbom validate Python-3.13.15.tar.xz.spdx.json Python-3.13.15.tar.xz.cdx.xml',
      "cpython-sbom validate --format json sbom.cdx.json | jq '.[].errors'",
      'cpython-sbom validate --policy ntia --policy cisa-2025 Python-3.13.15.tar.xz.cdx.json',
    ],
  });

  const diff = program
    .command('diff')
    .description(
      'Compare two SBOMs (any mix of SPDX and CycloneDX) for a security review: packages, code changed in place, snippets, licenses, identifiers, VEX statements, files',
    )
    .argument('<OLD>', 'the older SBOM')
    .argument('<NEW>', 'the newer SBOM')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .addOption(new Option('--only <what>', 'compare only packages or only files').choices(['packages', 'files']))
    .addOption(
      withCompletion(
        new Option('--fail-on <kinds>', `exit 1 only for these kinds of change, comma-separated (default any): ${Object.keys(FAIL_ON_KINDS).join(', ')}`),
        { words: Object.keys(FAIL_ON_KINDS), list: true },
      ),
    )
    .action(async (oldFile: string, newFile: string, options: Record<string, unknown>) => {
      const { runDiff } = await import('./commands/diff.js');
      run((io) => runDiff(oldFile, newFile, options, commandIO(io, options)));
    })
    .addHelpText('after', () => {
      const width = maxOf(
        Object.keys(FAIL_ON_KINDS).map((kind) => kind.length),
        0,
      );
      const kinds = Object.entries(FAIL_ON_KINDS).map(([kind, meaning]) => `  ${kind.padEnd(width)}  ${meaning}`);
      return `\nKinds for --fail-on:\n${kinds.join('\n')}\n`;
    });
  conventions(diff, {
    exit: [
      'OLD and NEW describe the same packages, files, snippets and VEX statements (or no --fail-on kind occurred)',
      'they differ (in a --fail-on kind, when given)',
    ],
    examples: [
      'cpython-sbom diff Python-3.13.5.tar.xz.spdx.json Python-3.13.15.tar.xz.spdx.json',
      'cpython-sbom diff old.cdx.json new.spdx.json --format markdown > review.md',
      'cpython-sbom diff old.spdx.json new.spdx.json --fail-on changed-in-place,downgrade,suspicious',
    ],
  });

  const verify = program
    .command('verify')
    .description(
      'Check a tarball or directory against an SBOM that lists its files with hashes,\n' +
        "and with --signature PUBKEY the SBOM's signature (SOURCE may then be left out)",
    )
    .argument('<SBOM>', 'SPDX or CycloneDX document')
    .argument('[SOURCE]', 'release tarball or source directory (required unless --signature)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--exclude <glob>',
      "tree paths the SBOM leaves out on purpose, e.g. an overlay's 'debian/**' (repeatable)",
      (glob: string, previous: string[] = []) => [...previous, glob],
    )
    .option(
      '--signature <pubkey>',
      "PEM public key (RSA, EC, Ed25519): check the SBOM's signature, the JSF signature of CycloneDX JSON or the detached SBOM.sig beside it",
    )
    .action(async (sbom: string, source: string | undefined, options: Record<string, unknown>) => {
      const { runVerify } = await import('./commands/verify.js');
      run((io) => runVerify(sbom, source, options, commandIO(io, options)));
    });
  conventions(verify, {
    exit: ['every listed file is present with its recorded hash, and no unlisted file exists', 'a file is changed, missing or unexpected (each is listed)'],
    examples: [
      'cpython-sbom verify Python-3.13.15.tar.xz.spdx.json Python-3.13.15.tar.xz',
      "cpython-sbom verify sbom.cdx.json ./python3.13-3.13.5 --exclude 'debian/**' --exclude '.pc/**'",
    ],
  });

  const completion = program
    .command('completion')
    .description('Print a shell completion script for bash or zsh (made from this command tree)')
    .addArgument(new Argument('<SHELL>', 'the shell').choices(COMPLETION_SHELLS))
    .action(async (shell: string, options: Record<string, unknown>) => {
      const { runCompletion } = await import('./commands/completion.js');
      run((io) => runCompletion(shell, program, commandIO(io, options)));
    });
  conventions(completion, {
    exit: ['the script was printed', '(never)', 'an error: an unknown shell'],
    examples: [
      'source <(cpython-sbom completion bash)                      # this bash session',
      'cpython-sbom completion bash > ~/.local/share/bash-completion/completions/cpython-sbom',
      `cpython-sbom completion zsh > "\${fpath[1]}/_cpython-sbom"     # then restart zsh`,
    ],
  });

  const vexCommand = program
    .command('vex')
    .description(
      'Write a VEX document for a CPython source tree or release tarball.\n' +
        'For each OSV advisory about CPython (or a bundled component, by purl):\n' +
        "'fixed' where the tree's Misc/NEWS names the advisory's issue or pull\n" +
        "request (the entry is cited), otherwise 'under investigation'.",
    )
    .argument('<SOURCE>', 'CPython source directory or release tarball')
    .requiredOption('--advisories <dir>', 'OSV advisories: a checkout of github.com/psf/advisory-database, or a folder of OSV JSON files')
    .addOption(new Option('-f, --format <format>', 'VEX format').choices(['cyclonedx-json', 'openvex']).default('cyclonedx-json'))
    .option('-o, --output <file>', "write the document to FILE (default: standard output, also '-')")
    .addOption(new Option('--cyclonedx-version <version>', 'CycloneDX spec version to write').choices(['1.6', '1.7']).default('1.6'))
    .action(async (source: string, options: Record<string, unknown>) => {
      const { runVex } = await import('./commands/vex.js');
      run((io) => runVex(source, options, commandIO(io, options)));
    })
    .addHelpText(
      'after',
      '\nStatements never say affected or not affected: NEWS naming the fix is the only evidence used.\n' +
        'Keep the advisories current with: git -C advisory-database pull\n' +
        'Feed the result to a scanner: grype sbom:Python-3.13.15.tar.xz.cdx.json --vex cpython.openvex.json\n' +
        'The same statements inside the SBOM: cpython-sbom generate TREE --format cyclonedx-json --advisories DIR',
    );
  conventions(vexCommand, {
    exit: [
      'the document was written',
      '(not used: statements are data, never findings)',
      'bad usage, an unreadable tree or advisory folder, or no advisory concerns the tree',
    ],
    examples: [
      'cpython-sbom vex Python-3.13.15.tar.xz --advisories advisory-database -o Python-3.13.15.tar.xz.vex.cdx.json',
      'cpython-sbom vex Python-3.13.15.tar.xz --advisories advisory-database --format openvex > cpython.openvex.json',
    ],
  });

  return program;
}

export async function main(argv: string[], given: CommandIO = processIO()): Promise<number> {
  const debug = argv.includes('--debug');
  // Every line on stderr (errors, warnings, findings, notes) is bounded in length.
  const io: CommandIO = { ...given, stderr: (text) => given.stderr(boundLines(text)) };
  let pending: Runner | undefined;
  const program = buildProgram(io, (runner) => {
    pending = runner;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return pending ? await pending(io) : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and --version end here with code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : EXIT_ERROR;
    }
    if (isUserFacingError(error)) {
      // One line always: a message quoting input (a file name, parser context) is flattened.
      io.stderr(`${TOOL_NAME}: ${oneLine(error.message, 1000)}\n`);
      if (error instanceof FindingError) for (const line of error.details) io.stderr(`  ${line}\n`);
      if (debug && error.stack) io.stderr(`${error.stack}\n`);
      return error.exitCode;
    }
    const message = (error as Error | undefined)?.message ?? String(error);
    io.stderr(`${TOOL_NAME}: internal error: ${oneLine(message, 1000)}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && (error as Error | undefined)?.stack) io.stderr(`${(error as Error).stack}\n`);
    return EXIT_ERROR;
  }
}

/**
 * A reader that goes away (`| head -c 10`) closes the pipe: the run ends at once and quietly, as a
 * Unix tool killed by SIGPIPE does (status 128 + 13 = 141, what a shell reports for one), instead
 * of Node's "Unhandled 'error' event" trace.
 */
function endQuietlyOnClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(EXIT_SIGPIPE);
      if (stream === process.stdout) process.stderr.write(`${TOOL_NAME}: cannot write standard output: ${oneLine(error.message)}\n`);
      process.exit(EXIT_ERROR);
    });
  }
}

const EXIT_SIGPIPE = 128 + 13;

function isEntryPoint(): boolean {
  const invokedAs = process.argv[1];
  if (!invokedAs) return false;
  try {
    return realpathSync(invokedAs) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

// Run when executed as the `cpython-sbom` binary (not when imported by tests).
if (isEntryPoint()) {
  endQuietlyOnClosedOutput();
  let settled = false;
  // Node exits 0 when the event loop empties with a promise still pending (a stream that never
  // ends): that must never pass for success.
  process.on('beforeExit', () => {
    if (settled) return;
    settled = true;
    process.stderr.write(`${TOOL_NAME}: internal error: the run stopped before finishing (a stalled input stream)\n`);
    process.exitCode = EXIT_ERROR;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      settled = true;
      process.exitCode = code;
    },
    (error: unknown) => {
      settled = true;
      process.stderr.write(`${TOOL_NAME}: internal error: ${oneLine(String(error))}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
