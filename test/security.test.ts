/**
 * The web app attacked as a hostile caller would, against a real server on loopback (both
 * engines where the store is involved): uploads and batch ingest outside one's region, ZIP bombs
 * and the server's memory, DNS rebinding, formulas in CSV exports, a demoted user's old session,
 * password guessing, the cookie and TLS, characters XML forbids, download names.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { sql } from 'kysely';
import { buildApp, type AppOptions } from '../src/serve/app.ts';
import { addUser } from '../src/serve/auth.ts';
import { centralDirectory, unpackArchive } from '../src/serve/unzip.ts';
import { csvField } from '../src/format/csv.ts';
import type { Store } from '../src/store/store.ts';
import { fixture, readFixture, SEEDS } from './helpers.ts';
import { ENGINES } from './store-helpers.ts';
import { tempDir } from './tmp.ts';

const W = { 'x-gongkai': '1' };
const seedText = (name: string) => readFixture(name).toString('utf8');
/** Seed 000 (商丘市民政局) moved to another city by its title. */
const inCity = (city: string) => seedText(SEEDS.pipes).replace(/商丘市/g, city);

/** A real server on 127.0.0.1 with a cookie jar per client. */
async function serve(store: Store, opts: Partial<AppOptions> = {}): Promise<{ app: FastifyInstance; base: string; port: number }> {
  const app = await buildApp({ store, assets: new Map(), ...opts });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  return { app, base: `${opts.https ? 'https' : 'http'}://127.0.0.1:${port}`, port };
}

function client(base: string) {
  let cookie = '';
  const call = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) };
    if (init.json !== undefined) { headers['content-type'] = 'application/json'; init.body = JSON.stringify(init.json); }
    const r = await fetch(`${base}${path}`, { ...init, headers });
    const set = r.headers.getSetCookie();
    if (set.length) cookie = set.map((c) => c.split(';')[0]).join('; ');
    return r;
  };
  return {
    call,
    login: (name: string, password: string) => call('/api/login', { method: 'POST', headers: W, json: { name, password } }),
    upload: (name: string, text: string) => call('/api/reports', { method: 'POST', headers: W, json: { name, text } }),
    batch: (files: Array<{ name: string; bytes: Uint8Array }>) => {
      const form = new FormData();
      for (const f of files) form.append('file', new Blob([new Uint8Array(f.bytes)]), f.name);
      return call('/api/ingest', { method: 'POST', headers: W, body: form });
    },
    get cookie() { return cookie; },
  };
}

const count = async (store: Store, table: 'documents' | 'reports' | 'audit' | 'corrections', where?: [string, string]) => {
  let q = store.db.selectFrom(table).select(sql<number>`count(*)`.as('n'));
  if (where) q = q.where(where[0] as never, '=', where[1] as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

const job = async (c: ReturnType<typeof client>, id: string) => {
  // wait for the job's own signal (phase done), polling its state
  for (;;) {
    const j = await (await c.call(`/api/ingest/${id}`)).json();
    if (j.phase === 'done') return j;
    await new Promise((r) => setTimeout(r, 50));
  }
};

for (const engine of ENGINES) {
  describe(`the web app under attack, with accounts (${engine.name})`, () => {
    let store: Store;
    let base: string;
    let app: FastifyInstance;
    before(async () => {
      store = await engine.open();
      await addUser(store, { name: 'boss', role: 'admin', region: '' }, 'boss-password-1');
      await addUser(store, { name: 'huai', role: 'reviewer', region: '淮安市' }, 'huai-password-1');
      ({ app, base } = await serve(store, { auth: true, perUserJobs: 1 }));
    });
    after(async () => { await app.close(); await store.close(); });

    it('an upload outside the uploader\'s region is refused before anything is written, and the refusal audited', async () => {
      const boss = client(base);
      await boss.login('boss', 'boss-password-1');
      const real = await (await boss.upload('shangqiu.txt', seedText(SEEDS.pipes))).json();
      const docs = await count(store, 'documents');
      const huai = client(base);
      assert.equal((await huai.login('huai', 'huai-password-1')).status, 200);
      // another version of 商丘's report, which would have replaced the real one as current
      const r = await huai.upload('fake.txt', seedText(SEEDS.pipes).replace('| 18 | 18 | 18 |', '| 99 | 99 | 99 |'));
      assert.equal(r.status, 403);
      assert.match((await r.json()).error, /outside your region \(江苏省淮安市\)/);
      assert.equal(await count(store, 'documents'), docs, 'nothing written');
      const current = await store.db.selectFrom('reports').select('id').where('region', '=', '河南省商丘市').where('current', '=', 1).execute();
      assert.deepEqual(current.map((x) => x.id), [real.id], 'the real report is still the current one');
      assert.equal(await count(store, 'audit', ['action', 'upload-refused']), 1);
      // the same bytes as a stored report of another region: refused too, not shown
      assert.equal((await huai.upload('again.txt', seedText(SEEDS.pipes))).status, 403);
      assert.equal((await huai.upload('huaian.txt', inCity('淮安市'))).status, 200, 'in its region it is taken');
    });

    it('batch ingest stores only the files inside the user\'s region and lists the others among the failures', async () => {
      const huai = client(base);
      await huai.login('huai', 'huai-password-1');
      const before = await count(store, 'documents');
      const zip = zipSync({ 'a/wuxi.txt': strToU8(inCity('无锡市')), 'b/huaian.txt': strToU8(inCity('淮安市').replace('| 18 | 18 | 18 |', '| 7 | 7 | 7 |')) });
      const r = await huai.batch([{ name: 'batch.zip', bytes: zip }]);
      assert.equal(r.status, 200);
      const j = await job(huai, (await r.json()).id);
      assert.deepEqual(j.failures.map((f: { name: string }) => f.name), ['batch.zip/a/wuxi.txt']);
      assert.match(j.failures[0].reason, /无锡市, outside your region \(江苏省淮安市\): not stored/);
      assert.equal(await count(store, 'documents'), before + 1);
      assert.equal(await count(store, 'reports', ['region', '无锡市']), 0);
    });

    it('a division is assigned only inside the user\'s region, at both ends, and the assignment is a correction', async () => {
      const boss = client(base);
      await boss.login('boss', 'boss-password-1');
      // a 鼓楼区 the reading cannot place (four districts bear the name)
      const gulou = (await (await boss.upload('gulou.txt', inCity('鼓楼区'))).json()).id;
      const huaian = (await (await boss.upload('huaian-dept.txt', inCity('淮安市').replace('| 18 | 18 | 18 |', '| 5 | 5 | 5 |'))).json()).id;
      const assign = (c: ReturnType<typeof client>, id: number, code: string) => c.call(`/api/reports/${id}/division`, { method: 'POST', headers: W, json: { code } });
      const huai = client(base);
      await huai.login('huai', 'huai-password-1');
      const corrections = await count(store, 'corrections');
      assert.equal((await assign(huai, gulou, '320106')).status, 403, 'the report is outside 淮安市');
      assert.equal((await assign(huai, huaian, '350102')).status, 403, 'the division it would move to is outside 淮安市');
      assert.equal((await assign(huai, huaian, '12345')).status, 400);
      assert.equal((await assign(huai, huaian, '999999')).status, 400);
      assert.equal(await count(store, 'corrections'), corrections, 'nothing written');
      const r = await assign(boss, gulou, '350102');
      assert.equal(r.status, 200);
      const page = await r.json();
      assert.equal(page.report.meta.division.fullName, '福建省福州市鼓楼区');
      assert.ok(!page.findings.some((f: { ruleId: string }) => f.ruleId === 'unresolved-body'));
      assert.deepEqual(page.corrections.map((c: { key: string; to: string; who: string }) => [c.key, c.to, c.who]), [['meta.division', '350102', 'boss']]);
      const row = await store.db.selectFrom('reports').select(['region', 'division']).where('id', '=', gulou).executeTakeFirstOrThrow();
      assert.deepEqual({ ...row }, { region: '福建省福州市鼓楼区', division: '350102' });
      assert.equal(await count(store, 'audit', ['action', 'assign-division']), 1);
    });

    it('a second batch while the user\'s first is still queued is refused (429), others\' are not', async () => {
      const huai = client(base);
      await huai.login('huai', 'huai-password-1');
      const many = Array.from({ length: 40 }, (_, i) => ({ name: `r${i}.txt`, bytes: strToU8(inCity('淮安市').replace('| 18 | 18 | 18 |', `| ${i + 100} | ${i + 100} | ${i + 100} |`)) }));
      const first = await huai.batch(many);
      assert.equal(first.status, 200);
      const second = await huai.batch(many.slice(0, 1));
      assert.equal(second.status, 429);
      assert.ok(second.headers.get('retry-after'));
      await job(huai, (await first.json()).id);
    });

    it('a demoted user\'s session loses the rights at once; a new password or removal ends it', async () => {
      const huai = client(base);
      await huai.login('huai', 'huai-password-1');
      const id = (await store.db.selectFrom('reports').select('id').where('region', '=', '江苏省淮安市').executeTakeFirstOrThrow()).id;
      const f = (await (await huai.call(`/api/reports/${id}`)).json()).findings[0];
      assert.ok(f, 'the report has a finding to review');
      const review = () => huai.call(`/api/reports/${id}/reviews`, { method: 'POST', headers: W, json: { rule: f.ruleId, keys: f.keys, status: 'confirmed' } });
      assert.equal((await review()).status, 200);
      await addUser(store, { name: 'huai', role: 'submitter', region: '淮安市' }, 'huai-password-1');
      assert.equal((await review()).status, 403, 'submitters may not review');
      await addUser(store, { name: 'huai', role: 'reviewer', region: '淮安市洪泽区' }, 'huai-password-1');
      assert.equal((await huai.call(`/api/reports/${id}`)).status, 403, 'the narrower region applies at once');
      await addUser(store, { name: 'huai', role: 'reviewer', region: '淮安市' }, 'a-new-password-2');
      assert.equal((await huai.call(`/api/reports/${id}`)).status, 401, 'the old password\'s session is over');
    });

    it('the session cookie is HttpOnly and SameSite=Strict', async () => {
      await addUser(store, { name: 'cookie', role: 'submitter', region: '' }, 'cookie-password-1');
      const c = client(base);
      const r = await c.login('cookie', 'cookie-password-1');
      assert.equal(r.status, 200);
      const set = r.headers.getSetCookie().join('\n');
      assert.match(set, /HttpOnly/i);
      assert.match(set, /SameSite=Strict/i);
    });
    it('password guessing: after five failures the next tries wait, growing, 429 with Retry-After, audited and shown to an admin', async () => {
      const guess = client(base);
      for (let i = 0; i < 5; i++) assert.equal((await guess.login('boss', `wrong-${i}`)).status, 401);
      const r = await guess.login('boss', 'boss-password-1');
      assert.equal(r.status, 429, 'even the right password waits');
      const wait = Number(r.headers.get('retry-after'));
      assert.ok(wait >= 25 && wait <= 30, String(wait));
      assert.ok(await count(store, 'audit', ['action', 'login-throttled']) >= 1);
      // the admin sees who is waiting (an admin logged in before the guessing)
      const admin = client(base);
      await store.db.deleteFrom('audit').where('action', '=', 'login-failed').execute();
      await admin.login('boss', 'boss-password-1');
      for (let i = 0; i < 6; i++) await guess.login('nobody', `x${i}`);
      const list = await (await admin.call('/api/admin/throttles')).json();
      assert.ok(list.some((t: { key: string; wait: number }) => t.key === 'name:nobody' && t.wait > 0), JSON.stringify(list));
    });

  });
}

describe('local mode and transport', () => {
  let store: Store;
  before(async () => { store = await ENGINES[0]!.open(); });
  after(() => store.close());

  it('answers only to its loopback names and port (DNS rebinding)', async () => {
    const { app, base, port } = await serve(store);
    try {
      assert.equal((await fetch(`${base}/api/session`)).status, 200);
      const http = await import('node:http');
      const status = (host: string) => new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: '/api/session', headers: { host } }, (res) => { res.resume(); resolve(res.statusCode!); }).on('error', reject);
      });
      assert.equal(await status(`localhost:${port}`), 200);
      assert.equal(await status(`evil.example:${port}`), 421);
      assert.equal(await status('127.0.0.1:1'), 421, 'another port is another origin');
    } finally {
      await app.close();
    }
  });

  it('with --auth and allowed hosts, other Host names are refused', async () => {
    const { app, port } = await serve(store, { auth: true, allowedHosts: ['gongkai.example.gov.cn'] });
    try {
      const http = await import('node:http');
      const status = (host: string) => new Promise<number>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port, path: '/api/session', headers: { host } }, (res) => { res.resume(); resolve(res.statusCode!); }).on('error', reject);
      });
      assert.equal(await status('gongkai.example.gov.cn'), 200);
      assert.equal(await status('attacker.example'), 421);
    } finally {
      await app.close();
    }
  });

  it('serves HTTPS with a certificate, and behind a trusted proxy marks the cookie Secure', async () => {
    const tls = { key: readFileSync(fixture('tls/key.pem')), cert: readFileSync(fixture('tls/cert.pem')) };
    await addUser(store, { name: 'tls', role: 'admin', region: '' }, 'tls-password-1');
    const https = await import('node:https');
    const a = await serve(store, { auth: true, https: tls });
    try {
      const res = await new Promise<{ status: number; cookie: string }>((resolve, reject) => {
        const req = https.request({ host: '127.0.0.1', port: a.port, path: '/api/login', method: 'POST', ca: tls.cert, servername: 'localhost', headers: { ...W, 'content-type': 'application/json' } }, (r) => {
          r.resume();
          resolve({ status: r.statusCode!, cookie: String(r.headers['set-cookie'] ?? '') });
        });
        req.on('error', reject);
        req.end(JSON.stringify({ name: 'tls', password: 'tls-password-1' }));
      });
      assert.equal(res.status, 200);
      assert.match(res.cookie, /Secure/);
    } finally {
      await a.app.close();
    }
    const b = await serve(store, { auth: true, trustProxy: ['127.0.0.1'] });
    try {
      const r = await fetch(`${b.base}/api/login`, { method: 'POST', headers: { ...W, 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, body: JSON.stringify({ name: 'tls', password: 'tls-password-1' }) });
      assert.equal(r.status, 200);
      assert.match(r.headers.getSetCookie().join(''), /Secure/);
    } finally {
      await b.app.close();
    }
  });

  it('exports no live formula: a body name starting with = is text, a negative number stays a number', async () => {
    const { app, base } = await serve(store);
    try {
      const c = client(base);
      const hostile = seedText(SEEDS.pipes).replace('商丘市民政局2020年', '=HYPERLINK("http://evil.example","x")局2020年');
      const up = await c.upload('hostile.txt', hostile);
      assert.equal(up.status, 200, await up.text());
      const csv = await (await c.call('/api/export?format=csv')).text();
      assert.ok(!/(^|,)"?=HYPERLINK/m.test(csv), 'no field starts with =');
      assert.match(csv, /"'=HYPERLINK\(""http:\/\/evil\.example"",""x""\)局"/);
    } finally {
      await app.close();
    }
    assert.equal(csvField('-12'), '-12');
    assert.equal(csvField(-0.5), '-0.5');
    assert.equal(csvField('+86 10'), "'+86 10");
    assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvField('\tx'), "'\tx");
  });

  it('an authored DOCX with characters XML forbids opens; the download name is a file name only', async () => {
    const { app, base } = await serve(store);
    try {
      const c = client(base);
      const cells: Record<string, string> = {};
      const input = { agency: '某市"某局/科', region: '某市', level: 'city', bodyKind: 'department', year: 2023, published: '2024-01-20', cells, sections: { 1: '第一段\u000b第二行\u0001，完。', 2: '', 3: '', 4: '', 5: '存在问题：无。', 6: '无' } };
      const r = await c.call('/api/author/render', { method: 'POST', headers: W, json: { input, format: 'docx' } });
      assert.equal(r.status, 200, await r.clone().text());
      const docx = new Uint8Array(await r.arrayBuffer());
      const xml = new TextDecoder().decode(unzipSync(docx)['word/document.xml']);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
      const { readDocument } = await import('../src/read/read.ts');
      await readDocument(docx, 'authored.docx'); // a parser that follows the XML rules reads it
      const cd = r.headers.get('content-disposition')!;
      assert.doesNotMatch(cd, /filename="[^"]*[/"\\][^"]*"/);
      assert.match(cd, /filename\*=UTF-8''/);
    } finally {
      await app.close();
    }
  });
});

describe('the pages and the paths', () => {
  it('serves the built bundle gzipped to browsers that take it', async () => {
    const { writeFileSync, mkdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { gunzipSync } = await import('node:zlib');
    const dir = tempDir('gongkai-web-');
    mkdirSync(join(dir, 'assets'));
    const js = `console.log(${JSON.stringify('报告'.repeat(20000))});`;
    writeFileSync(join(dir, 'assets', 'app-1234.js'), js);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>gongkai</title>');
    const { loadAssets } = await import('../src/serve/assets.ts');
    const store = await ENGINES[0]!.open();
    const { app, base } = await serve(store, { assets: loadAssets(dir) });
    try {
      const http = await import('node:http');
      const got = await new Promise<{ enc: string | undefined; body: Buffer }>((resolve, reject) => {
        http.get(`${base}/assets/app-1234.js`, { headers: { 'accept-encoding': 'gzip, br' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ enc: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
      assert.equal(got.enc, 'gzip');
      assert.ok(got.body.length < js.length / 5);
      assert.equal(gunzipSync(got.body).toString(), js);
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('`gongkai ingest` records absolute paths, so the web app finds the file from any directory', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { spawnSync } = await import('node:child_process');
    const dir = tempDir('gongkai-abs-');
    writeFileSync(join(dir, 'r.txt'), seedText(SEEDS.tabs));
    const main = new URL('../src/cli/main.ts', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [main, 'ingest', '-q', '--db', 'g.db', 'r.txt'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const { Store } = await import('../src/store/store.ts');
    const store = await Store.open(join(dir, 'g.db'));
    try {
      const paths = await store.db.selectFrom('sources').select('path').execute();
      assert.deepEqual(paths.map((p) => p.path), [join(dir, 'r.txt')]);
      const { app, base } = await serve(store);
      try {
        const id = (await store.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
        const page = await (await fetch(`${base}/api/reports/${id}`)).json();
        assert.equal(page.readOnly, null, 'the source is found again: the report can be corrected');
      } finally {
        await app.close();
      }
    } finally {
      await store.close();
    }
  });
});

describe('archives', () => {
  const limits = { maxFile: 256 << 20, maxTotal: 1024 << 20, maxEntries: 5000, maxRatio: 200, ratioFloor: 1 << 20 };

  it('a ZIP bomb (entries of zeros) is refused by its ratio while inflating, the other requests answered meanwhile', async () => {
    const zeros = new Uint8Array(42 << 20);
    const bomb = zipSync(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`z${i}.txt`, zeros])), { level: 9 });
    assert.ok(bomb.length < 1 << 20, `${bomb.length} bytes`);
    const store = await ENGINES[0]!.open();
    const { app, base } = await serve(store);
    try {
      const c = client(base);
      const slowest = { ms: 0 };
      let done = false;
      const probe = (async () => {
        while (!done) {
          const t0 = performance.now();
          await fetch(`${base}/api/session`);
          slowest.ms = Math.max(slowest.ms, performance.now() - t0);
        }
      })();
      const r = await c.batch([{ name: 'bomb.zip', bytes: bomb }]);
      done = true;
      await probe;
      assert.equal(r.status, 200);
      const j = await job(c, (await r.json()).id);
      assert.equal(j.failures.length, 6);
      for (const f of j.failures) assert.match(f.reason, /inflates more than 200 times its compressed size \(a zip bomb\?\)/);
      // the inflating ran in a worker: the event loop kept answering (a loose bound, the machine may be busy)
      assert.ok(slowest.ms < 1000, `slowest answer during the bomb: ${slowest.ms.toFixed(0)} ms`);
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('the server holds at most its limit for queued uploads: past it, files are turned away with the reason', async () => {
    const store = await ENGINES[0]!.open();
    const { app, base } = await serve(store, { maxHeld: 20_000 });
    try {
      const c = client(base);
      const files = Array.from({ length: 4 }, (_, i) => ({ name: `f${i}.txt`, bytes: strToU8(inCity('淮安市').replace('| 18 | 18 | 18 |', `| ${i} | ${i} | ${i} |`)) }));
      const r = await c.batch(files);
      assert.equal(r.status, 200);
      const j = await job(c, (await r.json()).id);
      assert.ok(j.failures.length >= 1 && j.failures.every((f: { reason: string }) => /holds as much as it may of queued uploads/.test(f.reason)), JSON.stringify(j.failures));
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('an entry named ../x is reported, not dropped; a ZIP64 entry\'s size is read from its extra field', () => {
    const got = unpackArchive('up.zip', zipSync({ '../x.txt': strToU8('x'), 'ok.txt': strToU8('fine') }), limits);
    assert.deepEqual(got.files.map((f) => f.name), ['up.zip/ok.txt']);
    assert.deepEqual(got.failures, [{ name: 'up.zip/../x.txt', reason: 'a path outside the archive (.. or an absolute path): not read' }]);
    const z64 = zip64Stored('r.txt', strToU8('报告正文'));
    assert.deepEqual(centralDirectory(z64, 10).map((e) => [e.name, e.size, e.compressed]), [['r.txt', 12, 12]]);
    const read = unpackArchive('z.zip', z64, limits);
    assert.equal(new TextDecoder().decode(read.files[0]!.bytes), '报告正文');
  });
});

/** A one-entry stored ZIP written as ZIP64: sizes and offset 0xFFFFFFFF, the real ones in the extra field. */
function zip64Stored(name: string, data: Uint8Array): Uint8Array {
  const n = strToU8(name);
  const le = (v: number, bytes: number) => { const b = new Uint8Array(bytes); for (let i = 0; i < bytes; i++) b[i] = Math.floor(v / 2 ** (8 * i)) & 0xff; return b; };
  const cat = (...p: Uint8Array[]) => { const o = new Uint8Array(p.reduce((s, x) => s + x.length, 0)); let at = 0; for (const x of p) { o.set(x, at); at += x.length; } return o; };
  const extra = (withOffset: boolean) => cat(le(1, 2), le(withOffset ? 24 : 16, 2), le(data.length, 8), le(data.length, 8), withOffset ? le(0, 8) : new Uint8Array());
  const local = cat(le(0x04034b50, 4), le(45, 2), le(0x800, 2), le(0, 2), le(0, 4), le(0, 4), le(0xffffffff, 4), le(0xffffffff, 4), le(n.length, 2), le(20, 2), n, extra(false), data);
  const ex = extra(true);
  const central = cat(le(0x02014b50, 4), le(45, 2), le(45, 2), le(0x800, 2), le(0, 2), le(0, 4), le(0, 4), le(0xffffffff, 4), le(0xffffffff, 4), le(n.length, 2), le(ex.length, 2), le(0, 2), le(0, 2), le(0, 2), le(0, 4), le(0xffffffff, 4), n, ex);
  const cdAt = local.length;
  const z64end = cat(le(0x06064b50, 4), le(44, 8), le(45, 2), le(45, 2), le(0, 4), le(0, 4), le(1, 8), le(1, 8), le(central.length, 8), le(cdAt, 8));
  const locator = cat(le(0x07064b50, 4), le(0, 4), le(cdAt + central.length, 8), le(1, 4));
  const end = cat(le(0x06054b50, 4), le(0, 2), le(0, 2), le(0xffff, 2), le(0xffff, 2), le(0xffffffff, 4), le(0xffffffff, 4), le(0, 2));
  return cat(local, central, z64end, locator, end);
}
