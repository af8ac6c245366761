/**
 * Accounts, roles and sessions of the web app.
 *
 * - Passwords are hashed with scrypt (RFC 7914, Node's crypto), a per-user random salt, and
 *   compared in constant time.
 * - Sessions are @fastify/session's, kept in the store (`web_sessions`), so a restart keeps
 *   people logged in and several server processes can share one PostgreSQL store.
 * - A role grants actions; a region scope limits what a user sees and changes (a county's staff
 *   see their county): a region prefix, '' for everything.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Store } from '../store/store.ts';
import { canonicalRegion, regionCandidates } from '../store/place.ts';

export type Role = 'admin' | 'reviewer' | 'submitter';
export const ROLES: readonly Role[] = ['admin', 'reviewer', 'submitter'];

/** What a role may do. `read` is seeing reports and the dashboard within the scope. */
export type Action = 'read' | 'upload' | 'review' | 'ingest' | 'users';
const GRANTS: Record<Role, readonly Action[]> = {
  admin: ['read', 'upload', 'review', 'ingest', 'users'],
  reviewer: ['read', 'upload', 'review', 'ingest'],
  submitter: ['read', 'upload'],
};

export interface User {
  name: string;
  role: Role;
  /**
   * The region the user sees and changes, and everything under it ('' = all regions): stored as
   * the division's full name (江苏省淮安市); an older account's 淮安市 is read the same way.
   */
  region: string;
}

/** The user of `gongkai serve` without --auth: one person on their own machine. */
export const LOCAL_USER: User = { name: 'local', role: 'admin', region: '' };

export const can = (user: User, action: Action) => GRANTS[user.role].includes(action);

/** Whether a report's region (as stored: its division's full name) is inside the user's scope. */
export const inScope = (user: User, region: string | null) => user.region === '' || (region ?? '').startsWith(canonicalRegion(user.region));

/**
 * The region a query may ask for, narrowed to the user's scope: a wider request is narrowed to
 * the scope; one outside it gets `null` (nothing to show).
 */
export function scopeRegion(user: User, asked: string | undefined): string | undefined | null {
  if (!user.region) return asked;
  const scope = canonicalRegion(user.region);
  const want = asked ? canonicalRegion(asked) : undefined;
  if (!want || scope.startsWith(want)) return scope;
  return want.startsWith(scope) ? want : null;
}

const scrypt = (pw: string, salt: Buffer, len: number, opts: ScryptOptions) => new Promise<Buffer>((resolve, reject) => {
  scryptCb(pw, salt, len, opts, (e, key) => (e ? reject(e) : resolve(key)));
});

const KDF = { N: 1 << 15, r: 8, p: 1 };
const maxmem = (o: { N: number; r: number }) => 256 * o.N * o.r;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, 32, { ...KDF, maxmem: maxmem(KDF) });
  return `scrypt$${KDF.N}$${KDF.r}$${KDF.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const opts = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, { ...opts, maxmem: maxmem(opts) });
  return timingSafeEqual(key, expected);
}

/** A hash to compare against when the user does not exist, so a wrong name takes as long as a wrong password. */
let decoy: Promise<string> | undefined;

/** What a session keeps of its user: the name, and a tag of the password it logged in with. */
export interface SessionUser { name: string; pw: string }

/** A tag of a stored password hash: a new password gives a new tag, which ends the old sessions. */
const passwordTag = (hash: string) => hash.slice(-12);

export async function login(store: Store, name: string, password: string): Promise<{ user: User; session: SessionUser } | null> {
  const row = await store.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
  decoy ??= hashPassword('decoy');
  const ok = await verifyPassword(password, row?.password ?? await decoy);
  return row && ok ? { user: { name: row.name, role: row.role as Role, region: row.region }, session: { name: row.name, pw: passwordTag(row.password) } } : null;
}

/**
 * The user behind a session, as the accounts table says now: a role or region changed by
 * `gongkai user add` takes effect at the next request, and a removed user or a changed password
 * ends the session (null).
 */
export async function sessionUser(store: Store, s: SessionUser | undefined): Promise<User | null> {
  if (!s?.name) return null;
  const row = await store.db.selectFrom('users').select(['name', 'role', 'region', 'password']).where('name', '=', s.name).executeTakeFirst();
  if (!row || passwordTag(row.password) !== s.pw) return null;
  return { name: row.name, role: row.role as Role, region: row.region };
}

// ------------------------------------------------------------------ login throttling

/** Failed logins allowed (per name, and per address) before the wait begins. */
export const FREE_FAILURES = 5;
/** The wait after the free failures: 30 s, doubling with each further failure, at most an hour. */
const waitSeconds = (failures: number) => Math.min(3600, 30 * 2 ** Math.max(0, failures - FREE_FAILURES));

/**
 * How long a login for `name` from `address` must still wait, in seconds (0: go ahead). Counted
 * from the audit log — failures since the last success within the last day — so it holds across
 * restarts and across server processes sharing a store, and an admin sees it there.
 */
export async function loginWait(store: Store, name: string, address: string): Promise<number> {
  const since = new Date(Date.now() - 24 * 3600_000).toISOString();
  let wait = 0;
  for (const [col, value] of [['who', name], ['target', `ip:${address}`]] as const) {
    const success = await store.db.selectFrom('audit').select('at').where(col, '=', value).where('action', '=', 'login').where('at', '>', since).orderBy('at', 'desc').limit(1).executeTakeFirst();
    const from = success?.at && success.at > since ? success.at : since;
    const failed = await store.db.selectFrom('audit').select('at').where(col, '=', value).where('action', '=', 'login-failed').where('at', '>', from).orderBy('at', 'desc').limit(50).execute();
    if (failed.length < FREE_FAILURES) continue;
    const until = Date.parse(failed[0]!.at) + waitSeconds(failed.length) * 1000;
    wait = Math.max(wait, Math.ceil((until - Date.now()) / 1000));
  }
  return wait;
}

export async function addUser(store: Store, user: User, password: string): Promise<void> {
  if (!ROLES.includes(user.role)) throw new Error(`role must be one of ${ROLES.join(', ')} (got “${user.role}”)`);
  if (!/^[\p{L}\p{N}._@-]{1,64}$/u.test(user.name)) throw new Error(`a user name is 1–64 letters, digits or . _ @ - (got “${user.name}”)`);
  if (password.length < 10) throw new Error('a password needs at least 10 characters');
  // a region is kept as its division's full name; a name of several divisions must be told apart
  const several = user.region ? regionCandidates(user.region) : [];
  if (several.length > 1) throw new Error(`region “${user.region}” names ${several.length} divisions (${several.map((d) => `${d.name} ${d.code}`).join('、')}): give the code or the full name`);
  user = { ...user, region: user.region ? canonicalRegion(user.region) : '' };
  // the same password keeps its hash, so open sessions go on under the new role and region;
  // a new password gets a new hash, which ends them (sessionUser compares its tag)
  const old = await store.db.selectFrom('users').select('password').where('name', '=', user.name).executeTakeFirst();
  const hash = old && await verifyPassword(password, old.password) ? old.password : await hashPassword(password);
  await store.db.insertInto('users').values({ name: user.name, password: hash, role: user.role, region: user.region, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('name').doUpdateSet({ password: hash, role: user.role, region: user.region })).execute();
}

/** Names and addresses waiting after failed logins (for an admin). */
export async function throttled(store: Store): Promise<Array<{ key: string; failures: number; last: string; wait: number }>> {
  const since = new Date(Date.now() - 24 * 3600_000).toISOString();
  const rows = await store.db.selectFrom('audit').select(['who', 'target', 'at']).where('action', '=', 'login-failed').where('at', '>', since).orderBy('at', 'desc').limit(5000).execute();
  const keys = new Map<string, { failures: number; last: string }>();
  for (const r of rows) for (const k of [`name:${r.who}`, r.target ?? '']) {
    if (!k) continue;
    const e = keys.get(k) ?? { failures: 0, last: r.at };
    e.failures++;
    keys.set(k, e);
  }
  const out = [];
  for (const [key, e] of keys) {
    // the other half of the key is one no login has (an empty name, an address that is no address)
    const wait = key.startsWith('name:') ? await loginWait(store, key.slice(5), '-') : await loginWait(store, '', key.slice(3));
    if (wait > 0) out.push({ key, ...e, wait });
  }
  return out;
}

/** Record a state-changing request. */
export async function audit(store: Store, who: User, action: string, target: string | null, detail?: unknown): Promise<void> {
  await store.db.insertInto('audit').values({ at: new Date().toISOString(), who: who.name, action, target, detail: detail === undefined ? null : JSON.stringify(detail) }).execute();
}

type Callback = (err?: unknown, session?: unknown) => void;

/** @fastify/session's store interface over the `web_sessions` table. */
export class SessionStore {
  private readonly store: Store;
  constructor(store: Store) { this.store = store; }

  set(sid: string, session: { cookie?: { expires?: Date | null } }, cb: Callback): void {
    const expires = session.cookie?.expires ? new Date(session.cookie.expires).getTime() : Date.now() + 8 * 3600_000;
    const data = JSON.stringify(session);
    this.store.db.insertInto('web_sessions').values({ sid, data, expires })
      .onConflict((oc) => oc.column('sid').doUpdateSet({ data, expires })).execute().then(() => cb(), cb);
  }

  get(sid: string, cb: Callback): void {
    this.store.db.selectFrom('web_sessions').select(['data', 'expires']).where('sid', '=', sid).executeTakeFirst().then((row) => {
      if (!row || Number(row.expires) < Date.now()) cb(undefined, null);
      else cb(undefined, JSON.parse(row.data));
    }, cb);
  }

  destroy(sid: string, cb: Callback): void {
    this.store.db.deleteFrom('web_sessions').where('sid', '=', sid).execute().then(() => cb(), cb);
  }
}
