/**
 * 审核 Review: one report beside its source. Click a cell or a finding: its source position is
 * marked on the left and its cells on the right (both sides of a broken identity). An ambiguous
 * cell offers its candidates; the pick is stored as a correction and the checks run again.
 * Each finding can be confirmed or dismissed with a comment.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { layoutTables } from '../../../src/render/layout.ts';
import { identities } from '../../../src/schema/keys.ts';
import type { Position, Report } from '../../../src/types.ts';
import { get, post, upload } from '../api.ts';
import { msg, t } from '../i18n.ts';
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
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setData(null); setCell(null); setFinding(null); setError('');
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
      const id = ids.find((x) => x.lhs.length + x.rhs.length === keys.size && [...x.lhs, ...x.rhs].every((k) => keys.has(k)));
      if (id) out.set(i, new Map([...id.lhs.map((k) => [k, 'a'] as const), ...id.rhs.map((k) => [k, 'b'] as const)]));
    });
    return out;
  }, [data, report]);

  if (!id) return <UploadForm />;
  if (error) return <p className="error" role="alert">{error}</p>;
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
      title: cor ? `${t('已更正', 'corrected')}: ${blank(cor.from)} → ${blank(cor.to)} (${cor.who}, ${cor.at.slice(0, 16).replace('T', ' ')})` : c?.status === 'ambiguous' ? `${t('无法确定，候选', 'undetermined; candidates')}: ${(c.candidates ?? []).map(blank).join(' / ')}` : c?.how,
    };
  };
  const mark = active?.positions[0] ?? (cell ? report.cells[cell]?.position ?? null : null);
  const selected = cell ? report.cells[cell] : undefined;
  const canReview = user.role !== 'submitter' && !data.readOnly;

  const pick = async (to: string | null) => {
    if (!cell) return;
    setBusy(true);
    try { setData(await post<Payload>(`/api/reports/${data.id}/corrections`, { key: cell, to })); setFinding(null); } catch (e) { setError(errorText(e)); } finally { setBusy(false); }
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
        {data.readOnly && <p className="warning">{data.readOnly}</p>}
      </header>
      <div className="split">
        <section className="pane left" aria-label={t('原文', 'Source')}>
          <h2>{t('原文', 'Source')}</h2>
          {data.source ? <Source text={data.source.text} mark={mark} /> : <p className="muted">{t('原文不可用', 'The source is not available')}</p>}
        </section>
        <section className="pane right" aria-label={t('表格与问题', 'Tables and findings')}>
          {selected && (
            <div className="cellbox" role="region" aria-label={t('单元格', 'Cell')}>
              <strong>{cell}</strong> — {selected.status === 'ambiguous' ? t('无法确定', 'undetermined') : `${t('值', 'value')} ${blank(selected.value)}`}
              {selected.raw && <> · {t('原文', 'printed')} “{selected.raw}”</>}
              {selected.how && <div className="muted small">{selected.how}</div>}
              {selected.status === 'ambiguous' && canReview && (
                <div className="candidates">
                  {t('选择正确的值：', 'Pick the right value: ')}
                  {(selected.candidates ?? []).map((v, i) => <button key={i} disabled={busy} onClick={() => void pick(v)} data-candidate={v ?? ''}>{blank(v)}</button>)}
                </div>
              )}
            </div>
          )}
          {tables.map((tb) => (
            <div key={tb.id} className="tablebox">
              <h3>{tb.heading} <span className="summary">{count(tb.id, 'error') > 0 && <span className="badge error">{count(tb.id, 'error')} {t('错误', 'errors')}</span>}{count(tb.id, 'warning') > 0 && <span className="badge warning">{count(tb.id, 'warning')} {t('警告', 'warnings')}</span>}</span></h3>
              <OfficialTable table={tb} look={look} onCell={(k) => { setCell(k); setFinding(null); }}
                content={(k, text) => (report.cells[k]?.status === 'ambiguous' ? '?' : text)} />
            </div>
          ))}
          <h2>{t('发现的问题', 'Findings')} ({data.findings.length})</h2>
          <ol className="findings">
            {data.findings.map((f, i) => (
              <li key={i} className={`${f.severity} ${finding === i ? 'active' : ''} ${f.review?.status ?? ''}`} data-rule={f.ruleId}>
                <button className="finding" onClick={() => { setFinding(i); setCell(null); }} aria-pressed={finding === i}>
                  <span className="n">{i + 1}</span> <span className={`sev ${f.severity}`}>{f.severity}</span> <code>{f.ruleId}</code> {msg(f)}
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
