/**
 * Precision and recall of the rules on the real reports of the development corpus, against the
 * hand labels in test/fixtures/labels.json (what a careful reviewer says of each finding).
 * node scripts/precision.ts prints the table; scripts/accuracy.ts prints it beside the synthetic
 * set's; test/precision.test.ts holds the goal: no false finding, no true one lost, none unlabelled.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../src/check/engine.ts';
import { parseAsync } from '../src/index.ts';

const FIXTURES = new URL('../test/fixtures/', import.meta.url).pathname;

interface Label { rule: string; match: string; verdict: boolean; why: string; count?: number }
interface Labels { reports: Record<string, { findings: Label[]; missed: Array<{ rule: string; what: string }> }> }

export interface RuleTally { rule: string; truePositive: number; falsePositive: number; lost: number; missed: number; avoided: number }
export interface PrecisionResult {
  reports: number;
  rules: RuleTally[];
  /** Findings no label matches: label them (a new finding is not judged until someone does). */
  unlabelled: Array<{ file: string; rule: string; message: string }>;
  falseFindings: Array<{ file: string; rule: string; severity: string; message: string; why: string }>;
  lostFindings: Array<{ file: string; rule: string; why: string }>;
}

export async function measurePrecision(): Promise<PrecisionResult> {
  const labels = JSON.parse(readFileSync(join(FIXTURES, 'labels.json'), 'utf8')) as Labels;
  const tally = new Map<string, RuleTally>();
  const of = (rule: string) => tally.get(rule) ?? tally.set(rule, { rule, truePositive: 0, falsePositive: 0, lost: 0, missed: 0, avoided: 0 }).get(rule)!;
  const out: PrecisionResult = { reports: 0, rules: [], unlabelled: [], falseFindings: [], lostFindings: [] };
  for (const [file, want] of Object.entries(labels.reports)) {
    out.reports++;
    const report = await parseAsync(readFileSync(join(FIXTURES, file)), { name: file, partial: true });
    const left = want.findings.map((l) => ({ label: l, room: l.count ?? 1 }));
    for (const f of check(report)) {
      const slot = left.find((x) => x.room > 0 && x.label.rule === f.ruleId && f.message.includes(x.label.match));
      if (!slot) { out.unlabelled.push({ file, rule: f.ruleId, message: f.message }); continue; }
      slot.room--;
      if (slot.label.verdict) of(f.ruleId).truePositive++;
      else {
        of(f.ruleId).falsePositive++;
        out.falseFindings.push({ file, rule: f.ruleId, severity: f.severity, message: f.message, why: slot.label.why });
      }
    }
    for (const x of left) {
      if (x.room === 0) continue;
      if (x.label.verdict) { of(x.label.rule).lost += x.room; out.lostFindings.push({ file, rule: x.label.rule, why: x.label.why }); } else of(x.label.rule).avoided += x.room;
    }
    for (const m of want.missed) of(m.rule).missed++;
  }
  out.rules = [...tally.values()].sort((a, b) => a.rule.localeCompare(b.rule));
  return out;
}

const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : '—');

/** The table, as Markdown. */
export function precisionTable(r: PrecisionResult): string {
  const lines = [
    `Real reports (${r.reports}, hand-labelled in test/fixtures/labels.json):`,
    '',
    '| rule | true findings | false findings | false findings avoided | true lost | real problems missed | precision | recall |',
    '|---|---|---|---|---|---|---|---|',
    ...r.rules.map((t) => `| ${t.rule} | ${t.truePositive} | ${t.falsePositive} | ${t.avoided} | ${t.lost} | ${t.missed} | ${pct(t.truePositive, t.truePositive + t.falsePositive)} | ${pct(t.truePositive, t.truePositive + t.lost + t.missed)} |`),
  ];
  for (const f of r.falseFindings) lines.push(`  false: ${f.file} ${f.rule} (${f.severity}): ${f.message} — ${f.why}`);
  for (const f of r.lostFindings) lines.push(`  lost: ${f.file} ${f.rule} — ${f.why}`);
  for (const f of r.unlabelled) lines.push(`  unlabelled: ${f.file} ${f.rule}: ${f.message}`);
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measurePrecision();
  process.stdout.write(precisionTable(r));
  process.exitCode = r.falseFindings.length || r.lostFindings.length || r.unlabelled.length ? 1 : 0;
}
