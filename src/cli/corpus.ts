/**
 * `gongkai stats`, `coverage`, `rollup` and `export`: questions asked of a store.
 */
import { csvLine } from '../format/csv.ts';
import { createWriteStream } from 'node:fs';
import { lstat, rename, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { grid } from '../format/text.ts';
import { coverage, divisionCoverage, findingCounts, parseWhere, peerRates, rateKeys, rates, rollUp, totals, type DivisionCoverage, type GroupBy, type GroupTotals, type Selection } from '../store/query.ts';
import type { DivisionLevel } from '../schema/divisions.ts';
import type { Store } from '../store/store.ts';
import { OutputError, systemReason, UsageError } from './io.ts';
import { DB_HELP, DB_OPTION, openStore } from './store.ts';

const WHERE_HELP = `  -w, --where <TERM>              select reports (repeatable): year=2023 or year=2021..2023,
                                  region=淮安市 (and every region under it), level=county,
                                  agency=民政 (part of the name)`;

function selection(values: Record<string, unknown>): Selection {
  try {
    return parseWhere((values.where as string[] | undefined) ?? []);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const num = (n: number) => (Number.isInteger(n) ? String(n) : String(Number(n.toFixed(4))));
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

const table = (head: string[], rows: string[][], rightFrom = 1) => grid(head, rows, rightFrom).join('\n');

/** Entries by their key (`sort()` alone would make a string of every entry for each comparison). */
const byKey = (a: readonly [string, unknown], b: readonly [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * A group's cells as `JSON.stringify(Object.fromEntries(sorted), null, 2)` gives them, at the
 * indent of the line that holds them.
 */
function cellsJson(cells: GroupTotals['cells'], indent: string): string {
  if (cells.size === 0) return '{}';
  const n = (x: number) => (Number.isFinite(x) ? String(x) : 'null');
  const inner = `${indent}    `;
  const lines = [...cells].sort(byKey).map(([k, c]) => `${indent}  ${JSON.stringify(k)}: {\n${inner}"total": ${n(c.total)},\n${inner}"present": ${n(c.present)},\n${inner}"missing": ${n(c.missing)}\n${indent}  }`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

const HEADLINE: Array<[string, string]> = [
  ['t3.new.total', '新收'], ['t3.carried.total', '上年结转'], ['t3.results_total.total', '办理总计'], ['t3.granted.total', '予以公开'],
  ['t3.carry_next.total', '结转下年'], ['t4.review.total', '复议'], ['t4.suit_direct.total', '直接起诉'], ['t4.suit_after.total', '复议后起诉'],
];

/** The rates the text table shows, in its last columns (JSON and CSV give every rate). */
const TEXT_RATES: ReadonlySet<string> = new Set(['substantive', 'review_correction']);

export const statsCommand = {
  help: `Usage: gongkai stats [options]

Totals of every table cell over the current reports of a selection, grouped; the
rates users ask for (with their formulas and sample-size guards); findings by rule.
A blank cell is never counted as 0: each total says how many reports lacked it.

Options:
${DB_HELP}
  -b, --by <year|region|level|agency>  group by (repeatable, or comma-separated)
${WHERE_HELP}
      --cells                     every cell's total, not just the headline ones
      --rank <RATE>               instead: each report's rate, ranked among the peers of its
                                  level and year: substantive, granted, partial, denied,
                                  review_correction, litigation_loss
  -f, --format <text|json|csv>    output (default text)
  -h, --help                      show this help

Examples:
  gongkai stats --by year
  gongkai stats --by year,region --where region=淮安市 --format csv > totals.csv
`,
  options: { ...DB_OPTION, by: { type: 'string' as const, short: 'b', multiple: true }, where: { type: 'string' as const, short: 'w', multiple: true }, cells: { type: 'boolean' as const }, rank: { type: 'string' as const }, format: { type: 'string' as const, short: 'f', default: 'text' } },
  async run(values: Record<string, unknown>, rest: string[]): Promise<number> {
    if (rest.length) throw new UsageError(`stats takes no files (got “${rest[0]}”); select with --where`);
    const by = ((values.by as string[] | undefined) ?? []).flatMap((b) => b.split(',')).map((b) => b.trim()).filter(Boolean);
    for (const b of by) if (!['year', 'region', 'level', 'agency'].includes(b)) throw new UsageError(`--by takes year, region, level or agency (got “${b}”)`);
    const format = String(values.format);
    if (!['text', 'json', 'csv'].includes(format)) throw new UsageError(`--format must be text, json or csv (got “${format}”)`);
    const sel = selection(values);
    const RANKABLE = ['substantive', 'granted', 'partial', 'denied', 'review_correction', 'litigation_loss'];
    if (values.rank !== undefined && !RANKABLE.includes(String(values.rank))) throw new UsageError(`--rank takes ${RANKABLE.join(', ')} (got “${values.rank}”)`);
    const store = await openStore(values, { create: false });
    try {
      if (values.rank !== undefined) {
        const list = await peerRates(store, sel, String(values.rank));
        if (format === 'json') process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        else if (format === 'csv') {
          process.stdout.write(`\ufeff${csvLine(['agency', 'region', 'level', 'year', 'rate', 'numerator', 'denominator', 'percentile', 'peers', 'reason'])}`);
          for (const p of list) process.stdout.write(csvLine([p.agency, p.region, p.level, p.year, p.rate.value, p.rate.numerator, p.rate.denominator, p.percentile, p.peers, p.rate.reason]));
        } else {
          process.stdout.write(`${list[0]?.rate.label ?? values.rank}: ${list[0]?.rate.formula ?? ''}\n\n`);
          process.stdout.write(`${table(['机关 body', '层级', '年度', 'rate', 'n', '同级百分位 percentile'], list.map((p) => [p.agency ?? '', p.level ?? '', String(p.year ?? ''), p.rate.value === null ? `— ${p.rate.reason ?? ''}` : pct(p.rate.value), `${p.rate.numerator}/${p.rate.denominator}`, p.percentile === null ? '—' : `${(p.percentile * 100).toFixed(0)} (of ${p.peers})`]), 3)}\n`);
        }
        return 0;
      }
      // the text table shows a few cells and the rates: total only those (every cell with --cells,
      // JSON or CSV); a store of thousands of regions has groups × 226 cell totals
      const shown = format === 'text' && !values.cells ? [...new Set([...HEADLINE.map(([k]) => k), ...rateKeys(TEXT_RATES)])] : undefined;
      const groups = await totals(store, by as GroupBy[], sel, shown);
      const findings = await findingCounts(store, sel);
      if (format === 'json') {
        // written group by group: thousands of regions × 226 cells are hundreds of megabytes of
        // JSON, more than one string may hold (the same text as one JSON.stringify of the whole)
        const GROUPS = '\u0001groups\u0001';
        const [before, after] = JSON.stringify({ by, where: sel, groups: GROUPS, findings }, null, 2).split(JSON.stringify(GROUPS)) as [string, string];
        process.stdout.write(`${before}${groups.length ? '[' : '[]'}`);
        // a group's cells (all but a few lines of the output) are written here, line by line as
        // JSON.stringify would indent them: indenting them through it took a third of the time
        const CELLS = '\u0001cells\u0001';
        groups.forEach((g, i) => {
          const one = JSON.stringify({ ...g.group, reports: g.reports, rates: rates(g.cells), cells: CELLS }, null, 2).replace(/\n/g, '\n    ');
          process.stdout.write(`${i ? ',' : ''}\n    ${one.replace(JSON.stringify(CELLS), () => cellsJson(g.cells, '      '))}`);
        });
        process.stdout.write(`${groups.length ? '\n  ]' : ''}${after}\n`);
      } else if (format === 'csv') {
        const seen = new Set<string>();
        for (const g of groups) for (const k of g.cells.keys()) seen.add(k);
        const keys = [...seen].sort();
        process.stdout.write(`\ufeff${csvLine([...by, 'reports', ...keys.flatMap((k) => [k, `${k}#missing`])])}`);
        for (const g of groups) {
          const row: Array<string | number | null> = [...by.map((b) => g.group[b] ?? ''), g.reports];
          for (const k of keys) {
            const c = g.cells.get(k);
            if (c) row.push(Number(num(c.total)), c.missing); else row.push('', g.reports);
          }
          process.stdout.write(csvLine(row));
        }
      } else {
        const head = [...by.map((b) => ({ year: '年度', region: '地区', level: '层级', agency: '机关' })[b as GroupBy]), '报告', ...HEADLINE.map(([, l]) => l), '实质公开率', '复议纠错率'];
        const rows = groups.map((g) => {
          const r = rates(g.cells, TEXT_RATES);
          return [...by.map((b) => String(g.group[b] ?? '（未知）')), String(g.reports),
            ...HEADLINE.map(([k]) => { const c = g.cells.get(k); return c ? `${num(c.total)}${c.missing ? ` (缺${c.missing})` : ''}` : '—'; }),
            ...[...TEXT_RATES].map((id) => pct(r.find((x) => x.id === id)!.value))];
        });
        process.stdout.write(`${table(head, rows, by.length)}\n`);
        process.stdout.write('\n（缺N）: N reports of the group lack the cell (blank or unreadable); it is not counted as 0. Rates are — below 30 applications or 10 concluded cases.\n');
        if (values.cells) for (const g of groups) {
          process.stdout.write(`\n${by.map((b) => g.group[b]).join(' ') || 'all'} — ${g.reports} reports\n`);
          process.stdout.write(`${table(['cell', 'total', 'reports with it', 'lacking'], [...g.cells].sort(byKey).map(([k, c]) => [k, num(c.total), String(c.present), String(c.missing)]))}\n`);
        }
        if (findings.length) process.stdout.write(`\n${table(['rule', 'severity', 'findings', 'reports'], findings.map((f) => [f.rule, f.severity, String(f.findings), String(f.reports)]), 2)}\n`);
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};

export const coverageCommand = {
  help: `Usage: gongkai coverage [options]

Which bodies of a selection have a report for each year, and which have not: the
first thing an office checks in January. The bodies are those the store knows.

With --divisions, against the gazetteer instead: the governments of every division
under --where region=… (a code or a name), whether the store has a report of theirs
or not — “these 3 counties of 宿迁市 have no 2024 government report”.

Options:
${DB_HELP}
${WHERE_HELP}
      --divisions                 cover the region's divisions (GB/T 2260), not the stored bodies
      --level <city|county|township>  with --divisions: which divisions (default: those directly under the region)
      --missing                   list only the bodies missing a year
  -f, --format <text|json|csv>    output (default text)
  -h, --help                      show this help

Exit codes: 0 every body has every year; 1 some report is missing; 2 usage error.
`,
  options: {
    ...DB_OPTION, where: { type: 'string' as const, short: 'w', multiple: true }, missing: { type: 'boolean' as const },
    divisions: { type: 'boolean' as const }, level: { type: 'string' as const }, format: { type: 'string' as const, short: 'f', default: 'text' },
  },
  async run(values: Record<string, unknown>, rest: string[]): Promise<number> {
    if (rest.length) throw new UsageError(`coverage takes no files (got “${rest[0]}”); select with --where`);
    const format = String(values.format);
    if (!['text', 'json', 'csv'].includes(format)) throw new UsageError(`--format must be text, json or csv (got “${format}”)`);
    const sel = selection(values);
    const level = values.level as string | undefined;
    if (level !== undefined && !['city', 'county', 'township'].includes(level)) throw new UsageError(`--level must be city, county or township (got “${level}”)`);
    if (values.divisions && !sel.region) throw new UsageError('--divisions needs a region: --where region=宿迁市 (or a code, 321300)');
    const store = await openStore(values, { create: false });
    try {
      if (values.divisions) return await divisionsReport(store, sel, level as DivisionLevel | undefined, format, Boolean(values.missing));
      const c = await coverage(store, sel);
      const lacking = c.bodies.filter((b) => c.years.some((y) => !b.years[y]));
      const list = values.missing ? lacking : c.bodies;
      if (format === 'json') process.stdout.write(`${JSON.stringify({ years: c.years, bodies: list }, null, 2)}\n`);
      else if (format === 'csv') {
        process.stdout.write(`\ufeff${csvLine(['agency', 'region', 'level', ...c.years])}`);
        for (const b of list) process.stdout.write(csvLine([b.agency, b.region, b.level, ...c.years.map((y) => (b.years[y] ? 1 : 0))]));
      } else {
        process.stdout.write(`${table(['机关 body', '地区 region', ...c.years.map(String)], list.map((b) => [b.agency ?? b.key, b.region ?? '', ...c.years.map((y) => (b.years[y] ? '✓' : '✗ 缺'))]), 2)}\n`);
        process.stdout.write(`\n${c.bodies.length} bodies, ${c.years.length} years: ${lacking.length} bodies lack a report for some year.\n`);
      }
      return lacking.length > 0 ? 1 : 0;
    } finally {
      await store.close();
    }
  },
};

/** `coverage --divisions`: the region's divisions against the store, in the chosen format; exit 1 when one lacks a year. */
async function divisionsReport(store: Store, sel: Selection, level: DivisionLevel | undefined, format: string, onlyMissing: boolean): Promise<number> {
  let c: DivisionCoverage;
  try {
    c = await divisionCoverage(store, sel.region!, sel.years ?? [], level);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  const lacking = c.divisions.filter((d) => c.years.some((y) => !d.years[y]));
  const list = onlyMissing ? lacking : c.divisions;
  if (format === 'json') process.stdout.write(`${JSON.stringify({ ...c, divisions: list }, null, 2)}\n`);
  else if (format === 'csv') {
    process.stdout.write(`\ufeff${csvLine(['code', 'division', 'zone', ...c.years])}`);
    for (const d of list) process.stdout.write(csvLine([d.code, d.name, d.zone ? 1 : 0, ...c.years.map((y) => (d.years[y] ? 1 : 0))]));
  } else {
    const kind = (d: { zone: boolean }) => (d.zone ? '开发区 zone' : '');
    process.stdout.write(`${c.region.name}（${c.region.code}）: ${c.divisions.length} divisions under it, their governments' reports\n\n`);
    process.stdout.write(`${table(['代码 code', '行政区划 division', '', ...c.years.map(String)], list.map((d) => [d.code, d.name, kind(d), ...c.years.map((y) => (d.years[y] ? '✓' : '✗ 缺'))]), 2)}\n`);
    for (const y of c.years) {
      const without = c.divisions.filter((d) => !d.years[y]);
      const plain = without.filter((d) => !d.zone);
      const zones = without.filter((d) => d.zone);
      const names = (l: typeof without) => l.map((d) => d.name).join('、');
      process.stdout.write(without.length
        ? `\n${y}年 ${plain.length} 个行政区划无政府年报${plain.length ? `：${names(plain)}` : ''}${zones.length ? `；另有 ${zones.length} 个开发区无年报：${names(zones)}` : ''}\n${y}: ${plain.length} of the divisions under ${c.region.name} have no government report${zones.length ? `, and ${zones.length} development zones` : ''}.\n`
        : `\n${y}年 各行政区划均有政府年报 / every division has its government report.\n`);
    }
  }
  return lacking.length > 0 ? 1 : 0;
}

export const rollupCommand = {
  help: `Usage: gongkai rollup --region REGION --year YEAR [options]

The bodies under a region summed (the region's departments and the governments
directly under it), beside the region's own report. Where a 全市/全区 figure is
meant to be the whole region's, a difference is a finding (rollup-mismatch).

Options:
${DB_HELP}
  -r, --region <REGION>           the region, as the reports name it (淮安市)
  -y, --year <YEAR>               the report year
  -f, --format <text|json>        output (default text)
  -h, --help                      show this help

Exit codes: 0 no difference; 1 some figure differs from its parts; 2 usage error.
`,
  options: { ...DB_OPTION, region: { type: 'string' as const, short: 'r' }, year: { type: 'string' as const, short: 'y' }, format: { type: 'string' as const, short: 'f', default: 'text' } },
  async run(values: Record<string, unknown>): Promise<number> {
    const region = values.region as string | undefined;
    const year = Number(values.year);
    if (!region || !Number.isInteger(year)) throw new UsageError('rollup needs --region and --year; see `gongkai rollup --help`');
    const store = await openStore(values, { create: false });
    try {
      const r = await rollUp(store, region, year);
      const differing = r.rows.filter((x) => x.differs);
      if (values.format === 'json') process.stdout.write(`${JSON.stringify({ ...r, findings: differing.map((d) => ({ ruleId: 'rollup-mismatch', severity: 'warning', keys: [d.key], expected: num(d.parts), actual: num(d.own!) })) }, null, 2)}\n`);
      else {
        process.stdout.write(`${region} ${year}: own report ${r.own ? `“${r.own.agency}”` : 'not in the store'}; ${r.parts.length} parts (${r.parts.map((p) => p.agency).join('、') || 'none'})\n\n`);
        process.stdout.write(`${table(['cell', 'own report', 'sum of parts', 'parts with it', ''], r.rows.map((x) => [x.key, x.own === null ? '—' : num(x.own), num(x.parts), `${x.partsPresent}/${r.parts.length}`, x.differs ? 'rollup-mismatch' : '']))}\n`);
        process.stdout.write(`\n${differing.length} figures differ from the sum of their parts.\n`);
      }
      return differing.length > 0 ? 1 : 0;
    } finally {
      await store.close();
    }
  },
};

export const exportCommand = {
  help: `Usage: gongkai export [options]

One row per current report with every cell as a column, plus its findings.
CSV is UTF-8 with a BOM (Excel and WPS open Chinese correctly); XLSX has a sheet per
table headed like the official template, and a sheet of findings. An ambiguous
cell is “?” (null in Parquet, listed in the “ambiguous” column), never a guess.

Options:
${DB_HELP}
${WHERE_HELP}
  -f, --format <csv|xlsx|json|parquet>  output (default csv; json is one object per line)
  -o, --out <FILE>                where to write (default: standard output; xlsx and
                                  parquet need a file)
  -h, --help                      show this help
`,
  options: { ...DB_OPTION, where: { type: 'string' as const, short: 'w', multiple: true }, format: { type: 'string' as const, short: 'f', default: 'csv' }, out: { type: 'string' as const, short: 'o' } },
  async run(values: Record<string, unknown>, rest: string[]): Promise<number> {
    if (rest.length) throw new UsageError(`export takes no files (got “${rest[0]}”); select with --where`);
    const format = String(values.format);
    if (!['csv', 'xlsx', 'json', 'parquet'].includes(format)) throw new UsageError(`--format must be csv, xlsx, json or parquet (got “${format}”)`);
    const out = values.out as string | undefined;
    if ((format === 'xlsx' || format === 'parquet') && !out) throw new UsageError(`--format ${format} writes a binary file: give --out FILE`);
    const sel = selection(values);
    const store = await openStore(values, { create: false });
    try {
      // the exporters (the XLSX and Parquet writers among them) load for `export` only
      const { exportCsv, exportJson, exportParquet, exportRows, exportXlsx, WorkbookTooLarge } = await import('../store/export.ts');
      const rows = () => exportRows(store, sel, { findings: format === 'json' || format === 'xlsx', json: format === 'json' });
      // A file is written beside itself and put in its place when whole: an export that fails (a
      // damaged store, a lost connection) leaves the file that was there as it was, not cut short.
      // What is there and is no plain file (a device such as /dev/null, a pipe, a link) is written
      // to as it is: put in its place, it would be replaced
      const plain = out === undefined ? false : await lstat(out).then((st) => st.isFile(), () => true);
      const part = out !== undefined && plain ? `${out}.${process.pid}.part` : null;
      const dest = part ?? out;
      /** A failure of writing the file (no such folder, no permission, a full disk): told as such. */
      const written = (e: unknown) => ((e as { syscall?: unknown }).syscall !== undefined ? new OutputError(`cannot write ${out}: ${systemReason(e)}`) : e);
      /** A step of writing the file, its failure told as such (the store's failures, of the export's own steps, stay the store's). */
      const writing = <T>(step: Promise<T>): Promise<T> => step.catch((e: unknown) => { throw written(e); });
      try {
        if (format === 'parquet') await writing(writeFile(dest!, await exportParquet(rows())));
        else {
          let failed: unknown;
          const sink = dest ? createWriteStream(dest, { highWaterMark: 1 << 20 }) : process.stdout;
          if (dest) {
            sink.on('error', (e) => { failed ??= written(e); });
            await writing(once(sink, 'open'));
          }
          const chunks = format === 'csv' ? exportCsv(rows()) : format === 'json' ? exportJson(rows()) : exportXlsx(rows());
          for await (const chunk of chunks) {
            if (failed) throw failed;
            if (!sink.write(chunk)) await writing(once(sink, 'drain'));
          }
          if (dest) { (sink as ReturnType<typeof createWriteStream>).end(); await writing(once(sink, 'finish')); }
        }
        if (part) await writing(rename(part, out!));
      } catch (e) {
        if (part) await rm(part, { force: true });
        // (a selection too large for one XLSX: the user's to narrow, told as such, exit 2)
        if (e instanceof WorkbookTooLarge) throw new UsageError(e.message);
        throw e;
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
