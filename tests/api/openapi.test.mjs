// openapi.test.mjs — GET /api/v1/openapi.json is a valid OpenAPI 3 document
// that lists every route the server registers (read from the route tables
// in src/http/api_*.c, so a new table entry is checked without editing this
// file), and every route it lists is really served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, cleanup, ROOT, ROLES, hasChinese } from './lib.mjs';

let srv, doc;
before(async () => {
  srv = await startServer({ entities: 50, persons: 10 });
  const r = await srv.api('GET', '/api/v1/openapi.json');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  doc = r.body;
});
after(() => cleanup(srv));

// The route tables in the sources: {"METHOD", "/path", handler, …}.
function sourceRoutes() {
  const dir = path.join(ROOT, 'src/http');
  const out = [];
  for (const f of fs.readdirSync(dir).filter((f) => /^api_.*\.c$/.test(f))) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const re = /\{\s*"(GET|POST|PUT|PATCH|DELETE)"\s*,\s*"([^"]+)"\s*,/g;
    for (let m; (m = re.exec(text));) out.push({ file: f, method: m[1], path: m[2] });
  }
  return out;
}

test('the document has the shape of OpenAPI 3', () => {
  assert.match(doc.openapi, /^3\.\d+\.\d+$/);
  assert.equal(typeof doc.info, 'object');
  assert.ok(doc.info.title && typeof doc.info.title === 'string');
  assert.ok(doc.info.version !== undefined && typeof doc.info.version === 'string');
  assert.equal(typeof doc.paths, 'object');
  const schemes = doc.components?.securitySchemes || {};
  assert.ok(Object.keys(schemes).length >= 1, 'security schemes are declared');
  for (const [name, s] of Object.entries(schemes)) {
    assert.ok(['apiKey', 'http', 'oauth2', 'openIdConnect', 'mutualTLS'].includes(s.type), `${name}.type`);
    if (s.type === 'apiKey') assert.ok(['query', 'header', 'cookie'].includes(s.in) && s.name, name);
    if (s.type === 'http') assert.ok(s.scheme, name);
  }
  for (const req of doc.security || []) for (const k of Object.keys(req)) assert.ok(schemes[k], `security names ${k}`);
  for (const [p, item] of Object.entries(doc.paths)) {
    assert.ok(p.startsWith('/'), p);
    const names = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [m, op] of Object.entries(item)) {
      assert.ok(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'].includes(m), `${p}: ${m}`);
      assert.ok(op.responses && Object.keys(op.responses).length > 0, `${m} ${p}: responses`);
      for (const [code, resp] of Object.entries(op.responses)) {
        assert.ok(/^([1-5]\d\d|[1-5]XX|default)$/.test(code), `${m} ${p}: response ${code}`);
        assert.equal(typeof resp.description, 'string', `${m} ${p}: response ${code} description`);
      }
      assert.ok(hasChinese(op.summary), `${m} ${p}: a Chinese summary`);
      const params = (op.parameters || []).filter((x) => x.in === 'path').map((x) => x.name);
      assert.deepEqual(params.sort(), [...names].sort(), `${m} ${p}: path parameters declared`);
      for (const x of op.parameters || []) assert.ok(x.in !== 'path' || x.required === true, `${m} ${p}: ${x.name} required`);
      if (op.security) for (const req of op.security) for (const k of Object.keys(req)) assert.ok(schemes[k], `${m} ${p}: ${k}`);
      if (op['x-roles']) for (const r of op['x-roles']) assert.ok(ROLES.includes(r), `${m} ${p}: role ${r}`);
      if (op.requestBody) assert.ok(op.requestBody.content && Object.keys(op.requestBody.content).length, `${m} ${p}: requestBody content`);
    }
  }
});

test('every route in the source route tables is in the document, and nothing else', () => {
  const src = sourceRoutes();
  assert.ok(src.length >= 10, `routes found in src/http/api_*.c: ${src.length}`);
  const inDoc = [];
  for (const [p, item] of Object.entries(doc.paths)) for (const m of Object.keys(item)) inDoc.push(`${m.toUpperCase()} ${p}`);
  const inSrc = src.map((r) => `${r.method} ${r.path}`);
  for (const r of inSrc) assert.ok(inDoc.includes(r), `${r} is registered but missing from openapi.json`);
  for (const r of inDoc) assert.ok(inSrc.includes(r), `${r} is in openapi.json but in no route table`);
  assert.equal(new Set(inSrc).size, inSrc.length, 'no route is declared twice');
});

test('every documented route is served (no 404 route.not_found / 405)', async () => {
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const m of Object.keys(item)) {
      const target = p.replace(/\{[^}]+\}/g, '1');
      const r = await srv.api(m.toUpperCase(), target);
      assert.ok(!(r.status === 404 && r.body?.error?.code === 'route.not_found'), `${m} ${p} → ${r.text}`);
      assert.notEqual(r.status, 405, `${m} ${p}`);
    }
  }
});

test('unknown API paths and methods: JSON 404 / 405', async () => {
  const r = await srv.api('GET', '/api/v1/no-such-thing');
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'route.not_found');
  const m = await srv.api('PUT', '/api/v1/openapi.json');
  assert.equal(m.status, 405);
  assert.equal(m.body.error.code, 'route.bad_method');
});

test('the server stops cleanly on SIGTERM (exit status 0)', async () => {
  await srv.stop();
});
