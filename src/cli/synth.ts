/**
 * `gongkai synth`: a synthetic corpus with ground truth.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatCells } from '../format/cells.ts';
import { CLEAN_FORMS, FORM_EXT, FORMS, writeForm, type Form } from '../synth/forms.ts';
import { synthesize } from '../synth/generate.ts';
import { UsageError } from './io.ts';
import { progressBar } from './progress.ts';

/** The truth sits in a hidden folder: `gongkai ingest DIR` skips it. */
const TRUTH = '.truth';

export const synthCommand = {
  help: `Usage: gongkai synth --count N --out DIR [options]

Write N realistic synthetic reports: bodies of real regions publishing every year,
numbers that satisfy every identity and carry over between years, narrative from
phrase banks. Each report is written in one form (mixed, in turn) or in every form,
with its truth, kept apart so that ingesting DIR reads only the reports:
DIR/.truth/<id>.cells (cells v1) and DIR/.truth/planted.jsonl (the defects planted
in each report and the rules that must find them).

Options:
  -n, --count <N>                 how many reports
  -o, --out <DIR>                 where to write
      --seed <S>                  the random seed (default 1): the same seed, the same files
      --defects <RATE>            share of reports with a planted defect (default 0.2; 0 for none):
                                  broken-total, wrong-edition, late, spam, narrative-mismatch,
                                  carry-over, duplicate-text
      --forms <LIST|all|mixed>    pipes,tabs,cell-per-line,squashed,html,html-gbk,docx,xlsx,pdf,
                                  and the mangled forms of real documents: one-line (a crawler
                                  dump), converter-md (OCR Markdown), page-breaks, ocr-labels,
                                  orphan-rows; all writes each report in every form; mixed
                                  (default) the clean forms in turn
  -h, --help                      show this help

Example:
  gongkai synth --count 1000 --out corpus/ && gongkai ingest corpus/
`,
  options: {
    count: { type: 'string' as const, short: 'n' }, out: { type: 'string' as const, short: 'o' }, seed: { type: 'string' as const },
    defects: { type: 'string' as const }, forms: { type: 'string' as const, default: 'mixed' },
  },
  async run(values: Record<string, unknown>, rest: string[]): Promise<number> {
    if (rest.length) throw new UsageError(`synth takes no files (got “${rest[0]}”)`);
    const count = Number(values.count);
    if (!Number.isInteger(count) || count <= 0) throw new UsageError('synth needs --count N (a positive whole number)');
    const out = values.out as string | undefined;
    if (!out) throw new UsageError('synth needs --out DIR');
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    const defectRate = values.defects === undefined ? 0.2 : Number(values.defects);
    if (!Number.isFinite(seed) || !(defectRate >= 0 && defectRate <= 1)) throw new UsageError('--seed takes a number and --defects a share between 0 and 1');
    const spec = String(values.forms);
    const forms: Form[] | 'mixed' = spec === 'mixed' ? 'mixed' : spec === 'all' ? [...FORMS] : spec.split(',').map((f) => f.trim() as Form);
    if (forms !== 'mixed') for (const f of forms) if (!FORMS.includes(f)) throw new UsageError(`--forms: unknown form “${f}” (${FORMS.join(', ')})`);
    mkdirSync(join(out, TRUTH), { recursive: true });
    const reports = synthesize({ count, seed, defectRate });
    const bar = progressBar('synth');
    const planted: string[] = [];
    reports.forEach((s, i) => {
      const mine = forms === 'mixed' ? [CLEAN_FORMS[i % CLEAN_FORMS.length]!] : forms;
      const files = mine.map((f) => {
        const file = `${s.id}.${FORM_EXT[f]}`;
        writeFileSync(join(out, file), writeForm(s.report, f));
        return file;
      });
      writeFileSync(join(out, TRUTH, `${s.id}.cells`), formatCells(s.report));
      planted.push(JSON.stringify({ id: s.id, files, agency: s.report.meta.agency, year: s.report.meta.year, planted: s.planted }));
      bar.update(i + 1, reports.length, `${planted.length} written`);
    });
    bar.end();
    writeFileSync(join(out, TRUTH, 'planted.jsonl'), `${planted.join('\n')}\n`);
    process.stderr.write(`synth: ${reports.length} reports into ${out} (${reports.filter((s) => s.planted.length).length} with planted defects); truth in ${join(out, TRUTH)}\n`);
    return 0;
  },
};
