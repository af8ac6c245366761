/**
 * Accuracy against ground truth: every synthetic report written in every form, read back, and
 * its cells compared with the truth; planted defects looked for among the findings, and
 * findings of those rules counted where nothing was planted.
 *
 * - exact: the cell reads as the truth (a number, or blank where the truth is blank);
 * - undetermined: `?` — the reader said it could not tell (never wrong, but not read);
 * - silent error: a number or a blank that differs from the truth. This must stay 0.
 */
import { check } from '../check/engine.ts';
import { runCorpusRules } from '../corpus/rules.ts';
import { narrative, reportBands } from '../corpus/text.ts';
import { toCells } from '../format/cells.ts';
import { parseAsync } from '../index.ts';
import { t2Keys, t3Keys, t4Keys } from '../schema/keys.ts';
import { Store } from '../store/store.ts';
import type { Report } from '../types.ts';
import { CLEAN_FORMS, FORMS, writeForm, type Form } from './forms.ts';
import { DEFECTS, synthesize, type DefectKind, type SynthReport } from './generate.ts';

/**
 * A form made outside this module (by a program people run on reports: a browser's print,
 * pdftotext, pandoc — scripts/tool-forms.ts), measured like ours.
 */
export interface ExtraForm { form: string; write: (report: Report) => Promise<Uint8Array> }

export interface FormAccuracy {
  form: string;
  reports: number;
  unreadable: number;
  cells: number;
  exact: number;
  undetermined: number;
  /** Cells of rows not found (no value shown; missing-cell names the row). */
  unread: number;
  silent: number;
  /** Reports whose body, year or edition was read wrong (or not at all). */
  meta: number;
  /** The first few silent errors, to debug. */
  examples: string[];
  seconds: number;
}

export interface DefectAccuracy { kind: DefectKind; planted: number; found: number }

export interface AccuracyResult {
  reports: number;
  forms: FormAccuracy[];
  defects: DefectAccuracy[];
  /** Findings of a defect rule on a report where no defect of that rule was planted. */
  falseFindings: Array<{ id: string; rule: string; message: string }>;
  /** Per defect rule: reports where it fired on a planted defect, fired on none, or missed one it should find. */
  rules: Array<{ rule: string; truePositive: number; falsePositive: number; missed: number }>;
}

/** Was the row of `key` found? (A blank cell of a found row has no cell in some readers.) */
const rowRead = (r: Report, key: string) => {
  const [t, ...rest] = key.split('.');
  const row = rest.slice(0, -1).join('.');
  return t === 't4' ? r.tables.t4.found : r.tables[t as 't2' | 't3'].rows.some((x) => x.id === row);
};

const editionKeys = (r: Report) => [...t2Keys(r.meta.edition ?? '2021'), ...t3Keys(r.meta.edition ?? '2021'), ...t4Keys()];

/**
 * Read `count` synthetic reports in each form and compare with the truth: our forms, then the
 * `extra` ones, which take the first `extraCount` reports (a browser's print takes a tenth of a
 * second).
 */
export async function measureAccuracy(opts: { count: number; seed?: number; forms?: Form[]; extra?: ExtraForm[]; extraCount?: number; defectRate?: number; onProgress?: (form: string, done: number, total: number) => void }): Promise<AccuracyResult> {
  const reports = synthesize({ count: opts.count, seed: opts.seed ?? 1, defectRate: opts.defectRate ?? 0.2 });
  const forms: FormAccuracy[] = [];
  const parsed = new Map<string, Report>(); // one form per report (in turn) feeds the defect checks
  const FORM_LIST = opts.forms ?? [...FORMS];
  for (const form of FORM_LIST) forms.push(await measureForm(form, reports, async (r) => writeForm(r, form)));
  for (const x of opts.extra ?? []) forms.push(await measureForm(x.form, reports.slice(0, opts.extraCount ?? reports.length), x.write));
  return { reports: reports.length, forms, ...(await defects(reports, parsed)) };

  async function measureForm(form: string, reports: SynthReport[], write: (r: Report) => Promise<Uint8Array>): Promise<FormAccuracy> {
    const acc: FormAccuracy = { form, reports: 0, unreadable: 0, cells: 0, exact: 0, undetermined: 0, unread: 0, silent: 0, meta: 0, examples: [], seconds: 0 };
    for (const [i, s] of reports.entries()) {
      acc.reports++;
      let got: Report;
      try {
        const bytes = await write(s.report);
        const t0 = performance.now(); // the reading is timed, not the writing (a browser's print, say)
        got = await parseAsync(bytes, { name: `${s.id}.${form}` });
        acc.seconds += (performance.now() - t0) / 1000;
      } catch (e) {
        acc.unreadable++;
        acc.examples.push(`${s.id}: unreadable: ${(e as Error).message}`);
        continue;
      }
      // the defect checks read each report in one form, in turn; an XLSX holds only the tables,
      // so the content defects (dates, narrative) are looked for in the forms that carry them
      // (the mangled forms are measured for their cells only)
      const content = FORM_LIST.filter((f) => f !== 'xlsx' && (CLEAN_FORMS as readonly string[]).includes(f));
      if (content[i % content.length] === form) parsed.set(s.id, got);
      const m = s.report.meta;
      // the body's division too: a title the form mangled must not move the body to another place
      if (got.meta.year !== m.year || got.meta.agency !== m.agency || got.meta.edition !== m.edition || got.meta.division?.code !== m.division?.code) {
        acc.meta++;
        if (acc.examples.length < 5) acc.examples.push(`${s.id}: read as ${got.meta.agency} ${got.meta.year} (${got.meta.edition}) in ${got.meta.division?.code ?? 'no division'}`);
      }
      const truth = toCells(s.report);
      const read = toCells(got);
      for (const key of editionKeys(s.report)) {
        const t = truth.get(key) ?? '';
        const g = read.get(key) ?? '';
        acc.cells++;
        if (g === '?') acc.undetermined++;
        else if (!got.cells[key] && !rowRead(got, key)) acc.unread++;
        else if (g === t) acc.exact++;
        else {
          acc.silent++;
          if (acc.examples.length < 5) acc.examples.push(`${s.id} ${key}: truth ${t || 'blank'}, read ${g || 'blank'}`);
        }
      }
      opts.onProgress?.(form, i + 1, reports.length);
    }
    return acc;
  }
}

async function defects(reports: SynthReport[], parsed: Map<string, Report>): Promise<Pick<AccuracyResult, 'defects' | 'falseFindings' | 'rules'>> {
  const store = await Store.open(':memory:');
  const found = new Map<string, Set<string>>(); // report id → rules that fired
  const messages = new Map<string, Map<string, string>>();
  const idOf = new Map<number, string>();
  try {
    for (const s of reports) {
      const r = parsed.get(s.id);
      if (!r) continue;
      const findings = check(r);
      const w = await store.write({ path: s.id, hash: s.id, bytes: 0, format: r.source.format, report: r, findings, bands: reportBands(narrative(r)) });
      if (w.reportId !== undefined) idOf.set(w.reportId, s.id);
      found.set(s.id, new Set(findings.map((f) => f.ruleId)));
      messages.set(s.id, new Map(findings.map((f) => [f.ruleId, f.message])));
    }
    await runCorpusRules(store, [...idOf.keys()]);
    const rows = await store.db.selectFrom('findings').select(['report_id', 'rule_id', 'message']).where('scope', '=', 'corpus').execute();
    for (const row of rows) {
      const id = idOf.get(row.report_id)!;
      found.get(id)!.add(row.rule_id);
      messages.get(id)!.set(row.rule_id, row.message);
    }
  } finally {
    await store.close();
  }
  const kinds = Object.keys(DEFECTS) as DefectKind[];
  const defectRules = new Set(kinds.flatMap((k) => DEFECTS[k].rules));
  const out: DefectAccuracy[] = kinds.map((kind) => ({ kind, planted: 0, found: 0 }));
  const falseFindings: AccuracyResult['falseFindings'] = [];
  const tally = new Map([...defectRules].map((rule) => [rule, { rule, truePositive: 0, falsePositive: 0, missed: 0 }]));
  for (const s of reports) {
    const fired = found.get(s.id);
    if (!fired) continue;
    for (const p of s.planted) {
      const d = out.find((x) => x.kind === p.kind)!;
      d.planted++;
      if (p.rules.some((rule) => fired.has(rule))) d.found++;
      // per rule: the defect's first rule is the one meant to find it
      const t = tally.get(p.rules[0]!)!;
      if (p.rules.some((rule) => fired.has(rule))) t.truePositive++;
      else t.missed++;
    }
    const expected = new Set(s.planted.flatMap((p) => p.rules));
    // a copied narrative is a duplicate on both sides: the source report's finding is right too
    const copiedFrom = reports.some((o) => o !== s && o.planted.some((p) => p.kind === 'duplicate-text') && o.report.sections[5]?.text === s.report.sections[5]?.text);
    for (const rule of fired) {
      if (!defectRules.has(rule) || expected.has(rule)) continue;
      if (rule === 'duplicate-text' && copiedFrom) continue;
      falseFindings.push({ id: s.id, rule, message: messages.get(s.id)?.get(rule) ?? '' });
      tally.get(rule)!.falsePositive++;
    }
  }
  return { defects: out, falseFindings, rules: [...tally.values()].sort((a, b) => a.rule.localeCompare(b.rule)) };
}
