/*
** router.c — the route table and the checks every API request passes, in a
** fixed order, before its handler runs (as Redis's processCommand does).
** They come in two phases, so that nothing is buffered for a request that
** will be refused anyway:
**   router_prepare()   (headers only, before any body is read)
**       match path → method → declared body size → authentication → role
**       → CSRF;
**   router_dispatch()  (once the body is complete)
**       actual body size → body kind (JSON object) → handler.
** Handlers therefore never re-check login, roles, CSRF or body limits.
** Also: the JSON error answer and the OpenAPI document built from the
** same tables, so the document cannot drift from what is served.
*/
#include "http.h"
#include "../base/jsonx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_TABLES 64
#define DEFAULT_BODY_MAX (64 * 1024)

static struct {
  const Route *routes;
  size_t n;
  const char *tag;
} tables[MAX_TABLES];
static int nTable;

/* The methods a route may have, in the order a 405's Allow header lists them. */
static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};

/* router_add() registers a static route table (kept by pointer). A
** method other than GET, POST, PUT, PATCH or DELETE is a programming error
** (the 405 answer's Allow header lists only those) and panics. */
void router_add(const Route *routes, size_t n, const char *tag) {
  if (nTable == MAX_TABLES) panic("too many route tables");
  for (size_t i = 0; i < n; i++) {
    size_t k = 0;
    while (k < XQ_COUNT(methods) && strcmp(methods[k], routes[i].method) != 0) k++;
    if (k == XQ_COUNT(methods)) panic("route %s: unknown method %s", routes[i].path, routes[i].method);
  }
  tables[nTable].routes = routes;
  tables[nTable].n = n;
  tables[nTable].tag = tag;
  nTable++;
}

int router_index(const Route *rt) {
  int base = 0;
  for (int t = 0; t < nTable; t++) {
    if (rt >= tables[t].routes && rt < tables[t].routes + tables[t].n)
      return base + (int)(rt - tables[t].routes);
    base += (int)tables[t].n;
  }
  return -1;
}

int router_count(void) {
  int n = 0;
  for (int t = 0; t < nTable; t++) n += (int)tables[t].n;
  return n;
}

void router_each(void (*fn)(const Route *rt, const char *tag, void *arg), void *arg) {
  for (int t = 0; t < nTable; t++)
    for (size_t i = 0; i < tables[t].n; i++) fn(&tables[t].routes[i], tables[t].tag, arg);
}

/* match() compares path with pattern segment by segment; on success it
** records the {name} segments in r (when r is not NULL). */
static bool match(const char *pattern, const char *path, Req *r) {
  const char *p = pattern, *s = path;
  int n = 0;
  while (*p && *s) {
    if (*p == '{') {
      const char *pe = strchr(p, '}');
      const char *se = strchr(s, '/');
      if (!pe) panic("bad route pattern %s", pattern);
      if (!se) se = s + strlen(s);
      if (se == s) return false;
      if (r) {
        if (n == REQ_MAX_PARAMS) panic("too many parameters in %s", pattern);
        /* The names live in the Req: its checks and its handler may run at
        ** different times on a thread that serves other requests between. */
        size_t nl = (size_t)(pe - p - 1);
        if (nl >= sizeof r->aParamName[n]) panic("parameter name too long in %s", pattern);
        memcpy(r->aParamName[n], p + 1, nl);
        r->aParamName[n][nl] = 0;
        r->aParam[n] = xstrndup(s, (size_t)(se - s));
      }
      n++;
      p = pe + 1;
      s = se;
      continue;
    }
    if (*p != *s) return false;
    p++, s++;
  }
  if (*p || *s) {
    if (r)
      for (int i = 0; i < n; i++) free(r->aParam[i]), r->aParam[i] = NULL;
    return false;
  }
  if (r) r->nParam = n;
  return true;
}

static int status_for_kind(eErr k) {
  switch (k) {
  case E_INVALID: return 400;
  case E_NOTFOUND: return 404;
  case E_CONFLICT: return 409;
  case E_FORBIDDEN: return 403;
  case E_AUTH: return 401;
  case E_LIMIT: return 429;
  case E_BUSY: return 503;
  default: return 500;
  }
}

/* req_error() answers e as {"error":{code,message,message_en,field}} (see
** http.h for the status), with errors: [{field, code, message,
** message_en, line (of an imported file, when there is one)}…] when e->all holds every error of a form. A 401 carries the WWW-Authenticate challenge that
** RFC 9110 requires. Should e not encode as JSON (text that is not valid
** UTF-8), the answer is a fixed error with the same status and e's code
** when that is valid, else "server.internal" — never an empty body. */
int req_error(Req *r, const Err *e) {
  int status = status_for_kind(e->kind);
  /* A body over the limit and a wrong media type have statuses of their own. */
  if (strcmp(e->code, "request.too_large") == 0) status = 413;
  else if (strcmp(e->code, "request.bad_content_type") == 0) status = 415;
  else if (strcmp(e->code, "route.bad_method") == 0) status = 405;
  if (e->kind == E_INTERNAL) log_warn("%s %s: %s (%s)", r->method, r->path, e->code, e->message_en);
  if (e->retry_after > 0) {
    char v[16];
    snprintf(v, sizeof v, "%d", e->retry_after);
    req_header(r, "Retry-After", v);
  }
  if (status == 401) req_header(r, "WWW-Authenticate", "Bearer realm=\"xinqu\"");
  json_t *err = json_pack("{s:s, s:s, s:s, s:s}", "code", e->code, "message", e->message,
                          "message_en", e->message_en, "field", e->field);
  if (!err) {
    bool code_ok = e->code[0] && utf8_valid(e->code, strlen(e->code));
    log_warn("%s %s: error %s cannot be encoded as JSON; answering a generic one", r->method,
             r->path, code_ok ? e->code : "(not UTF-8)");
    err = json_pack("{s:s, s:s, s:s, s:s}", "code", code_ok ? e->code : "server.internal",
                    "message", "请求未能完成", "message_en", "The request could not be completed",
                    "field", "");
    if (!err) panic("json_pack failed on a fixed error");
  }
  /* Every error of a form at once, when the validator gathered them. */
  if (e->all && e->all->n > 0) {
    json_t *list = json_array();
    for (int i = 0; i < e->all->n; i++) {
      const Err *x = &e->all->a[i];
      json_t *one = json_pack("{s:s, s:s, s:s, s:s}", "field", x->field, "code", x->code, "message", x->message,
                              "message_en", x->message_en);
      if (one && x->line > 0) json_object_set_new(one, "line", json_integer(x->line));
      if (one) json_array_append_new(list, one);
    }
    json_object_set_new(err, "errors", list);
  }
  return req_json(r, status, json_pack("{s:o}", "error", err));
}

int req_fail(Req *r, eErr kind, const char *code, const char *field, const char *zh,
             const char *en) {
  Err e = {0};
  err_set(&e, kind, code, field, zh, en);
  return req_error(r, &e);
}

int req_query_int(Req *r, const char *name, int64_t dflt, int64_t lo, int64_t hi, int64_t *out) {
  const char *v = req_query(r, name);
  char *end;
  if (!v || !*v) {
    *out = dflt;
    return 0;
  }
  errno = 0;
  long long x = strtoll(v, &end, 10);
  if (*end || errno || x < lo || x > hi) {
    char msg[2][160];
    snprintf(msg[0], sizeof msg[0], "参数 %s 应为 %lld–%lld 的整数", name, (long long)lo, (long long)hi);
    snprintf(msg[1], sizeof msg[1], "Parameter %s must be a whole number in %lld–%lld", name,
             (long long)lo, (long long)hi);
    req_fail(r, E_INVALID, "request.bad_param", name, msg[0], msg[1]);
    return -1;
  }
  *out = x;
  return 0;
}

int req_bytes(Req *r, int status, const char *mime, Buf *data) {
  if (r->out) json_decref(r->out);
  r->out = NULL;
  buf_free(&r->raw);
  r->raw = *data;
  memset(data, 0, sizeof *data);
  req_header(r, "Content-Type", mime);
  r->status = status;
  return status;
}

void req_disposition(Req *r, const char *how, const char *ascii, const char *name) {
  Buf b = {0};
  buf_appendf(&b, "%s; filename=\"", how);
  for (const unsigned char *p = (const unsigned char *)ascii; *p && b.n < 120; p++)
    buf_putc(&b, (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._", *p)
                     ? (char)*p
                     : '_');
  buf_puts(&b, "\"; filename*=UTF-8''");
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._", *p))
      buf_putc(&b, (char)*p);
    else
      buf_appendf(&b, "%%%02X", *p);
  }
  req_header(r, "Content-Disposition", buf_cstr(&b));
  buf_free(&b);
}

int req_json(Req *r, int status, json_t *out) {
  if (r->out) json_decref(r->out);
  r->out = out;
  r->status = status;
  return status;
}

static bool is_unsafe(const char *m) {
  return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* authenticate() fills r->user from the session cookie or a Bearer token.
** A token that is present but not valid leaves the caller anonymous. */
static void authenticate(Req *r) {
  const char *tok = NULL;
  const char *auth = req_header_in(r, "Authorization");
  bool api = false;
  r->csrf[0] = 0;
  if (auth && strncasecmp(auth, "Bearer ", 7) == 0) tok = auth + 7;
  else tok = req_cookie(r, "xq_session");
  if (!tok || strlen(tok) != 64) return;
  if (accounts_session(r->store, tok, &r->user, r->csrf, &api, NULL) != 0) {
    memset(&r->user, 0, sizeof r->user);
    r->csrf[0] = 0;
    return;
  }
  r->by_token = api;
}

/* Constant-time comparison of two NUL-terminated tokens. */
static bool token_eq(const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b);
  unsigned char d = (unsigned char)(na != nb);
  for (size_t i = 0; i < na && i < nb; i++) d |= (unsigned char)(a[i] ^ b[i]);
  return d == 0 && na > 0;
}

/* find() is the route for r's method and path (HEAD is served by a GET
** route), or NULL; *path_found tells whether some route has the path. */
static const Route *find(const Req *r, bool *path_found) {
  *path_found = false;
  for (int t = 0; t < nTable; t++)
    for (size_t i = 0; i < tables[t].n; i++) {
      const Route *rt = &tables[t].routes[i];
      if (!match(rt->path, r->path, NULL)) continue;
      *path_found = true;
      if (strcmp(rt->method, r->method) == 0 ||
          (strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
        return rt;
    }
  return NULL;
}

/* path_has_method() is true when a route for method matches path. */
static bool path_has_method(const char *path, const char *method) {
  for (int t = 0; t < nTable; t++)
    for (size_t i = 0; i < tables[t].n; i++)
      if (strcmp(tables[t].routes[i].method, method) == 0 &&
          match(tables[t].routes[i].path, path, NULL))
        return true;
  return false;
}

/* add_allow() adds the Allow header of a 405 (RFC 9110 §10.2.1): every
** method that some route serves at r's path, once each, in the order
** of methods[] (router_add() admits no other method). */
static void add_allow(Req *r) {
  Buf v = {0};
  for (size_t k = 0; k < XQ_COUNT(methods); k++)
    if (path_has_method(r->path, methods[k])) buf_appendf(&v, "%s%s", v.n ? ", " : "", methods[k]);
  req_header(r, "Allow", buf_cstr(&v));
  buf_free(&v);
}

/* declared_too_large() is true when the request declares a Content-Length
** above max (or one too large to read as a number). */
static bool declared_too_large(Req *r, size_t max) {
  const char *cl = req_header_in(r, "Content-Length");
  if (!cl) return false; /* none, or chunked: the server cuts the body at r->body_max */
  errno = 0;
  unsigned long long n = strtoull(cl, NULL, 10); /* MHD has refused a malformed one */
  return errno == ERANGE || n > max;
}

/* prepare() runs the checks that need only the request line and headers
** (see router_prepare()). Returns 0 to go on, else the refusal's status. */
static int prepare(Req *r) {
  const Route *rt;
  bool path_found;

  rt = find(r, &path_found);
  if (!rt && path_found) {
    add_allow(r);
    return req_fail(r, E_INVALID, "route.bad_method", NULL, "该地址不支持此请求方法",
                    "Method not allowed for this path");
  }
  if (!rt)
    return req_fail(r, E_NOTFOUND, "route.not_found", NULL, "没有这个接口", "No such endpoint");
  match(rt->path, r->path, r);
  r->route = rt;
  r->body_max = rt->body_max ? rt->body_max : DEFAULT_BODY_MAX;

  if (declared_too_large(r, r->body_max))
    return req_fail(r, E_INVALID, "request.too_large", NULL, "请求内容过大",
                    "The request body is too large");

  authenticate(r);
  if (!(rt->flags & R_PUBLIC)) {
    if (r->user.id == 0)
      return req_fail(r, E_AUTH, "auth.required", NULL, "请先登录", "Please log in first");
    if (rt->roles && !(rt->roles & r->user.role))
      return req_fail(r, E_FORBIDDEN, "auth.forbidden", NULL, "您的角色无权执行此操作",
                      "Your role may not do this");
    if (r->user.must_change && !(rt->flags & R_PWCHANGE))
      return req_fail(r, E_FORBIDDEN, "auth.password_change_required", NULL,
                      "请先修改密码（初始密码或管理员设置的密码须由本人更换）",
                      "Change your password first (an initial or administrator-set password must be replaced)");
  }
  if (is_unsafe(r->method) && !(rt->flags & R_NOCSRF) && r->user.id && !r->by_token) {
    const char *h = req_header_in(r, "X-CSRF-Token");
    if (!h || !token_eq(h, r->csrf))
      return req_fail(r, E_FORBIDDEN, "auth.csrf", NULL, "安全校验失败，请刷新页面后重试",
                      "CSRF check failed; reload the page and try again");
  }
  return 0;
}

/* router_prepare() — see http.h. A second call returns the first's verdict
** without checking again. */
bool router_prepare(Req *r) {
  if (r->status) return false;
  if (r->route) return true;
  return prepare(r) == 0;
}

/* dispatch() runs the checks that need the body, then the handler. */
static int dispatch(Req *r) {
  const Route *rt = r->route;
  Err e = {0};

  if (r->body_too_large || r->body.n > r->body_max)
    return req_fail(r, E_INVALID, "request.too_large", NULL, "请求内容过大",
                    "The request body is too large");
  if (rt->flags & R_JSON) {
    const char *ct = req_header_in(r, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0)
      return req_fail(r, E_INVALID, "request.bad_content_type", NULL,
                      "请求内容类型应为 application/json",
                      "Content-Type must be application/json");
    r->json = jsonx_parse(buf_cstr(&r->body), r->body.n, &e);
    if (!r->json) return req_error(r, &e);
  }
  return rt->handler(r);
}

/* router_dispatch() — see http.h. */
void router_dispatch(Req *r) {
  if (!router_prepare(r)) return; /* r holds the refusal */
  dispatch(r);
  if (r->status == 0)
    req_fail(r, E_NOTFOUND, "route.not_found", NULL, "没有这个接口", "No such endpoint");
}

/* OpenAPI ------------------------------------------------------------------ */

static void add_openapi(const Route *rt, const char *tag, void *arg) {
  json_t *paths = arg;
  json_t *item = json_object_get(paths, rt->path);
  if (!item) {
    item = json_object();
    json_object_set_new(paths, rt->path, item);
  }
  json_t *op = json_pack("{s:s, s:s, s:[s]}", "summary", rt->summary, "description",
                         rt->summary_en ? rt->summary_en : "", "tags", tag);
  json_t *params = json_array();
  for (const char *p = strchr(rt->path, '{'); p; p = strchr(p + 1, '{')) {
    const char *e = strchr(p, '}');
    json_array_append_new(params, json_pack("{s:s%, s:s, s:b, s:{s:s}}", "name", p + 1,
                                            (size_t)(e - p - 1), "in", "path", "required", 1,
                                            "schema", "type", "string"));
  }
  if (json_array_size(params)) json_object_set_new(op, "parameters", params);
  else json_decref(params);
  if (rt->flags & R_PUBLIC) json_object_set_new(op, "security", json_array());
  if (rt->roles) {
    json_t *roles = json_array();
    for (unsigned b = 1; b <= ROLE_ADMIN; b <<= 1)
      if (rt->roles & b) json_array_append_new(roles, json_string(accounts_role_name(b)));
    json_object_set_new(op, "x-roles", roles);
  }
  if (rt->flags & R_JSON)
    json_object_set_new(op, "requestBody",
                        json_pack("{s:b, s:{s:{s:{s:s}}}}", "required", 1, "content",
                                  "application/json", "schema", "type", "object"));
  json_object_set_new(op, "responses",
                      json_pack("{s:{s:s}, s:{s:s}}", "200", "description", "OK", "default",
                                "description", "JSON error {error:{code,message,message_en,field}}"));
  char m[8];
  size_t i;
  for (i = 0; rt->method[i] && i < sizeof m - 1; i++) m[i] = (char)(rt->method[i] | 0x20);
  m[i] = 0;
  json_object_set_new(item, m, op);
}

json_t *router_openapi(void) {
  json_t *paths = json_object();
  router_each(add_openapi, paths);
  return json_pack(
      "{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}, s:[{s:[]}, {s:[]}]}",
      "openapi", "3.0.3", "info", "title", "xinqu 新区政务服务平台 API", "version", "1",
      "description", "Every route of the xinqu server, generated from its route tables.", "paths",
      paths, "components", "securitySchemes", "cookie", "type", "apiKey", "in", "cookie", "name",
      "xq_session", "bearer", "type", "http", "scheme", "bearer", "security", "cookie", "bearer");
}

int req_answer(Req *r, int ok, json_t *out, const Err *e) {
  return out ? req_json(r, ok, out) : req_error(r, e);
}

int req_param_id(Req *r, const char *name, int64_t *id) {
  const char *v = req_param(r, name);
  char *end;
  *id = v ? strtoll(v, &end, 10) : 0;
  if (!v || !*v || *end || *id <= 0)
    return req_fail(r, E_NOTFOUND, "request.not_found", name, "没有找到", "Not found"), -1;
  return 0;
}
