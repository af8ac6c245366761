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
  /** Region prefix ('' = all regions). */
  region: string;
}

/** The user of `gongkai serve` without --auth: one person on their own machine. */
export const LOCAL_USER: User = { name: 'local', role: 'admin', region: '' };

export const can = (user: User, action: Action) => GRANTS[user.role].includes(action);

/** Whether a report's region is inside the user's scope. */
export const inScope = (user: User, region: string | null) => user.region === '' || (region ?? '').startsWith(user.region);

/**
 * The region a query may ask for, narrowed to the user's scope: a wider request is narrowed to
 * the scope; one outside it gets `null` (nothing to show).
 */
export function scopeRegion(user: User, asked: string | undefined): string | undefined | null {
  if (!user.region) return asked;
  if (!asked || user.region.startsWith(asked)) return user.region;
  return asked.startsWith(user.region) ? asked : null;
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
export async function login(store: Store, name: string, password: string): Promise<User | null> {
  const row = await store.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
  decoy ??= hashPassword('decoy');
  const ok = await verifyPassword(password, row?.password ?? await decoy);
  return row && ok ? { name: row.name, role: row.role as Role, region: row.region } : null;
}

export async function addUser(store: Store, user: User, password: string): Promise<void> {
  if (!ROLES.includes(user.role)) throw new Error(`role must be one of ${ROLES.join(', ')} (got “${user.role}”)`);
  if (!/^[\p{L}\p{N}._@-]{1,64}$/u.test(user.name)) throw new Error(`a user name is 1–64 letters, digits or . _ @ - (got “${user.name}”)`);
  if (password.length < 10) throw new Error('a password needs at least 10 characters');
  const hash = await hashPassword(password);
  await store.db.insertInto('users').values({ name: user.name, password: hash, role: user.role, region: user.region, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('name').doUpdateSet({ password: hash, role: user.role, region: user.region })).execute();
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
