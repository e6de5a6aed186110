// session.js — who is logged in. The user and the CSRF token come from the
// server (login or /me); the page never decides a permission from them, it
// only chooses what to show first. A 401 from any request clears the
// session and sends the user to the login page, which brings them back.
import { reactive } from 'vue';
import { api, setCsrf, setUnauthorizedHandler } from './api.js';

export const session = reactive({ user: null, loaded: false });

let router = null;
let loading = null;

// load() asks the server who we are (once; later calls share the answer).
export function loadSession(force = false) {
  if (loading && !force) return loading;
  loading = api.get('/me', { auth401: false })
    .then((r) => { session.user = r.user; setCsrf(r.csrf); })
    .catch(() => { session.user = null; setCsrf(''); })
    .finally(() => { session.loaded = true; });
  return loading;
}

export async function login(username, password) {
  const r = await api.post('/session', { username, password }, { auth401: false });
  session.user = r.user;
  session.loaded = true;
  setCsrf(r.csrf);
  loading = Promise.resolve();
  return r.user;
}

// logout() ends the session on the server (when there is one) and forgets it here.
export async function logout() {
  try {
    if (session.user) await api.del('/session', { auth401: false });
  } catch { /* the session may already be gone: forget it anyway */ }
  clearSession();
}

export function clearSession() {
  session.user = null;
  setCsrf('');
  loading = Promise.resolve();
}

export const hasRole = (...roles) => !!session.user && roles.includes(session.user.role);

// homeFor(user) is the first page of a role.
export function homeFor(u) {
  if (!u) return { name: 'home' };
  switch (u.role) {
    case 'applicant': return { name: 'my-cases' };
    case 'clerk': case 'approver': return { name: 'work' };
    case 'leader': case 'auditor': return { name: 'dashboard' };
    case 'admin': return { name: 'work' };
    default: return { name: 'home' };
  }
}

export function installSession(r) {
  router = r;
  setUnauthorizedHandler(() => {
    const cur = router.currentRoute.value;
    clearSession();
    if (cur.meta && cur.meta.kiosk) { router.replace({ name: 'kiosk' }); return; }
    if (cur.name !== 'login') router.replace({ name: 'login', query: { next: cur.fullPath, expired: '1' } });
  });
}
