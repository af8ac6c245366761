/**
 * A report being written: what the author typed (body, year, the cells of the edition's three
 * tables, the six sections) made into a `Report`, so the same rules that check published
 * reports check it as it is typed (in the browser) and again before it is exported (server).
 * Pure: runs in the browser.
 */
import { SECTIONS, type Edition } from '../schema/editions.ts';
import { MONEY_KEYS, SIGNED_KEYS, t2Keys, t3Keys, t4Keys } from '../schema/keys.ts';
import type { BodyKind, Cell, Level, Report } from '../types.ts';

export interface AuthorInput {
  agency: string;
  region: string;
  level: Level | null;
  bodyKind: BodyKind;
  year: number;
  /** ISO date of publication, if decided. */
  published: string | null;
  /** Cell key → what was typed ('' = blank). */
  cells: Record<string, string>;
  /** Section number (1–6) → its text. */
  sections: Record<number, string>;
}

/** The template edition for a report year: 2019's for 2019 and 2020, 2021's from then on. */
export const editionFor = (year: number): Edition => (year >= 2021 ? '2021' : '2019');

/** Every cell of an edition's three tables, in template order. */
export const editionKeys = (edition: Edition): string[] => [...t2Keys(edition), ...t3Keys(edition), ...t4Keys()];

/** What a typed value is: a canonical number (full-width digits and thousands separators accepted), a blank, or text. */
export function typedCell(key: string, typed: string): Cell {
  const raw = typed;
  const t = typed.normalize('NFKC').trim().replace(/,/g, '');
  if (t === '') return { key, value: null, shown: 'blank', status: 'read', raw, position: null };
  const ok = MONEY_KEYS.has(key) ? /^\d+(?:\.\d+)?$/ : SIGNED_KEYS.has(key) ? /^[-+]?\d+$/ : /^\d+$/;
  if (!ok.test(t)) return { key, value: null, shown: t === '/' || t === '—' ? 'na' : 'text', status: 'read', raw, position: null };
  const value = t.replace(/^\+/, '').replace(/^(-?)0+(?=\d)/, '$1');
  return { key, value, shown: Number(value) === 0 ? 'zero' : 'number', status: 'read', raw, position: null };
}

const at = { offset: 0, length: 0, line: 0, column: 0 };

export function authoredReport(input: AuthorInput): Report {
  const edition = editionFor(input.year);
  const cells: Record<string, Cell> = {};
  for (const key of editionKeys(edition)) cells[key] = typedCell(key, input.cells[key] ?? '');
  const title = `${input.agency}${input.year}年政府信息公开工作年度报告`;
  const table = { found: true, edition, position: null, rows: [], missingRows: [] };
  return {
    schema: 'gongkai/report@1',
    source: { name: title, format: 'authored', encoding: 'utf-8', bytes: 0 },
    meta: {
      title, agency: input.agency || null, region: input.region || null, level: input.level, bodyKind: input.bodyKind, year: input.year,
      // not placed here: this runs in the browser too, where the gazetteer (1 MB) is not shipped;
      // a report written here is placed when it is read back like any other
      division: null, divisionCandidates: [],
      published: input.published, publishedFrom: input.published ? 'page' : null, index: null, edition, editionEvidence: ['authored in gongkai'],
    },
    sections: SECTIONS.map((s) => ({ number: s.number, title: `${s.numeral}、${s.title}`, text: input.sections[s.number] ?? '', position: at, lines: [] })),
    outline: SECTIONS.map((s) => ({ numeral: s.numeral, topic: s.number, title: `${s.numeral}、${s.title}`, position: at })),
    tables: { t2: table, t3: table, t4: table },
    cells,
    notes: [],
  };
}

/** What each section must say, as a reviewer checks it (条例 第五十条 and the 2021 notice). */
export const SECTION_HINTS: Record<number, { zh: string; en: string }> = {
  1: { zh: '概述全年主动公开、依申请公开、政府信息管理、平台建设、监督保障等工作，可列出主动公开的数量。', en: 'Overview of the year: proactive disclosure, applications, information management, platforms, oversight; give the numbers.' },
  2: { zh: '下表由系统按模板生成；正文可补充主动公开的渠道与数量。', en: 'The table follows the template; add channels and counts in text if needed.' },
  3: { zh: '下表由系统按模板生成；正文中的申请数量须与表三一致。', en: 'The table follows the template; any application count in the text must equal table 三.' },
  4: { zh: '下表由系统按模板生成；如有复议、诉讼被纠错，说明原因与整改。', en: 'The table follows the template; explain any case the body lost and what was changed.' },
  5: { zh: '如实写明存在的主要问题及改进情况，不得为空或照抄上年。', en: 'The main problems and what was improved, in the body\'s own words: not empty, not last year\'s text.' },
  6: { zh: '写明收取信息处理费的情况（未收取也要写明），以及其他需要报告的事项。', en: 'Say whether information processing fees were charged (say so if none) and anything else to report.' },
};
