/**
 * Run the rules over a report. Configuration can switch a rule off or re-grade it.
 */
import { cellList, type Report } from '../types.ts';
import { RULES } from './rules/index.ts';
import type { CheckConfig, Finding, Instance, Rule } from './types.ts';
import { determined } from './util.ts';

export class ConfigError extends Error {}

export function findRule(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}

/** Reject unknown rule ids and settings: a typo must not silently switch nothing off. */
export function validateConfig(config: CheckConfig): void {
  for (const [id, setting] of Object.entries(config.rules ?? {})) {
    if (!findRule(id)) throw new ConfigError(`unknown rule “${id}” (see \`gongkai rules\`)`);
    if (!['off', 'error', 'warning', 'info'].includes(setting)) throw new ConfigError(`rule ${id}: setting must be off, error, warning or info (got “${setting}”)`);
  }
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Every finding of every enabled rule, sorted by source position. */
export function check(report: Report, config: CheckConfig = {}, rules: Rule[] = RULES): Finding[] {
  validateConfig(config);
  const out: Finding[] = [];
  // A scan has no text to check: only the rule that says so applies.
  const scanned = report.notes.some((n) => n.code === 'no-text-layer');
  const cells = cellList(report.cells);
  for (const rule of rules) {
    if (scanned && rule.meta.id !== 'scanned-document') continue;
    const setting = config.rules?.[rule.meta.id] ?? rule.meta.severity;
    if (setting === 'off') continue;
    rule.check(report, (f) => out.push({ ruleId: rule.meta.id, severity: setting, ...f }), cells);
  }
  oneCellTwoIdentities(report, out);
  const at = (f: Finding) => f.positions[0]?.offset ?? Number.MAX_SAFE_INTEGER;
  return out.sort((a, b) => at(a) - at(b) || ORDER[a.severity] - ORDER[b.severity] || a.ruleId.localeCompare(b.ruleId));
}

const placesOf = (f: Finding): Instance[] => f.instances ?? [f];

/**
 * One wrong cell, one finding. A （七）总计 cell that is not the sum of its column's result rows
 * breaks t3-results-total and, with it, the column's balance (t3-balance). When, in every column
 * whose balance is broken, putting the sum of the result rows into （七）总计 mends the balance too,
 * the defect is those （七）总计 cells: the t3-results-total finding says so and takes the balance's
 * places in, and no t3-balance finding is given.
 */
function oneCellTwoIdentities(report: Report, found: Finding[]): void {
  const totals = found.find((f) => f.ruleId === 't3-results-total');
  const balance = found.find((f) => f.ruleId === 't3-balance');
  if (!totals || !balance) return;
  const column = (p: Instance) => p.keys.find((k) => k.startsWith('t3.results_total.'))?.slice('t3.results_total.'.length);
  const expected = new Map(placesOf(totals).map((p) => [column(p), Number(p.expected)]));
  const mended = placesOf(balance).every((p) => {
    const col = column(p);
    const sum = col === undefined ? undefined : expected.get(col);
    if (col === undefined || sum === undefined || Number.isNaN(sum)) return false;
    const [n, c, next] = ['new', 'carried', 'carry_next'].map((row) => determined(report, `t3.${row}.${col}`));
    if (!n || !c) return false;
    const carryNext = next ? Number(next.value) : report.cells[`t3.carry_next.${col}`]?.value === null ? 0 : NaN;
    return Math.abs(Number(n.value) + Number(c.value) - (sum + carryNext)) < 1e-9;
  });
  if (!mended) return;
  const i = found.indexOf(totals);
  found[i] = {
    ...totals,
    message: `${totals.message}；按各项之和改正后，表三勾稽关系（本年新收 + 上年结转 = 办理结果总计 + 结转下年度）也成立，为同一错误，不另列`,
    messageEn: `${totals.messageEn}; with the sums put in, received + carried over = handled + carried to next year holds too: one defect, not listed again`,
    keys: [...new Set([...totals.keys, ...balance.keys])],
    instances: [...placesOf(totals), ...placesOf(balance)],
  };
  found.splice(found.indexOf(balance), 1);
}
