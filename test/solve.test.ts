import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minCells, numberOf, solveRow, type Piece } from '../src/solve/solver.ts';
import { doubtRows, refineByColumns } from '../src/solve/columns.ts';
import { cellsOf, solveHit, type RowHit, type RowSpec } from '../src/extract/rows.ts';
import type { Token } from '../src/extract/tokens.ts';

const run = (text: string): Piece => ({ kind: 'run', text, rigidBefore: false });
const num = (text: string, rigidBefore = true): Piece => ({ kind: 'num', text, rigidBefore });
const blank = (): Piece => ({ kind: 'blank', text: '', rigidBefore: true });
const ROW = [{ total: 6, parts: [0, 1, 2, 3, 4, 5] }];
const show = (rs: { readings: Array<Array<{ value: string | null }>> }) => rs.readings.map((r) => r.map((s) => s.value ?? '_').join(','));

describe('solveRow', () => {
  it('splits a run with no leading zeros: “00000” is five zeros', () => {
    assert.deepEqual(show(solveRow([run('00000')], 5, [])), ['0,0,0,0,0']);
  });
  it('keeps only splits that satisfy the row identity', () => {
    const r = solveRow([run('100001')], 7, ROW);
    assert.equal(r.readings.length, 6);
    assert.ok(r.readings.every((x) => x[6]!.value === '1'));
    assert.equal(r.identityBroken, false);
  });
  it('reports every split when no identity constrains the cells', () => {
    assert.equal(solveRow([run('272720')], 3, []).readings.length, 28);
  });
  it('does not split numbers that already fill the row', () => {
    const r = solveRow('3001 53 0 0 61 4 3119'.split(' ').map(run), 7, ROW);
    assert.deepEqual(show(r), ['3001,53,0,0,61,4,3119']);
    assert.equal(r.structural, 1);
  });
  it('keeps a printed total that breaks the identity, flagged as the publisher’s', () => {
    const r = solveRow(['1', '0', '0', '0', '2', '0', '4'].map((t, i) => num(t, i > 0)), 7, ROW);
    assert.deepEqual(show(r), ['1,0,0,0,2,0,4']);
    assert.equal(r.identityBroken, true);
  });
  it('places a blank between delimited cells exactly where it was', () => {
    assert.deepEqual(show(solveRow([num('5', false), blank(), num('7')], 3, [])), ['5,_,7']);
  });
  it('gives money its fraction and never a count', () => {
    const r = solveRow([run('1498935.88')], 2, [], { fractional: [false, true] });
    assert.ok(r.readings.every((x) => !(x[0]!.value ?? '').includes('.')));
    assert.ok(show(r).includes('1,498935.88'));
  });
  it('starts a new cell at a minus sign inside a run', () => {
    assert.deepEqual(show(solveRow([run('9-10')], 3, [])), ['9,-1,0', '9,-10,_', '9,_,-10', '_,9,-10']);
  });
  it('counts the fewest cells of a run', () => {
    assert.equal(minCells('000'), 3);
    assert.equal(minCells('1000'), 1);
    assert.equal(minCells('0010'), 3);
  });
  it('gives up on a run too long to enumerate instead of hanging', () => {
    const r = solveRow([run('1'.repeat(40))], 15, [], { maxSteps: 10_000 });
    assert.equal(r.overflow, true);
  });
});

describe('numberOf', () => {
  it('is Number() for every text, read digit by digit where it is nine digits or fewer', () => {
    const texts = ['', '0', '7', '007', '18', '999999999', '1000000000', '12345678901234567', '-1', '+3', '1.5', '0.25', '1,000', '0x10', ' 1', '1e3', '١٢', 'abc'];
    for (let n = 0; n < 100000; n += 7) texts.push(String(n));
    for (const t of texts) assert.equal(Object.is(numberOf(t), Number(t)), true, JSON.stringify(t));
  });
});

describe('refineByColumns', () => {
  const reading = (...v: Array<string | null>) => v.map((value) => ({ value, kind: value === null ? 'blank' as const : 'num' as const, piece: 0 }));
  it('narrows an ambiguous row with a column identity', () => {
    const rows = new Map([
      ['a', [reading('1'), reading('2')]],
      ['b', [reading('2')]],
    ]);
    refineByColumns(rows, [[[{ row: 'a', slot: 0, sign: 1 }, { row: 'b', slot: 0, sign: -1 }]]]);
    assert.equal(rows.get('a')!.length, 1);
    assert.equal(rows.get('a')![0]![0]!.value, '2');
  });
  it('undoes a narrowing that drives another identity into contradiction', () => {
    // x ∈ {(1,_), (_,1)}; identity 1: x0 = y0 with y0 = 0 → picks (_,1);
    // identity 2: x1 = z1 with z1 = 0, satisfiable before, broken after → undo.
    const rows = new Map([
      ['x', [reading('1', null), reading(null, '1')]],
      ['y', [reading('0', '0')]],
      ['z', [reading('0', '0')]],
    ]);
    refineByColumns(rows, [[
      [{ row: 'x', slot: 0, sign: 1 }, { row: 'y', slot: 0, sign: -1 }],
      [{ row: 'x', slot: 1, sign: 1 }, { row: 'z', slot: 1, sign: -1 }],
    ]]);
    assert.equal(rows.get('x')!.length, 2);
  });
});

describe('doubtRows', () => {
  const reading = (...v: Array<string | null>) => v.map((value) => ({ value, kind: value === null ? 'blank' as const : 'num' as const, piece: 0 }));
  // the total row t in two failing identities that share no other row: t₀ = a₀ + b₀ and t₁ = c₁ (as I3 and I1 share only 总计)
  const eqs = [
    [{ row: 't', slot: 0, sign: 1 as const }, { row: 'a', slot: 0, sign: -1 as const }, { row: 'b', slot: 0, sign: -1 as const }],
    [{ row: 't', slot: 1, sign: 1 as const }, { row: 'c', slot: 1, sign: -1 as const }],
  ];
  const table = () => new Map([['t', [reading('1', '47')]], ['a', [reading('100', null)]], ['b', [reading('7', null)]], ['c', [reading(null, '145')]]]);
  it('puts the row in doubt when its refused readings bring every failing column identity through it closer', () => {
    const rows = table();
    const doubted = doubtRows(rows, eqs, () => [reading('107', '147'), reading('1', '7'), reading('1000', '47')]);
    assert.deepEqual(doubted, ['t']);
    assert.deepEqual(rows.get('t')!.map((r) => r.map((s) => s.value)), [['1', '47'], ['107', '147']]);
  });
  it('leaves a row whose refused readings are no closer, or that reads one way', () => {
    const rows = table();
    assert.deepEqual(doubtRows(rows, eqs, () => [reading('1', '7')]), []);
    assert.deepEqual(doubtRows(rows, eqs, () => null), []);
    assert.equal(rows.get('t')!.length, 1);
  });
  it('accuses no row when the failing identities share every row (nothing localises the fault)', () => {
    const rows = table();
    assert.deepEqual(doubtRows(rows, [eqs[0]!], () => [reading('107', '147')]), []);
  });
});

describe('rows read as printed (solveHit)', () => {
  const tok = (text: string, kind: Token['kind'] = 'value', extra: Partial<Token> = {}): Token => ({
    kind, text, raw: ` ${text} `, pos: { offset: 0, length: text.length, line: 1, column: 1 }, row: 3, index: 0, delimited: true, multi: false, ...extra,
  });
  const hit = (...items: Token[]): RowHit => ({ spec: 0, label: tok('规章', 'text'), items });
  const spec = (slots: number): RowSpec => ({ id: 'r', slots, ids: slots === 7 ? ROW : [], distinctive: true, accept: () => false });
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `t.r.${i}`);

  it('reads a tidy row without making its reading, and as the solver would', () => {
    // 1,2,0,—,blank,/,3 against 总计 = 1 + 2 + 0 + 0 + 0 + 0: broken, as printed
    const h = hit(tok('1'), tok('2'), tok('0'), tok('-', 'na'), tok('', 'blank'), tok('不适用', 'na'), tok('3'));
    const { src, result } = solveHit(h, spec(7));
    assert.deepEqual(result.printed, ['1', '2', '0', null, null, null, '3']);
    const lazy = cellsOf(src, result, undefined, { keys: keys(7) });
    const made = cellsOf(src, result, result.readings, { keys: keys(7) });
    const solver = solveRow(src.pieces, 7, ROW);
    assert.deepEqual(lazy, made);
    assert.deepEqual(result.readings, solver.readings);
    assert.equal(result.identityBroken, solver.identityBroken);
    assert.deepEqual(lazy.map((c) => [c.value, c.shown, c.status]), [
      ['1', 'number', 'read'], ['2', 'number', 'read'], ['0', 'zero', 'read'], [null, 'na', 'read'], [null, 'blank', 'read'], [null, 'na', 'read'], ['3', 'number', 'read'],
    ]);
  });

  it('converts money printed in 元 to 万元 in the same way on both paths', () => {
    const h = hit(tok('12', 'value', { unit: '元' }), tok('1,005.834'));
    const { src, result } = solveHit(h, spec(2));
    const opts = { keys: keys(2), money: [true, true] };
    const lazy = cellsOf(src, result, undefined, opts);
    assert.deepEqual(lazy, cellsOf(src, result, result.readings, opts));
    assert.deepEqual(lazy.map((c) => [c.value, c.unit]), [['0.0012', '元'], ['1005.834', undefined]]);
  });

  it('leaves a row with a squashed run to the solver', () => {
    const { result } = solveHit(hit(tok('272720', 'value', { multi: true })), spec(3));
    assert.equal(result.printed, undefined);
    assert.ok(result.readings.length > 1);
  });
});
