#!/usr/bin/env node
/**
 * The gongkai command. I/O lives here and only here: the library it calls is pure.
 *
 * Exit codes: 0 all inputs done; 1 some input is not a readable report (or, for `check`,
 * an error-level finding); 2 usage error.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseCommand } from './parse.ts';
import { checkCommand, rulesCommand } from './check.ts';
import { coverageCommand, exportCommand, rollupCommand, statsCommand } from './corpus.ts';
import { ingestCommand } from './ingest.ts';
import { synthCommand } from './synth.ts';
import { serveCommand, userCommand } from './serve.ts';
import { fail, UsageError, VERSION } from './io.ts';

const HELP = `gongkai ${VERSION} — 政府信息公开工作年度报告 reader
Read China's government information disclosure annual reports into exact data.

Usage: gongkai <command> [options] FILE...

Commands:
  parse    read reports into structured data (JSON, cells v1, or a readable summary)
  check    check reports as a reviewer does (text, JSON or SARIF findings)
  rules    list the rules, or show one rule's documentation
  ingest   read files and folders into a store (SQLite or PostgreSQL), in parallel
  stats    totals, rates and findings over a store, grouped by year, region, level, body
  coverage which bodies have (and have not) a report for each year
  rollup   a region's bodies summed, beside the region's own report
  export   one row per report, every cell a column: CSV, XLSX, JSON or Parquet
  synth    write a synthetic corpus with ground truth (for accuracy and scale tests)
  serve    the web app: review, dashboard, compare, author, batch ingest
  user     accounts of the web app (add, remove, list)
  help     show help for a command

Run \`gongkai <command> --help\` for a command's options and examples.
`;

const COMMANDS: Record<string, { help: string; options: ParseArgsConfig['options']; run: (values: Record<string, unknown>, files: string[]) => Promise<number> }> = {
  parse: parseCommand,
  check: checkCommand,
  rules: rulesCommand,
  ingest: ingestCommand,
  stats: statsCommand,
  coverage: coverageCommand,
  rollup: rollupCommand,
  export: exportCommand,
  synth: synthCommand,
  serve: serveCommand,
  user: userCommand,
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h') { process.stdout.write(HELP); return cmd ? 0 : 2; }
  if (cmd === '--version' || cmd === '-v') { process.stdout.write(`${VERSION}\n`); return 0; }
  if (cmd === 'help') {
    const c = rest[0] ? COMMANDS[rest[0]] : undefined;
    process.stdout.write(c ? c.help : HELP);
    return 0;
  }
  const command = COMMANDS[cmd];
  if (!command) throw new UsageError(`unknown command “${cmd}”; try \`gongkai --help\``);
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
