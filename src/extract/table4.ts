/**
 * Table 四 (政府信息公开行政复议、行政诉讼情况): its header words, then one row of 15 numbers (or
 * three blocks of five), solved under the three group identities (I4: 总计 = 结果维持 + 结果纠正
 * + 其他结果 + 尚未审结).
 */
import { T4_HEADER, type Edition } from '../schema/editions.ts';
import { t4Keys } from '../schema/keys.ts';
import type { RowIdentity } from '../solve/solver.ts';
import type { TableInfo } from '../types.ts';
import { emptyTable, noteExtra, rowRange, type Span, type TableContext } from './context.ts';
import { cellsOf, confirmOcr, pinReadings, solveHit, type RowHit, type RowSpec } from './rows.ts';
import type { Token } from './tokens.ts';

/** The fifteen cell keys, made once. */
const KEYS = t4Keys();
const IDS: RowIdentity[] = [0, 1, 2].map((g) => ({ total: g * 5 + 4, parts: [0, 1, 2, 3].map((c) => g * 5 + c) }));
const HEADER_WORDS = /行政复议|行政诉讼|结果维持|结果纠正|其他结果|尚未审结|未经复议直接起诉|未经复议|复议后起诉|总计|[()（）·、]/g;

/** Header text: a short header word, or a run of nothing but header words (a dump's header row). */
const isHeader = (t: Token) => t.kind === 'text' && (t.text.length <= 30 ? T4_HEADER.test(t.text) : t.text.length <= 200 && t.text.replace(HEADER_WORDS, '') === '');

/** The header words, then the values up to the first text after them. */
function findTable4(tokens: Token[], span: Span): RowHit | null {
  let label: Token | null = null;
  const items: Token[] = [];
  for (let i = span.from; i < span.to; i++) {
    const t = tokens[i]!;
    const header = isHeader(t);
    if (!label) { if (header) label = t; continue; }
    if (t.kind === 'text') {
      if (header) continue;
      if (items.some((v) => v.kind !== 'blank')) break;
      continue;
    }
    items.push(t);
  }
  return label ? { spec: 0, label, items } : null;
}

export function readTable4(ctx: TableContext, span: Span, edition: Edition): TableInfo {
  const table = emptyTable();
  const hit = findTable4(ctx.tokens, span);
  if (!hit) return table;
  // a grid row of 15 cells under the header rows (DOCX, XLSX, HTML): its blanks are in place
  const row = hit.items[0]?.row;
  if (hit.items.length === 15 && hit.items.every((t) => t.grid === true && t.row === row)) hit.aligned = true;
  const spec: RowSpec = { id: 't4', slots: 15, ids: IDS, distinctive: true, accept: () => false };
  const { src, result } = solveHit(hit, spec);
  if (src.tokens.length === 0) return table;
  table.found = true;
  table.edition = edition;
  table.position = hit.label.pos;
  table.rows.push({ id: 'values', label: hit.label.raw.trim(), position: hit.label.pos });
  const cells = cellsOf(src, result, ctx.pins ? pinReadings(result.readings, KEYS, ctx.pins, ctx.notes) : undefined, { keys: KEYS });
  confirmOcr(cells, !result.identityBroken, 'an identity of table 四 (总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结) fails with it');
  ctx.cells.setRow(KEYS, cells);
  noteExtra(hit, src.tokens.length, 15, KEYS, ctx.notes);
  ctx.tableRows.push(rowRange([hit], ctx.tokens, span.from, T4_HEADER));
  return table;
}
