/**
 * The app shell: the five pages behind a tab bar (hash routes, so a reload or a shared link
 * opens the same page), the language switch, and the login form when the server has accounts.
 */
import { StrictMode, useEffect, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, get, post } from './api.ts';
import { getLang, setLang, t } from './i18n.ts';
import { Review } from './pages/Review.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { Compare } from './pages/Compare.tsx';
import { Author } from './pages/Author.tsx';
import { Ingest } from './pages/Ingest.tsx';
import './style.css';

export interface User { name: string; role: 'admin' | 'reviewer' | 'submitter'; region: string }
interface Session { auth: boolean; user: User | null }

const PAGES = [
  { id: 'review', zh: '审核', en: 'Review' },
  { id: 'dashboard', zh: '总览', en: 'Dashboard' },
  { id: 'compare', zh: '对比', en: 'Compare' },
  { id: 'author', zh: '编写', en: 'Author' },
  { id: 'ingest', zh: '批量', en: 'Ingest' },
] as const;

/** The route: #/page/arg?query */
export function useRoute(): { page: string; arg: string; query: URLSearchParams } {
  const parse = () => {
    const [path = '', query = ''] = location.hash.replace(/^#\/?/, '').split('?');
    const [page = 'review', ...rest] = path.split('/');
    return { page: page || 'review', arg: decodeURIComponent(rest.join('/')), query: new URLSearchParams(query) };
  };
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const on = () => setRoute(parse());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

function Login({ onIn }: { onIn: (u: User) => void }) {
  const [error, setError] = useState('');
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    try {
      const r = await post<{ user: User }>('/api/login', { name: f.get('name'), password: f.get('password') });
      onIn(r.user);
    } catch (err) { setError((err as Error).message); }
  };
  return (
    <form className="login" onSubmit={submit}>
      <h1>gongkai</h1>
      <label>{t('用户名', 'Name')} <input name="name" autoComplete="username" required autoFocus /></label>
      <label>{t('密码', 'Password')} <input name="password" type="password" autoComplete="current-password" required /></label>
      <button type="submit">{t('登录', 'Log in')}</button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}

function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [, setLangState] = useState(getLang());
  const route = useRoute();
  useEffect(() => { get<Session>('/api/session').then(setSession, () => setSession({ auth: true, user: null })); }, []);
  if (!session) return <p className="muted">…</p>;
  if (!session.user) return <Login onIn={(user) => setSession({ ...session, user })} />;
  const user = session.user;
  const switchLang = () => { const l = getLang() === 'zh' ? 'en' : 'zh'; setLang(l); setLangState(l); };
  const logout = async () => { await post('/api/logout', {}); setSession({ ...session, user: null }); };
  return (
    <>
      <header className="bar">
        <span className="brand">gongkai <small>{t('政府信息公开工作年度报告', 'disclosure annual reports')}</small></span>
        <nav aria-label={t('页面', 'Pages')}>
          {PAGES.map((p) => <a key={p.id} href={`#/${p.id}`} aria-current={route.page === p.id ? 'page' : undefined}>{getLang() === 'zh' ? p.zh : `${p.en}`}</a>)}
        </nav>
        <span className="who">
          {session.auth && <>{user.name} · {user.role}{user.region ? ` · ${user.region}` : ''} <button className="link" onClick={logout}>{t('退出', 'Log out')}</button></>}
          <button className="link" onClick={switchLang} lang={getLang() === 'zh' ? 'en' : 'zh'}>{getLang() === 'zh' ? 'English' : '中文'}</button>
        </span>
      </header>
      <main key={getLang()}>
        {route.page === 'review' && <Review id={route.arg} user={user} />}
        {route.page === 'dashboard' && <Dashboard query={route.query} />}
        {route.page === 'compare' && <Compare query={route.query} />}
        {route.page === 'author' && <Author />}
        {route.page === 'ingest' && <Ingest />}
      </main>
    </>
  );
}

export const errorText = (e: unknown) => (e instanceof ApiError ? e.message : String((e as Error)?.message ?? e));

setLang(getLang());
createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
