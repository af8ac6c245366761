/**
 * Run the rules over a report. Configuration can switch a rule off or re-grade it.
 */
import type { Report } from '../types.ts';
import { RULES } from './rules/index.ts';
import type { CheckConfig, Finding, Rule } from './types.ts';

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
  for (const rule of rules) {
    if (scanned && rule.meta.id !== 'scanned-document') continue;
    const setting = config.rules?.[rule.meta.id] ?? rule.meta.severity;
    if (setting === 'off') continue;
    rule.check(report, (f) => out.push({ ruleId: rule.meta.id, severity: setting, ...f }));
  }
  const at = (f: Finding) => f.positions[0]?.offset ?? Number.MAX_SAFE_INTEGER;
  return out.sort((a, b) => at(a) - at(b) || ORDER[a.severity] - ORDER[b.severity] || a.ruleId.localeCompare(b.ruleId));
}
