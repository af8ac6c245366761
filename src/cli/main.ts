#!/usr/bin/env node
/**
 * The gongkai command. I/O lives here and only here: the library it calls is pure.
 *
 * Exit codes: 0 all inputs done; 1 some input is not a readable report (or, for `check`,
 * an error-level finding); 2 usage error.
 */
import './node-version.ts'; // first: one clear line on a Node too old for the rest
import '../ingest/compile-cache.ts'; // before the command's modules load
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fail, UsageError, VERSION } from './errors.ts';

const HELP = `gongkai ${VERSION} — 政府信息公开工作年度报告 reader
Read China's government information disclosure annual reports into exact data.

Usage: gongkai <command> [options] FILE...

Commands:
  parse    read reports into structured data (JSON, cells v1, or a readable summary)
  check    check reports as a reviewer does (text, JSON or SARIF findings)
  rules    list the rules, or show one rule's documentation
  ingest   read files and folders into a store (SQLite or PostgreSQL), in parallel
  stats    totals, rates and findings over a store, grouped by year, region, level, body
  coverage which bodies (or, with --divisions, which divisions) have a report each year
  rollup   a region's bodies summed, beside the region's own report
  place    assign bodies to divisions from a mapping file; list those not placed
  export   one row per report, every cell a column: CSV, XLSX, JSON or Parquet
  synth    write a synthetic corpus with ground truth (for accuracy and scale tests)
  serve    the web app: review, dashboard, compare, author, batch ingest
  user     accounts of the web app (add, remove, list)
  backup   a consistent copy of a SQLite store, taken while it is in use
  help     show help for a command

Run \`gongkai <command> --help\` for a command's options and examples.
`;

interface Command { help: string; options: ParseArgsConfig['options']; run: (values: Record<string, unknown>, files: string[]) => Promise<number> }

/** Each command's module is loaded when it runs: `--help` and a usage error load none (pdfjs, fastify, the store drivers). */
const COMMANDS: Record<string, () => Promise<Command>> = {
  parse: async () => (await import('./parse.ts')).parseCommand,
  check: async () => (await import('./check.ts')).checkCommand,
  rules: async () => (await import('./check.ts')).rulesCommand,
  ingest: async () => (await import('./ingest.ts')).ingestCommand,
  stats: async () => (await import('./corpus.ts')).statsCommand,
  coverage: async () => (await import('./corpus.ts')).coverageCommand,
  rollup: async () => (await import('./corpus.ts')).rollupCommand,
  export: async () => (await import('./corpus.ts')).exportCommand,
  place: async () => (await import('./place.ts')).placeCommand,
  synth: async () => (await import('./synth.ts')).synthCommand,
  serve: async () => (await import('./serve.ts')).serveCommand,
  user: async () => (await import('./serve.ts')).userCommand,
  backup: async () => (await import('./backup.ts')).backupCommand,
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h') { process.stdout.write(HELP); return cmd ? 0 : 2; }
  if (cmd === '--version' || cmd === '-v') { process.stdout.write(`${VERSION}\n`); return 0; }
  if (cmd === 'help') {
    const load = rest[0] ? COMMANDS[rest[0]] : undefined;
    process.stdout.write(load ? (await load()).help : HELP);
    return 0;
  }
  const load = COMMANDS[cmd];
  if (!load) throw new UsageError(`unknown command “${cmd}”; try \`gongkai --help\``);
  const command = await load();
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (parsed.values.help) { process.stdout.write(command.help); return 0; }
  return command.run(parsed.values, parsed.positionals);
}

// a closed pipe (`gongkai export | head`) ends the output quietly, as Unix tools do
process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => { process.exitCode = fail(e); },
);
