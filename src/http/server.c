/*
** server.c — the HTTP transport: libmicrohttpd workers fed by one acceptor,
** the limits every request passes before the router sees it, the static
** files of the web front end, and the request helpers that read from the
** connection.
**
** One request, in order (like Redis's processCommand, cheapest checks first):
**   uri_log()   MHD hands us the raw request target before decoding it; the
**               per-request context (ReqCtx, which embeds the Req) is made
**               here, noting a raw target that is too long or holds %00.
**   first call  (headers read) overload → 503 with Retry-After; target too
**               long → 414; not a valid UTF-8 absolute path → 400; %00 → 400
**               (API) or 404 (static); query not UTF-8 → 400; Content-Length
**               over max_body → 413. Then an API request goes through
**               router_prepare(): unknown route, method, declared length
**               over the route's limit, login, role, CSRF. Any refusal here
**               is answered at once and the body is never read (MHD closes
**               the connection after the answer rather than read it).
**   body calls  up to the limit — max_body, or the route's body_max when
**               smaller — bytes are kept in r->body; past that the rest is
**               discarded and r->body_too_large set (the router answers
**               413); past twice the limit the connection is dropped, so a
**               client cannot stream forever. (MHD 0.9 cannot queue an
**               answer in the middle of a body, so a chunked body that is
**               too large is cut this way rather than answered early.)
**   last call   /healthz and /api/… go to router_dispatch(); any other path
**               is a static file. The answer gets the security headers.
**   completed() frees the context, also for aborted connections, and
**               counts the request out of the in-flight total.
** Before all that, head_ok() refuses a request whose framing a proxy in
** front might read differently (two Content-Lengths, Content-Length with
** Transfer-Encoding, a coding other than chunked, control characters in a
** header) with Connection: close; and body_begin() reserves the body's
** bytes from the server's body budget.
** Header size is capped by MHD's per-connection memory limit (MHD answers
** 431/414 itself). Slow clients: MHD's idle timeout, and deadlines that
** trickling bytes cannot extend, enforced by reaper(): the request line and
** headers within header_timeout_s, a body within that plus its length at
** body_min_rate. Open connections are capped in total and per client
** address, with the last slots kept for addresses holding few
** (accept_ok()).
** Transport warnings go through warn(), which drops all but LOG_BURST a
** second.
**
** The workers are cfg.threads libmicrohttpd daemons of one thread each. One
** thread of ours, acceptor(), accepts every connection and hands it to the
** worker with the fewest connections open (MHD_add_connection()), so a
** connection never waits behind another while a worker is idle. (MHD's own
** thread pool lets its idle threads race to accept: at 64 connections some
** threads held two or three and served them one after the other, each
** request waiting behind another's commit, while a third of the threads had
** nothing to do; and MHD places a connection it is handed by its socket
** number, busy thread or not.) The limits on open connections, in total and
** per client address, are counted here over all the workers.
**
** server_stop() stops accepting (shutdown() on the listening socket ends
** acceptor() and makes the kernel refuse new connections rather than leave
** them in the backlog), waits up to STOP_WAIT_MS for requests in flight and
** for a quiet STOP_QUIET_MS in which no request began or ended, then stops.
** Answers given while stopping carry "Connection: close".
**
** Nothing here installs a signal handler; SIGPIPE is ignored so a client
** that hangs up during sendfile() cannot kill the process.
*/
#include "http.h"
#include "../base/jsonx.h"
#include "../base/netaddr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PATH_MAX_LEN 2048         /* longest path (raw or decoded) → else 414 */
#define TARGET_MAX_LEN 8192       /* longest request target with its query */
#define CONN_MEMORY (64 * 1024)   /* MHD memory per connection: caps headers */
#define PER_IP_MIN 8              /* connections one address may hold, at least (default) */
#define RESERVE_FEW 4             /* in the last eighth of the slots: addresses holding
                                     fewer connections than this still get one */
#define IP_BUCKETS 256            /* hash buckets of the per-address counts */
#define REAP_MS 100               /* how often reaper() looks for connections past
                                     their deadline */
#define NO_DEADLINE INT64_MAX     /* Conn.deadline_ms of a request being handled */
#define STOP_WAIT_MS 10000        /* how long server_stop() waits for requests */
#define STOP_QUIET_MS 250         /* … and for a pause in request activity */
#define LOG_BURST 10              /* transport warnings per second, at most */

#define TYPE_JSON "application/json; charset=utf-8"
#define CSP_HTML                                                                   \
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " \
  "script-src 'self'; frame-ancestors 'none'"
#define CSP_API "default-src 'none'; frame-ancestors 'none'"
#define CACHE_API "no-store"
#define CACHE_ASSET "public, max-age=31536000, immutable"
#define CACHE_STATIC "no-cache"

/* A worker: one libmicrohttpd daemon and its thread. */
typedef struct Worker {
  Server *srv;            /* the server it belongs to */
  struct MHD_Daemon *d;   /* the daemon, or NULL before it started */
  atomic_int nconn;       /* connections open on it */
} Worker;

/* Who a count is kept for: a client address (a[0] == 'i', then the
** address, IPv4 as ::ffff:a.b.c.d) or an account (a[0] == 'u', then its
** id). */
typedef struct Who {
  unsigned char a[17];
} Who;

/* What one client address or account holds. */
typedef struct IpCount {
  Who who;                /* whose counts these are */
  int n;                  /* connections open (addresses only) */
  size_t body;            /* body bytes reserved by its requests in flight */
  struct IpCount *next;   /* hash chain */
} IpCount;

/* One open connection as reaper() sees it: made when a worker starts the
** connection (conn_notify()), freed when it closes. The worker moves the
** deadline as the connection's request goes through its phases; reaper()
** shuts the socket down once the deadline has passed, and the worker then
** sees the end of the stream and closes the connection itself. */
typedef struct Conn {
  int fd;                      /* the connection's socket */
  _Atomic int64_t deadline_ms; /* mono_ms() past which it is cut; NO_DEADLINE: none */
  bool cut;                    /* reaper() has shut it down (under connMu) */
  struct Conn *prev, *next;    /* Server.conns (under connMu) */
} Conn;

struct Server {
  Worker *aWorker;        /* cfg.threads workers */
  int nWorker;            /* how many have started */
  unsigned next;          /* acceptor(): where least_loaded() looks first */
  Store *store;           /* handed to every request */
  ServerConfig cfg;       /* with defaults filled in; strings below */
  char *listen;           /* copy of cfg.listen */
  char *static_root;      /* realpath() of cfg.static_dir, or NULL: API only */
  int listen_fd;          /* our listening socket (blocking; acceptor() owns it) */
  pthread_t acceptor;     /* the thread that accepts connections */
  int port;               /* bound port */
  atomic_int inflight;    /* requests between first call and completion */
  atomic_int nconn;       /* open connections, all workers together */
  int reserve;            /* slots kept for addresses holding few connections */
  char *public_url;       /* cfg.public_url checked, or the default (owned) */
  pthread_mutex_t ipMu;   /* guards aIp and body_held */
  IpCount *aIp[IP_BUCKETS]; /* connections and body bytes per address or account */
  size_t body_held;       /* body bytes reserved, all requests together */
  pthread_mutex_t connMu; /* guards conns and every Conn's links and cut */
  Conn *conns;            /* open connections, for reaper() */
  pthread_t reaper;       /* the thread that cuts connections past their deadline */
  bool reaper_started;    /* reaper was created (joined by server_stop()) */
  atomic_bool reaper_quit;/* tells reaper() to end */
  NetBlock *aProxy;       /* the trusted reverse proxies (cfg.trusted_proxies) */
  int nProxy;             /* how many blocks in aProxy */
  _Atomic int64_t last_ms;/* mono_ms() when a request last began or ended */
  atomic_bool stopping;   /* server_stop() has begun */
  _Atomic int64_t log_sec;/* second (mono_ms()/1000) that log_n counts */
  atomic_int log_n;       /* warnings logged in that second */
  atomic_int log_dropped; /* warnings suppressed since the last one logged */
};

/* ReqCtx: what MHD keeps for us between calls of one request. The Req is
** the first member so a Req* handed out is also the context. */
typedef struct ReqCtx {
  Req r;            /* the request as the router and handlers see it */
  Server *srv;      /* the server it arrived at */
  bool started;     /* the access handler has had its first call */
  bool counted;     /* counted in srv->inflight; uncounted at completion */
  bool api;         /* /healthz or /api…: goes to the router */
  bool raw_nul;     /* the raw target contains %00 */
  bool raw_long;    /* the raw target or its path is too long */
  bool answered;    /* answered on the first call: any body is not ours */
  size_t limit;     /* body bytes kept at most (max_body or the route's) */
  size_t received;  /* body bytes received, kept or discarded */
  int64_t declared; /* the request's Content-Length, or -1 when it has none */
  bool chunked;     /* Transfer-Encoding: chunked */
  Conn *conn;       /* the connection's deadline (NULL if MHD gave none) */
  Who held_by;      /* whom the body reservation is counted for */
  size_t held;      /* body bytes reserved (body_release() at completion) */
  int64_t t0;       /* when the request line had been read (µs, monotonic) */
} ReqCtx;

/* warn() logs a transport warning, at most LOG_BURST a second: under a
** flood (overload, connection limits, MHD's own complaints) the log must
** not grow with the attack. The number suppressed is reported with the
** next warning that goes out. */
static void warn(Server *srv, const char *fmt, ...) XQ_PRINTF(2, 3);
static void warn(Server *srv, const char *fmt, ...) {
  int64_t sec = mono_ms() / 1000, was = atomic_load(&srv->log_sec);
  char msg[512];
  va_list ap;
  if (was != sec && atomic_compare_exchange_strong(&srv->log_sec, &was, sec))
    atomic_store(&srv->log_n, 0);
  if (atomic_fetch_add(&srv->log_n, 1) >= LOG_BURST) {
    atomic_fetch_add(&srv->log_dropped, 1);
    return;
  }
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  int dropped = atomic_exchange(&srv->log_dropped, 0);
  if (dropped) log_warn("http: %d warnings suppressed", dropped);
  log_warn("http: %s", msg);
}

/* ------------------------------------------------------------------------
** Request helpers (declared in http.h).
*/

/* req_param() returns the path parameter name matched by the router, or
** NULL. The pointer stays valid until the request completes. */
const char *req_param(Req *r, const char *name) {
  for (int i = 0; i < r->nParam; i++)
    if (strcmp(r->aParamName[i], name) == 0) return r->aParam[i];
  return NULL;
}

/* req_query() returns the decoded query parameter name, or NULL when absent
** (a parameter given without '=' reads as ""). The server has checked that
** every query parameter is valid UTF-8. No allocation. */
const char *req_query(Req *r, const char *name) {
  const char *v;
  if (!r->conn) return NULL;
  if (MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, name, strlen(name), &v,
                                    NULL) != MHD_YES)
    return NULL;
  return v ? v : "";
}

/* req_header_in() returns the request header name (case-insensitive), or
** NULL. No allocation. */
const char *req_header_in(Req *r, const char *name) {
  if (!r->conn) return NULL;
  return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* req_cookie() returns the value of cookie name, or NULL. No allocation. */
const char *req_cookie(Req *r, const char *name) {
  if (!r->conn) return NULL;
  return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

/* header_name_ok() is true for an RFC 9110 token. */
static bool header_name_ok(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (!(*s > 0x20 && *s < 0x7f) || strchr("\"(),/:;<=>?@[\\]{}", *s)) return false;
  return true;
}

/* req_header() adds the response header name: value (both copied). A name
** that is not a header token, or more than REQ_MAX_HDRS headers, is a
** programming error and panics. Control characters in value (CR and LF
** above all) become spaces, so a value built from input cannot split the
** response. */
void req_header(Req *r, const char *name, const char *value) {
  if (r->nHdr >= REQ_MAX_HDRS) panic("more than %d response headers", REQ_MAX_HDRS);
  if (!header_name_ok(name)) panic("bad response header name \"%s\"", name);
  char *v = xstrdup(value);
  for (char *p = v; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) *p = ' ';
  r->aHdrName[r->nHdr] = xstrdup(name);
  r->aHdrValue[r->nHdr] = v;
  r->nHdr++;
}

/* req_free() releases everything r owns: the body, the raw answer, the
** JSON answer and parsed body, path parameter values and response headers.
** r itself is not freed; the freed members are left empty, so calling
** req_free() twice is harmless. */
void req_free(Req *r) {
  buf_free(&r->body);
  buf_free(&r->raw);
  if (r->out) json_decref(r->out);
  if (r->json) json_decref(r->json);
  r->out = r->json = NULL;
  for (int i = 0; i < REQ_MAX_PARAMS; i++) {
    free(r->aParam[i]);
    r->aParam[i] = NULL;
    r->aParamName[i][0] = 0;
  }
  r->nParam = 0;
  for (int i = 0; i < r->nHdr; i++) {
    free(r->aHdrName[i]);
    free(r->aHdrValue[i]);
    r->aHdrName[i] = r->aHdrValue[i] = NULL;
  }
  r->nHdr = 0;
}

/* ------------------------------------------------------------------------
** Answers.
*/

/* fail() sets r's answer to the JSON error {"error":{…}} with status; the
** same shape as req_error() in router.c, made here so the transport's own
** refusals do not depend on the router. */
static void fail(Req *r, int status, const char *code, const char *zh, const char *en) {
  if (r->out) json_decref(r->out);
  r->out = json_pack("{s:{s:s, s:s, s:s, s:s}}", "error", "code", code, "message", zh,
                     "message_en", en, "field", "");
  if (!r->out) panic("json_pack failed for %s", code);
  r->status = status;
}

static void fail_notfound(Req *r) {
  fail(r, 404, "static.not_found", "找不到该页面", "Page not found");
}

/* add_default() adds name: value unless the response already has name
** (a handler's own header wins over the server's default). */
static void add_default(struct MHD_Response *resp, const char *name, const char *value) {
  if (MHD_get_response_header(resp, name)) return;
  if (MHD_add_response_header(resp, name, value) != MHD_YES)
    log_warn("http: could not add header %s", name);
}

/* finish() adds r's headers and the security headers, queues resp with
** status and drops our reference to it. type (NULL: none) and cache are
** the Content-Type and Cache-Control defaults; json marks an API answer. */
static enum MHD_Result finish(ReqCtx *c, int status, struct MHD_Response *resp,
                              const char *type, const char *cache, bool json) {
  Req *r = &c->r;
  enum MHD_Result ret;
  for (int i = 0; i < r->nHdr; i++)
    if (MHD_add_response_header(resp, r->aHdrName[i], r->aHdrValue[i]) != MHD_YES)
      log_warn("http: %s %s: header %s refused", r->method, r->path, r->aHdrName[i]);
  if (type) add_default(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  add_default(resp, "X-Content-Type-Options", "nosniff");
  add_default(resp, "Referrer-Policy", "same-origin");
  add_default(resp, "X-Frame-Options", "DENY");
  add_default(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cache);
  type = MHD_get_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE);
  if (type && (strncasecmp(type, "text/html", 9) == 0 || strncasecmp(type, "image/svg", 9) == 0))
    add_default(resp, "Content-Security-Policy", CSP_HTML);
  else if (json)
    add_default(resp, "Content-Security-Policy", CSP_API);
  if (atomic_load(&c->srv->stopping)) add_default(resp, MHD_HTTP_HEADER_CONNECTION, "close");
  if (status >= 500 && status != 503) warn(c->srv, "%s %s → %d", r->method, r->path, status);
  ret = MHD_queue_response(r->conn, (unsigned)status, resp);
  MHD_destroy_response(resp);
  return ret;
}

/* answer() sends what r holds: r->out as compact JSON (UTF-8 kept as is,
** reals in their shortest form: jsonx_dumps()), else r->raw typed
** r->raw_type. Status 0 without an answer is a 404. */
static enum MHD_Result answer(ReqCtx *c) {
  Req *r = &c->r;
  struct MHD_Response *resp;
  const char *type = TYPE_JSON;
  bool json = true;

  if (r->status == 0 && !r->out && r->raw.n == 0)
    fail(r, 404, "route.not_found", "没有这个接口", "No such endpoint");
  if (r->status == 0) r->status = 404;
  if (r->out) {
    char *s = jsonx_dumps(r->out, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!s) {
      log_error("http: %s %s: answer cannot be encoded as JSON", r->method, r->path);
      fail(r, 500, "server.internal", "服务器内部错误", "Internal server error");
      s = json_dumps(r->out, JSON_COMPACT);
      if (!s) panic("json_dumps failed on an error answer");
    }
    resp = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
  } else {
    size_t n = r->raw.n;
    resp = MHD_create_response_from_buffer(n, buf_detach(&r->raw), MHD_RESPMEM_MUST_FREE);
    type = r->raw_type ? r->raw_type : n ? "application/octet-stream" : NULL;
    json = false;
  }
  if (!resp) panic("MHD_create_response_from_buffer failed");
  return finish(c, r->status, resp, type, CACHE_API, json);
}

/* ------------------------------------------------------------------------
** Static files.
*/

static const struct {
  const char *ext;
  const char *type;
} mime[] = {
    {"css", "text/css; charset=utf-8"},
    {"gif", "image/gif"},
    {"htm", "text/html; charset=utf-8"},
    {"html", "text/html; charset=utf-8"},
    {"ico", "image/x-icon"},
    {"jpeg", "image/jpeg"},
    {"jpg", "image/jpeg"},
    {"js", "text/javascript; charset=utf-8"},
    {"json", TYPE_JSON},
    {"map", TYPE_JSON},
    {"mjs", "text/javascript; charset=utf-8"},
    {"pdf", "application/pdf"},
    {"png", "image/png"},
    {"svg", "image/svg+xml"},
    {"txt", "text/plain; charset=utf-8"},
    {"wasm", "application/wasm"},
    {"webp", "image/webp"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
};

/* mime_type() is the Content-Type for file name path, by its extension. */
static const char *mime_type(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *dot = strrchr(slash ? slash : path, '.');
  if (dot)
    for (size_t i = 0; i < XQ_COUNT(mime); i++)
      if (strcasecmp(dot + 1, mime[i].ext) == 0) return mime[i].type;
  return "application/octet-stream";
}

/* static_path_ok() accepts a decoded path only when every segment is plain:
** no segment that begins with '.' (so no "..", ".", ".git"), no backslash,
** no control character, and no '%' — a '%' left after MHD decoded the path
** once is an encoded form trying to survive (%252e%252e). */
static bool static_path_ok(const char *path) {
  if (path[0] != '/') return false;
  for (const char *p = path; *p; p++) {
    unsigned char ch = (unsigned char)*p;
    if (ch < 0x20 || ch == 0x7f || ch == '\\' || ch == '%') return false;
    if (ch == '/' && p[1] == '.') return false;
  }
  return true;
}

/* inside_root() is true when real (a realpath) is root or below it. */
static bool inside_root(const char *root, const char *real) {
  size_t n = strlen(root);
  return strncmp(root, real, n) == 0 && (real[n] == 0 || real[n] == '/');
}

/* open_static() opens the regular file root+rel, refusing anything whose
** real path leaves root. Returns the descriptor (and fills *st and *real,
** which the caller frees) or -1. Never blocks on a FIFO. */
static int open_static(const char *root, const char *rel, struct stat *st, char **real) {
  char *full = xasprintf("%s%s", root, rel);
  int fd = -1;
  *real = realpath(full, NULL);
  if (!*real) goto out;
  if (!inside_root(root, *real)) goto fail;
  fd = open(*real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) goto fail;
  if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
    close(fd);
    fd = -1;
    goto fail;
  }
  goto out;
fail:
  free(*real);
  *real = NULL;
out:
  free(full);
  return fd;
}

/* serve_static() answers a non-API path from the static folder: the file
** itself; "/" and "/dir/" as their index.html; a missing path whose last
** segment has no extension as /index.html (the single-page app's router
** handles it). Everything else, refused paths included, is a JSON 404:
** the same answer for "forbidden" and "missing", so nothing can be probed. */
#define NO_FRONTEND_PAGE                                                                    \
  "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"                       \
  "<meta name=\"viewport\" content=\"width=device-width\"><title>xinqu 新区</title></head>"   \
  "<body style=\"font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.6\">"    \
  "<h1>xinqu 新区政务服务平台</h1>"                                                           \
  "<p>服务正在运行，但网页前端尚未构建（没有 web/dist 目录）。接口说明见 "                       \
  "<a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>，健康检查见 "                     \
  "<a href=\"/healthz\">/healthz</a>。</p>"                                                     \
  "<p lang=\"en\">The server is running, but no web front end has been built (there is no "    \
  "web/dist folder). The API is described at <a href=\"/api/v1/openapi.json\">"                \
  "/api/v1/openapi.json</a>.</p></body></html>"

static enum MHD_Result serve_static(ReqCtx *c) {
  Req *r = &c->r;
  Server *srv = c->srv;
  struct stat st;
  char *real = NULL, *rel = NULL;
  const char *last, *cache;
  int fd = -1;
  enum MHD_Result ret;

  if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
    req_header(r, "Allow", "GET, HEAD");
    fail(r, 405, "route.bad_method", "该地址不支持此请求方法", "Method not allowed for this path");
    goto answer;
  }
  if (r->body_too_large) {
    fail(r, 413, "request.too_large", "请求内容过大", "The request body is too large");
    goto answer;
  }
  if (!srv->static_root && strcmp(r->path, "/") == 0) {
    /* No web front end built: say so to a person who opens the address. */
    buf_puts(&r->raw, NO_FRONTEND_PAGE);
    r->raw_type = "text/html; charset=utf-8";
    r->status = 200;
    goto answer;
  }
  if (!srv->static_root || c->raw_nul || !static_path_ok(r->path)) {
    fail_notfound(r);
    goto answer;
  }
  size_t n = strlen(r->path);
  rel = r->path[n - 1] == '/' ? xasprintf("%sindex.html", r->path) : xstrdup(r->path);
  fd = open_static(srv->static_root, rel, &st, &real);
  if (fd < 0) {
    last = strrchr(r->path, '/');
    if (strchr(last, '.')) {
      fail_notfound(r);
      goto answer;
    }
    fd = open_static(srv->static_root, "/index.html", &st, &real);
    if (fd < 0) {
      fail_notfound(r);
      goto answer;
    }
  }
  struct MHD_Response *resp = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
  if (!resp) {
    close(fd);
    fail(r, 500, "server.internal", "服务器内部错误", "Internal server error");
    goto answer;
  }
  /* Vite puts content-hashed names under /assets/: they never change. */
  cache = strncmp(real + strlen(srv->static_root), "/assets/", 8) == 0 ? CACHE_ASSET : CACHE_STATIC;
  ret = finish(c, 200, resp, mime_type(real), cache, false);
  goto out;
answer:
  ret = answer(c);
out:
  free(real);
  free(rel);
  return ret;
}

/* ------------------------------------------------------------------------
** What clients hold: connections per address, body bytes per caller, and
** the deadlines of open connections.
*/

/* who_addr() fills *w for the address of sa. False for an address other
** than IPv4 or IPv6 (not counted). */
static bool who_addr(const struct sockaddr *sa, Who *w) {
  memset(w, 0, sizeof *w);
  w->a[0] = 'i';
  if (!sa) return false;
  if (sa->sa_family == AF_INET6) {
    memcpy(w->a + 1, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
  } else if (sa->sa_family == AF_INET) {
    w->a[11] = w->a[12] = 0xff;
    memcpy(w->a + 13, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
  } else {
    return false;
  }
  return true;
}

/* who_conn() fills *w for the TCP peer address of conn (false: not counted). */
static bool who_conn(struct MHD_Connection *conn, Who *w) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  return who_addr(ci ? ci->client_addr : NULL, w);
}

/* tally() finds what w holds, making an empty entry when make is true,
** and returns it (NULL: none). The caller holds ipMu. */
static IpCount *tally(Server *srv, const Who *w, bool make) {
  IpCount **pp = &srv->aIp[fnv1a(w->a, sizeof w->a) % IP_BUCKETS];
  while (*pp && memcmp((*pp)->who.a, w->a, sizeof w->a) != 0) pp = &(*pp)->next;
  if (!*pp && make) {
    *pp = xcalloc(1, sizeof **pp);
    (*pp)->who = *w;
  }
  return *pp;
}

/* tally_drop() frees w's entry once it holds nothing. The caller holds ipMu. */
static void tally_drop(Server *srv, const Who *w) {
  IpCount **pp = &srv->aIp[fnv1a(w->a, sizeof w->a) % IP_BUCKETS];
  while (*pp && memcmp((*pp)->who.a, w->a, sizeof w->a) != 0) pp = &(*pp)->next;
  if (*pp && (*pp)->n <= 0 && (*pp)->body == 0) {
    IpCount *gone = *pp;
    *pp = gone->next;
    free(gone);
  }
}

/* ip_count() adds delta (1 or -1) to the connections open from the address
** of sa and returns the new count; delta 0 only reads it. Addresses other
** than IPv4 and IPv6 are not counted. */
static int ip_count(Server *srv, const struct sockaddr *sa, int delta) {
  Who w;
  int n = 0;
  if (!who_addr(sa, &w)) return 0;
  pthread_mutex_lock(&srv->ipMu);
  IpCount *t = tally(srv, &w, delta > 0);
  if (t) {
    t->n += delta;
    if (t->n < 0) t->n = 0;
    n = t->n;
    tally_drop(srv, &w);
  }
  pthread_mutex_unlock(&srv->ipMu);
  return n;
}

/* body_reserve() reserves n body bytes for w: 0 when done; 503 when the
** server's body_budget would be passed; 429 when w already holds bytes and
** would pass a quarter of the budget (one body, up to its route's limit, is
** always let through while the budget allows). */
static int body_reserve(Server *srv, const Who *w, size_t n) {
  int rc = 0;
  pthread_mutex_lock(&srv->ipMu);
  IpCount *t = tally(srv, w, false);
  size_t mine = t ? t->body : 0;
  if (srv->body_held + n > srv->cfg.body_budget) rc = 503;
  else if (mine > 0 && mine + n > srv->cfg.body_budget / 4) rc = 429;
  else {
    tally(srv, w, true)->body += n;
    srv->body_held += n;
  }
  pthread_mutex_unlock(&srv->ipMu);
  return rc;
}

/* body_release() gives back n bytes body_reserve() reserved for w. */
static void body_release(Server *srv, const Who *w, size_t n) {
  pthread_mutex_lock(&srv->ipMu);
  IpCount *t = tally(srv, w, false);
  if (ALWAYS(t && t->body >= n)) {
    t->body -= n;
    tally_drop(srv, w);
  }
  srv->body_held -= n;
  pthread_mutex_unlock(&srv->ipMu);
}

/* conn_deadline() gives connection k until ms from now (NO_DEADLINE: no
** deadline). k may be NULL. */
static void conn_deadline(Conn *k, int64_t ms) {
  if (!k) return;
  atomic_store(&k->deadline_ms, ms == NO_DEADLINE ? NO_DEADLINE : mono_ms() + ms);
}

/* reaper() is the thread that cuts connections past their deadline (see
** Conn): every REAP_MS it shuts down the socket of each one, once. The
** list and a Conn's fd change only under connMu, and a worker takes a
** Conn out of the list (conn_notify()) before MHD closes its socket, so
** a descriptor shut down here is always that connection's. */
static void *reaper(void *arg) {
  Server *srv = arg;
  pthread_setname_np(pthread_self(), "xq-reaper");
  while (!atomic_load(&srv->reaper_quit)) {
    struct timespec ts = {0, REAP_MS * 1000 * 1000};
    nanosleep(&ts, NULL);
    int64_t now = mono_ms();
    int cut = 0;
    pthread_mutex_lock(&srv->connMu);
    for (Conn *k = srv->conns; k; k = k->next) {
      if (k->cut || atomic_load(&k->deadline_ms) >= now) continue;
      shutdown(k->fd, SHUT_RDWR);
      k->cut = true;
      cut++;
    }
    pthread_mutex_unlock(&srv->connMu);
    if (cut) warn(srv, "%d connection(s) too slow with a request's head or body: closed", cut);
  }
  return NULL;
}

/* HeadScan: what head_scan() saw in a request's header fields. */
typedef struct HeadScan {
  int nLength;          /* Content-Length fields */
  int nCoding;          /* Transfer-Encoding fields */
  const char *length;   /* the last Content-Length value */
  const char *coding;   /* the last Transfer-Encoding value */
  bool bad_char;        /* a name or value held a control character (NUL, bare CR …) */
} HeadScan;

/* head_scan() is an MHD iterator over every header field, duplicates
** included, filling the HeadScan at cls. */
static enum MHD_Result head_scan(void *cls, enum MHD_ValueKind kind, const char *key,
                                 size_t key_size, const char *value, size_t value_size) {
  HeadScan *h = cls;
  (void)kind;
  for (size_t i = 0; i < key_size; i++)
    if ((unsigned char)key[i] <= 0x20 || key[i] == 0x7f) h->bad_char = true;
  for (size_t i = 0; value && i < value_size; i++)
    if (((unsigned char)value[i] < 0x20 && value[i] != '\t') || value[i] == 0x7f) h->bad_char = true;
  if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) h->nLength++, h->length = value;
  if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) h->nCoding++, h->coding = value;
  return MHD_YES;
}

/* refuse() answers a request whose framing cannot be trusted: status with
** the error code, and the connection closed after it, so that nothing
** after this request on the connection (a smuggled second request) is
** ever read. */
static void refuse(Req *r, int status, const char *code, const char *zh, const char *en) {
  fail(r, status, code, zh, en);
  req_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
}

/* head_ok() checks the framing of a request before anything else (RFC 9112
** §6.3), so that a proxy in front and this server cannot read one stream
** as different requests: one Content-Length at most, digits only; a
** Transfer-Encoding only alone (never with a Content-Length) and only
** "chunked"; no control character other than TAB in any header field.
** Sets c->declared and c->chunked. False when r holds the refusal (400,
** or 501 for a transfer coding we do not know), which closes the
** connection. */
static bool head_ok(ReqCtx *c, struct MHD_Connection *conn) {
  Req *r = &c->r;
  HeadScan h = {0};
  MHD_get_connection_values_n(conn, MHD_HEADER_KIND, head_scan, &h);
  if (h.bad_char) {
    refuse(r, 400, "request.bad_header", "请求头含有不允许的控制字符（如 NUL 或单独的 CR）",
           "A header field holds a control character (such as NUL or a bare CR)");
    return false;
  }
  if (h.nLength > 1 || (h.nLength == 1 && h.nCoding > 0)) {
    refuse(r, 400, "request.bad_length",
           h.nLength > 1 ? "请求含有多个 Content-Length 头" : "请求同时含有 Content-Length 与 Transfer-Encoding",
           h.nLength > 1 ? "The request has more than one Content-Length"
                         : "The request has both a Content-Length and a Transfer-Encoding");
    return false;
  }
  if (h.nLength == 1) {
    size_t n = strlen(h.length);
    if (n == 0 || n > 18 || strspn(h.length, "0123456789") != n) {
      refuse(r, 400, "request.bad_length", "Content-Length 应为十进制数字",
             "Content-Length must be decimal digits");
      return false;
    }
    c->declared = strtoll(h.length, NULL, 10);
  }
  if (h.nCoding > 0) {
    const char *v = h.coding;
    size_t n = strlen(v);
    while (*v == ' ' || *v == '\t') v++, n--;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    if (h.nCoding > 1 || n != 7 || strncasecmp(v, "chunked", 7) != 0) {
      refuse(r, 501, "request.bad_transfer_encoding", "只支持 Transfer-Encoding: chunked",
             "Only Transfer-Encoding: chunked is supported");
      return false;
    }
    c->chunked = true;
  }
  return true;
}

/* body_begin() runs once a request has passed every check of its head: it
** gives the connection its deadline for the body (none without a body:
** the request is ours to answer) and reserves the bytes an API body may
** hold (its Content-Length, or chunked its limit) from the body budget,
** for the account when the caller is logged in, else the address. False
** when r now holds a refusal: 503 server.busy (the server's budget) or
** 429 rate.limited (the caller's share), with Retry-After. */
static bool body_begin(ReqCtx *c, struct MHD_Connection *conn) {
  Server *srv = c->srv;
  Req *r = &c->r;
  size_t expect = c->declared >= 0 ? (size_t)c->declared : c->chunked ? c->limit : 0;
  if (expect == 0) {
    conn_deadline(c->conn, NO_DEADLINE);
    return true;
  }
  conn_deadline(c->conn, (int64_t)srv->cfg.header_timeout_s * 1000 +
                             (int64_t)(expect / srv->cfg.body_min_rate) * 1000);
  if (!c->api) return true; /* a static file's body is counted, not kept */
  if (expect > c->limit) expect = c->limit;
  Who w;
  if (r->user.id > 0) {
    memset(&w, 0, sizeof w);
    w.a[0] = 'u';
    memcpy(w.a + 1, &r->user.id, sizeof r->user.id);
  } else if (!who_conn(conn, &w)) {
    return true;
  }
  int rc = body_reserve(srv, &w, expect);
  if (rc == 0) {
    c->held_by = w;
    c->held = expect;
    return true;
  }
  conn_deadline(c->conn, NO_DEADLINE);
  req_header(r, "Retry-After", "5");
  if (rc == 503) {
    warn(srv, "request bodies in flight reached the budget (%zu bytes), answering 503",
         srv->cfg.body_budget);
    refuse(r, 503, "server.busy", "服务器正在接收的上传过多，请稍后再试",
           "The server is receiving too many uploads; try again later");
  } else {
    refuse(r, 429, "rate.limited", "您已有多个上传正在进行，请等它们完成后再试",
           "You have several uploads in progress; try again when they have finished");
  }
  return false;
}

/* ------------------------------------------------------------------------
** MHD callbacks.
*/

/* Each MHD thread keeps the context of its last finished request for its
** next one (freed with the thread). A context is over a kilobyte: made with
** calloc for every request, it sent glibc through malloc_consolidate() each
** time (6% of an authenticated GET's CPU). */
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static void spare_init(void) {
  if (pthread_key_create(&spare_key, free) != 0) panic("pthread_key_create");
}

/* ctx_new() is a zeroed request context: the thread's spare, or a new one. */
static ReqCtx *ctx_new(void) {
  pthread_once(&spare_once, spare_init);
  ReqCtx *c = pthread_getspecific(spare_key);
  if (!c) return xcalloc(1, sizeof *c);
  pthread_setspecific(spare_key, NULL);
  memset(c, 0, sizeof *c);
  return c;
}

/* ctx_free() keeps c as the thread's spare, or frees it. */
static void ctx_free(ReqCtx *c) {
  pthread_once(&spare_once, spare_init);
  if (pthread_getspecific(spare_key) || pthread_setspecific(spare_key, c) != 0) free(c);
}

/* uri_log() runs once per request, before MHD decodes the target: it makes
** the request's context and notes what decoding would hide. MHD calls
** completed() for it whatever happens next. */
static void *uri_log(void *cls, const char *uri, struct MHD_Connection *conn) {
  ReqCtx *c = ctx_new();
  size_t path_len = strcspn(uri, "?");
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  c->t0 = mono_us();
  c->srv = cls;
  c->declared = -1;
  /* The request line is in: the rest of the head has header_timeout_s. */
  c->conn = ci ? ci->socket_context : NULL;
  conn_deadline(c->conn, (int64_t)c->srv->cfg.header_timeout_s * 1000);
  c->raw_long = path_len > PATH_MAX_LEN || strlen(uri) > TARGET_MAX_LEN;
  c->raw_nul = strstr(uri, "%00") != NULL;
  return c;
}

/* completed() frees the request's context, however the request ended. */
static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe) {
  ReqCtx *c = *con_cls;
  Server *srv = cls;
  (void)conn;
  if (!c) return;
  store_read_end(srv->store); /* a request that ended before its last call */
  if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK) metrics_record(c->r.route, mono_us() - c->t0);
  if (c->counted) atomic_fetch_sub(&srv->inflight, 1);
  if (c->held) body_release(srv, &c->held_by, c->held);
  /* A kept-alive connection waits for its next request line at most as
  ** long as it may sit idle. (MHD calls this before it reports the
  ** connection closed, so c->conn is still there.) */
  conn_deadline(c->conn, (int64_t)srv->cfg.timeout_s * 1000);
  atomic_store(&srv->last_ms, mono_ms());
  req_free(&c->r);
  ctx_free(c);
  *con_cls = NULL;
}

/* query_ok() is an MHD iterator: it clears *(bool *)cls and stops at the
** first query parameter whose name or value is not valid UTF-8. */
static enum MHD_Result query_ok(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value) {
  bool *ok = cls;
  (void)kind;
  if (utf8_valid(key, strlen(key)) && (!value || utf8_valid(value, strlen(value))))
    return MHD_YES;
  *ok = false;
  return MHD_NO;
}

/* forwarded_for() joins every X-Forwarded-For header of a request, in
** order, with commas (MHD's iterator callback; cls is a Buf). */
static enum MHD_Result forwarded_for(void *cls, enum MHD_ValueKind kind, const char *key,
                                     const char *value) {
  Buf *b = cls;
  (void)kind;
  if (value && strcasecmp(key, "X-Forwarded-For") == 0) buf_appendf(b, "%s%s", b->n ? "," : "", value);
  return MHD_YES;
}

/* client_ip() sets r->ip to the client's address and r->https. The client
** is the TCP peer, unless the peer is a trusted proxy: then it is the
** rightmost address of X-Forwarded-For that is not a trusted proxy (each
** proxy appends the address it got the request from, so the addresses to
** the left of the first untrusted one are the client's own say). An entry
** that is not an address stops the walk at the last trusted one. Only a
** trusted peer's X-Forwarded-Proto is believed: its first value "https"
** sets r->https. */
static void client_ip(Server *srv, struct MHD_Connection *conn, Req *r) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  const struct sockaddr *sa = ci ? ci->client_addr : NULL;
  unsigned char a[16], hop[16];
  snprintf(r->ip, sizeof r->ip, "?");
  r->https = false;
  if (!sa) return;
  if (sa->sa_family == AF_INET6) {
    memcpy(a, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
  } else if (sa->sa_family == AF_INET) {
    memset(a, 0, 10);
    a[10] = a[11] = 0xff;
    memcpy(a + 12, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
  } else {
    return;
  }
  if (srv->nProxy && netaddr_in(srv->aProxy, srv->nProxy, a)) {
    Buf xff = {0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, forwarded_for, &xff);
    for (size_t end = xff.n; end > 0;) {
      size_t start = end;
      while (start > 0 && xff.a[start - 1] != ',') start--;
      size_t s0 = start, e0 = end;
      while (s0 < e0 && (xff.a[s0] == ' ' || xff.a[s0] == '\t')) s0++;
      while (e0 > s0 && (xff.a[e0 - 1] == ' ' || xff.a[e0 - 1] == '\t')) e0--;
      if (netaddr_parse(xff.a + s0, e0 - s0, hop) != 0) break;
      memcpy(a, hop, 16);
      if (!netaddr_in(srv->aProxy, srv->nProxy, hop)) break;
      end = start > 0 ? start - 1 : 0;
    }
    buf_free(&xff);
    const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
    r->https = proto && strncasecmp(proto, "https", 5) == 0 && (proto[5] == 0 || proto[5] == ',' || proto[5] == ' ');
  }
  netaddr_text(a, r->ip, sizeof r->ip);
}

/* accept_q() is the quality the Accept header value gives the media type
** type exactly (0 when it is not listed; "*" ranges do not count). */
static double accept_q(const char *accept, const char *type) {
  size_t tl = strlen(type);
  double best = 0;
  for (const char *p = accept; p && *p;) {
    while (*p == ' ' || *p == ',') p++;
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n >= tl && strncasecmp(p, type, tl) == 0 && (n == tl || p[tl] == ';' || p[tl] == ' ')) {
      double q = 1;
      const char *qs = strstr(p, ";q=");
      if (!qs || (end && qs > end)) qs = strstr(p, "; q=");
      if (qs && (!end || qs < end)) q = strtod(strchr(qs, '=') + 1, NULL);
      if (q > best) best = q;
    }
    p = end;
  }
  return best;
}

/* page_wanted() is true when a public page with a JSON twin (/verify/…)
** should get the web front end instead: the client prefers text/html to
** application/json (a browser following a QR code does) and index.html is
** there to serve. */
static bool page_wanted(Server *srv, Req *r) {
  const char *accept = req_header_in(r, "Accept");
  struct stat st;
  if (!srv->static_root || !accept) return false;
  double html = accept_q(accept, "text/html"), json = accept_q(accept, "application/json");
  if (html <= 0 || html <= json) return false;
  char *index = xasprintf("%s/index.html", srv->static_root);
  bool ok = stat(index, &st) == 0 && S_ISREG(st.st_mode);
  free(index);
  return ok;
}

/* first_call() fills the Req and applies the checks that need only the
** headers. Returns true to go on reading the body; false when r now holds
** a refusal to send at once. */
static bool first_call(ReqCtx *c, struct MHD_Connection *conn, const char *url,
                       const char *method) {
  Server *srv = c->srv;
  Req *r = &c->r;
  bool ok = true;

  r->conn = conn;
  r->store = srv->store;
  r->method = method;
  r->path = url;
  client_ip(srv, conn, r);
  c->api = strcmp(url, "/healthz") == 0 || strcmp(url, "/api") == 0 ||
           strncmp(url, "/api/", 5) == 0;
  if (!c->api && strncmp(url, "/verify/", 8) == 0) c->api = !page_wanted(srv, r);

  atomic_store(&srv->last_ms, mono_ms());
  if (atomic_fetch_add(&srv->inflight, 1) >= srv->cfg.max_inflight) {
    atomic_fetch_sub(&srv->inflight, 1);
    warn(srv, "overloaded (%d requests in flight), answering 503", srv->cfg.max_inflight);
    req_header(r, "Retry-After", "1");
    fail(r, 503, "server.busy", "服务器繁忙，请稍后再试", "Server busy, try again later");
    return false;
  }
  c->counted = true;
  r->public_url = srv->public_url;
  if (!head_ok(c, conn)) return false;
  if (c->raw_long || strlen(url) > PATH_MAX_LEN) {
    fail(r, 414, "request.uri_too_long", "请求地址过长", "The request URI is too long");
    return false;
  }
  if (url[0] != '/' || !utf8_valid(url, strlen(url))) {
    fail(r, 400, "request.bad_path", "请求地址无效", "The request path is not valid");
    return false;
  }
  if (c->raw_nul) {
    if (c->api) fail(r, 400, "request.bad_path", "请求地址无效", "The request path is not valid");
    else fail_notfound(r);
    return false;
  }
  MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, query_ok, &ok);
  if (!ok) {
    fail(r, 400, "request.bad_query", "查询参数不是有效的 UTF-8 文本",
         "A query parameter is not valid UTF-8");
    return false;
  }
  if (c->declared > 0 && (uint64_t)c->declared > srv->cfg.max_body) {
    fail(r, 413, "request.too_large", "请求内容过大", "The request body is too large");
    return false;
  }
  return true;
}

/* handle() is MHD's access handler: called once with the headers, once per
** piece of body, and once more at the end (see the file header). */
static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version,
                              const char *upload_data, size_t *upload_data_size,
                              void **con_cls) {
  Server *srv = cls;
  ReqCtx *c = *con_cls;
  Req *r;
  (void)version;

  if (!c) { /* uri_log() always runs first; this is only a fallback */
    c = uri_log(srv, url, conn);
    *con_cls = c;
  }
  r = &c->r;
  if (!c->started) {
    c->started = true;
    c->limit = srv->cfg.max_body;
    /* The session and what the handler reads: one read transaction when no
    ** body is to come (MHD makes the last call at once); a body may take
    ** its time, and no snapshot is held while it does. */
    store_read_begin(srv->store);
    if (!first_call(c, conn, url, method) || (c->api && !router_prepare(r))) {
      store_read_end(srv->store);
      c->answered = true;
      return answer(c);
    }
    if (c->api && r->body_max < c->limit) c->limit = r->body_max;
    if (!body_begin(c, conn)) {
      store_read_end(srv->store);
      c->answered = true;
      return answer(c);
    }
    if (c->declared > 0 || c->chunked) store_read_end(srv->store);
    return MHD_YES;
  }
  if (c->answered) { /* MHD reads no body after an early answer; were it to, discard it */
    *upload_data_size = 0;
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    size_t n = *upload_data_size;
    *upload_data_size = 0;
    c->received += n;
    if (c->received > c->limit) {
      if (!r->body_too_large) buf_free(&r->body);
      r->body_too_large = true;
    } else if (c->api) { /* a static file has no use for a body: count it only */
      /* One allocation of what the body may hold (its length, else its
      ** limit), not a doubling past the bytes body_begin() reserved; pages
      ** not written to take no memory. */
      if (!r->body.a)
        buf_reserve(&r->body, c->declared >= 0 && (size_t)c->declared < c->limit ? (size_t)c->declared : c->limit);
      buf_append(&r->body, upload_data, n);
    }
    if (c->received / 2 > c->limit) {
      warn(srv, "%s %s from %s: body past twice the limit, connection dropped", method, url,
           r->ip);
      return MHD_NO;
    }
    return MHD_YES;
  }
  conn_deadline(c->conn, NO_DEADLINE); /* the body is in: the request is ours now */
  if (c->api) {
    if (c->declared > 0 || c->chunked) store_read_begin(srv->store);
    router_dispatch(r);
    store_read_end(srv->store);
    return answer(c);
  }
  store_read_end(srv->store);
  return serve_static(c);
}

/* mhd_log() sends libmicrohttpd's own messages to our (limited) log. */
static void mhd_log(void *cls, const char *fmt, va_list ap) {
  char msg[480];
  vsnprintf(msg, sizeof msg, fmt, ap);
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r')) msg[--n] = 0;
  warn(cls, "%s", msg);
}

/* accept_ok() is the accept policy: it refuses a new connection once
** max_connections are open, or per_ip from the same address; and once
** fewer than srv->reserve slots are left, from any address that holds
** RESERVE_FEW connections already, so that a few addresses filling the
** table cannot keep a new client out. A connection counts from the
** moment acceptor() takes it (not when its worker starts it), so a burst
** cannot pass the limits. */
static bool accept_ok(Server *srv, const struct sockaddr *sa) {
  int open = atomic_load(&srv->nconn), mine = ip_count(srv, sa, 0);
  if (open >= srv->cfg.max_connections) {
    warn(srv, "%d connections open: refusing more", srv->cfg.max_connections);
    return false;
  }
  if (mine >= srv->cfg.per_ip) {
    warn(srv, "%d connections open from one address: refusing more from it", srv->cfg.per_ip);
    return false;
  }
  if (open >= srv->cfg.max_connections - srv->reserve && mine >= RESERVE_FEW) {
    warn(srv, "%d connections open: the last %d are kept for addresses with fewer than %d", open,
         srv->reserve, RESERVE_FEW);
    return false;
  }
  return true;
}

/* least_loaded() is the worker with the fewest connections open. It looks
** first at the one after the worker it chose last, so that ties (a burst of
** connections, each handed over before the last has started) go round. */
static Worker *least_loaded(Server *srv) {
  Worker *best = NULL;
  int bestN = INT_MAX;
  for (int i = 0; i < srv->nWorker && bestN > 0; i++) {
    Worker *w = &srv->aWorker[(srv->next + (unsigned)i) % (unsigned)srv->nWorker];
    int n = atomic_load(&w->nconn);
    if (n < bestN) best = w, bestN = n;
  }
  srv->next = (unsigned)(best - srv->aWorker + 1) % (unsigned)srv->nWorker;
  return best;
}

/* acceptor() is the thread that accepts connections and hands each to the
** least loaded worker (see the head of this file). It ends when
** server_stop() shuts the listening socket down. */
static void *acceptor(void *arg) {
  Server *srv = arg;
  pthread_setname_np(pthread_self(), "xq-accept");
  for (;;) {
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    int fd = accept4(srv->listen_fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (atomic_load(&srv->stopping)) {
      if (fd >= 0) close(fd);
      break;
    }
    if (fd < 0) {
      /* The socket itself is gone: nothing more can be accepted. */
      if (errno == EBADF || errno == EINVAL || errno == ENOTSOCK) {
        log_warn("http: accept: %s; no new connections are taken", strerror(errno));
        break;
      }
      /* Out of descriptors or memory: wait a little. Anything else (a
      ** connection reset or a network error passed on by Linux): retry. */
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        warn(srv, "accept: %s", strerror(errno));
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
      }
      continue;
    }
    if (!accept_ok(srv, (struct sockaddr *)&ss)) {
      close(fd);
      continue;
    }
    /* Counted now; conn_notify() counts it out when it closes. MHD reports
    ** a connection closed only if it reported it started, and reports it
    ** started unless MHD_add_connection() fails (memory: MHD closes the
    ** socket itself), when it is counted out here. */
    atomic_fetch_add(&srv->nconn, 1);
    ip_count(srv, (struct sockaddr *)&ss, 1);
    if (MHD_add_connection(least_loaded(srv)->d, fd, (struct sockaddr *)&ss, sl) != MHD_YES) {
      atomic_fetch_sub(&srv->nconn, 1);
      ip_count(srv, (struct sockaddr *)&ss, -1);
    }
  }
  return NULL;
}

/* conn_notify() counts connections opening and closing per worker (for
** least_loaded()), and closing in total and per client address (for
** accept_ok(); acceptor() counted them in); and keeps each connection's
** Conn (its socket context) in the list reaper() watches, with
** header_timeout_s to send its first request's head. */
static void conn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
                        enum MHD_ConnectionNotificationCode toe) {
  Worker *w = cls;
  Server *srv = w->srv;
  int delta = toe == MHD_CONNECTION_NOTIFY_STARTED ? 1 : toe == MHD_CONNECTION_NOTIFY_CLOSED ? -1 : 0;
  if (!delta) return;
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  atomic_fetch_add(&w->nconn, delta);
  if (delta < 0) {
    atomic_fetch_sub(&srv->nconn, 1);
    ip_count(srv, ci ? ci->client_addr : NULL, -1);
  }
  if (delta > 0) {
    const union MHD_ConnectionInfo *fi = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!fi) return;
    Conn *k = xcalloc(1, sizeof *k);
    k->fd = fi->connect_fd;
    conn_deadline(k, (int64_t)srv->cfg.header_timeout_s * 1000);
    pthread_mutex_lock(&srv->connMu);
    k->next = srv->conns;
    if (k->next) k->next->prev = k;
    srv->conns = k;
    pthread_mutex_unlock(&srv->connMu);
    *socket_context = k;
  } else if (*socket_context) {
    Conn *k = *socket_context;
    pthread_mutex_lock(&srv->connMu);
    if (k->prev) k->prev->next = k->next;
    else srv->conns = k->next;
    if (k->next) k->next->prev = k->prev;
    pthread_mutex_unlock(&srv->connMu);
    free(k);
    *socket_context = NULL;
  }
}

/* ------------------------------------------------------------------------
** Start and stop.
*/

/* listen_on() binds and listens on spec "HOST:PORT", "[IPv6]:PORT" or
** ":PORT" (every interface); port 0 picks a free one. The socket is
** blocking: only acceptor() uses it. Returns the socket and sets
** *port, or -1 with *e set. */
static int listen_on(const char *spec, int *port, Err *e) {
  char host[256], serv[8];
  const char *colon, *h = spec;
  size_t hl;
  struct addrinfo hints = {0}, *res = NULL;
  int fd = -1, rc, one = 1, saved = 0;

  colon = strrchr(spec, ':');
  if (!colon || colon[1] == 0 || strlen(colon + 1) >= sizeof serv ||
      strspn(colon + 1, "0123456789") != strlen(colon + 1) || atoi(colon + 1) > 65535)
    goto bad;
  hl = (size_t)(colon - spec);
  if (hl >= 2 && spec[0] == '[' && spec[hl - 1] == ']') h = spec + 1, hl -= 2;
  if (hl >= sizeof host) goto bad;
  memcpy(host, h, hl);
  host[hl] = 0;
  snprintf(serv, sizeof serv, "%s", colon + 1);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  rc = getaddrinfo(hl && strcmp(host, "*") != 0 ? host : NULL, serv, &hints, &res);
  if (rc != 0) {
    err_setf(e, E_INVALID, "server.listen", "listen", "无法解析监听地址：%s",
             "Cannot resolve the listen address: %s", gai_strerror(rc));
    goto out;
  }
  for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      saved = errno;
      continue;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0) break;
    saved = errno;
    close(fd);
    fd = -1;
  }
  if (fd < 0) {
    err_setf(e, E_INTERNAL, "server.listen", "listen", "无法监听该地址：%s",
             "Cannot listen on the address: %s", strerror(saved));
    goto out;
  }
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  getsockname(fd, (struct sockaddr *)&ss, &sl);
  *port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                         : ((struct sockaddr_in *)&ss)->sin_port);
  goto out;
bad:
  err_setf(e, E_INVALID, "server.listen", "listen", "监听地址应为 主机:端口，而不是 %s",
           "The listen address must be HOST:PORT, not %s", spec);
out:
  if (res) freeaddrinfo(res);
  return fd;
}

/* largest_body() is a router_each() callback raising *(size_t *)arg to
** rt's body limit. */
static void largest_body(const Route *rt, const char *tag, void *arg) {
  size_t *max = arg;
  (void)tag;
  if (rt->body_max > *max) *max = rt->body_max;
}

/* stop_workers() stops every worker that started: its connections close. */
static void stop_workers(Server *srv) {
  for (int i = 0; i < srv->nWorker; i++) MHD_stop_daemon(srv->aWorker[i].d);
  srv->nWorker = 0;
}

/* stop_reaper() ends reaper() when it was started (after the workers: no
** connection is left for it). */
static void stop_reaper(Server *srv) {
  if (!srv->reaper_started) return;
  atomic_store(&srv->reaper_quit, true);
  pthread_join(srv->reaper, NULL);
  srv->reaper_started = false;
}

/* public_url_check() returns a copy of url without its trailing '/'s
** when it is an http:// or https:// address of at most 200 characters: a
** host of letters, digits, '.', '-' (or an [IPv6] address), an optional
** :port, an optional path of letters, digits and "-._~/%". NULL
** otherwise. */
static char *public_url_check(const char *url) {
  size_t n = strlen(url), skip = strncmp(url, "https://", 8) == 0 ? 8 : strncmp(url, "http://", 7) == 0 ? 7 : 0;
  if (!skip || n > 200) return NULL;
  const char *p = url + skip, *path = p + strcspn(p, "/");
  if (path == p) return NULL;
  for (const char *q = p; q < path; q++)
    if (!isalnum((unsigned char)*q) && !strchr(".-:[]", *q)) return NULL;
  for (const char *q = path; *q; q++)
    if (!isalnum((unsigned char)*q) && !strchr("-._~/%", *q)) return NULL;
  while (n > skip && url[n - 1] == '/') n--;
  return xstrndup(url, n);
}

/* loopback() is true when listen spec ("HOST:PORT") names a loopback host. */
static bool loopback(const char *spec) {
  return strncmp(spec, "127.", 4) == 0 || strncmp(spec, "localhost:", 10) == 0 ||
         strncmp(spec, "[::1]:", 6) == 0;
}

/* free_server() frees srv and what it owns (its workers stopped). */
static void free_server(Server *srv) {
  for (int i = 0; i < IP_BUCKETS; i++) {
    while (srv->aIp[i]) {
      IpCount *c = srv->aIp[i];
      srv->aIp[i] = c->next;
      free(c);
    }
  }
  pthread_mutex_destroy(&srv->ipMu);
  pthread_mutex_destroy(&srv->connMu);
  free(srv->public_url);
  free(srv->aProxy);
  free(srv->aWorker);
  free(srv->static_root);
  free(srv->listen);
  free(srv);
}

/* server_start() fills in the defaults of cfg, binds the listening socket,
** starts cfg->threads workers and the acceptor. A missing
** static folder is not an error (only the API is served). Returns the new
** server, or NULL with *e set ("server.listen", "server.start"). */
Server *server_start(Store *store, const ServerConfig *cfg, Err *e) {
  Server *srv = xcalloc(1, sizeof *srv);
  metrics_init(); /* every route table is registered by now */
  struct sigaction sa = {0};

  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);

  srv->store = store;
  srv->cfg = *cfg;
  srv->listen_fd = -1;
  if (srv->cfg.threads <= 0) srv->cfg.threads = 64;
  if (srv->cfg.max_connections <= 0) srv->cfg.max_connections = 1024;
  if (srv->cfg.max_inflight <= 0) srv->cfg.max_inflight = 256;
  if (srv->cfg.timeout_s <= 0) srv->cfg.timeout_s = 30;
  if (srv->cfg.header_timeout_s <= 0) srv->cfg.header_timeout_s = 10;
  if (srv->cfg.body_min_rate == 0) srv->cfg.body_min_rate = 32u << 10;
  if (srv->cfg.body_budget == 0) srv->cfg.body_budget = 256u << 20;
  if (srv->cfg.max_body == 0) {
    srv->cfg.max_body = 8u << 20;
    router_each(largest_body, &srv->cfg.max_body);
  }
  srv->listen = xstrdup(cfg->listen ? cfg->listen : "127.0.0.1:8080");
  srv->cfg.listen = srv->listen;
  srv->cfg.static_dir = NULL; /* only static_root is used after this */
  if (cfg->static_dir && *cfg->static_dir) {
    srv->static_root = realpath(cfg->static_dir, NULL);
    if (!srv->static_root)
      log_warn("http: static folder %s: %s; serving the API only", cfg->static_dir,
               strerror(errno));
    else if (strcmp(srv->static_root, "/") == 0) {
      log_warn("http: refusing to serve the whole file system as static files");
      free(srv->static_root);
      srv->static_root = NULL;
    }
  }
  /* One address may hold a sixteenth of the connections (at least
  ** PER_IP_MIN) unless told otherwise (a reverse proxy in front needs more);
  ** the last eighth is kept for addresses that hold few (accept_ok()). */
  if (srv->cfg.per_ip <= 0) {
    srv->cfg.per_ip = srv->cfg.max_connections / 16;
    if (srv->cfg.per_ip < PER_IP_MIN) srv->cfg.per_ip = PER_IP_MIN;
  }
  if (srv->cfg.per_ip > srv->cfg.max_connections) srv->cfg.per_ip = srv->cfg.max_connections;
  srv->reserve = srv->cfg.max_connections / 8;
  pthread_mutex_init(&srv->ipMu, NULL);
  pthread_mutex_init(&srv->connMu, NULL);
  char bad[64];
  srv->nProxy = netaddr_blocks(cfg->trusted_proxies, &srv->aProxy, bad, sizeof bad);
  srv->cfg.trusted_proxies = NULL; /* only aProxy is used after this */
  if (srv->nProxy < 0) {
    srv->nProxy = 0;
    err_setf(e, E_INVALID, "server.bad_proxy", "trusted-proxy", "受信任代理地址无效：%s",
             "Not an address or CIDR block of a trusted proxy: %s", bad);
    goto fail;
  }

  srv->listen_fd = listen_on(srv->listen, &srv->port, e);
  if (srv->listen_fd < 0) goto fail;
  if (cfg->public_url && *cfg->public_url) {
    srv->public_url = public_url_check(cfg->public_url);
    if (!srv->public_url) {
      err_set(e, E_INVALID, "server.public_url", "public-url",
              "对外地址应为 http:// 或 https:// 开头的网址（主机名、可选端口和路径，不含查询串）",
              "The public URL must be an http:// or https:// address (host, optional port and "
              "path, no query)");
      goto fail;
    }
  } else {
    srv->public_url = xasprintf("http://127.0.0.1:%d", srv->port);
    if (!loopback(srv->listen))
      log_warn("http: listening on %s without --public-url: certificates will point at %s",
               srv->listen, srv->public_url);
  }
  srv->cfg.public_url = srv->public_url;

  srv->aWorker = xcalloc((size_t)srv->cfg.threads, sizeof *srv->aWorker);
  for (; srv->nWorker < srv->cfg.threads; srv->nWorker++) {
    Worker *w = &srv->aWorker[srv->nWorker];
    w->srv = srv;
    w->d = MHD_start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET, 0,
        NULL, NULL, handle, srv,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, srv,
        /* accept_ok() holds the real limits; this one is never reached */
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)(2 * srv->cfg.max_connections),
        MHD_OPTION_NOTIFY_CONNECTION, conn_notify, w,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)srv->cfg.timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
        MHD_OPTION_STRICT_FOR_CLIENT, 1,
        MHD_OPTION_URI_LOG_CALLBACK, uri_log, srv,
        MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
        MHD_OPTION_END);
    if (!w->d) {
      err_set(e, E_INTERNAL, "server.start", NULL, "无法启动 HTTP 服务",
              "Cannot start the HTTP server");
      goto fail;
    }
  }
  if (pthread_create(&srv->reaper, NULL, reaper, srv) != 0) {
    err_set(e, E_INTERNAL, "server.start", NULL, "无法启动 HTTP 服务（检查连接时限的线程）",
            "Cannot start the HTTP server (the thread that enforces connection deadlines)");
    goto fail;
  }
  srv->reaper_started = true;
  if (pthread_create(&srv->acceptor, NULL, acceptor, srv) != 0) {
    err_set(e, E_INTERNAL, "server.start", NULL, "无法启动 HTTP 服务（接收连接的线程）",
            "Cannot start the HTTP server (the thread that accepts connections)");
    goto fail;
  }
  log_info("http: listening on %s (port %d, %d threads, static %s)", srv->listen, srv->port,
           srv->cfg.threads, srv->static_root ? srv->static_root : "none");
  return srv;
fail:
  stop_workers(srv);
  stop_reaper(srv);
  if (srv->listen_fd >= 0) close(srv->listen_fd);
  free_server(srv);
  return NULL;
}

/* server_port() is the port the server is bound to. */
int server_port(Server *srv) { return srv->port; }

/* server_stop() stops accepting connections, waits (up to STOP_WAIT_MS)
** for requests in flight to be answered, stops the workers (closing idle
** keep-alive connections) and frees srv. */
void server_stop(Server *srv) {
  int64_t deadline;
  int n;

  if (!srv) return;
  atomic_store(&srv->stopping, true);
  /* shutdown() wakes acceptor() from accept() and makes the kernel refuse
  ** new connections now; the socket is closed once the thread is gone. */
  shutdown(srv->listen_fd, SHUT_RDWR);
  pthread_join(srv->acceptor, NULL);
  /* Requests already sent on accepted connections may still be waiting for
  ** their worker thread (busy with another connection's request), so the
  ** wait lasts until nothing is in flight AND nothing began or ended for
  ** STOP_QUIET_MS — or every connection has closed. */
  deadline = mono_ms() + STOP_WAIT_MS;
  while (((n = atomic_load(&srv->inflight)) > 0 ||
          (atomic_load(&srv->nconn) > 0 && mono_ms() - atomic_load(&srv->last_ms) < STOP_QUIET_MS)) &&
         mono_ms() < deadline) {
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  if (n > 0) log_warn("http: stopping with %d requests still in flight", n);
  stop_workers(srv);
  stop_reaper(srv);
  close(srv->listen_fd);
  log_info("http: stopped");
  free_server(srv);
}
