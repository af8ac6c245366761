/**
 * Mangled forms: a synthetic report written the way real reports reach people after crawlers,
 * converters and OCR have been at them. Each operator is modelled on a real document of the
 * development corpus and is deterministic for a report (its seed is the report's title):
 *
 * - `one-line`: a crawler's dump — page fields, then the whole report on one line, every table
 *   cell run together (`规章000规范性文件898989`), now and then a space between numbers.
 * - `converter-md`: OCR / PDF-to-Markdown output — `#` headings, table 二 block by block, each row
 *   of table 三 its own mini-table under placeholder headers (数据1…数据6), its last rows under a
 *   wrong header row naming other rows (本年新收件数 … 结转下年度), table 四 as headed blocks.
 * - `page-breaks`: one cell per line with page footers (`— 3 —`) and the running title inside
 *   the tables, anywhere, also between a row's label and its numbers.
 * - `ocr-labels`: pipes with OCR confusions of look-alike characters (形近字: 己/已, 末/未, 子/予 …)
 *   in the row labels.
 * - `orphan-rows`: pipes with one result row of table 三 that lost its label cell.
 * - `split-labels`: one cell per line with long row labels of table 三 wrapped in two, as a
 *   narrow cell prints them: the first line, the numbers, then the rest (the numbers stand
 *   level with the middle of a two-line label), or both lines before the numbers.
 * - `ocr-digits`: pipes with OCR's letters for digits in some numbers (`1O5`, `2l`).
 */
import { T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS } from '../schema/editions.ts';
import { t3Key, t4Key } from '../schema/keys.ts';
import { reportBlocks } from '../render/document.ts';
import { cellText, type LayoutTable } from '../render/layout.ts';
import { reportText } from '../render/text.ts';
import type { Report } from '../types.ts';
import { rng } from './generate.ts';

export const MANGLES = ['one-line', 'converter-md', 'page-breaks', 'ocr-labels', 'orphan-rows', 'split-labels', 'ocr-digits'] as const;
export type Mangle = (typeof MANGLES)[number];

const seedOf = (s: string) => { let h = 2166136261; for (const ch of s) h = Math.imul(h ^ ch.charCodeAt(0), 16777619); return h >>> 0; };

export function mangle(report: Report, how: Mangle): string {
  const random = rng(seedOf(`${report.meta.title ?? ''}:${how}`));
  switch (how) {
    case 'one-line': return oneLine(report, random);
    case 'converter-md': return converterMarkdown(report);
    case 'page-breaks': return pageBreaks(report, random);
    case 'ocr-labels': return ocrLabels(report, random);
    case 'orphan-rows': return orphanRow(report, random);
    case 'split-labels': return splitLabels(report, random);
    case 'ocr-digits': return ocrDigits(report, random);
  }
}

const rowsOf = (t: LayoutTable) => {
  const out: LayoutTable['cells'][] = [];
  for (const c of t.cells) (out[c.r] ??= []).push(c);
  return out.filter(Boolean).map((r) => r.sort((a, b) => a.c - b.c));
};

function oneLine(report: Report, random: () => number): string {
  let body = '';
  for (const b of reportBlocks(report)) {
    if (b.kind !== 'table') { body += b.text; continue; }
    for (const row of rowsOf(b.table)) {
      for (const c of row) {
        if (c.text === '') continue;
        const numeric = c.key !== undefined && /^-?\d/.test(c.text);
        if (numeric && /\d$/.test(body) && random() < 0.15) body += ' ';
        body += c.text;
      }
    }
  }
  const head = [`标题: ${report.meta.title ?? ''}`, `发布时间: ${report.meta.published ?? ''} 09:00`, '发布机构: ', '==================== 正文 ===================='];
  return `${head.join('\n')}\n${body}\n`;
}

const WRONG_HEADER = ['项目', '本年新收件数', '上年结转件数', '予以公开', '部分公开', '不予公开', '结转下年度', '总计'];

function mdRow(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function converterMarkdown(report: Report): string {
  const lines: string[] = [];
  const edition = report.meta.edition ?? '2021';
  for (const b of reportBlocks(report)) {
    if (b.kind === 'title') lines.push(`# ${b.text}`, '');
    else if (b.kind === 'heading') lines.push(`## ${b.text}`, '');
    else if (b.kind === 'para') lines.push(b.text, '');
    else if (b.table.id === 't2') {
      for (const row of rowsOf(b.table)) {
        if (row.length === 1) { lines.push('', `### ${row[0]!.text}`); continue; }
        lines.push(mdRow(row.map((c) => c.text)));
        if (row[0]!.text === '信息内容') lines.push(mdRow(row.map(() => '---')));
      }
      lines.push('');
    } else if (b.table.id === 't3') {
      lines.push('(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)', '');
      const rows = T3_ROWS[edition];
      rows.forEach((row, i) => {
        const values = T3_COLUMNS.map((c) => cellText(report.cells[t3Key(row.id, c.id)]));
        const label = row.label.replace(/（区分处理的.*）/, '');
        // the last three rows sit under a header row that names other rows
        if (i === rows.length - 3) lines.push(mdRow(WRONG_HEADER), mdRow(WRONG_HEADER.map(() => '---')));
        if (i < rows.length - 3) lines.push(`### ${label}`, mdRow(['类别', '数据1', '数据2', '数据3', '数据4', '数据5', '数据6', '总计']), mdRow(new Array(8).fill('---')));
        lines.push(mdRow([label, ...values]));
        if (i < rows.length - 3) lines.push('');
      });
      lines.push('');
    } else {
      for (const g of T4_GROUPS) {
        lines.push(`### ${g.label.replace('·', '（')}${g.label.includes('·') ? '）' : ''}`);
        lines.push(mdRow(T4_COLUMNS.map((c) => c.label)), mdRow(T4_COLUMNS.map(() => '---')));
        lines.push(mdRow(T4_COLUMNS.map((c) => cellText(report.cells[t4Key(g.id, c.id)]))), '');
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function pageBreaks(report: Report, random: () => number): string {
  const lines = reportText(report, 'cell-per-line').split('\n');
  const first = lines.findIndex((l) => /本年新收/.test(l));
  const last = lines.findIndex((l, i) => i > first && /^五、/.test(l));
  let page = 2;
  const out: string[] = [];
  lines.forEach((l, i) => {
    out.push(l);
    if (i > first && i < last && random() < 0.04) out.push(`— ${page++} —`, report.meta.title ?? '');
  });
  return out.join('\n');
}

const LOOK_ALIKE: Record<string, string> = { 已: '己', 未: '末', 予: '子', 入: '人', 开: '升', 申: '由', 请: '清', 理: '埋', 处: '外', 政: '致', 日: '曰', 土: '士', 制: '刺', 密: '蜜', 确: '碓' };

function ocrLabels(report: Report, random: () => number): string {
  return reportText(report, 'pipes').split('\n').map((line) => {
    const m = /^\| ([^|]+?) \|/.exec(line);
    if (!m || !/[\u4e00-\u9fff]/.test(m[1]!) || random() > 0.3) return line;
    const label = m[1]!;
    const at = [...label].map((ch, i) => (LOOK_ALIKE[ch] ? i : -1)).filter((i) => i >= 0);
    if (at.length === 0) return line;
    const i = at[Math.floor(random() * at.length)]!;
    return `| ${label.slice(0, i)}${LOOK_ALIKE[label[i]!]}${label.slice(i + 1)} |${line.slice(m[0].length)}`;
  }).join('\n');
}

function orphanRow(report: Report, random: () => number): string {
  const lines = reportText(report, 'pipes').split('\n');
  // a result row that is not the first of its group: its line holds its label and its numbers
  const rows = T3_ROWS[report.meta.edition ?? '2021'];
  const candidates = rows.filter((r, i) => r.result && r.distinctive && i > 0 && rows[i - 1]!.group === r.group && r.group);
  const target = candidates[Math.floor(random() * candidates.length)]!;
  return lines.map((line) => {
    const cells = line.split('|');
    const k = cells.findIndex((c) => c.trim() === target.label);
    if (k < 0) return line;
    cells[k] = ' ';
    return cells.join('|');
  }).join('\n');
}

const NUMBERING = /^(?:\d{1,2}\.|（[一二三四五六七八九十]）|[一二三四五六七八九十]、)/;

function splitLabels(report: Report, random: () => number): string {
  const lines = reportText(report, 'cell-per-line').split('\n');
  const labels = new Set(T3_ROWS[report.meta.edition ?? '2021'].map((r) => r.label));
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const numbering = NUMBERING.exec(l)?.[0] ?? '';
    const body = l.slice(numbering.length);
    if (!labels.has(l) || body.length < 8 || random() > 0.4) { out.push(l); continue; }
    const cut = numbering.length + 5 + Math.floor(random() * (body.length - 6));
    const values: string[] = [];
    while (i + 1 < lines.length && /^-?[\d.]*$/.test(lines[i + 1]!) && values.length < 7) values.push(lines[++i]!);
    if (random() < 0.5) out.push(l.slice(0, cut), ...values, l.slice(cut));
    else out.push(l.slice(0, cut), l.slice(cut), ...values);
  }
  return out.join('\n');
}

const OCR_LETTER: Record<string, string> = { '0': 'O', '1': 'l' };

function ocrDigits(report: Report, random: () => number): string {
  return reportText(report, 'pipes').split('\n').map((line) => {
    if (!line.startsWith('|') || random() > 0.3) return line;
    return line.split('|').map((cell) => {
      const v = cell.trim();
      // a number of two digits or more keeps a real digit beside the letter
      if (!/^\d{2,}$/.test(v) || !/[01]/.test(v) || random() > 0.5) return cell;
      const at = [...v].map((ch, k) => (OCR_LETTER[ch] ? k : -1)).filter((k) => k >= 0 && !(k === 0 && v.length === 1));
      const k = at[Math.floor(random() * at.length)]!;
      return cell.replace(v, v.slice(0, k) + OCR_LETTER[v[k]!] + v.slice(k + 1));
    }).join('|');
  }).join('\n');
}
