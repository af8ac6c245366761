/**
 * `gongkai parse`: reports → JSON, cells v1 or a readable summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReadPool } from '../ingest/pool.ts';
import { formatCells } from '../format/cells.ts';
import { formatText } from '../format/text.ts';
import type { Report } from '../types.ts';
import { inputError, OutputError, progress, readInput, readInWorker, systemReason, timeoutOption, UsageError } from './io.ts';

const FORMATS = {
  json: { ext: '.json', write: (r: Report) => `${JSON.stringify(r, null, 2)}\n` },
  cells: { ext: '.cells', write: formatCells },
  text: { ext: '.txt', write: formatText },
} as const;
type Format = keyof typeof FORMATS;

export const parseCommand = {
  help: `Usage: gongkai parse [options] FILE...

Read annual reports (web pages, Word, Excel, PDF, and text in any flattened form:
pipes, tabs, one cell per line, squashed digits; UTF-8 or GBK) into structured data.
\`-\` reads standard input. Each file is read in a worker with a time budget.

Options:
  -f, --format <json|cells|text>  output format (default: json)
  -o, --out <DIR>                 write one file per input into DIR, named after
                                  the input (.json / .cells / .txt)
      --partial                   read a fragment cut off inside table 三
      --timeout <SECONDS>         per-file time budget (default 120)
  -h, --help                      show this help

Exit codes: 0 all inputs read; 1 some input is not a readable report; 2 usage error;
75 an output file cannot be written (disk full, no permission).

Examples:
  gongkai parse report.txt                    # JSON to standard output
  gongkai parse --format cells a.txt b.txt    # cells v1, one block per file
  gongkai parse --format text report.txt      # tables laid out for reading
  gongkai parse --out parsed/ reports/*.txt   # one JSON file per report
  cat report.txt | gongkai parse -f cells -
`,
  options: {
    format: { type: 'string' as const, short: 'f', default: 'json' },
    out: { type: 'string' as const, short: 'o' },
    partial: { type: 'boolean' as const },
    timeout: { type: 'string' as const },
  },
  async run(values: Record<string, unknown>, files: string[]): Promise<number> {
    const format = String(values.format) as Format;
    if (!(format in FORMATS)) throw new UsageError(`--format must be json, cells or text (got “${format}”)`);
    if (files.length === 0) throw new UsageError('parse needs at least one FILE (or - for standard input); see `gongkai parse --help`');
    const out = typeof values.out === 'string' ? values.out : null;
    if (out) {
      try {
        mkdirSync(out, { recursive: true });
      } catch (e) {
        throw new UsageError(`--out ${out}: ${(e as NodeJS.ErrnoException).code === 'EEXIST' ? 'is a file; --out takes a folder' : `cannot make the folder (${systemReason(e)})`}`);
      }
    }
    const { ext, write } = FORMATS[format];
    const pool = new ReadPool({ timeoutMs: timeoutOption(values) });
    try {
      return await parseAll();
    } finally {
      await pool.destroy();
    }
    async function parseAll(): Promise<number> {
    const tick = progress(files.length, 'parse');
    const json: Report[] = [];
    let failed = 0;
    const used = new Map<string, number>();
    for (const [i, file] of files.entries()) {
      try {
        const input = readInput(file);
        const report = await readInWorker(pool, input, values.partial === true);
        if (out) {
          // two inputs with one base name (a/x.txt, b/x.txt) must not overwrite each other
          const n = used.get(input.base) ?? 0;
          used.set(input.base, n + 1);
          const target = join(out, `${input.base}${n ? `-${n + 1}` : ''}${ext}`);
          try {
            writeFileSync(target, write(report));
          } catch (e) {
            throw new OutputError(`cannot write ${target}: ${systemReason(e)}; stopped (files before it are written)`);
          }
        } else if (format === 'json') json.push(report);
        else process.stdout.write(`${files.length > 1 ? `==> ${input.name} <==\n` : ''}${write(report)}`);
      } catch (e) {
        if (e instanceof OutputError) throw e;
        // a bug on one file must not cost the rest of the batch
        const reason = inputError(e) ?? `internal error (please report): ${(e as Error)?.message ?? e}`;
        failed++;
        process.stderr.write(`gongkai: ${file === '-' ? '<stdin>' : file}: ${reason}\n`);
      }
      tick(i + 1, file);
    }
    if (!out && format === 'json' && json.length > 0) {
      process.stdout.write(`${JSON.stringify(files.length === 1 ? json[0] : json, null, 2)}\n`);
    }
    return failed > 0 ? 1 : 0;
    }
  },
};
