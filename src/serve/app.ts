/**
 * The web app's server: a JSON API over the store, and the built pages. Fastify, with
 * @fastify/session (sessions kept in the store) and @fastify/multipart (bounded uploads).
 *
 * Local mode (no --auth) has one user with every right and listens on loopback only. With
 * --auth, every route but login needs a session, every action is checked against the user's
 * role and region scope, and every state-changing request is recorded in `audit`.
 * State-changing requests must carry `X-Gongkai: 1` (a header a cross-site form cannot send
 * without a CORS preflight, which this server never grants) and, when the browser sends an
 * Origin, come from this host.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import fastifyMultipart from '@fastify/multipart';
import { authoredReport, type AuthorInput } from '../author/report.ts';
import { check } from '../check/engine.ts';
import { RULES } from '../check/rules/index.ts';
import { runCorpusRules } from '../corpus/rules.ts';
import { CORPUS_RULES } from '../corpus/meta.ts';
import { regionOf } from '../extract/body.ts';
import { ParseError } from '../extract/extract.ts';
import { ReadError } from '../read/text.ts';
import { reportDocx } from '../render/docx.ts';
import { reportHtml } from '../render/html.ts';
import { exportCsv, exportRows, exportXlsx, WorkbookTooLarge } from '../store/export.ts';
import { coverage, rollUp } from '../store/query.ts';
import type { Store } from '../store/store.ts';
import type { Report } from '../types.ts';
import { storeError } from '../store/errors.ts';
import { loadAssets, type Asset } from './assets.ts';
import { audit, can, inScope, LOCAL_USER, login, loginWait, scopeRegion, sessionUser, SessionStore, throttled, type Action, type SessionUser, type User } from './auth.ts';
import { bodyYears, searchBodies } from './compare.ts';
import { cellCharts, mapAreas, parseFilters, publication, regionDefects, reportList, ruleCounts, type Filters } from './dashboard.ts';
import { Busy, Jobs, type Upload } from './jobs.ts';
import { ReadPool } from '../ingest/pool.ts';
import { VERSION } from '../version.ts';
import { sql } from 'kysely';
import { assignDivision, correct, Invalid, loadReview, NotFound, OutOfScope, reviewFinding, storeUpload } from './review.ts';

declare module 'fastify' {
  interface Session { user?: SessionUser }
}

export interface AppOptions {
  store: Store;
  /** Accounts and sessions (an office server); without it, one local user with every right. */
  auth?: boolean;
  /** Signs session cookies (at least 32 characters); random per start when not given. */
  secret?: string;
  /** Largest uploaded file, in bytes (default 50 MB). */
  maxUpload?: number;
  /** Most bytes one batch upload may carry (default 512 MB), and the server holds for queued batches (default 1 GB). */
  maxBatch?: number;
  maxHeld?: number;
  /** Unfinished batch jobs one user may have (default 2). */
  perUserJobs?: number;
  /** Exports made at once, for all users (default 2): each reads a SQLite store on a thread of its own; more are refused until one ends. */
  exportsAtOnce?: number;
  /** A streamed export still being sent after this long (default 30 minutes: a client that stopped reading) is cut off, making room for others. */
  exportTimeoutMs?: number;
  /** The most compressed bytes an XLSX download may hold (default: what a ZIP without ZIP64 holds, 4 GB less 64 MB); past it the download is refused with 413. */
  xlsxMostBytes?: number;
  /**
   * The Host names (with port) the server answers to with --auth; any when not given. Without
   * --auth only the loopback names and the port it listens on are answered (DNS rebinding).
   */
  allowedHosts?: string[];
  /** Serve HTTPS with this key and certificate (PEM). */
  https?: { key: Buffer; cert: Buffer };
  /** Behind a reverse proxy at these addresses (IP or CIDR): its X-Forwarded-For/-Proto are believed, and cookies are Secure when it says HTTPS. */
  trustProxy?: string[];
  /** Built pages (default: dist/web). */
  assets?: Map<string, Asset>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The batch jobs (how many are unfinished, for the stop message). */
    jobs: Jobs;
  }
}

class Forbidden extends Error {}

/** The health check's path, for monitoring (systemd, a load balancer, uptime checks). */
export const HEALTH = '/api/health';

const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { store } = opts;
  const maxUpload = opts.maxUpload ?? 50 << 20;
  /** Most bytes one batch request may carry (its files are held in memory until queued). */
  const maxBatch = opts.maxBatch ?? 512 << 20;
  const app = (opts.https
    ? Fastify({ logger: false, bodyLimit: 4 << 20, trustProxy: opts.trustProxy ?? false, https: opts.https })
    : Fastify({ logger: false, bodyLimit: 4 << 20, trustProxy: opts.trustProxy ?? false })) as unknown as FastifyInstance;
  const assets = opts.assets ?? loadAssets();
  const jobs = new Jobs(store, { ...(opts.maxHeld ? { maxHeld: opts.maxHeld } : {}), ...(opts.perUserJobs ? { perUser: opts.perUserJobs } : {}) });
  // uploads are read in a worker, never on the event loop; stopped with the server
  const reader = new ReadPool({ threads: 1 });
  app.decorate('jobs', jobs);
  // Graceful stop (`app.close()`, on SIGTERM): the health check says so at once, the listener
  // closes, requests in flight finish, then the batches already taken finish, then the readers stop.
  let stopping = false;
  app.addHook('preClose', async () => { stopping = true; });
  app.addHook('onClose', async () => { await jobs.drain(); await reader.destroy(); });

  if (opts.auth) {
    await app.register(fastifyCookie);
    await app.register(fastifySession, {
      secret: opts.secret ?? randomBytes(32).toString('base64'),
      cookieName: 'gongkai_session',
      saveUninitialized: false,
      store: new SessionStore(store) as never,
      // Secure with TLS, or behind a trusted proxy (which says HTTPS in X-Forwarded-Proto); never
      // 'auto', which turns SameSite=Strict into Lax on a plain-HTTP request
      cookie: { httpOnly: true, sameSite: 'strict', secure: !!(opts.https || opts.trustProxy), maxAge: 8 * 3600_000, path: '/' },
    });
  }
  await app.register(fastifyMultipart, { limits: { fileSize: maxUpload, files: 1000, fields: 10, parts: 1010 } });

  // DNS rebinding: a page on another site whose name points at 127.0.0.1 reaches this server
  // with its own name in Host. Local mode answers only its loopback names and port; with --auth,
  // the allowed hosts when they are given.
  const allowed = opts.allowedHosts ? new Set(opts.allowedHosts.map((h) => h.toLowerCase())) : null;
  app.addHook('onRequest', async (req, reply) => {
    if (req.url === HEALTH) return; // a monitor may ask by any name: the answer tells nothing of the store's contents
    const host = (req.headers.host ?? '').toLowerCase();
    const port = req.socket?.localPort;
    if (!opts.auth && port !== undefined) {
      if (![`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host)) return reply.code(421).send({ error: `this server answers only to 127.0.0.1:${port} and localhost:${port} (Host “${host}” refused)` });
    } else if (allowed && !allowed.has(host)) {
      return reply.code(421).send({ error: `Host “${host}” is not one this server answers to` });
    }
  });
  app.addHook('onRequest', async (req, reply) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return;
    const origin = req.headers.origin;
    if (req.headers['x-gongkai'] !== '1' || (origin && origin !== 'null' && safeHost(origin) !== req.headers.host)) {
      return reply.code(403).send({ error: 'a state-changing request must come from the gongkai page itself' });
    }
  });
  app.addHook('onSend', async (_req, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    // every error is told as JSON, whatever the route had said it would send (an export, a document)
    reply.type('application/json; charset=utf-8');
    reply.removeHeader('content-disposition');
    // a file that could not be read this time (the per-file budget, a worker stopped) is the server's trouble, not the file's: try again
    if (err instanceof ReadError && (err.code === 'timeout' || err.code === 'internal')) return reply.code(503).header('retry-after', '30').send({ error: err.message, code: err.code });
    if (err instanceof ReadError || err instanceof ParseError) return reply.code(422).send({ error: err.message, code: err.code });
    const env = storeError(err, store.where);
    // a damaged store is the server's own trouble, and trying again will not mend it: said as it is, and logged
    if (env?.code === 'damaged') { process.stderr.write(`gongkai serve: ${req.method} ${req.url}: ${env.message}\n`); return reply.code(500).send({ error: env.message, code: env.code }); }
    if (env) return reply.code(503).header('retry-after', '30').send({ error: env.message, code: env.code });
    if (err instanceof Invalid || err instanceof RangeError) return reply.code(400).send({ error: err.message });
    if (err instanceof NotFound) return reply.code(404).send({ error: err.message });
    if (err instanceof Forbidden) return reply.code(403).send({ error: err.message });
    // an export stopped at its time limit before its first byte (after it, the download just ends short)
    if (err.code === 'EXPORT_TIMEOUT') return reply.code(503).send({ error: err.message, code: err.code });
    // an XLSX larger than the file format holds, refused before its first byte: the user's selection to narrow
    if (err instanceof WorkbookTooLarge) return reply.code(413).send({ error: `导出的 XLSX 将超过一个文件能容纳的 4 GB，请缩小范围（按年度或地区）分次导出，或改用 CSV（${err.message}）`, code: 'too-large' });
    if (err.code === 'FST_REQ_FILE_TOO_LARGE') return reply.code(413).send({ error: `a file is over the upload limit of ${Math.round(maxUpload / 1048576)} MB` });
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send({ error: err.message });
    process.stderr.write(`gongkai serve: ${req.method} ${req.url}: ${err.stack ?? err.message}\n`);
    return reply.code(500).send({ error: 'internal error (see the server log)' });
  });

  /** The signed-in user as the accounts table says now (a demoted user is demoted at once). */
  const userOf = async (req: FastifyRequest): Promise<User | null> => (opts.auth ? sessionUser(store, req.session.user) : LOCAL_USER);
  /** The signed-in user if allowed to do `action` (else 401/403). */
  const need = async (req: FastifyRequest, action: Action): Promise<User> => {
    const u = await userOf(req);
    if (!u) throw Object.assign(new Error('log in first'), { statusCode: 401 });
    if (!can(u, action)) throw new Forbidden(`a ${u.role} may not do that (${action})`);
    return u;
  };
  /** Filters from the query, the region narrowed to the user's scope (null: outside it). */
  const scoped = (req: FastifyRequest, u: User): Filters | null => {
    const f = parseFilters(req.query as Record<string, unknown>);
    const region = scopeRegion(u, f.region);
    if (region === null) return null;
    return { ...f, ...(region ? { region } : {}) };
  };
  const reportInScope = async (id: number, u: User) => {
    const row = await store.db.selectFrom('reports').select('region').where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFound(`no report ${id}`);
    if (!inScope(u, row.region)) throw new Forbidden(`report ${id} is outside your region (${u.region})`);
  };
  const idParam = (req: FastifyRequest) => {
    const id = Number((req.params as { id: string }).id);
    if (!Number.isSafeInteger(id) || id <= 0) throw new RangeError('a report id is a positive integer');
    return id;
  };

  // ------------------------------------------------------------ health (monitoring, no login)
  app.get(HEALTH, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    if (stopping) return reply.code(503).send({ status: 'stopping', version: VERSION });
    try {
      await sql`select 1`.execute(store.db);
    } catch (e) {
      return reply.code(503).send({ status: 'store unavailable', version: VERSION, error: storeError(e, store.where)?.message ?? (e as Error).message });
    }
    return { status: 'ok', version: VERSION, batches: jobs.unfinished };
  });

  // ------------------------------------------------------------ session
  app.get('/api/session', async (req) => ({ auth: !!opts.auth, user: await userOf(req) }));
  app.post('/api/login', async (req, reply) => {
    if (!opts.auth) return { user: LOCAL_USER };
    const { name, password } = (req.body ?? {}) as { name?: unknown; password?: unknown };
    if (typeof name !== 'string' || typeof password !== 'string') throw new RangeError('name and password are required');
    const who = name.slice(0, 64);
    const address = `ip:${req.ip}`;
    const record = (action: string, detail: unknown = null) => store.db.insertInto('audit').values({ at: new Date().toISOString(), who, action, target: address, detail: detail === null ? null : JSON.stringify(detail) }).execute();
    // after a few failures, for this name or from this address, the next try must wait (growing)
    const wait = await loginWait(store, who, req.ip);
    if (wait > 0) {
      await record('login-throttled', { wait });
      return reply.code(429).header('retry-after', String(wait)).send({ error: `too many failed logins; try again in ${wait} s`, retryAfter: wait });
    }
    const got = await login(store, name, password);
    await record(got ? 'login' : 'login-failed');
    if (!got) return reply.code(401).send({ error: 'wrong name or password' });
    await req.session.regenerate();
    req.session.user = got.session;
    return { user: got.user };
  });
  app.get('/api/admin/throttles', async (req) => {
    await need(req, 'users');
    return throttled(store);
  });
  app.post('/api/logout', async (req) => {
    if (opts.auth && req.session.user) {
      const u = await userOf(req);
      if (u) await audit(store, u, 'logout', null);
      await req.session.destroy();
    }
    return { ok: true };
  });

  // ------------------------------------------------------------ rules (names and docs for the pages)
  app.get('/api/rules', async () => [...RULES.map((r) => r.meta), ...CORPUS_RULES]);

  // ------------------------------------------------------------ review
  app.post('/api/reports', async (req) => {
    const u = await need(req, 'upload');
    let upload: Upload | null = null;
    if (req.isMultipart()) {
      for await (const part of req.parts()) {
        if (part.type === 'file' && !upload) upload = { name: cleanName(part.filename), bytes: new Uint8Array(await part.toBuffer()) };
        else if (part.type === 'file') await part.toBuffer();
      }
    } else {
      const { text, name } = (req.body ?? {}) as { text?: unknown; name?: unknown };
      if (typeof text !== 'string' || !text.trim()) throw new RangeError('paste the report’s text, or upload a file');
      upload = { name: cleanName(typeof name === 'string' && name.trim() ? name : 'pasted.txt'), bytes: new TextEncoder().encode(text) };
    }
    if (!upload) throw new RangeError('no file in the upload');
    let got;
    try {
      // read first, then the scope, then the write: a report outside the user's region is refused with no trace in the store but the audit
      got = await storeUpload(store, reader, upload.name, upload.bytes, (region) => inScope(u, region));
    } catch (e) {
      if (e instanceof OutOfScope) {
        await audit(store, u, 'upload-refused', null, { name: upload.name, bytes: upload.bytes.length, region: e.region });
        throw new Forbidden(`${upload.name}: the report is for ${e.region ?? 'no region the title names'}, outside your region (${u.region})`);
      }
      if (e instanceof ReadError || e instanceof ParseError) throw Object.assign(e, { message: `${upload.name}: ${e.message}` });
      throw e;
    }
    if (!got.known) await runCorpusRules(store, [got.id]);
    await audit(store, u, 'upload', `report:${got.id}`, { name: upload.name, bytes: upload.bytes.length, known: got.known });
    return got;
  });
  app.get('/api/reports', async (req) => {
    const u = await need(req, 'read');
    const f = scoped(req, u);
    const q = req.query as Record<string, string>;
    if (!f) return { total: 0, rows: [] };
    return reportList(store, f, q.sort ?? 'year', q.desc === '1', Math.max(0, Number(q.offset) || 0), Math.min(200, Math.max(1, Number(q.limit) || 50)));
  });
  app.get('/api/reports/:id', async (req) => {
    const u = await need(req, 'read');
    const id = idParam(req);
    await reportInScope(id, u);
    return loadReview(store, id, reader);
  });
  app.post('/api/reports/:id/corrections', async (req) => {
    const u = await need(req, 'review');
    const id = idParam(req);
    await reportInScope(id, u);
    const { key, to, note } = (req.body ?? {}) as { key?: unknown; to?: unknown; note?: unknown };
    if (typeof key !== 'string' || (to !== null && typeof to !== 'string')) throw new RangeError('a correction needs a cell key and a value (or null for blank)');
    const after = await correct(store, reader, id, u.name, key, to, typeof note === 'string' ? note.slice(0, 2000) : null);
    await audit(store, u, 'correct', `report:${id}`, { key, to });
    return after;
  });
  app.post('/api/reports/:id/division', async (req) => {
    const u = await need(req, 'review');
    const id = idParam(req);
    // the report in the user's scope, and the division it is moved to as well: both before the write
    await reportInScope(id, u);
    const { code, note } = (req.body ?? {}) as { code?: unknown; note?: unknown };
    if (typeof code !== 'string' || !/^\d{6}(?:\d{3})?$/.test(code)) throw new RangeError('a division is assigned by its code: 6 digits (9 for a township)');
    try {
      await assignDivision(store, id, u.name, code, typeof note === 'string' ? note.slice(0, 2000) : null, (region) => inScope(u, region));
    } catch (e) {
      if (e instanceof OutOfScope) throw new Forbidden(`${code} (${e.region}) is outside your region (${u.region})`);
      throw e;
    }
    await audit(store, u, 'assign-division', `report:${id}`, { code });
    return loadReview(store, id, reader);
  });
  app.post('/api/reports/:id/reviews', async (req) => {
    const u = await need(req, 'review');
    const id = idParam(req);
    await reportInScope(id, u);
    const { rule, keys, status, comment } = (req.body ?? {}) as { rule?: unknown; keys?: unknown; status?: unknown; comment?: unknown };
    if (typeof rule !== 'string' || !Array.isArray(keys) || !keys.every((k) => typeof k === 'string') || typeof status !== 'string') throw new RangeError('a review needs rule, keys and status');
    await reviewFinding(store, id, u.name, rule, keys as string[], status as 'confirmed', typeof comment === 'string' ? comment.slice(0, 2000) : null);
    await audit(store, u, 'review', `report:${id}`, { rule, keys, status });
    return loadReview(store, id, reader);
  });

  // ------------------------------------------------------------ dashboard
  const dash = <T>(fn: (f: Filters) => Promise<T>, empty: T) => async (req: FastifyRequest) => {
    const u = await need(req, 'read');
    const f = scoped(req, u);
    return f ? fn(f) : empty;
  };
  app.get('/api/dashboard/cells', dash((f) => cellCharts(store, f), null));
  app.get('/api/dashboard/rules', dash((f) => ruleCounts(store, f), []));
  app.get('/api/dashboard/regions', dash((f) => regionDefects(store, f), []));
  app.get('/api/dashboard/publication', dash((f) => publication(store, f), null));
  app.get('/api/dashboard/map', async (req) => {
    const u = await need(req, 'read');
    const f = scoped(req, u);
    // `areas`, not `level`: level is a filter of the selection (level=county)
    const level = (req.query as { areas?: string }).areas === 'city' ? 'city' : 'province';
    return f ? mapAreas(store, f, level) : { year: null, areas: [] };
  });
  // exports under way: each reads a SQLite store on a thread of its own and holds a batch or two,
  // so a caller must not be able to start them without end (more at once would only share the cores)
  const exportsAtOnce = opts.exportsAtOnce ?? 2;
  const exportTimeoutMs = opts.exportTimeoutMs ?? 30 * 60_000;
  let exporting = 0;
  app.get('/api/export', async (req, reply) => {
    const u = await need(req, 'read');
    // exactly the selection the page shows, the rule filter included
    const f = scoped(req, u) ?? { region: '\uffffnone' };
    const format = (req.query as { format?: string }).format === 'xlsx' ? 'xlsx' : 'csv';
    if (exporting >= exportsAtOnce) {
      return reply.code(429).header('retry-after', '10').send({ error: `正在导出的文件已有 ${exporting} 个，请稍后再试（${exporting} exports are being made; try again shortly）` });
    }
    exporting++;
    let done = false;
    const release = () => { if (!done) { done = true; exporting--; } };
    const stamp = new Date().toISOString().slice(0, 10);
    reply.header('content-disposition', attachment(`gongkai-${stamp}.${format}`));
    reply.type(format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8');
    // sent as it is made: a scope of a hundred thousand reports is never held whole in the server's
    // memory (a failure once the first bytes are sent ends the download short, as a dropped connection
    // does). Its turn ends when its last bytes are made, or when the stream closes (failed, cut off)
    // (an XLSX gives its bytes when its last report is written: stopped, it is given up there and then)
    const stop = new AbortController();
    const bytes = format === 'xlsx' ? exportXlsx(exportRows(store, f, { findings: true }), { signal: stop.signal, most: opts.xlsxMostBytes }) : exportCsv(exportRows(store, f));
    const stream = Readable.from((async function* () { try { yield* bytes; } finally { release(); } })());
    const limit = setTimeout(() => stream.destroy(Object.assign(new Error(`导出超过 ${exportTimeoutMs / 1000} 秒仍未完成，已停止；请缩小范围后再试（the export was not done and taken in ${exportTimeoutMs / 1000} s, and was stopped; try a smaller selection）`), { code: 'EXPORT_TIMEOUT' })), exportTimeoutMs).unref();
    stream.once('close', () => { clearTimeout(limit); stop.abort(); release(); });
    return reply.send(stream);
  });

  // ------------------------------------------------------------ compare
  app.get('/api/bodies', async (req) => {
    const u = await need(req, 'read');
    const q = String((req.query as { q?: string }).q ?? '').trim().slice(0, 100);
    return q ? searchBodies(store, q, u.region) : [];
  });
  app.get('/api/bodies/years', async (req) => {
    const u = await need(req, 'read');
    const b = await bodyYears(store, String((req.query as { key?: string }).key ?? ''));
    if (!b) throw new NotFound('no such body');
    if (!inScope(u, b.region)) throw new Forbidden('that body is outside your region');
    return b;
  });
  app.get('/api/rollup', async (req) => {
    const u = await need(req, 'read');
    const q = req.query as { region?: string; year?: string };
    const region = scopeRegion(u, q.region);
    if (!region || !Number(q.year)) throw new RangeError('give a region in your scope and a year');
    return rollUp(store, region, Number(q.year));
  });
  app.get('/api/coverage', async (req) => {
    const u = await need(req, 'read');
    const f = scoped(req, u);
    if (!f) return { years: [], bodies: [], total: 0 };
    const c = await coverage(store, f);
    return { years: c.years, bodies: c.bodies.slice(0, 500), total: c.bodies.length };
  });

  // ------------------------------------------------------------ author
  app.post('/api/parse', async (req) => {
    await need(req, 'upload');
    for await (const part of req.parts()) {
      if (part.type !== 'file') continue;
      const name = cleanName(part.filename);
      try {
        const r = await reader.run({ path: name, bytes: new Uint8Array(await part.toBuffer()), mode: 'parse' });
        if (r.error) throw new ReadError(r.error.code, r.error.message);
        return r.report;
      } catch (e) {
        if (e instanceof ReadError || e instanceof ParseError) throw Object.assign(e, { message: `${name}: ${e.message}` });
        throw e;
      }
    }
    throw new RangeError('no file in the upload');
  });
  app.post('/api/author/render', async (req, reply) => {
    const u = await need(req, 'upload');
    const { input, format } = (req.body ?? {}) as { input?: AuthorInput; format?: string };
    const report = authoredReport(validInput(input));
    if (!report.meta.agency) throw new RangeError('name the body (机关名称) before exporting');
    const errors = check(report).filter((f) => f.severity === 'error');
    if (errors.length) return reply.code(422).send({ error: `export is blocked while ${errors.length} error-level finding(s) stand`, findings: errors });
    await audit(store, u, 'author-export', report.meta.title, { format });
    reply.header('content-disposition', attachment(`${report.meta.title}.${format === 'docx' ? 'docx' : 'html'}`));
    if (format === 'docx') return reply.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document').send(Buffer.from(reportDocx(report)));
    return reply.type('text/html; charset=utf-8').send(reportHtml(report));
  });

  // ------------------------------------------------------------ batch ingest
  app.post('/api/ingest', async (req, reply) => {
    const u = await need(req, 'ingest');
    const uploads: Upload[] = [];
    let size = 0;
    for await (const part of req.parts()) {
      if (part.type !== 'file') continue;
      const bytes = new Uint8Array(await part.toBuffer());
      size += bytes.length;
      // the files of one request are held until queued: bounded, whatever the per-file limit
      if (size > maxBatch) throw Object.assign(new Error(`a batch upload may hold ${Math.round(maxBatch / 1048576)} MB; send the files in several batches`), { statusCode: 413 });
      uploads.push({ name: cleanName(part.filename), bytes });
    }
    if (!uploads.length) throw new RangeError('no files in the upload');
    // each file read is stored only if its report is in the user's region; the others are listed among the job's failures
    const admit = (r: Report) => (inScope(u, regionOf(r.meta)) ? null : `the report is for ${regionOf(r.meta) ?? 'no region the title names'}, outside your region (${u.region}): not stored`);
    let job;
    try {
      job = await jobs.start(u.name, uploads, u.region ? admit : undefined);
    } catch (e) {
      if (e instanceof Busy) return reply.code(e.status).header('retry-after', '60').send({ error: e.message });
      throw e;
    }
    await audit(store, u, 'ingest', `job:${job.id}`, { files: uploads.map((f) => f.name).slice(0, 100), count: uploads.length });
    return job;
  });
  app.get('/api/ingest/:id', async (req) => {
    const u = await need(req, 'ingest');
    const job = jobs.get(String((req.params as { id: string }).id));
    if (!job || (job.who !== u.name && u.role !== 'admin')) throw new NotFound('no such job');
    return job;
  });

  // ------------------------------------------------------------ pages
  const page = (req: FastifyRequest, reply: FastifyReply, path: string) => {
    const a = assets.get(path) ?? assets.get('/index.html');
    if (!a) return reply.code(503).type('text/plain; charset=utf-8').send('The web pages are not built: run `npm run build`.');
    reply.header('cache-control', a.immutable && assets.has(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    reply.header('vary', 'accept-encoding');
    if (a.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.type(a.type).header('content-encoding', 'gzip').send(a.gzip);
    return reply.type(a.type).send(a.body);
  };
  app.get('/*', async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (path.startsWith('/api/')) return reply.code(404).send({ error: 'no such API route' });
    if (path.startsWith('/assets/') && !assets.has(path)) return reply.code(404).send('not found');
    return page(req, reply, path === '/' ? '/index.html' : path);
  });
  return app;
}

function safeHost(origin: string): string | null {
  try { return new URL(origin).host; } catch { return null; }
}

/**
 * A download's Content-Disposition: the name as a file name only — no path, no control or
 * quote characters, no characters file systems refuse, bounded — with an ASCII fallback.
 */
export function attachment(name: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = name.replace(/[\u0000-\u001f\u007f"\\/:*?<>|]/g, '_').replace(/^[.\s]+/, '').slice(0, 150) || 'gongkai';
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean)}`;
}

/** A file name as a label only (never a path): its last segment, control characters dropped, bounded. */
function cleanName(name: string | undefined): string {
  const last = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  return last.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'upload';
}

/** The author's input, checked for shape (it comes from a request). */
function validInput(x: unknown): AuthorInput {
  const i = x as Partial<AuthorInput> | undefined;
  if (!i || typeof i !== 'object') throw new RangeError('no report to render');
  const year = Number(i.year);
  if (!Number.isInteger(year) || year < 2008 || year > 2100) throw new RangeError('the report year must be a year');
  const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
  const cells: Record<string, string> = {};
  for (const [k, v] of Object.entries(i.cells ?? {})) if (/^t[234]\.[a-z_.]+$/.test(k)) cells[k] = str(v, 40);
  const sections: Record<number, string> = {};
  for (let n = 1; n <= 6; n++) sections[n] = str(i.sections?.[n], 20_000);
  return {
    agency: str(i.agency, 100), region: str(i.region, 100), level: (['national', 'province', 'city', 'county', 'township'] as const).find((l) => l === i.level) ?? null,
    bodyKind: i.bodyKind === 'government' ? 'government' : 'department', year,
    published: typeof i.published === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(i.published) ? i.published : null, cells, sections,
  };
}
