import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check } from '../../src/check/engine.ts';
import rule from '../../src/check/rules/scanned-document.ts';
import { parseAsync } from '../../src/index.ts';
import { pdfFromPages } from '../../src/render/pdf.ts';
import { readFixture } from '../helpers.ts';

describe('scanned-document', () => {
  it('has its documentation', () => assert.ok(rule.meta.docs.length > 80 && rule.meta.descriptionZh));
  it('fires on a PDF with no text layer, alone', async () => {
    const r = await parseAsync(pdfFromPages([['0 0 0 rg 50 50 495 742 re f']], false));
    assert.deepEqual(check(r).map((f) => f.ruleId), ['scanned-document']);
  });
  it('does not fire on a PDF with text', async () => {
    const r = await parseAsync(readFixture('native/seed001-wuzhong-mzj-2021.pdf'));
    assert.deepEqual(check(r, {}, [rule]), []);
  });
});
