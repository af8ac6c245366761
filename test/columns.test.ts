/**
 * Column alignment in PDFs: a number that stands under one column header is placed there and
 * the row's blanks with it; a number whose column the page does not make clear is left to the
 * solver (the cell stays `?`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alignRow, columnCentres } from '../src/extract/columns.ts';
import type { RowHit } from '../src/extract/rows.ts';
import type { Token } from '../src/extract/tokens.ts';
import { parseAsync } from '../src/index.ts';
import { T3_COLUMNS } from '../src/schema/editions.ts';
import { readFixture } from './helpers.ts';

const LABELS = T3_COLUMNS.map((c) => c.label);

/** A token printed on page 2 at x (left edge) with width w, as the PDF reader gives it. */
function tok(text: string, x: number, w: number, kind: Token['kind'] = 'value', origin = { page: 2, box: [x, 224, w, 8] as [number, number, number, number] }): Token {
  return { kind, text, raw: text, pos: { offset: 0, length: text.length, line: 1, column: 1, page: 2, origin }, row: 1, index: 0, delimited: false, multi: text.length > 1 };
}
const row = (...items: Token[]): RowHit => ({ spec: 0, label: tok('一、本年新收政府信息公开申请数量', 111, 128, 'text'), items });

/** The header line of seed 004's PDF: 其他 sits on the line below the others. */
const HEADER = [tok('自然人', 306, 24, 'text'), tok('商业企', 341, 24, 'text'), tok('科研机', 376, 24, 'text'), tok('社会公', 411, 24, 'text'),
  tok('法律服', 446, 24, 'text'), tok('总计', 520, 16, 'text'), tok('其他', 485, 16, 'text')];

describe('column alignment (PDF)', () => {
  it('finds the columns from their headers, wrapped and out of line order', () => {
    assert.deepEqual(columnCentres([], HEADER, LABELS), [318, 353, 388, 423, 458, 493, 528]);
    assert.equal(columnCentres([], HEADER.slice(1), LABELS), null, 'a missing header: no columns');
  });

  it('prefers the numbers\' own alignment when two rows fill every column', () => {
    const full = () => row(...[300, 340, 380, 420, 460, 500, 540].map((x) => tok('12', x, 8)));
    assert.deepEqual(columnCentres([full(), full()], HEADER, LABELS), [304, 344, 384, 424, 464, 504, 544]);
  });

  it('places a lone number under its column and fills the blanks, saying why', () => {
    const hit = row(tok('1', 526, 4));
    assert.ok(alignRow(hit, columnCentres([], HEADER, LABELS)!, LABELS));
    assert.equal(hit.aligned, true);
    assert.deepEqual(hit.items.map((t) => t.kind === 'blank' ? '_' : t.text), ['_', '_', '_', '_', '_', '_', '1']);
    assert.match(hit.items[0]!.how!, /nothing is printed under 自然人 \(x≈318\) on page 2/);
  });

  it('leaves a row alone when a number stands between columns, two share one piece, or a number is wider than a column', () => {
    const centres = columnCentres([], HEADER, LABELS)!;
    const between = row(tok('7', 333, 4));
    assert.equal(alignRow(between, centres, LABELS), false);
    assert.equal(between.aligned, undefined);
    assert.equal(between.items.length, 1);
    const shared = { page: 2, box: [310, 224, 60, 8] as [number, number, number, number] };
    assert.equal(alignRow(row(tok('0', 316, 4, 'value', shared), tok('0', 350, 4, 'value', shared)), centres, LABELS), false);
    assert.equal(alignRow(row(tok('100001', 300, 60)), centres, LABELS), false);
    assert.equal(alignRow(row(tok('3', 526, 4), tok('1', 316, 4)), centres, LABELS), false, 'out of order');
  });

  it('reads seed 004\'s PDF exactly from its ruled cells: a blank cell is blank, in its column', async () => {
    const r = await parseAsync(readFixture('native/seed004-anshan-rsj-2020.pdf'));
    assert.equal(r.cells['t3.new.total']?.value, '1');
    const natural = r.cells['t3.new.natural']!;
    assert.equal(natural.value, null);
    assert.equal(natural.shown, 'blank');
    assert.equal(natural.status, 'read', 'the rules drawn round the cell say it is empty: nothing to infer');
    assert.equal(natural.position?.page, 2);
    assert.ok(natural.position?.origin?.box, 'the blank cell keeps its box on the page');
    assert.ok(!Object.values(r.cells).some((c) => c.key.startsWith('t3.') && c.status === 'ambiguous'));
  });
});
