// hostile.test.mjs — every route against hostile input, generated from the
// server's own OpenAPI document (as roles.test.mjs), so a route added later
// is swept without touching this file. Each route is called by a role it
// admits (and by both demo applicants where applicants are admitted), with
// junk in its path parameters (zero, a NUL, 300 letters):
//   - a write route with no body, bodies that are not an object (null, an
//     array, a string), truncated JSON, bytes that are not UTF-8, nesting
//     far deeper than any form, an empty object, and objects with every
//     field name the server reads set to one hostile kind of value (null,
//     an array, an object, a long string within the body limit, a negative
//     number, a huge one, true, an impossible date, a NUL, a lone
//     surrogate, a spreadsheet formula);
//   - a read route with and without junk in every query parameter the
//     server reads.
// Every answer must be a success or a client error: never a server error,
// and every error the JSON shape of assertError() with a Chinese message
// and its English beside it. The server must still answer afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { startServer, cleanup, apiRoutes, hasChinese, DEMO_USERS, ROOT } from './lib.mjs';

// The field names the server reads from a body or a query: every literal
// key its C code asks a JSON object or a request for.
function fieldNames() {
  const names = new Set();
  for (const dir of ['src/domain', 'src/http']) {
    for (const f of readdirSync(path.join(ROOT, dir)).filter((x) => x.endsWith('.c'))) {
      const text = readFileSync(path.join(ROOT, dir, f), 'utf8');
      for (const m of text.matchAll(/json_object_get\([^,()]+, "([a-z_0-9]+)"\)|\{"([a-z_0-9]+)", J_[A-Z]+|req_(?:param|query)\w*\(r, "([a-z_0-9]+)"/g))
        names.add(m[1] || m[2] || m[3]);
    }
  }
  return [...names];
}

const HOSTILE = [null, [], { a: { b: [1] } }, '长x'.repeat(40), -1, 1e308, true, '2021-02-30', 'a\u0000b', '\ud800', '=1+1'];
const BODIES = [undefined, 'null', '[]', '"x"', '{"a":', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
  '['.repeat(3000) + ']'.repeat(3000), '{}'];
const JUNK_PATH = ['0', '%00', 'x'.repeat(300)];

let srv, ops, keys, clients;
before(async () => {
  srv = await startServer();
  ops = (await apiRoutes(srv)).map((op) => ({ ...op, roles: op.roles || ['admin'] })); // any logged-in role: the administrator
  keys = fieldNames();
  assert.ok(keys.length > 100, `${keys.length} field names read from the source`);
  clients = {};
  for (const u of Object.keys(DEMO_USERS)) clients[u] = await srv.login(u);
});
after(() => cleanup(srv));

// callers() is who tries op: a role it admits other than the applicant,
// and both applicants when applicants are admitted.
function callers(op) {
  const c = [];
  const official = Object.keys(DEMO_USERS).find((u) => DEMO_USERS[u] !== 'applicant' && op.roles.includes(DEMO_USERS[u]));
  if (official) c.push(clients[official]);
  if (op.roles.includes('applicant')) c.push(clients.ent, clients.person);
  return c;
}

// A logout or a change to the callers' own accounts would end the sweep's sessions.
const SKIP = /^\/api\/v1\/(session|me\/password|users\/\{username\}\/(password|disable|role|sessions\/end))$/;

function judge(bad, what, r) {
  if (r.status >= 500) bad.push(`${what} → ${r.status} ${r.text.slice(0, 160)}`);
  else if (r.status >= 400) {
    const e = r.body && r.body.error;
    if (!e || typeof e.code !== 'string' || !hasChinese(e.message) || !/[A-Za-z]{3}/.test(e.message_en || ''))
      bad.push(`${what} → ${r.status} without a JSON error in Chinese and English: ${r.text.slice(0, 160)}`);
  }
}

test('every write route answers hostile bodies with a client error in Chinese and English, never a server error', async () => {
  const bad = [];
  let n = 0;
  for (const op of ops.filter((o) => o.method !== 'GET' && !SKIP.test(o.path))) {
    const paths = op.path.includes('{') ? JUNK_PATH.slice(0, 2).map((j) => op.path.replace(/\{\w+\}/g, j)) : [op.path];
    for (const c of callers(op)) {
      for (const p of paths) {
        for (const b of p === paths[0] ? BODIES : []) {
          judge(bad, `${op.method} ${p} body ${String(b).slice(0, 12)}`, await c.api(op.method, p, b));
          n++;
        }
        for (const h of HOSTILE) {
          judge(bad, `${op.method} ${p} every field = ${JSON.stringify(h).slice(0, 16)}`,
            await c.api(op.method, p, Object.fromEntries(keys.map((k) => [k, h]))));
          n++;
        }
      }
    }
  }
  assert.ok(n > 1000, `${n} requests`);
  assert.deepEqual(bad, []);
});

test('every read route answers junk path and query parameters with a client error or an answer, never a server error', async () => {
  const bad = [];
  const query = keys.map((k, i) => `${k}=${encodeURIComponent(['-1', '99999999999999999999', '2021-02-30', '%', '\u0000', 'x'.repeat(300), '1e9', ''][i % 8])}`).join('&');
  for (const op of ops.filter((o) => o.method === 'GET')) {
    const paths = op.path.includes('{') ? JUNK_PATH.map((j) => op.path.replace(/\{\w+\}/g, j)) : [op.path];
    for (const c of callers(op)) {
      for (const p of paths) {
        judge(bad, `GET ${p}`, await c.get(p));
        judge(bad, `GET ${p}?(junk)`, await c.get(`${p}?${query}`));
      }
    }
  }
  assert.deepEqual(bad, []);
  const alive = await srv.api('GET', '/healthz');
  assert.equal(alive.status, 200, alive.text);
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
