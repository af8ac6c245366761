/**
 * `gongkai check` and `gongkai rules`.
 */
import { readFileSync } from 'node:fs';
import { ReadPool } from '../ingest/pool.ts';
import { check, ConfigError, findRule, RULES, validateConfig, type CheckConfig, type RuleSetting } from '../check/index.ts';
import { CORPUS_RULES } from '../corpus/meta.ts';
import { formatJson, formatSarif, formatStylish, type FileFindings } from '../format/findings.ts';
import { inputError, progress, readInput, readInWorker, timeoutOption, UsageError, VERSION } from './io.ts';

function loadConfig(path: string | undefined, flags: string[]): CheckConfig {
  let config: CheckConfig = {};
  const file = path ?? (() => { try { readFileSync('gongkai.config.json'); return 'gongkai.config.json'; } catch { return undefined; } })();
  if (file) {
    try {
      config = JSON.parse(readFileSync(file, 'utf8')) as CheckConfig;
    } catch (e) {
      throw new UsageError(`cannot read config ${file}: ${(e as Error).message}`);
    }
  }
  const rules: Record<string, RuleSetting> = { ...(config.rules ?? {}) };
  for (const f of flags) {
    const m = /^([a-z0-9-]+)=(off|error|warning|info)$/.exec(f);
    if (!m) throw new UsageError(`--rule takes ID=off|error|warning|info (got “${f}”)`);
    rules[m[1]!] = m[2] as RuleSetting;
  }
  const out = { ...config, rules };
  try { validateConfig(out); } catch (e) { if (e instanceof ConfigError) throw new UsageError(e.message); throw e; }
  return out;
}

export const checkCommand = {
  help: `Usage: gongkai check [options] FILE...

Check annual reports the way a careful reviewer does: the template's identities
(勾稽关系), structure, deadlines, narrative against tables, injected spam, leftovers.
\`-\` reads standard input. \`gongkai rules\` lists the rules. A fragment (a page cut off
before or inside its tables) is checked too: the missing tables are findings.

Options:
  -f, --format <text|json|sarif>  output format (default: text, eslint-style)
      --config <FILE>             rule settings (default: ./gongkai.config.json if present)
      --rule <ID=SETTING>         switch a rule off or re-grade it (repeatable):
                                  off | error | warning | info
      --lang <zh|en>              message language (default: zh)
      --timeout <SECONDS>         per-file time budget (default 120)
  -h, --help                      show this help

gongkai.config.json:  { "rules": { "ambiguous-cell": "off", "late-publication": "error" } }

Exit codes: 0 no error-level finding; 1 an error-level finding, or an input that is
not a readable report; 2 usage error.

Examples:
  gongkai check report.txt
  gongkai check --rule ambiguous-cell=off --rule label-variant=off reports/*.txt
  gongkai check --format sarif reports/*.txt > gongkai.sarif
`,
  options: {
    format: { type: 'string' as const, short: 'f', default: 'text' },
    config: { type: 'string' as const },
    rule: { type: 'string' as const, multiple: true },
    lang: { type: 'string' as const, default: 'zh' },
    timeout: { type: 'string' as const },
  },
  async run(values: Record<string, unknown>, files: string[]): Promise<number> {
    const format = String(values.format);
    if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif (got “${format}”)`);
    const lang = String(values.lang) === 'en' ? 'en' : 'zh';
    if (files.length === 0) throw new UsageError('check needs at least one FILE (or - for standard input); see `gongkai check --help`');
    const config = loadConfig(values.config as string | undefined, (values.rule as string[] | undefined) ?? []);
    const results: FileFindings[] = [];
    let unreadable = 0;
    const tick = progress(files.length, 'check');
    const pool = new ReadPool({ timeoutMs: timeoutOption(values) });
    for (const [i, file] of files.entries()) {
      try {
        const input = readInput(file);
        results.push({ file: input.name, findings: check(await readInWorker(pool, input, true), config) });
      } catch (e) {
        unreadable++;
        process.stderr.write(`gongkai: ${file === '-' ? '<stdin>' : file}: ${inputError(e) ?? `internal error (please report): ${(e as Error)?.message ?? e}`}\n`);
      }
      tick(i + 1, file);
    }
    await pool.destroy();
    const text = format === 'json' ? formatJson(results) : format === 'sarif' ? formatSarif(results, RULES, VERSION, lang) : formatStylish(results, lang);
    process.stdout.write(text);
    const errors = results.some((r) => r.findings.some((f) => f.severity === 'error'));
    return errors || unreadable > 0 ? 1 : 0;
  },
};

export const rulesCommand = {
  help: `Usage: gongkai rules [ID]

List every rule with its id, default severity and description; with an ID, print
that rule's documentation and basis. The corpus rules (comparing reports across
years and bodies) run at \`gongkai ingest\`.

Examples:
  gongkai rules
  gongkai rules t3-balance
`,
  options: {},
  async run(_values: Record<string, unknown>, ids: string[]): Promise<number> {
    const metas = [...RULES.map((r) => r.meta), ...CORPUS_RULES];
    if (ids.length === 0) {
      const w = Math.max(...metas.map((m) => m.id.length));
      const line = (m: (typeof metas)[number]) => `${m.id.padEnd(w)}  ${m.severity.padEnd(7)}  ${m.descriptionZh}\n${' '.repeat(w + 11)}${m.description}\n`;
      for (const m of RULES.map((r) => r.meta)) process.stdout.write(line(m));
      process.stdout.write('\ncorpus rules (gongkai ingest):\n');
      for (const m of CORPUS_RULES) process.stdout.write(line(m));
      return 0;
    }
    for (const id of ids) {
      const m = findRule(id)?.meta ?? CORPUS_RULES.find((c) => c.id === id);
      if (!m) throw new UsageError(`unknown rule “${id}”; \`gongkai rules\` lists them`);
      process.stdout.write(`${m.id} (${m.severity}, basis: ${m.basis})\n${m.descriptionZh}\n${m.description}\n\n${m.docs}\n`);
    }
    return 0;
  },
};
