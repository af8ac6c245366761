export { check, findRule, validateConfig, ConfigError } from './engine.ts';
export { RULES } from './rules/index.ts';
export type { CheckConfig, Finding, Fault, Rule, RuleMeta, RuleSetting, Severity } from './types.ts';
