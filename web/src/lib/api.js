// api.js — the one way the front end talks to the server: JSON over
// /api/v1 with the session cookie, and the CSRF token on every unsafe
// request. Errors come back as ApiError carrying the server's stable code,
// its Chinese and English messages and the field it is about. The server
// decides every permission; nothing here grants or hides anything on its own.
import { reactive } from 'vue';

export const BASE = '/api/v1';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// The CSRF token of the current session (from login or /me); memory only.
let csrf = '';
export function setCsrf(token) { csrf = token || ''; }
export function getCsrf() { return csrf; }

// Called with the ApiError of any 401 on a request that needs a session
// (set by the session module, which sends the user to the login page).
let onUnauthorized = null;
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

// Network and request counters, for a global progress indicator.
export const net = reactive({ pending: 0 });

export class ApiError extends Error {
  constructor(status, body, fallback) {
    const e = (body && body.error) || {};
    super(e.message || fallback || `请求失败（${status}）`);
    this.status = status;
    this.code = e.code || (status === 0 ? 'network' : `http.${status}`);
    this.zh = e.message || fallback || `请求失败（HTTP ${status}）`;
    this.en = e.message_en || fallback || `Request failed (HTTP ${status})`;
    this.field = e.field || null;
    this.retryAfter = e.retry_after || null;
    // Every bad field of a form at once ([{field, code, message, message_en}]),
    // when the server checked a whole form; the first is this error itself.
    this.errors = Array.isArray(e.errors) ? e.errors : null;
  }
  // text(locale) is the message to show in the user's language.
  text(locale) { return locale && locale.startsWith('en') ? this.en : this.zh; }
}

// request(method, path, body, opts) sends one request and resolves with the
// parsed JSON (or the Response with opts.raw). body: undefined, a Blob/File
// or ArrayBuffer (sent raw with opts.contentType), a string, or a value sent
// as JSON. opts.auth401 === false keeps a 401 from sending the user to login
// (the login form itself, the first /me probe).
export async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  if (UNSAFE.has(method) && csrf) headers['X-CSRF-Token'] = csrf;
  let payload;
  if (body instanceof Blob || body instanceof ArrayBuffer) {
    payload = body;
    headers['Content-Type'] = opts.contentType || (body.type || 'application/octet-stream');
  } else if (typeof body === 'string') {
    payload = body;
    headers['Content-Type'] = opts.contentType || 'text/plain; charset=utf-8';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  net.pending++;
  let res;
  try {
    res = await fetch(path.startsWith('/') && !path.startsWith(BASE) ? BASE + path : path, {
      method, headers, body: payload, credentials: 'same-origin', cache: 'no-store',
    });
  } catch (err) {
    throw new ApiError(0, null, '无法连接服务器，请检查网络 / Cannot reach the server');
  } finally {
    net.pending--;
  }
  if (opts.raw && res.ok) return res;
  const ct = res.headers.get('content-type') || '';
  let data = null;
  if (ct.includes('json')) {
    try { data = await res.json(); } catch { data = null; }
  } else if (!opts.raw) {
    await res.arrayBuffer();
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && opts.auth401 !== false && onUnauthorized) onUnauthorized(err);
    throw err;
  }
  return data;
}

export const api = {
  get: (p, o) => request('GET', p, undefined, o),
  post: (p, b, o) => request('POST', p, b === undefined ? {} : b, o),
  put: (p, b, o) => request('PUT', p, b, o),
  patch: (p, b, o) => request('PATCH', p, b, o),
  del: (p, o) => request('DELETE', p, undefined, o),
};

// qs(obj) is a query string of the members that are set ("" when none).
// download(path, fallback) fetches a file the server names in its
// Content-Disposition (filename*, e.g. 招商项目-20261205.xlsx) and saves it
// under that name; a refusal rejects with the ApiError, so the page shows
// it instead of saving an error as a file.
export async function download(path, fallback = 'download') {
  const res = await request('GET', path, undefined, { raw: true });
  const m = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') || '');
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = m ? decodeURIComponent(m[1]) : fallback;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function qs(obj) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(obj)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

// Paths of documents the browser opens itself (the cookie goes along).
// formPdfUrl(code, key, kind) is material key's 申请表 of item code, kind "blank" or "sample".
export const formPdfUrl = (code, key, kind) => `${BASE}/items/${encodeURIComponent(code)}/materials/${encodeURIComponent(key)}/${kind}.pdf`;
export const noticePdfUrl = (no, id) => `${BASE}/cases/${encodeURIComponent(no)}/notices/${encodeURIComponent(id)}/pdf`;
export const certPdfUrl = (code) => `${BASE}/certificates/${encodeURIComponent(code)}/pdf`;
