/**
 * 批量 Ingest: many files or ZIP archives at once, read in the background by the same ingest as
 * `gongkai ingest`; progress, then the files that failed and why.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { get, upload } from '../api.ts';
import { t } from '../i18n.ts';
import { errorText } from '../main.tsx';

interface Job {
  id: string; phase: 'queued' | 'files' | 'corpus' | 'done'; total: number; done: number;
  failures: Array<{ name: string; reason: string; reasonZh?: string }>;
  summary: { added: number; unchanged: number; newPaths: number; failed: number; seconds: number } | null;
}

export function Ingest() {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState('');
  const [sending, setSending] = useState(false);
  useEffect(() => {
    if (!job || job.phase === 'done') return;
    const timer = setTimeout(() => { get<Job>(`/api/ingest/${job.id}`).then(setJob, (e) => setError(errorText(e))); }, 500);
    return () => clearTimeout(timer);
  }, [job]);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const files = [...(e.currentTarget.elements.namedItem('files') as HTMLInputElement).files ?? []];
    if (!files.length) return;
    setError(''); setSending(true);
    try { setJob(await upload<Job>('/api/ingest', files)); } catch (err) { setError(errorText(err)); } finally { setSending(false); }
  };
  const phase = job && { queued: t('排队中', 'queued'), files: t('读取文件', 'reading files'), corpus: t('跨年度与重复检查', 'cross-year and duplicate checks'), done: t('完成', 'done') }[job.phase];
  return (
    <section className="card wide ingest">
      <h1>{t('批量入库', 'Batch ingest')}</h1>
      <p className="muted">{t('一次选择多个文件或 ZIP 压缩包；与命令行 gongkai ingest 相同的读取与检查。', 'Choose many files or ZIP archives; they are read and checked as `gongkai ingest` does.')}</p>
      <form onSubmit={submit} className="inline">
        <input type="file" name="files" multiple aria-label={t('文件', 'Files')} />
        <button type="submit" disabled={sending}>{sending ? t('上传中…', 'Uploading…') : t('上传并入库', 'Upload and ingest')}</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {job && (
        <div role="status" aria-live="polite">
          <p>{phase} · {job.done} / {job.total}</p>
          <progress max={Math.max(1, job.total)} value={job.done} />
          {job.summary && <p data-testid="ingest-summary">{t(`新增 ${job.summary.added} 份，已有 ${job.summary.unchanged + job.summary.newPaths} 份，失败 ${job.summary.failed} 份，用时 ${job.summary.seconds.toFixed(1)} 秒`, `${job.summary.added} added, ${job.summary.unchanged + job.summary.newPaths} already stored, ${job.summary.failed} failed, ${job.summary.seconds.toFixed(1)} s`)} · <a href="#/dashboard">{t('查看总览', 'see the dashboard')}</a></p>}
        </div>
      )}
      {job && job.failures.length > 0 && (
        <>
          <h2>{t('失败的文件', 'Files that failed')} ({job.failures.length})</h2>
          <table className="plain small failures"><thead><tr><th>{t('文件', 'File')}</th><th>{t('原因', 'Reason')}</th></tr></thead>
            <tbody>{job.failures.map((f, i) => <tr key={i}><td>{f.name}</td><td>{t(f.reasonZh ?? f.reason, f.reason)}</td></tr>)}</tbody></table>
        </>
      )}
    </section>
  );
}
