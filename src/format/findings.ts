/**
 * Findings in the formats tools expect: eslint's stylish text, JSON, and SARIF 2.1.0.
 */
import type { Finding, Rule, Severity } from '../check/types.ts';

export interface FileFindings { file: string; findings: Finding[] }

const ICON: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };

/** eslint's stylish layout: grouped by file, line:column, severity, message, rule id. */
export function formatStylish(results: FileFindings[], lang: 'zh' | 'en' = 'zh'): string {
  const out: string[] = [];
  const count = { error: 0, warning: 0, info: 0 };
  for (const r of results) {
    if (r.findings.length === 0) continue;
    out.push('', r.file);
    for (const f of r.findings) {
      count[f.severity]++;
      const p = f.positions[0];
      const at = p ? `${p.line}:${p.column}` : '0:0';
      out.push(`  ${at.padEnd(8)} ${ICON[f.severity].padEnd(7)} ${lang === 'zh' ? f.message : f.messageEn}  ${f.ruleId}`);
    }
  }
  const total = count.error + count.warning + count.info;
  if (total === 0) return '';
  out.push('', `✖ ${total} problem${total === 1 ? '' : 's'} (${count.error} error${count.error === 1 ? '' : 's'}, ${count.warning} warning${count.warning === 1 ? '' : 's'}, ${count.info} info)`, '');
  return out.join('\n');
}

export function formatJson(results: FileFindings[]): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** SARIF 2.1.0, so code-review and CI tools can show the findings on the source. */
export function formatSarif(results: FileFindings[], rules: Rule[], version: string, lang: 'zh' | 'en' = 'zh'): string {
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'gongkai', version, informationUri: 'https://github.com/gongkai/gongkai',
          rules: rules.map((r) => ({
            id: r.meta.id,
            shortDescription: { text: r.meta.description },
            fullDescription: { text: r.meta.docs },
            defaultConfiguration: { level: LEVEL[r.meta.severity] },
            properties: { basis: r.meta.basis, descriptionZh: r.meta.descriptionZh },
          })),
        },
      },
      results: results.flatMap((r) => r.findings.map((f) => ({
        ruleId: f.ruleId,
        ruleIndex: rules.findIndex((x) => x.meta.id === f.ruleId),
        level: LEVEL[f.severity],
        message: { text: lang === 'zh' ? f.message : f.messageEn },
        locations: (f.positions.length ? f.positions : [null]).slice(0, 1).map((p) => ({
          physicalLocation: {
            artifactLocation: { uri: r.file },
            ...(p ? { region: { startLine: p.line, startColumn: p.column, charOffset: p.offset, charLength: p.length } } : {}),
          },
        })),
        // every other place the finding concerns: the cells of an identity, each place of a grouped finding
        ...(f.positions.length > 1 ? {
          relatedLocations: f.positions.slice(1).map((p, i) => ({
            id: i + 1,
            physicalLocation: { artifactLocation: { uri: r.file }, region: { startLine: p.line, startColumn: p.column, charOffset: p.offset, charLength: p.length } },
          })),
        } : {}),
        properties: {
          keys: f.keys, fault: f.fault, expected: f.expected, actual: f.actual, candidates: f.candidates,
          ...(f.instances ? { places: f.instances.map((p) => ({ message: lang === 'zh' ? p.message : p.messageEn, keys: p.keys, expected: p.expected, actual: p.actual })) } : {}),
        },
      }))),
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
