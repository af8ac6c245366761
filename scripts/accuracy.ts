/**
 * `npm run accuracy`: read a synthetic corpus in every form and compare with its truth.
 * node scripts/accuracy.ts [count] [seed] [tool-count]  (default 450 reports, seed 1; the forms
 * made by chromium, pdftotext and pandoc take the first tool-count reports, default 90). Then
 * precision and recall per rule: on the synthetic set (planted defects are the truth) and on the
 * hand-labelled real reports (scripts/precision.ts). Exit 1 on a silent error or a false, lost or
 * unlabelled finding of the real set.
 */
import { measureAccuracy } from '../src/synth/accuracy.ts';
import { toolForms } from './tool-forms.ts';
import { measurePrecision, precisionTable } from './precision.ts';

const count = Number(process.argv[2] ?? 450);
const seed = Number(process.argv[3] ?? 1);
const toolCount = Number(process.argv[4] ?? Math.min(count, 90));
const t0 = performance.now();
const tools = toolForms();
const r = await measureAccuracy({ count, seed, extra: tools.forms, extraCount: toolCount, onProgress: (form, done, total) => { if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${form} ${done}/${total}`); } })
  .finally(() => tools.close());
if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(2)}%` : '—');
console.log(`accuracy: ${r.reports} synthetic reports (seed ${seed}), each in ${r.forms.length} forms\n`);
console.log('| form | reports | unreadable | body/year/edition wrong | cells | exact | undetermined (?) | row not found | silent errors | files/s |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const f of r.forms) console.log(`| ${f.form} | ${f.reports} | ${f.unreadable} | ${f.meta} | ${f.cells} | ${pct(f.exact, f.cells)} | ${pct(f.undetermined, f.cells)} | ${pct(f.unread, f.cells)} | ${f.silent} | ${(f.reports / f.seconds).toFixed(0)} |`);
for (const s of tools.skipped) console.log(`| ${s.form} | skipped: ${s.why} |`);
for (const f of r.forms) for (const e of f.examples) console.log(`  ${f.form}: ${e}`);
console.log('\n| planted defect | planted | found | recall |');
console.log('|---|---|---|---|');
for (const d of r.defects) console.log(`| ${d.kind} | ${d.planted} | ${d.found} | ${pct(d.found, d.planted)} |`);
console.log(`\nfalse findings (a defect rule firing where nothing was planted): ${r.falseFindings.length}`);
for (const f of r.falseFindings.slice(0, 20)) console.log(`  ${f.id} ${f.rule}: ${f.message}`);
console.log(`\nSynthetic reports (${r.reports}, planted defects as truth), per defect rule:\n`);
console.log('| rule | true findings | false findings | planted, missed | precision | recall |');
console.log('|---|---|---|---|---|---|');
for (const t of r.rules) console.log(`| ${t.rule} | ${t.truePositive} | ${t.falsePositive} | ${t.missed} | ${pct(t.truePositive, t.truePositive + t.falsePositive)} | ${pct(t.truePositive, t.truePositive + t.missed)} |`);
const real = await measurePrecision();
console.log(`\n${precisionTable(real)}`);
console.log(`\n${((performance.now() - t0) / 1000).toFixed(1)} s`);
const realFails = real.falseFindings.length + real.lostFindings.length + real.unlabelled.length;
process.exitCode = r.forms.some((f) => f.silent > 0 || f.meta > 0) || realFails > 0 ? 1 : 0;
