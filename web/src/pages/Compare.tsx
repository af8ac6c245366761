/**
 * 对比 Compare: find a body by name; one body across years (every cell, and whether 上年结转
 * continues the year before's 结转下年度); two bodies side by side; a region's roll-up beside its
 * own report; and the coverage matrix (bodies × years, red where a report is missing).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { cellLabel } from '../../../src/check/identity.ts';
import { t2Keys, t3Keys, t4Keys } from '../../../src/schema/keys.ts';
import { get, qs } from '../api.ts';
import { t } from '../i18n.ts';
import { errorText } from '../main.tsx';

interface Body { agency_key: string; agency: string; region: string; level: string; years: number; last: number }
interface Years {
  key: string; agency: string | null; region: string | null;
  reports: Array<{ id: number; year: number; edition: string | null; published: string | null }>;
  cells: Record<string, Record<number, string | null>>;
  continuity: Array<{ year: number; column: string; carried: string | null; previous: string | null; ok: boolean | null }>;
}
interface RollUp { region: string; year: number; own: { id: number; agency: string | null } | null; parts: Array<{ id: number; agency: string | null }>; rows: Array<{ key: string; own: number | null; parts: number; partsPresent: number; differs: boolean }> }
interface Coverage { years: number[]; bodies: Array<{ key: string; agency: string | null; region: string | null; years: Record<number, boolean> }>; total: number }

const label = (key: string) => { try { return cellLabel(key); } catch { return key; } };
/** The template's order: table 二, 三, 四, the 2021 rows first, then the rows only the 2019 template has (never interleaved by key). */
const ORDER = new Map([...new Set([...t2Keys('2021'), ...t2Keys('2019'), ...t3Keys('2021'), ...t3Keys('2019'), ...t4Keys()])].map((k, i) => [k, i]));

function go(next: Record<string, string>, query: URLSearchParams) {
  const all = Object.fromEntries(query.entries());
  location.hash = `#/compare${qs({ ...all, ...next })}`;
}

function Search({ query, slot }: { query: URLSearchParams; slot: 'a' | 'b' }) {
  const [hits, setHits] = useState<Body[]>([]);
  const [text, setText] = useState('');
  const submit = async (e: FormEvent) => { e.preventDefault(); setHits(await get<Body[]>(`/api/bodies${qs({ q: text })}`)); };
  return (
    <form onSubmit={submit} className="search">
      <label>{slot === 'a' ? t('查找机关', 'Find a body') : t('对比另一机关', 'Compare with')} <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('名称或地区', 'name or region')} /></label>
      <button type="submit">{t('搜索', 'Search')}</button>
      {hits.length > 0 && <ul className="hits">{hits.map((h) => <li key={h.agency_key}><button className="link" onClick={() => { setHits([]); go({ [slot]: h.agency_key }, query); }}>{h.agency}</button> <span className="muted small">{h.region} · {h.years} {t('个年度', 'years')}</span></li>)}</ul>}
    </form>
  );
}

function Trend({ b, other }: { b: Years; other: Years | null }) {
  const years = b.reports.map((r) => r.year);
  const keys = Object.keys(b.cells).filter((k) => Object.values(b.cells[k]!).some((v) => v !== null)).sort((x, y) => (ORDER.get(x) ?? 1e9) - (ORDER.get(y) ?? 1e9) || (x < y ? -1 : 1));
  const otherYear = other ? Math.max(...other.reports.map((r) => r.year).filter((y) => years.includes(y)), -1) : -1;
  return (
    <>
      <h2>{b.agency} <span className="muted small">{b.region}</span></h2>
      <p>{b.reports.map((r) => <a key={r.id} href={`#/review/${r.id}`} className="chip">{r.year}</a>)}</p>
      {b.continuity.length > 0 && (
        <details open>
          <summary>{t('结转连续性（本年上年结转 = 上年结转下年度）', 'Carry-over continuity (this year’s 上年结转 = last year’s 结转下年度)')}</summary>
          <table className="plain small"><thead><tr><th>{t('年度', 'Year')}</th><th>{t('列', 'Column')}</th><th>{t('上年结转', 'carried in')}</th><th>{t('上年的结转下年度', 'carried out last year')}</th><th /></tr></thead>
            <tbody>{b.continuity.map((c, i) => <tr key={i} className={c.ok === false ? 'bad' : ''}><td>{c.year}</td><td>{c.column}</td><td>{c.carried ?? '—'}</td><td>{c.previous ?? '—'}</td><td>{c.ok === null ? '?' : c.ok ? '✓' : '✗'}</td></tr>)}</tbody>
          </table>
        </details>
      )}
      <div className="scroll tall">
        <table className="plain small trend">
          <thead><tr><th scope="col">{t('单元格', 'Cell')}</th>{years.map((y) => <th key={y} scope="col">{y}</th>)}{other && otherYear > 0 && <th scope="col">{other.agency} {otherYear}</th>}</tr></thead>
          <tbody>{keys.map((k) => (
            <tr key={k}><th scope="row" title={k}>{label(k)}</th>{years.map((y) => <td key={y} className="num">{b.cells[k]![y] ?? ''}</td>)}
              {other && otherYear > 0 && <td className={`num ${(other.cells[k]?.[otherYear] ?? null) !== (b.cells[k]![otherYear] ?? null) ? 'diff' : ''}`}>{other.cells[k]?.[otherYear] ?? ''}</td>}</tr>
          ))}</tbody>
        </table>
      </div>
    </>
  );
}

function RollUpView() {
  const [data, setData] = useState<RollUp | null>(null);
  const [error, setError] = useState('');
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setError('');
    try { setData(await get<RollUp>(`/api/rollup${qs({ region: String(f.get('region')), year: String(f.get('year')) })}`)); } catch (err) { setError(errorText(err)); }
  };
  return (
    <section className="card">
      <h2>{t('汇总与本级年报对比', 'Roll-up beside the region’s own report')}</h2>
      <form onSubmit={submit} className="inline">
        <label>{t('地区', 'Region')} <input name="region" required size={12} /></label>
        <label>{t('年度', 'Year')} <input name="year" required size={5} /></label>
        <button type="submit">{t('汇总', 'Roll up')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {data && (
        <>
          <p className="small">{data.own ? <>{t('本级年报', 'Own report')}: <a href={`#/review/${data.own.id}`}>{data.own.agency}</a></> : t('未找到本级政府年报', 'no government report of the region itself')} · {data.parts.length} {t('个下级/部门', 'parts')}</p>
          <div className="scroll"><table className="plain small"><thead><tr><th>{t('单元格', 'Cell')}</th><th>{t('本级', 'Own')}</th><th>{t('下级合计', 'Parts summed')}</th></tr></thead>
            <tbody>{data.rows.filter((r) => r.own !== null || r.parts !== 0).map((r) => <tr key={r.key} className={r.differs ? 'bad' : ''}><th scope="row" title={r.key}>{label(r.key)}</th><td className="num">{r.own ?? '—'}</td><td className="num">{r.parts}</td></tr>)}</tbody>
          </table></div>
        </>
      )}
    </section>
  );
}

function CoverageView() {
  const [data, setData] = useState<Coverage | null>(null);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setData(await get<Coverage>(`/api/coverage${qs({ region: String(f.get('region') ?? ''), level: String(f.get('level') ?? '') })}`));
  };
  return (
    <section className="card">
      <h2>{t('覆盖矩阵（红色为缺报）', 'Coverage (red: no report)')}</h2>
      <form onSubmit={submit} className="inline"><label>{t('地区', 'Region')} <input name="region" size={12} /></label><button type="submit">{t('显示', 'Show')}</button></form>
      {data && (
        <div className="scroll tall"><table className="plain small coverage">
          <thead><tr><th>{t('机关', 'Body')}</th>{data.years.map((y) => <th key={y}>{y}</th>)}</tr></thead>
          <tbody>{data.bodies.map((b) => <tr key={b.key}><th scope="row"><a href={`#/compare?a=${encodeURIComponent(b.key)}`}>{b.agency}</a></th>{data.years.map((y) => <td key={y} className={b.years[y] ? 'have' : 'missing'} aria-label={b.years[y] ? t('有', 'yes') : t('缺', 'missing')}>{b.years[y] ? '●' : '✗'}</td>)}</tr>)}</tbody>
        </table>{data.total > data.bodies.length && <p className="muted small">{t(`仅显示前 ${data.bodies.length} 个，共 ${data.total} 个`, `first ${data.bodies.length} of ${data.total}`)}</p>}</div>
      )}
    </section>
  );
}

export function Compare({ query }: { query: URLSearchParams }) {
  const a = query.get('a') ?? '';
  const b = query.get('b') ?? '';
  const [A, setA] = useState<Years | null>(null);
  const [B, setB] = useState<Years | null>(null);
  const [error, setError] = useState('');
  useEffect(() => { setA(null); if (a) get<Years>(`/api/bodies/years${qs({ key: a })}`).then(setA, (e) => setError(errorText(e))); }, [a]);
  useEffect(() => { setB(null); if (b) get<Years>(`/api/bodies/years${qs({ key: b })}`).then(setB, (e) => setError(errorText(e))); }, [b]);
  return (
    <div className="compare">
      <section className="card wide">
        <Search query={query} slot="a" />
        {A && <Search query={query} slot="b" />}
        {error && <p className="error" role="alert">{error}</p>}
        {A && <Trend b={A} other={B} />}
      </section>
      <div className="grid">
        <RollUpView />
        <CoverageView />
      </div>
    </div>
  );
}
