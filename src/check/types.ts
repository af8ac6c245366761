/**
 * Rules and findings. A rule is data (id, severity, docs) plus a function over a Report; it
 * never knows which file format the report came from.
 */
import type { Cell, Position, Report } from '../types.ts';

export type Severity = 'error' | 'warning' | 'info';

/** Whose error: the publisher's (the printed numbers are wrong) or the reading's (ambiguous source). */
export type Fault = 'publisher' | 'reading';

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** Chinese, for the reviewer. */
  message: string;
  /** The same in English. */
  messageEn: string;
  /** Cell keys involved (cells v1 names). */
  keys: string[];
  /** Source positions; the first is where the finding points. */
  positions: Position[];
  /** Arithmetic rules: what the identity expects and what the report prints. */
  expected?: string;
  actual?: string;
  fault?: Fault;
  /** ambiguous-cell: each key's candidates (null = blank). */
  candidates?: Record<string, Array<string | null>>;
  /**
   * A finding that stands for one defect seen in several places (a column left blank on many
   * rows, one identity broken in several columns, one spam phrase repeated): each place in full.
   * The finding's keys and positions are theirs together; its message says how many.
   */
  instances?: Instance[];
}

/** One place of a grouped finding. */
export type Instance = Pick<Finding, 'message' | 'messageEn' | 'keys' | 'positions'> & Partial<Pick<Finding, 'expected' | 'actual'>>;

export type FindingInput = Omit<Finding, 'ruleId' | 'severity'>;

export interface RuleMeta {
  /** kebab-case, stable: configs and SARIF refer to it. */
  id: string;
  severity: Severity;
  description: string;
  descriptionZh: string;
  /** Where the rule comes from: the template, the law, or a reviewer's plausibility check. */
  basis: 'official' | 'law' | 'plausibility' | 'structure' | 'content' | 'reading';
  /** The longer documentation, with the legal or template basis. */
  docs: string;
}

export interface Rule {
  meta: RuleMeta;
  /**
   * `cells` is the report's cells (`cellList`), listed once for every rule: a report's cells object
   * has some 200 keys, which V8 keeps as a dictionary, and listing it costs more than a rule's work.
   */
  check(report: Report, emit: (f: FindingInput) => void, cells: readonly Cell[]): void;
}

export type RuleSetting = Severity | 'off';
export interface CheckConfig {
  rules?: Record<string, RuleSetting>;
}
