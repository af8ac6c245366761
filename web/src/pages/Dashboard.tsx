/**
 * 总览 Dashboard: the corpus under the filters (kept in the address, so a view can be shared):
 * applications by applicant type, outcomes, denial reasons, correction rates, findings per
 * rule, regions by defect rate, publication dates against the deadlines, and the reports.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { get, qs } from '../api.ts';
import { Chart } from '../Chart.tsx';
import { AreaMap, type MapArea, type Measure } from '../Map.tsx';
import { getLang, t } from '../i18n.ts';
import { errorText } from '../main.tsx';

interface Rate { id: string; label: string; formula: string; value: number | null; numerator: number; denominator: number; reason?: string }
interface Cells {
  reports: number; note: string | null;
  applicants: { years: number[]; series: Array<{ id: string; label: string; values: Array<number | null> }> };
  outcomes: Array<{ id: string; label: string; value: number }>;
  denials: Array<{ id: string; label: string; value: number }>;
  rates: { overall: Rate[]; byYear: Array<{ year: number; review: Rate; litigation: Rate; substantive: Rate }> };
}
interface RuleRow { rule: string; severity: string; findings: number; reports: number }
interface RegionRow { region: string | null; reports: number; withErrors: number; rate: number | null }
interface Pub { weeks: number[]; department: number[]; government: number[]; dated: number; late: number; undated: number }
interface ReportRow { id: number; agency: string | null; region: string | null; level: string | null; year: number | null; published_on: string | null; body_kind: string | null; errors: number; warnings: number }

const FILTERS = ['year', 'region', 'level', 'agency', 'rule'] as const;
const LEVELS = ['province', 'city', 'county', 'township', 'national'];
const LEVEL_ZH: Record<string, string> = { national: '国家', province: '省', city: '市', county: '县区', township: '乡镇' };
const SEVERITY_ZH: Record<string, string> = { error: '错误', warning: '警告', info: '提示' };
/** A rule's Chinese description, cut to a chart label: up to the first punctuation, 18 characters at most. */
const ruleName = (zh: string) => (zh.split(/[，,（(：:；;]/)[0] ?? zh).slice(0, 18);
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

export function Dashboard({ query }: { query: URLSearchParams }) {
  const filters = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const sort = query.get('sort') ?? 'errors';
  const desc = query.get('desc') ?? '1';
  const offset = Number(query.get('offset') ?? 0);
  const q = qs(filters);
  const [cells, setCells] = useState<Cells | null>(null);
  const [rules, setRules] = useState<RuleRow[]>([]);
  const [regions, setRegions] = useState<RegionRow[]>([]);
  const [pub, setPub] = useState<Pub | null>(null);
  const [mapLevel, setMapLevel] = useState<'province' | 'city'>('province');
  const [measure, setMeasure] = useState<Measure>('coverage');
  const [map, setMap] = useState<{ year: number | null; areas: MapArea[] } | null>(null);
  const [list, setList] = useState<{ total: number; rows: ReportRow[] } | null>(null);
  const [ruleIds, setRuleIds] = useState<Array<{ id: string; descriptionZh: string }>>([]);
  const [error, setError] = useState('');
  useEffect(() => { get<Array<{ id: string; descriptionZh: string }>>('/api/rules').then(setRuleIds, () => {}); }, []);
  useEffect(() => {
    setError('');
    const fail = (e: unknown) => setError(errorText(e));
    get<Cells>(`/api/dashboard/cells${q}`).then(setCells, fail);
    get<RuleRow[]>(`/api/dashboard/rules${q}`).then(setRules, fail);
    get<RegionRow[]>(`/api/dashboard/regions${q}`).then(setRegions, fail);
    get<Pub>(`/api/dashboard/publication${q}`).then(setPub, fail);
  }, [q]);
  useEffect(() => {
    get<{ year: number | null; areas: MapArea[] }>(`/api/dashboard/map${qs({ ...filters, areas: mapLevel })}`).then(setMap, (e) => setError(errorText(e)));
  }, [q, mapLevel]);
  useEffect(() => {
    get<{ total: number; rows: ReportRow[] }>(`/api/reports${qs({ ...filters, sort, desc, offset, limit: 50 })}`).then(setList, (e) => setError(errorText(e)));
  }, [q, sort, desc, offset]);

  const go = (next: Record<string, string | number>) => {
    const all = { ...filters, sort, desc, offset: 0, ...next };
    location.hash = `#/dashboard${qs(all)}`;
  };
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    go(Object.fromEntries(FILTERS.map((k) => [k, String(f.get(k) ?? '').trim()])));
  };
  const sortBy = (col: string) => go({ sort: col, desc: sort === col && desc === '1' ? '0' : '1' });
  const th = (col: string, label: string) => (
    <th scope="col" aria-sort={sort === col ? (desc === '1' ? 'descending' : 'ascending') : 'none'}>
      <button className="link" onClick={() => sortBy(col)}>{label}{sort === col ? (desc === '1' ? ' ▼' : ' ▲') : ''}</button>
    </th>
  );
  const zh = getLang() === 'zh';

  return (
    <div className="dashboard">
      <form className="filters" onSubmit={submit} aria-label={t('筛选', 'Filters')}>
        <label>{t('年度', 'Year')} <input name="year" defaultValue={filters.year} placeholder="2023 / 2021..2023" size={10} /></label>
        <label>{t('地区', 'Region')} <input name="region" defaultValue={filters.region} placeholder={t('如 淮安市', 'e.g. 淮安市')} size={12} /></label>
        <label>{t('层级', 'Level')} <select name="level" defaultValue={filters.level}><option value="">{t('全部', 'all')}</option>{LEVELS.map((l) => <option key={l} value={l}>{zh ? LEVEL_ZH[l] : l}</option>)}</select></label>
        <label>{t('机关', 'Body')} <input name="agency" defaultValue={filters.agency} placeholder={t('名称包含', 'name contains')} size={12} /></label>
        <label>{t('规则', 'Rule')} <select name="rule" defaultValue={filters.rule}><option value="">{t('全部', 'all')}</option>{ruleIds.map((r) => <option key={r.id} value={r.id}>{t(`${ruleName(r.descriptionZh)}（${r.id}）`, r.id)}</option>)}</select></label>
        <button type="submit">{t('筛选', 'Apply')}</button>
        <ExportButton url={`/api/export${qs({ ...filters, format: 'csv' })}`} label={t('导出 CSV', 'Export CSV')} />
        <ExportButton url={`/api/export${qs({ ...filters, format: 'xlsx' })}`} label={t('导出 XLSX', 'Export XLSX')} />
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {cells && <p className="muted" data-testid="report-count">{t(`当前选择：${cells.reports} 份年报`, `Selection: ${cells.reports} reports`)}{cells.note ? ` · ${t('表格数字覆盖整个选择；规则筛选只作用于问题、地区、日期与列表', cells.note)}` : ''}</p>}
      <div className="grid">
        {cells && (
          <>
            <section className="card"><h2>{t('各年度新收申请（按申请人）', 'Applications received per year, by applicant')}</h2>
              <Chart label={t('各年度新收申请', 'Applications per year')} option={{
                tooltip: { trigger: 'axis' }, legend: { bottom: 0, type: 'scroll' }, grid: { left: 50, right: 10, top: 10, bottom: 50 },
                xAxis: { type: 'category', data: cells.applicants.years }, yAxis: { type: 'value' },
                series: cells.applicants.series.map((s) => ({ name: s.label, type: 'bar', stack: 'a', data: s.values })),
              }} />
            </section>
            <section className="card"><h2>{t('办理结果', 'Outcomes')}</h2>
              <Chart label={t('办理结果', 'Outcomes')} option={{
                tooltip: { trigger: 'item' }, legend: { bottom: 0, type: 'scroll' },
                series: [{ type: 'pie', radius: ['35%', '65%'], center: ['50%', '42%'], data: cells.outcomes.map((o) => ({ name: o.label, value: o.value })) }],
              }} />
            </section>
            <section className="card"><h2>{t('不予公开理由', 'Reasons for denial')}</h2>
              <Chart label={t('不予公开理由', 'Reasons for denial')} option={{
                tooltip: { trigger: 'axis' }, grid: { left: 150, right: 20, top: 10, bottom: 20 },
                yAxis: { type: 'category', data: cells.denials.map((d) => d.label), inverse: true }, xAxis: { type: 'value' },
                series: [{ type: 'bar', data: cells.denials.map((d) => d.value) }],
              }} />
            </section>
            <section className="card"><h2>{t('纠错率（复议、诉讼）与实质公开率', 'Correction rates and substantive disclosure')}</h2>
              <Chart label={t('纠错率', 'Correction rates')} option={{
                tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—') }, legend: { bottom: 0 }, grid: { left: 50, right: 10, top: 10, bottom: 50 },
                xAxis: { type: 'category', data: cells.rates.byYear.map((r) => r.year) }, yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
                series: [
                  { name: t('复议纠错率', 'review correction'), type: 'line', data: cells.rates.byYear.map((r) => (r.review.value === null ? null : r.review.value * 100)) },
                  { name: t('诉讼败诉率', 'litigation loss'), type: 'line', data: cells.rates.byYear.map((r) => (r.litigation.value === null ? null : r.litigation.value * 100)) },
                  { name: t('实质公开率', 'substantive'), type: 'line', data: cells.rates.byYear.map((r) => (r.substantive.value === null ? null : r.substantive.value * 100)) },
                ],
              }} />
              <table className="plain small"><tbody>
                {cells.rates.overall.filter((r) => ['substantive', 'review_correction', 'litigation_loss'].includes(r.id)).map((r) => (
                  <tr key={r.id}><th scope="row">{r.label}</th><td>{pct(r.value)}</td><td className="muted">{r.value === null ? r.reason : `${r.numerator} / ${r.denominator}`} · {r.formula}</td></tr>
                ))}
              </tbody></table>
            </section>
          </>
        )}
        <section className="card"><h2>{t('各规则发现的问题', 'Findings per rule')}</h2>
          <Chart label={t('各规则发现的问题', 'Findings per rule')} height={Math.max(160, rules.length * 22)} option={{
            tooltip: { trigger: 'axis' }, grid: { left: 190, right: 30, top: 10, bottom: 20 },
            yAxis: { type: 'category', data: rules.map((r) => t(`${ruleName(ruleIds.find((x) => x.id === r.rule)?.descriptionZh ?? r.rule)}（${SEVERITY_ZH[r.severity] ?? r.severity}）`, `${r.rule} (${r.severity})`)), inverse: true }, xAxis: { type: 'value' },
            series: [{ name: t('涉及年报', 'reports'), type: 'bar', data: rules.map((r) => r.reports) }],
          }} />
        </section>
        {pub && (
          <section className="card"><h2>{t('发布日期与法定期限', 'Publication dates against the deadline')}</h2>
            <Chart label={t('发布日期分布', 'Publication dates')} option={{
              tooltip: { trigger: 'axis' }, legend: { bottom: 0 }, grid: { left: 40, right: 10, top: 20, bottom: 60 },
              xAxis: { type: 'category', data: pub.weeks.map((w) => (w === pub.weeks[0] ? `≤${w}` : w === pub.weeks[pub.weeks.length - 1] ? `≥${w}` : String(w))), name: t('周（0 = 截止日）', 'weeks (0 = deadline)'), nameLocation: 'middle', nameGap: 25 },
              yAxis: { type: 'value' },
              series: [
                { name: t('部门（1月31日）', 'departments (31 Jan)'), type: 'bar', stack: 'p', data: pub.department, markLine: { symbol: 'none', label: { formatter: t('截止', 'deadline') }, data: [{ xAxis: String(0) }] } },
                { name: t('政府（3月31日）', 'governments (31 Mar)'), type: 'bar', stack: 'p', data: pub.government },
              ],
            }} />
            <p className="small muted">{t(`有日期 ${pub.dated} 份，其中逾期 ${pub.late} 份；无日期 ${pub.undated} 份`, `${pub.dated} dated, ${pub.late} late; ${pub.undated} without a date`)}</p>
          </section>
        )}
        {map && (
          <section className="card map-card"><h2>{t('地图', 'Map')}</h2>
            <p className="toggles">
              <button aria-pressed={mapLevel === 'province'} onClick={() => setMapLevel('province')}>{t('省', 'Provinces')}</button>
              <button aria-pressed={mapLevel === 'city'} onClick={() => setMapLevel('city')}>{t('市', 'Cities')}</button>
              {' '}
              <button aria-pressed={measure === 'coverage'} onClick={() => setMeasure('coverage')}>{t('覆盖率', 'Coverage')}</button>
              <button aria-pressed={measure === 'errors'} onClick={() => setMeasure('errors')}>{t('问题率', 'Error rate')}</button>
            </p>
            <AreaMap level={mapLevel} measure={measure} areas={map.areas} onPick={(code) => go({ region: code })} />
            <p className="small muted">{measure === 'coverage'
              ? t(`覆盖率：${map.year ?? '—'} 年度有政府年报的县级行政区划占比（不含开发区）。`, `Coverage: the share of county-level divisions (zones aside) whose government has a report for ${map.year ?? '—'}.`)
              : t('问题率：有错误级问题的年报占比；少于 10 份年报的地区不着色。', 'Error rate: reports with an error-level finding; areas with fewer than 10 reports are not coloured.')}
              {' '}{t('边界：china-geojson（MIT），仅示意。', 'Boundaries: china-geojson (MIT), schematic.')}</p>
          </section>
        )}
        <section className="card"><h2>{t('各地区问题率（有错误级问题的年报占比）', 'Regions by defect rate (reports with an error)')}</h2>
          <p className="small muted">{t('少于 10 份年报的地区不计比率，列在后面', 'Regions with fewer than 10 reports get no rate and are listed last')}</p>
          <div className="scroll">
            <table className="plain small">
              <thead><tr><th scope="col">{t('地区', 'Region')}</th><th scope="col">{t('年报', 'Reports')}</th><th scope="col">{t('有错误', 'With errors')}</th><th scope="col">{t('比率', 'Rate')}</th></tr></thead>
              <tbody>{regions.slice(0, 40).map((r) => (
                <tr key={r.region ?? ''}><td><a href={`#/dashboard${qs({ ...filters, region: r.region ?? '' })}`}>{r.region ?? t('（未知）', '(unknown)')}</a></td><td>{r.reports}</td><td>{r.withErrors}</td>
                  <td>{r.rate === null ? <span className="muted" title={t('少于 10 份年报，不计比率', 'fewer than 10 reports: no rate')}>—</span> : <><span className="bar" style={{ width: `${Math.round(r.rate * 60)}px` }} /> {pct(r.rate)}</>}</td></tr>
              ))}</tbody>
            </table>
          </div>
        </section>
      </div>
      {list && (
        <section className="card wide">
          <h2>{t('年报', 'Reports')} ({list.total})</h2>
          <table className="plain reports">
            <thead><tr>{th('agency', t('机关', 'Body'))}{th('region', t('地区', 'Region'))}{th('year', t('年度', 'Year'))}{th('published', t('发布日期', 'Published'))}{th('errors', t('错误', 'Errors'))}{th('warnings', t('警告', 'Warnings'))}</tr></thead>
            <tbody>{list.rows.map((r) => (
              <tr key={r.id}><td><a href={`#/review/${r.id}`}>{r.agency ?? `#${r.id}`}</a></td><td>{r.region}</td><td>{r.year}</td><td>{r.published_on}</td><td className={r.errors ? 'num error' : 'num'}>{r.errors}</td><td className="num">{r.warnings}</td></tr>
            ))}</tbody>
          </table>
          <p className="pager">
            <button disabled={offset === 0} onClick={() => go({ offset: Math.max(0, offset - 50) })}>{t('上一页', 'Previous')}</button>
            {' '}{offset + 1}–{Math.min(list.total, offset + 50)} / {list.total}{' '}
            <button disabled={offset + 50 >= list.total} onClick={() => go({ offset: offset + 50 })}>{t('下一页', 'Next')}</button>
          </p>
        </section>
      )}
    </div>
  );
}

/** An export of the selection: fetched with a visible "preparing" state, then saved under the server's file name. */
function ExportButton({ url, label }: { url: string; label: string }) {
  const [state, setState] = useState<'idle' | 'busy' | string>('idle');
  const go = async () => {
    setState('busy');
    try {
      const r = await fetch(url, { credentials: 'same-origin' });
      if (!r.ok) throw new Error((await r.json().catch(() => ({}))).error ?? `HTTP ${r.status}`);
      const name = /filename="([^"]+)"/.exec(r.headers.get('content-disposition') ?? '')?.[1] ?? 'gongkai-export';
      const href = URL.createObjectURL(await r.blob());
      const a = document.createElement('a');
      a.href = href; a.download = name; a.click();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
      setState('idle');
    } catch (e) {
      setState((e as Error).message);
    }
  };
  return (
    <>
      <button type="button" className="button" onClick={() => void go()} disabled={state === 'busy'} data-testid="export">{state === 'busy' ? t('正在准备…', 'Preparing…') : label}</button>
      {state !== 'idle' && state !== 'busy' && <span className="error small" role="alert">{state}</span>}
    </>
  );
}
