/**
 * `gongkai place`: assign bodies to divisions for a whole corpus from a mapping file, and list the
 * bodies the reading could not place. Each assignment is a correction with who and when, as in
 * the web app.
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { csvLine } from '../format/csv.ts';
import { assignDivision, Invalid } from '../serve/review.ts';
import { gazetteer } from '../schema/divisions.ts';
import { UsageError } from './io.ts';
import { DB_HELP, DB_OPTION, openStore } from './store.ts';

export const placeCommand = {
  help: `Usage: gongkai place [--map FILE] [options]

Without --map: list the stored reports whose body the reading could not place in a
division (a name such as 鼓楼区 that fits several, with nothing in the report to tell
which), with their candidates — the rows a mapping file needs.

With --map FILE: assign bodies to divisions. FILE is CSV (UTF-8, a header line
optional): agency,code[,year] — the agency as printed in the title, the division's
code (6 digits; 9 for a township), and optionally the one year it applies to:

  agency,code
  鼓楼区人民政府,350102
  白马湖新区管委会,320800

Every report of that agency (every year, or the one given) is placed there; each
assignment is stored as a correction with who (--who) and when, and the report's
region, body and totals follow it.

Options:
${DB_HELP}
      --map <FILE>                the mapping file
      --who <NAME>                who assigns (default: the system user)
  -f, --format <text|csv>         the list's output (default text)
  -h, --help                      show this help

Exit codes: 0 done (or nothing unplaced); 1 some line matched no report, or some
report is left unplaced; 2 usage error (an unknown code, a malformed line).
`,
  options: { ...DB_OPTION, map: { type: 'string' as const }, who: { type: 'string' as const }, format: { type: 'string' as const, short: 'f', default: 'text' } },
  async run(values: Record<string, unknown>, rest: string[]): Promise<number> {
    if (rest.length) throw new UsageError(`place takes no files (got “${rest[0]}”); give the mapping with --map`);
    const lines = values.map ? await mappings(String(values.map)) : null;
    const store = await openStore(values, { create: false });
    try {
      if (!lines) {
        const rows = await store.db.selectFrom('reports').innerJoin('findings', 'findings.report_id', 'reports.id')
          .select(['reports.id', 'reports.agency', 'reports.year', 'findings.message']).where('findings.rule_id', '=', 'unresolved-body').where('reports.current', '=', 1)
          .orderBy('reports.agency').orderBy('reports.year').execute();
        if (values.format === 'csv') {
          process.stdout.write(`\ufeff${csvLine(['report_id', 'agency', 'year', 'candidates'])}`);
          for (const r of rows) process.stdout.write(csvLine([r.id, r.agency, r.year, r.message]));
        } else {
          for (const r of rows) process.stdout.write(`${r.id}\t${r.agency ?? ''}\t${r.year ?? ''}\t${r.message}\n`);
          process.stdout.write(`${rows.length} reports not placed in a division${rows.length ? '; write agency,code lines for them and run gongkai place --map FILE' : ''}.\n`);
        }
        return rows.length ? 1 : 0;
      }
      const who = String(values.who ?? `cli:${userInfo().username}`);
      let placed = 0;
      let unmatched = 0;
      for (const m of lines) {
        let q = store.db.selectFrom('reports').select(['id']).where('agency', '=', m.agency);
        if (m.year !== null) q = q.where('year', '=', m.year);
        const ids = (await q.orderBy('id').execute()).map((r) => r.id);
        if (!ids.length) { unmatched++; process.stderr.write(`${String(values.map)}:${m.line}: no stored report of ${m.agency}${m.year ? ` for ${m.year}` : ''}\n`); continue; }
        for (const id of ids) await assignDivision(store, id, who, m.code, `mapping file ${String(values.map)}, line ${m.line}`, () => true);
        placed += ids.length;
      }
      process.stdout.write(`place: ${placed} reports placed from ${lines.length} lines${unmatched ? `; ${unmatched} lines matched no report` : ''}.\n`);
      return unmatched ? 1 : 0;
    } catch (e) {
      if (e instanceof Invalid) throw new UsageError(e.message);
      throw e;
    } finally {
      await store.close();
    }
  },
};

interface Mapping { agency: string; code: string; year: number | null; line: number }

/** The mapping file's lines, each checked (a code the gazetteer lacks is an error, with its line). */
async function mappings(path: string): Promise<Mapping[]> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).replace(/^\ufeff/, '');
  } catch (e) {
    throw new UsageError(`${path}: cannot read the mapping file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const g = gazetteer();
  const out: Mapping[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const cells = raw.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    if (cells.every((c) => c === '') || (i === 0 && /^agency$/i.test(cells[0]!))) return;
    const [agency, code, year] = cells;
    const where = `${path}:${i + 1}`;
    if (!agency || !code || !/^\d{6}(?:\d{3})?$/.test(code)) throw new UsageError(`${where}: a line is agency,code[,year] with a 6- or 9-digit code (got “${raw}”)`);
    const d = g.get(code);
    if (!d || d.placeholder) throw new UsageError(`${where}: ${code} is not a division code in the gazetteer`);
    if (year !== undefined && year !== '' && !/^\d{4}$/.test(year)) throw new UsageError(`${where}: the year is four digits (got “${year}”)`);
    out.push({ agency, code, year: year ? Number(year) : null, line: i + 1 });
  });
  return out;
}
