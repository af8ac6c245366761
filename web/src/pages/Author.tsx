/**
 * 编写 Author: the edition's three tables as a form in the official layout, checked as one
 * types by the very rules that check published reports (they run here, in the browser). Totals
 * computed from their parts are shown beside the typed ones; a row copied from Excel, WPS or a
 * web page pastes across the row; last year's report prefills 上年结转 and 现行有效件数. Export
 * (HTML, DOCX, in the official layout) is blocked while an error-level finding stands, and
 * the server checks again before it writes the file.
 */
import { useEffect, useMemo, useState, type ClipboardEvent } from 'react';
import { authoredReport, editionFor, SECTION_HINTS, type AuthorInput } from '../../../src/author/report.ts';
import { check } from '../../../src/check/engine.ts';
import { cellLabel } from '../../../src/check/identity.ts';
import { layoutTables } from '../../../src/render/layout.ts';
import { SECTIONS } from '../../../src/schema/editions.ts';
import { identities } from '../../../src/schema/keys.ts';
import type { Report } from '../../../src/types.ts';
import { download, saveBlob, upload } from '../api.ts';
import { getLang, msg, t } from '../i18n.ts';
import { errorText } from '../main.tsx';
import { OfficialTable } from '../OfficialTable.tsx';

const DRAFT = 'gongkai.draft';
const empty = (): AuthorInput => ({ agency: '', region: '', level: null, bodyKind: 'department', year: new Date().getFullYear() - 1, published: null, cells: {}, sections: {} });

/** Split a pasted row: tabs (Excel/WPS), else runs of spaces or a table's cells. */
export function splitRow(text: string): string[] {
  const line = text.replace(/\r/g, '').split('\n').find((l) => l.trim() !== '') ?? '';
  const parts = line.includes('\t') ? line.split('\t') : line.trim().split(/\s+/);
  return parts.map((p) => p.trim());
}

export function Author() {
  const [input, setInput] = useState<AuthorInput>(() => {
    try { return { ...empty(), ...(JSON.parse(localStorage.getItem(DRAFT) ?? 'null') ?? {}) }; } catch { return empty(); }
  });
  const [error, setError] = useState('');
  const [note, setNote] = useState('');
  useEffect(() => { localStorage.setItem(DRAFT, JSON.stringify(input)); }, [input]);

  const edition = editionFor(input.year);
  const report = useMemo(() => authoredReport(input), [input]);
  const findings = useMemo(() => check(report), [report]);
  const errors = findings.filter((f) => f.severity === 'error');
  const blocked = errors.length > 0 || !input.agency.trim();
  const tables = layoutTables(report);
  const flagged = new Map<string, string>();
  for (const f of findings) for (const k of f.keys) if (f.severity === 'error' || !flagged.has(k)) flagged.set(k, f.severity);
  // a total computed from its parts, for the identities with one cell on the left
  const computed = useMemo(() => {
    const out = new Map<string, number>();
    for (const id of identities(edition)) {
      if (id.lhs.length !== 1) continue;
      const parts = id.rhs.map((k) => report.cells[k]).filter((c) => c?.value !== null && c?.value !== undefined);
      if (parts.length) out.set(id.lhs[0]!, parts.reduce((n, c) => n + Number(c!.value), 0));
    }
    return out;
  }, [report, edition]);

  const set = (patch: Partial<AuthorInput>) => setInput((i) => ({ ...i, ...patch }));
  const setCells = (patch: Record<string, string>) => setInput((i) => ({ ...i, cells: { ...i.cells, ...patch } }));
  const rowKeys = (key: string) => {
    const tb = tables.find((x) => x.cells.some((c) => c.key === key))!;
    const r = tb.cells.find((c) => c.key === key)!.r;
    return tb.cells.filter((c) => c.r === r && c.key).sort((a, b) => a.c - b.c).map((c) => c.key!);
  };
  const onPaste = (key: string) => (e: ClipboardEvent<HTMLInputElement>) => {
    const values = splitRow(e.clipboardData.getData('text/plain'));
    if (values.length < 2) return;
    e.preventDefault();
    const keys = rowKeys(key);
    const from = keys.indexOf(key);
    const patch: Record<string, string> = {};
    values.slice(0, keys.length - from).forEach((v, i) => { patch[keys[from + i]!] = v; });
    setCells(patch);
    setNote(t(`已粘贴 ${Object.keys(patch).length} 个格子`, `pasted ${Object.keys(patch).length} cells`));
  };
  const importLast = async (files: FileList | null) => {
    const f = files?.[0];
    if (!f) return;
    setError('');
    try {
      const last = await upload<Report>('/api/parse', [f]);
      const patch: Record<string, string> = {};
      for (const col of ['natural', 'commercial', 'research', 'social', 'legal', 'other_org', 'total']) {
        const v = last.cells[`t3.carry_next.${col}`];
        if (v && v.status !== 'ambiguous' && v.value !== null) patch[`t3.carried.${col}`] = v.value;
      }
      for (const row of ['regulations', 'normative']) {
        const v = last.cells[`t2.${row}.valid`] ?? last.cells[`t2.${row}.total`];
        if (editionFor((last.meta.year ?? input.year - 1) + 1) === '2021' && v && v.status !== 'ambiguous' && v.value !== null) patch[`t2.${row}.valid`] = v.value;
      }
      setInput((i) => ({
        ...i, agency: i.agency || (last.meta.agency ?? ''), region: i.region || (last.meta.region ?? ''), level: i.level ?? last.meta.level,
        bodyKind: last.meta.bodyKind ?? i.bodyKind, year: last.meta.year ? last.meta.year + 1 : i.year, cells: { ...i.cells, ...patch },
      }));
      setNote(t(`已从上年年报（${last.meta.year ?? '?'}）预填 ${Object.keys(patch).length} 个格子：上年结转、现行有效件数`, `prefilled ${Object.keys(patch).length} cells from last year's report (${last.meta.year ?? '?'}): carried over and currently valid`));
    } catch (e) { setError(errorText(e)); }
  };
  const exportAs = async (format: 'html' | 'docx') => {
    setError('');
    try { const { blob, name } = await download('/api/author/render', { input, format }); saveBlob(blob, name); } catch (e) { setError(errorText(e)); }
  };

  return (
    <div className="author">
      <section className="card wide">
        <h1>{t('编写年报', 'Author a report')}</h1>
        <div className="inline">
          <label>{t('机关名称', 'Body')} <input value={input.agency} onChange={(e) => set({ agency: e.target.value })} size={20} /></label>
          <label>{t('地区', 'Region')} <input value={input.region} onChange={(e) => set({ region: e.target.value })} size={12} /></label>
          <label>{t('类型', 'Kind')} <select value={input.bodyKind} onChange={(e) => set({ bodyKind: e.target.value as AuthorInput['bodyKind'] })}>
            <option value="department">{t('部门（1月31日前）', 'department (by 31 Jan)')}</option><option value="government">{t('政府（3月31日前）', 'government (by 31 Mar)')}</option></select></label>
          <label>{t('年度', 'Year')} <input type="number" value={input.year} min={2019} max={2100} onChange={(e) => set({ year: Number(e.target.value) || input.year })} style={{ width: '5em' }} /></label>
          <span className="muted small">{edition === '2021' ? t('适用 2021 版模板（国办公开办函〔2021〕30号）', '2021 template (国办公开办函〔2021〕30号)') : t('适用 2019 版模板（国办公开办函〔2019〕60号）', '2019 template (国办公开办函〔2019〕60号)')}</span>
        </div>
        <div className="inline">
          <label className="file">{t('导入上年年报预填', 'Import last year’s report')} <input type="file" onChange={(e) => void importLast(e.currentTarget.files)} /></label>
          <button onClick={() => { if (confirm(t('清空全部内容？', 'Clear everything?'))) setInput(empty()); }}>{t('清空', 'Clear')}</button>
          <span role="status" className="muted small">{note}</span>
        </div>
        {error && <p className="error" role="alert">{error}</p>}
      </section>
      <div className="split">
        <section className="pane left">
          {SECTIONS.map((s) => (
            <div key={s.number} className="sectionbox">
              <h2>{s.numeral}、{s.title}</h2>
              {[2, 3, 4].includes(s.number) && (() => {
                const tb = tables[s.number - 2]!;
                return (
                  <OfficialTable table={tb}
                    look={(k) => ({ className: [flagged.get(k) ?? '', computed.has(k) ? 'has-computed' : ''].join(' ') })}
                    content={(k) => {
                      const typed = input.cells[k] ?? '';
                      const c = computed.get(k);
                      const differs = c !== undefined && report.cells[k]?.value !== String(c);
                      return (
                        <span className="cellinput">
                          <input aria-label={cellLabel(k)} data-key={k} value={typed} inputMode="numeric" onChange={(e) => setCells({ [k]: e.target.value })} onPaste={onPaste(k)} />
                          {c !== undefined && <small className={differs ? 'computed differs' : 'computed'} title={t('由各项计算', 'computed from the parts')}>={c}</small>}
                        </span>
                      );
                    }} />
                );
              })()}
              <p className="hint small">{getLang() === 'zh' ? SECTION_HINTS[s.number]!.zh : SECTION_HINTS[s.number]!.en}</p>
              <textarea aria-label={`${s.numeral}、${s.title}`} rows={s.number === 1 ? 5 : 3} value={input.sections[s.number] ?? ''} onChange={(e) => set({ sections: { ...input.sections, [s.number]: e.target.value } })} />
            </div>
          ))}
        </section>
        <aside className="pane right checks" aria-label={t('实时检查', 'Live checks')}>
          <h2>{t('实时检查', 'Live checks')}</h2>
          <p className={errors.length ? 'error' : 'ok'} role="status" data-testid="check-summary">
            {errors.length ? t(`${errors.length} 个错误，修正后才能导出`, `${errors.length} error(s): fix them to export`) : t('没有错误，可以导出', 'no errors: ready to export')}
            {' · '}{findings.length - errors.length} {t('个提示', 'other findings')}
          </p>
          {!input.agency.trim() && <p className="warning small">{t('填写机关名称后才能导出', 'name the body to export')}</p>}
          <div className="inline">
            <button disabled={blocked} onClick={() => void exportAs('html')}>{t('导出 HTML', 'Export HTML')}</button>
            <button disabled={blocked} onClick={() => void exportAs('docx')}>{t('导出 Word (DOCX)', 'Export Word (DOCX)')}</button>
          </div>
          <ol className="findings">
            {findings.map((f, i) => (
              <li key={i} className={f.severity} data-rule={f.ruleId}>
                <span className={`sev ${f.severity}`}>{f.severity}</span> <code>{f.ruleId}</code> {msg(f)}
                {f.keys[0] && <button className="link small" onClick={() => document.querySelector<HTMLInputElement>(`input[data-key="${f.keys[0]}"]`)?.focus()}>{t('定位', 'go to')}</button>}
              </li>
            ))}
          </ol>
        </aside>
      </div>
    </div>
  );
}
