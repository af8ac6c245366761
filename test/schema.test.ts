/** The JSON form of every fixture's report validates against schema/report.schema.json. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parseFixture, SEEDS } from './helpers.ts';

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
