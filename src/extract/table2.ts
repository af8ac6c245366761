/**
 * Table 二 (主动公开政府信息情况): its edition from the column headers, then each row found by its
 * label (规章, 行政规范性文件, 行政许可 …) in template order, its values solved into the row's
 * columns (money in 元 converted to 万元).
 */
import { keep } from '../read/normalize.ts';
import { T2_HEADER_SIGNALS, T2_LABEL_VARIANTS, T2_ROWS, type Edition } from '../schema/editions.ts';
import { emptyTable, labelLike, labelVariant, missingRows, noteExtra, rowRange, stripNumbering, unplacedNote, type Span, type TableContext } from './context.ts';
import { cellsOf, confirmOcr, findRows, markPlacement, pinReadings, solveHit, type RowHit, type RowSpec } from './rows.ts';
import type { TableInfo } from '../types.ts';
import type { Token } from './tokens.ts';
import { t2RowKeys } from '../schema/keys.ts';

/** Any header signal or label variant: one test before each is tried. */
const ANY_SIGNAL = new RegExp([...T2_HEADER_SIGNALS.map((s) => s.match), ...T2_LABEL_VARIANTS.map((v) => v.variant)].map((r) => `(?:${r.source})`).join('|'));

interface Said { signals: typeof T2_HEADER_SIGNALS; variants: string[] }
const NONE: Said = { signals: [], variants: [] };
/** What a text says of table 二's edition, kept by text (headers are the template's, the same in report after report); bounded as findRows's. */
const SAID = new Map<string, Said>();

function signalsOf(t: Token): Said {
  if (t.text.length > 64) return NONE; // no label (labelLike)
  return SAID.get(t.text) ?? keep(SAID, t.text, 4096, saidBy(t));
}

/** What `signalsOf` keeps for a text. */
function saidBy(t: Token): Said {
  if (!labelLike(t) || !ANY_SIGNAL.test(t.text)) return NONE;
  const signals = T2_HEADER_SIGNALS.filter((s) => s.match.test(t.text));
  const variants = T2_LABEL_VARIANTS.filter((v) => v.variant.test(t.text)).map((v) => v.official);
  return signals.length === 0 && variants.length === 0 ? NONE : { signals, variants };
}

/** Table 二's edition from its column headers: null when they do not tell (none, or a tie). */
export function table2Edition(ctx: TableContext, span: Span, evidence: string[]): Edition | null {
  const votes = { '2019': [] as string[], '2021': [] as string[] };
  for (let i = span.from; i < span.to; i++) {
    const t = ctx.tokens[i]!;
    if (t.kind !== 'text') continue;
    const said = signalsOf(t);
    if (said === NONE) continue;
    for (const s of said.signals) votes[s.edition].push(s.official);
    for (const official of said.variants) ctx.notes.push(labelVariant(t, official));
  }
  if (votes['2021'].length === votes['2019'].length) return null;
  const edition = votes['2021'].length > votes['2019'].length ? '2021' : '2019';
  evidence.push(`table 二: ${[...new Set(votes[edition])].join('、')} (${edition})`);
  return edition;
}

const SPECS = new Map<Edition, Array<RowSpec & { money: boolean[] }>>();

/** Table 二's rows as findRows takes them (and which of their columns hold money), made once an edition. */
function rowSpecs(edition: Edition): Array<RowSpec & { money: boolean[] }> {
  let specs = SPECS.get(edition);
  if (!specs) {
    specs = T2_ROWS[edition].map((r) => ({
      id: r.id, slots: r.columns.length, ids: [], distinctive: true, official: r.label,
      accept: (t: Token) => labelLike(t) && r.match.test(stripNumbering(t.text)),
      money: r.columns.map((c) => !!c.money),
    }));
    SPECS.set(edition, specs);
  }
  return specs;
}

export function readTable2(ctx: TableContext, span: Span, edition: Edition): { table: TableInfo; hits: RowHit[] } {
  const table = emptyTable();
  const rows = T2_ROWS[edition];
  const specs = rowSpecs(edition);
  // table 二 has no identities to confirm an order-only placement: a row with no label is not read
  const hits: RowHit[] = [];
  for (const h of findRows(ctx.tokens, span.from, span.to, specs)) {
    if (h.spec >= 0) hits.push(h);
    else if (h.items.some((v) => v.kind === 'value')) ctx.notes.push(unplacedNote(h));
  }
  if (hits.length === 0) return { table, hits };
  table.found = true;
  table.edition = edition;
  table.position = hits[0]!.label.pos;
  for (const hit of hits) {
    const spec = specs[hit.spec]!;
    const row = rows[hit.spec]!;
    const money = spec.money;
    const { src, result } = solveHit(hit, spec, money);
    const keys = t2RowKeys(row);
    const cells = cellsOf(src, result, ctx.pins ? pinReadings(result.readings, keys, ctx.pins, ctx.notes) : undefined, { keys, money });
    markPlacement(cells, hit, row.label);
    confirmOcr(cells, false, 'table 二 has no identity to confirm it');
    ctx.cells.setRow(keys, cells);
    table.rows.push({ id: row.id, label: hit.label.raw.trim(), position: hit.label.pos });
    if (edition === '2021' && row.id === 'normative' && !/行政规范性文件/.test(hit.label.text)) ctx.notes.push(labelVariant(hit.label, row.label));
    noteExtra(hit, src.tokens.length, spec.slots, keys, ctx.notes);
  }
  table.missingRows = missingRows(rows, hits);
  ctx.tableRows.push(rowRange(hits, ctx.tokens, span.from, /^第二十条/));
  return { table, hits };
}
