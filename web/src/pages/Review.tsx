/**
 * 审核 Review: one report beside its source. Click a cell or a finding: its source position is
 * marked on the left and its cells on the right (both sides of a broken identity). An ambiguous
 * cell offers its candidates; the pick is stored as a correction and the checks run again.
 * Each finding can be confirmed or dismissed with a comment.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { layoutTables } from '../../../src/render/layout.ts';
import { identities } from '../../../src/schema/keys.ts';
import { broken, cellLabel } from '../../../src/check/identity.ts';
import type { Position, Report } from '../../../src/types.ts';
import { get, post, upload } from '../api.ts';
import { howText, msg, t } from '../i18n.ts';
import { errorText, type User } from '../main.tsx';
import { OfficialTable, type CellLook } from '../OfficialTable.tsx';

interface Finding {
  ruleId: string; severity: 'error' | 'warning' | 'info'; message: string; messageEn: string; keys: string[]; positions: Position[];
  scope: 'report' | 'corpus'; review: { status: string; comment: string | null; who: string; at: string } | null;
}
interface Correction { id: number; key: string; from: string | null; to: string | null; who: string; at: string; note: string | null }
interface Payload {
  id: number; source: { name: string; format: string; text: string } | null; report: Report; findings: Finding[]; corrections: Correction[]; readOnly: string | null;
}

const TABLE_OF = (key: string) => key.slice(0, 2);
const blank = (v: string | null) => (v === null ? t('空白', 'blank') : v);

function UploadForm() {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const go = async (p: Promise<{ id: number }>) => {
    setBusy(true); setError('');
    try { const r = await p; location.hash = `#/review/${r.id}`; } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  const onFile = (e: FormEvent<HTMLInputElement>) => {
    const f = e.currentTarget.files?.[0];
    if (f) void go(upload('/api/reports', [f]));
  };
  const onPaste = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = String(new FormData(e.currentTarget).get('text') ?? '');
    void go(post('/api/reports', { text, name: 'pasted.txt' }));
  };
  return (
    <section className="panel upload">
      <h1>{t('审核一份年报', 'Review a report')}</h1>
      <p className="muted">{t('上传文件（网页、Word、Excel、PDF、文本，含 .doc/.xls/.wps/.et），或粘贴全文。', 'Upload a file (web page, Word, Excel, PDF, text, .doc/.xls/.wps/.et too) or paste the text.')}</p>
      <label className="file">{t('选择文件', 'Choose a file')} <input type="file" name="file" onChange={onFile} disabled={busy} /></label>
      <form onSubmit={onPaste}>
        <label htmlFor="paste">{t('或粘贴全文', 'or paste the text')}</label>
        <textarea id="paste" name="text" rows={8} />
        <button type="submit" disabled={busy}>{t('读取并检查', 'Read and check')}</button>
      </form>
      {busy && <p role="status">{t('正在读取…', 'Reading…')}</p>}
      {error && <p className="error" role="alert">{error}</p>}
      <p><a href="#/dashboard">{t('或从总览中选择已入库的年报', 'or pick a stored report from the dashboard')}</a></p>
    </section>
  );
}

const VIA: Record<string, [string, string]> = {
  name: ['按名称', 'by its name'], former: ['按旧名', 'by a former name'], alias: ['按别名', 'by an alias'], stem: ['按同名异称', 'by the same name under another division word'],
  variant: ['按形近字，请核对', 'by a look-alike character: please check'], clue: ['按正文线索', 'by a clue in the text'], correction: ['人工指定', 'assigned by a reviewer'],
};

/**
 * The body's division: where the reading placed it and how, or the candidates when it could not
 * tell; a reviewer assigns another (a candidate, or any code), stored as a correction.
 */
function Place({ meta, canReview, onAssign }: { meta: Report['meta']; canReview: boolean; onAssign: (code: string) => Promise<void> }) {
  const [code, setCode] = useState('');
  const d = meta.division;
  const via = d ? VIA[d.via] : undefined;
  return (
    <div className="place small">
      <span>{t('行政区划', 'Division')}：</span>
      {d ? <><strong>{d.fullName}</strong> <code>{d.code}</code>{d.within ? t('（之下）', ' (within)') : ''} <span className="muted">{via ? t(via[0], via[1]) : d.via}{d.printed && d.printed !== d.name ? ` · ${t('原文', 'printed')}“${d.printed}”` : ''}</span></>
        : meta.divisionCandidates.length > 1 ? <span className="warning">{t(`未确定，可能是 ${meta.divisionCandidates.length} 处之一`, `not determined: one of ${meta.divisionCandidates.length}`)}</span>
          : <span className="muted">{t('未定位', 'not placed')}</span>}
      {canReview && meta.divisionCandidates.length > 1 && meta.divisionCandidates.map((c) => (
        <button key={c.code} type="button" className="candidate" onClick={() => void onAssign(c.code)}>{c.name} <code>{c.code}</code></button>
      ))}
      {canReview && (
        <form className="assign" onSubmit={(e) => { e.preventDefault(); if (code) void onAssign(code); }}>
          <input name="division" value={code} onChange={(e) => setCode(e.target.value.trim())} placeholder={t('行政区划代码', 'division code')} pattern="[0-9]{6}([0-9]{3})?" size={10} aria-label={t('指定行政区划代码', 'assign a division code')} />
          <button type="submit">{t('指定', 'Assign')}</button>
        </form>
      )}
    </div>
  );
}

/** The source text with one range marked, scrolled into view. */
function Source({ text, mark }: { text: string; mark: Position | null }) {
  const ref = useRef<HTMLElement>(null);
  useLayoutEffect(() => { ref.current?.scrollIntoView({ block: 'center' }); }, [mark?.offset, mark?.length]);
  if (!mark || mark.offset > text.length) return <pre className="source">{text}</pre>;
  const end = Math.min(text.length, mark.offset + Math.max(1, mark.length));
  return <pre className="source">{text.slice(0, mark.offset)}<mark ref={ref}>{text.slice(mark.offset, end)}</mark>{text.slice(end)}</pre>;
}

export function Review({ id, user }: { id: string; user: User }) {
  const [data, setData] = useState<Payload | null>(null);
  const [error, setError] = useState('');
  const [cell, setCell] = useState<string | null>(null);
  const [finding, setFinding] = useState<number | null>(null);
  /** Which of the active finding's places the source shows (a grouped finding has several; clicking it again steps on). */
  const [place, setPlace] = useState(0);
  const [busy, setBusy] = useState(false);
  /** Where the clicked cell stands in its table's box: the details are shown just below it. */
  const [anchor, setAnchor] = useState<{ table: string; top: number; left: number } | null>(null);
  const details = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => { details.current?.scrollIntoView({ block: 'nearest' }); }, [cell, anchor]);
  // a finding clicked: its first cell scrolled into view in the tables
  useEffect(() => {
    const key = finding !== null ? data?.findings[finding]?.keys[0] : undefined;
    if (key) document.querySelector(`td[data-key="${CSS.escape(key)}"]`)?.scrollIntoView({ block: 'center' });
  }, [finding, data]);
  useEffect(() => {
    setData(null); setCell(null); setFinding(null); setError(''); setAnchor(null);
    if (id) get<Payload>(`/api/reports/${encodeURIComponent(id)}`).then(setData, (e) => setError(errorText(e)));
  }, [id]);

  const report = data?.report;
  const sides = useMemo(() => {
    // which side of its identity each cell of an arithmetic finding is on
    const out = new Map<number, Map<string, 'a' | 'b'>>();
    if (!report?.meta.edition || !data) return out;
    const ids = identities(report.meta.edition);
    data.findings.forEach((f, i) => {
      const keys = new Set(f.keys);
      // the identities the finding is about: every one of its cells in the finding, and broken in
      // the report (a grouped finding names several: one per column or group)
      const broke = ids.filter((x) => [...x.lhs, ...x.rhs].every((k) => keys.has(k)) && broken(report, x));
      if (!broke.length) return;
      // red: the printed side the message quotes (the balance prints its right side); blue: the side it should equal
      const side = new Map<string, 'a' | 'b'>();
      for (const id of broke) {
        const [printed, other] = id.rule === 'I1' ? [id.rhs, id.lhs] : [id.lhs, id.rhs];
        for (const k of other) if (!side.has(k)) side.set(k, 'b');
        for (const k of printed) side.set(k, 'a');
      }
      out.set(i, side);
    });
    return out;
  }, [data, report]);

  if (!id) return <UploadForm />;
  if (error && !data) return <p className="error" role="alert">{error}</p>;
  if (!data || !report) return <p role="status">{t('正在读取…', 'Loading…')}</p>;

  const tables = layoutTables(report);
  const corrected = new Map(data.corrections.map((c) => [c.key, c]));
  const markers = new Map<string, Array<{ n: number; severity: string }>>();
  data.findings.forEach((f, i) => { for (const k of f.keys) markers.set(k, [...(markers.get(k) ?? []), { n: i + 1, severity: f.severity }]); });
  const active = finding !== null ? data.findings[finding] : undefined;
  const activeKeys = new Set(active?.keys ?? (cell ? [cell] : []));
  const look = (key: string): CellLook => {
    const c = report.cells[key];
    const cls = [
      c?.status === 'ambiguous' ? 'ambiguous' : '',
      corrected.has(key) ? 'corrected' : '',
      activeKeys.has(key) ? 'active' : '',
      finding !== null ? (sides.get(finding)?.get(key) === 'a' ? 'side-a' : sides.get(finding)?.get(key) === 'b' ? 'side-b' : '') : '',
    ].filter(Boolean).join(' ');
    const cor = corrected.get(key);
    return {
      className: cls, markers: markers.get(key) ?? [],
      title: cor ? `${t('已更正', 'corrected')}: ${blank(cor.from)} → ${blank(cor.to)} (${cor.who}, ${cor.at.slice(0, 16).replace('T', ' ')})` : c?.status === 'ambiguous' ? `${t('无法确定，候选', 'undetermined; candidates')}: ${(c.candidates ?? []).map(blank).join(' / ')}` : howText(c?.how),
    };
  };
  const mark = (active ? active.positions[place % Math.max(1, active.positions.length)] : undefined) ?? (cell ? report.cells[cell]?.position ?? null : null);
  const selected = cell ? report.cells[cell] : undefined;
  const canReview = user.role !== 'submitter' && !data.readOnly;

  const pick = async (to: string | null, key = cell) => {
    if (!key) return;
    setBusy(true); setError('');
    try { setData(await post<Payload>(`/api/reports/${data.id}/corrections`, { key, to })); setFinding(null); } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  /** A row typed in: each cell stored as a correction, in order; the first refused stops it. */
  const typeRow = async (values: Array<[string, string | null]>) => {
    setBusy(true); setError('');
    try {
      let last: Payload | null = null;
      for (const [key, to] of values) last = await post<Payload>(`/api/reports/${data.id}/corrections`, { key, to });
      if (last) setData(last);
    } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
  };
  const open = (k: string) => {
    setCell(k); setFinding(null);
    const td = document.querySelector(`td[data-key="${CSS.escape(k)}"]`);
    const box = td?.closest('.tablebox');
    if (!td || !box) { setAnchor(null); return; }
    const a = td.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    setAnchor({ table: TABLE_OF(k), top: a.bottom - b.top + 4, left: Math.max(0, Math.min(a.left - b.left, b.width - 360)) });
  };
  /** The keys of the clicked cell's row, in the table's order. */
  const rowKeys = (k: string) => {
    const row = k.slice(0, k.lastIndexOf('.'));
    return tables.flatMap((tb) => tb.cells.filter((c) => c.key && c.key.slice(0, c.key.lastIndexOf('.')) === row).sort((x, y) => x.c - y.c).map((c) => c.key!));
  };
  const review = async (f: Finding, status: string, comment: string) => {
    try { setData(await post<Payload>(`/api/reports/${data.id}/reviews`, { rule: f.ruleId, keys: f.keys, status, comment })); } catch (e) { setError(errorText(e)); }
  };
  const count = (tid: string, sev: string) => data.findings.filter((f) => f.severity === sev && f.keys.some((k) => TABLE_OF(k) === tid)).length;
  const m = report.meta;

  return (
    <div className="review">
      <header className="meta">
        <h1>{m.title ?? data.source?.name ?? `#${data.id}`}</h1>
        <p className="muted">
          {[m.agency, m.region, m.year && `${m.year}${t('年度', '')}`, m.edition && `${m.edition}${t('版模板', ' template')}`, m.published && `${t('发布', 'published')} ${m.published}`, data.source && `${data.source.name} (${data.source.format})`].filter(Boolean).join(' · ')}
        </p>
        <Place meta={m} canReview={user.role !== 'submitter'} onAssign={async (code) => {
          try { setData(await post<Payload>(`/api/reports/${data.id}/division`, { code })); } catch (e) { setError(errorText(e)); }
        }} />
        {data.readOnly && <p className="warning">{data.readOnly}</p>}
      </header>
      <div className="split">
        <section className="pane left" aria-label={t('原文', 'Source')}>
          <h2>{t('原文', 'Source')}</h2>
          {data.source ? <Source text={data.source.text} mark={mark} /> : <p className="muted">{t('原文不可用', 'The source is not available')}</p>}
        </section>
        <section className="pane right" aria-label={t('表格与问题', 'Tables and findings')}>
          {error && <p className="error" role="alert">{error}</p>}
          {tables.map((tb) => (
            <div key={tb.id} className="tablebox">
              <h3>{tb.heading} <span className="summary">{count(tb.id, 'error') > 0 && <span className="badge error">{count(tb.id, 'error')} {t('错误', 'errors')}</span>}{count(tb.id, 'warning') > 0 && <span className="badge warning">{count(tb.id, 'warning')} {t('警告', 'warnings')}</span>}</span></h3>
              <OfficialTable table={tb} look={look} onCell={open}
                content={(k, text) => (report.cells[k]?.status === 'ambiguous' ? '?' : text)} />
              {cell && TABLE_OF(cell) === tb.id && (
                <CellBox key={cell} ref={details} cellKey={cell} cell={selected} busy={busy} canReview={canReview} row={rowKeys(cell)} cells={report.cells}
                  style={anchor && anchor.table === tb.id ? { position: 'absolute', top: anchor.top, left: anchor.left } : undefined}
                  onPick={(v) => void pick(v)} onRow={(values) => void typeRow(values)} onClose={() => { setCell(null); setAnchor(null); }} />
              )}
            </div>
          ))}
          <h2>{t('发现的问题', 'Findings')} ({data.findings.length})</h2>
          <ol className="findings">
            {data.findings.map((f, i) => (
              <li key={i} className={`${f.severity} ${finding === i ? 'active' : ''} ${f.review?.status ?? ''}`} data-rule={f.ruleId}>
                <button className="finding" onClick={() => { setPlace(finding === i ? place + 1 : 0); setFinding(i); setCell(null); }} aria-pressed={finding === i}>
                  <span className="n">{i + 1}</span> <span className={`sev ${f.severity}`}>{f.severity}</span> <code>{f.ruleId}</code> {msg(f)}
                  {finding === i && f.positions.length > 1 && <span className="small muted place"> {t(`原文第 ${(place % f.positions.length) + 1}/${f.positions.length} 处（再点下一处）`, `place ${(place % f.positions.length) + 1} of ${f.positions.length} (click again for the next)`)}</span>}
                </button>
                {f.review && f.review.status !== 'open' && <div className="small muted">{f.review.status === 'confirmed' ? t('已确认', 'confirmed') : t('已驳回', 'dismissed')} · {f.review.who} · {f.review.at.slice(0, 16).replace('T', ' ')}{f.review.comment ? ` · “${f.review.comment}”` : ''}</div>}
                {canReview && finding === i && <ReviewForm onSave={(status, comment) => void review(f, status, comment)} />}
              </li>
            ))}
          </ol>
          {data.corrections.length > 0 && (
            <>
              <h2>{t('更正记录', 'Corrections')}</h2>
              <table className="plain"><tbody>
                {data.corrections.map((c) => <tr key={c.id}><td><code>{c.key}</code></td><td>{blank(c.from)} → {blank(c.to)}</td><td>{c.who}</td><td>{c.at.slice(0, 16).replace('T', ' ')}</td></tr>)}
              </tbody></table>
            </>
          )}
        </section>
      </div>
    </div>
  );
}

/** A value typed by a reviewer: a number (full-width digits and separators allowed), or empty for blank. */
const typed = (v: string): string | null => {
  const n = v.normalize('NFKC').replace(/[,\s]/g, '');
  return n === '' ? null : n;
};

/**
 * The clicked cell's details, just below it: its value, what was printed, how it was read, its
 * candidates to pick from, a value to type (a determined cell read wrong), and its whole row to
 * type (a scan, a row whose candidates are many) — each stored as a correction.
 */
function CellBox({ cellKey, cell, busy, canReview, row, cells, style, onPick, onRow, onClose, ref }: {
  cellKey: string; cell: Report['cells'][string] | undefined; busy: boolean; canReview: boolean; row: string[]; cells: Report['cells'];
  style: React.CSSProperties | undefined; onPick: (v: string | null) => void; onRow: (values: Array<[string, string | null]>) => void; onClose: () => void;
  ref: React.Ref<HTMLDivElement>;
}) {
  const [rowOpen, setRowOpen] = useState(false);
  const value = cell ? (cell.status === 'ambiguous' ? null : cell.value) : null;
  return (
    <div className="cellbox" role="region" aria-label={t('单元格', 'Cell')} style={style} ref={ref}>
      <button type="button" className="link close" onClick={onClose} aria-label={t('关闭', 'Close')}>×</button>
      <strong>{cellLabel(cellKey)}</strong> <code className="small">{cellKey}</code> — {!cell ? t('未读到', 'not read') : cell.status === 'ambiguous' ? t('无法确定', 'undetermined') : `${t('值', 'value')} ${blank(cell.value)}`}
      {cell?.raw && <> · {t('原文', 'printed')} “{cell.raw}”</>}
      {cell?.how && <div className="muted small">{howText(cell.how)}</div>}
      {cell?.status === 'ambiguous' && canReview && (
        <div className="candidates">
          {t('选择正确的值：', 'Pick the right value: ')}
          {(cell.candidates ?? []).map((v, i) => <button key={i} disabled={busy} onClick={() => onPick(v)} data-candidate={v ?? ''}>{blank(v)}</button>)}
        </div>
      )}
      {canReview && (
        <form className="typed" onSubmit={(e) => { e.preventDefault(); onPick(typed(String(new FormData(e.currentTarget).get('value') ?? ''))); }}>
          <label>{t('按原文填写：', 'Type it from the source: ')}<input name="value" defaultValue={value ?? ''} inputMode="decimal" size={10} aria-label={t('单元格的值', 'cell value')} /></label>
          <button type="submit" disabled={busy}>{t('保存', 'Save')}</button>
          {row.length > 1 && <button type="button" className="link" onClick={() => setRowOpen(!rowOpen)}>{t('整行填写', 'Type the whole row')}</button>}
        </form>
      )}
      {canReview && rowOpen && (
        <form className="typed-row" onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          onRow(row.map((k) => [k, typed(String(f.get(k) ?? ''))] as [string, string | null]).filter(([k, v]) => {
            const c = cells[k];
            return !c || c.status === 'ambiguous' || c.value !== v;
          }));
        }}>
          {row.map((k) => (
            <label key={k} className="small">{cellLabel(k).split('·').pop()}
              <input name={k} defaultValue={cells[k] && cells[k]!.status !== 'ambiguous' ? cells[k]!.value ?? '' : ''} inputMode="decimal" size={6} data-row-key={k} />
            </label>
          ))}
          <button type="submit" disabled={busy}>{t('保存整行', 'Save the row')}</button>
        </form>
      )}
    </div>
  );
}

function ReviewForm({ onSave }: { onSave: (status: string, comment: string) => void }) {
  const [comment, setComment] = useState('');
  return (
    <div className="reviewform">
      <input aria-label={t('意见', 'Comment')} placeholder={t('意见（可选）', 'comment (optional)')} value={comment} onChange={(e) => setComment(e.target.value)} />
      <button onClick={() => onSave('confirmed', comment)}>{t('确认', 'Confirm')}</button>
      <button onClick={() => onSave('dismissed', comment)}>{t('驳回', 'Dismiss')}</button>
      <button className="link" onClick={() => onSave('open', comment)}>{t('重新打开', 'Reopen')}</button>
    </div>
  );
}
