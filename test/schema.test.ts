/** The JSON form of every fixture's report validates against schema/report.schema.json. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseAsync } from '../src/index.ts';
import { parseFixture, readFixture, SEEDS } from './helpers.ts';

const schema = JSON.parse(readFileSync(new URL('../schema/report.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

describe('report JSON schema', () => {
  for (const [form, name] of Object.entries(SEEDS)) {
    it(form, () => {
      const json = JSON.parse(JSON.stringify(parseFixture(name, { partial: true })));
      assert.ok(validate(json), JSON.stringify(validate.errors?.slice(0, 3), null, 1));
    });
  }
});

describe('report JSON schema, native formats', () => {
  for (const file of ['seed002-kongtong-gov-2021.html', 'seed002-kongtong-gov-2021.docx', 'seed002-kongtong-gov-2021.xlsx', 'seed002-kongtong-gov-2021.pdf', 'seed002-kongtong-gov-2021.doc', 'seed002-kongtong-gov-2021.xls']) {
    it(file, async () => {
      const json = JSON.parse(JSON.stringify(await parseAsync(readFixture(`native/${file}`), { name: file })));
      assert.ok(validate(json), JSON.stringify(validate.errors?.slice(0, 3), null, 1));
    });
  }
});

it('a scan validates too', async () => {
  const { pdfFromPages } = await import('../src/render/pdf.ts');
  const json = JSON.parse(JSON.stringify(await parseAsync(pdfFromPages([['0 0 0 rg 50 50 495 742 re f']], false))));
  assert.ok(validate(json), JSON.stringify(validate.errors?.slice(0, 3), null, 1));
});
