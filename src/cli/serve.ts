/**
 * `gongkai serve`: the web app on a store; `gongkai user`: its accounts.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { ROLES, addUser, type Role } from '../serve/auth.ts';
import { buildApp } from '../serve/app.ts';
import { systemReason, UsageError } from './io.ts';
import { DB_HELP, DB_OPTION, openStore, storeUrl } from './store.ts';
import { maskUrl } from '../store/db.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const serveCommand = {
  help: `Usage: gongkai serve [options]

The web app (Chinese, with English at a click) on a store: 审核 review a report
beside its source, 总览 a dashboard of the corpus, 对比 compare bodies and years,
编写 author a report with live checking, 批量 ingest many files.

Without --auth it serves one person on this machine: no login, loopback only.
With --auth, people log in with the accounts made by \`gongkai user add\`; each
has a role (admin, reviewer, submitter) and a region, and every change is audited.

Options:
${DB_HELP}
  -p, --port <P>                  port (default 8080; 0 picks a free one)
      --host <H>                  address to listen on (default 127.0.0.1); any other
                                  address needs --auth
      --auth                      accounts and sessions (set $GONGKAI_SESSION_SECRET,
                                  32+ characters, to keep sessions across restarts)
      --max-upload <MB>           largest uploaded file (default 50)
      --tls-cert <FILE>           serve HTTPS with this certificate (PEM) …
      --tls-key <FILE>            … and this private key (PEM)
      --trust-proxy <ADDRS>       behind a reverse proxy (nginx, Caddy) at these addresses
                                  (comma-separated IPs or CIDRs) that terminates HTTPS:
                                  its X-Forwarded-Proto/-For are believed, cookies Secure
      --allowed-hosts <HOSTS>     with --auth, the Host names (with port) to answer to,
                                  e.g. gongkai.example.gov.cn,10.1.2.3:8080 (DNS rebinding);
                                  without --auth only 127.0.0.1/localhost and the port are
  -h, --help                      show this help

Examples:
  gongkai ingest --db reports.db reports/ && gongkai serve --db reports.db
  gongkai user add --db postgres://gk@db/gongkai --role reviewer --region 淮安市 wang
  gongkai serve --db postgres://gk@db/gongkai --auth --host 0.0.0.0 --port 443 \
    --tls-cert cert.pem --tls-key key.pem --allowed-hosts gongkai.example.gov.cn
  gongkai serve --auth --trust-proxy 127.0.0.1 --allowed-hosts gongkai.example.gov.cn
`,
  options: {
    ...DB_OPTION, port: { type: 'string' as const, short: 'p' }, host: { type: 'string' as const }, auth: { type: 'boolean' as const }, 'max-upload': { type: 'string' as const },
    'tls-cert': { type: 'string' as const }, 'tls-key': { type: 'string' as const }, 'trust-proxy': { type: 'string' as const }, 'allowed-hosts': { type: 'string' as const },
  },
  async run(values: Record<string, unknown>): Promise<number> {
    const port = Number(values.port ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number (got “${values.port}”)`);
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    if (!LOOPBACK.has(host) && !values.auth) throw new UsageError(`serving on ${host} lets other machines in: add --auth (and accounts with \`gongkai user add\`)`);
    if (host !== 'localhost' && !isIP(host)) throw new UsageError(`--host takes an IP address (got “${host}”)`);
    const maxUpload = Number(values['max-upload'] ?? 50);
    if (!(maxUpload > 0)) throw new UsageError('--max-upload takes a size in MB');
    const secret = process.env.GONGKAI_SESSION_SECRET;
    if (secret !== undefined && secret.length < 32) throw new UsageError('$GONGKAI_SESSION_SECRET must be at least 32 characters');
    if (!values['tls-cert'] !== !values['tls-key']) throw new UsageError('--tls-cert and --tls-key go together');
    let https: { key: Buffer; cert: Buffer } | undefined;
    if (values['tls-cert']) {
      try {
        https = { cert: readFileSync(String(values['tls-cert'])), key: readFileSync(String(values['tls-key'])) };
      } catch (e) {
        throw new UsageError(`cannot read the TLS certificate or key: ${systemReason(e)}`);
      }
    }
    const list = (v: unknown) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
    const trustProxy = list(values['trust-proxy']);
    const allowedHosts = list(values['allowed-hosts']);
    if (allowedHosts && !values.auth) throw new UsageError('--allowed-hosts is for --auth; without it only 127.0.0.1 and localhost are answered');
    if (values.auth && !LOOPBACK.has(host) && !https && !trustProxy) process.stderr.write('gongkai serve: warning: passwords and session cookies travel unencrypted; use --tls-cert/--tls-key, or a reverse proxy with --trust-proxy\n');
    if (values.auth && !allowedHosts) process.stderr.write('gongkai serve: warning: any Host name is answered; name this server\'s with --allowed-hosts\n');
    const store = await openStore(values);
    if (values.auth) {
      const users = await store.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      if (!Number(users?.n)) process.stderr.write('gongkai serve: warning: no accounts yet; add one with `gongkai user add --role admin NAME`\n');
    }
    const app = await buildApp({
      store, auth: values.auth === true, maxUpload: maxUpload * 1048576, ...(secret ? { secret } : {}),
      ...(https ? { https } : {}), ...(trustProxy ? { trustProxy } : {}), ...(allowedHosts ? { allowedHosts } : {}),
    });
    const address = await app.listen({ port, host });
    process.stderr.write(`gongkai serve: ${address}/ on ${maskUrl(storeUrl(values))}${values.auth ? ' (accounts)' : ' (local, no login)'}; Ctrl-C stops\n`);
    // SIGTERM (systemd, docker, kill) or Ctrl-C: stop taking connections, let the requests in
    // flight and the batches already taken finish, close the store, exit 0. A second signal
    // stops at once: every ingested file is its own transaction, so nothing stored is half written.
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    const batches = app.jobs.unfinished;
    process.stderr.write(`\ngongkai serve: ${signal}: stopping — finishing the requests in flight${batches ? ` and ${batches} batch job(s)` : ''}; a second ${signal} stops now\n`);
    const now = (again: NodeJS.Signals) => {
      process.stderr.write(`gongkai serve: ${again}: stopped without waiting (unfinished batches are lost; their files already stored are kept)\n`);
      process.exit(again === 'SIGINT' ? 130 : 143);
    };
    process.once('SIGINT', now);
    process.once('SIGTERM', now);
    await app.close();
    await store.close();
    process.stderr.write('gongkai serve: stopped\n');
    return 0;
  },
};

export const userCommand = {
  help: `Usage: gongkai user add|remove|list [options] [NAME]

Accounts of \`gongkai serve --auth\`. The password is read from $GONGKAI_PASSWORD,
or else from the first line of standard input; it is stored as a scrypt hash.

Options:
${DB_HELP}
      --role <R>                  admin, reviewer or submitter (add; default submitter)
      --region <REGION>           what the user sees: a region and everything under it,
                                  e.g. 淮安市 (add; default everything)
  -h, --help                      show this help

Roles: admin — everything, accounts included; reviewer — correct cells, confirm or
dismiss findings, upload and ingest; submitter — upload and author reports.

Examples:
  GONGKAI_PASSWORD=… gongkai user add --role reviewer --region 淮安市洪泽区 li
  gongkai user list
`,
  options: { ...DB_OPTION, role: { type: 'string' as const }, region: { type: 'string' as const } },
  async run(values: Record<string, unknown>, args: string[]): Promise<number> {
    const [verb, name] = args;
    if (!verb || !['add', 'remove', 'list'].includes(verb)) throw new UsageError('gongkai user takes add, remove or list');
    if (verb !== 'list' && !name) throw new UsageError(`gongkai user ${verb} needs a NAME`);
    const role = (values.role as string | undefined) ?? 'submitter';
    if (!ROLES.includes(role as Role)) throw new UsageError(`--role takes ${ROLES.join(', ')} (got “${role}”)`);
    const store = await openStore(values);
    try {
      if (verb === 'list') {
        const rows = await store.db.selectFrom('users').select(['name', 'role', 'region', 'created_at']).orderBy('name').execute();
        for (const r of rows) process.stdout.write(`${r.name}\t${r.role}\t${r.region || '(all regions)'}\t${r.created_at}\n`);
        return 0;
      }
      if (verb === 'remove') {
        const r = await store.db.deleteFrom('users').where('name', '=', name!).executeTakeFirst();
        if (!Number(r.numDeletedRows)) throw new UsageError(`no user “${name}”`);
        await store.db.deleteFrom('web_sessions').where('data', 'like', `%"name":${JSON.stringify(name)}%`).execute();
        process.stderr.write(`gongkai user: removed ${name} (and their sessions)\n`);
        return 0;
      }
      const password = process.env.GONGKAI_PASSWORD ?? readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
      try {
        await addUser(store, { name: name!, role: role as Role, region: (values.region as string | undefined) ?? '' }, password);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      process.stderr.write(`gongkai user: ${name} is ${role === 'admin' ? 'an' : 'a'} ${role}${values.region ? ` for ${values.region}` : ''}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
