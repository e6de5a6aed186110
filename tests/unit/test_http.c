/*
** test_http.c — the HTTP transport (server.c) tested from outside: a real
** server on 127.0.0.1:0 with a temporary static folder, spoken to over
** plain sockets with a small HTTP/1.1 client, and the real router with a
** few test routes. Checks what a browser or an attacker would see: types
** and caching of static files, the single-page-app fallback, traversal
** refused with 404, security headers, body and URI limits, overload → 503,
** and a graceful stop that finishes the request in flight. Also the
** router's two phases: a request refused on its headers (no route, wrong
** method, declared body over the route's limit, not logged in) is answered
** before its body is read, and a streamed body is cut at the route's limit.
*/
#include "unit.h"
#include "http/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------------------
** A small HTTP/1.1 client: one request per connection, read to EOF.
*/

typedef struct Resp {
  int status;         /* 0 when no status line came back */
  int nHdr;
  char *aName[48];
  char *aValue[48];
  char *body;         /* NUL-terminated */
  size_t nBody;
  bool closed;        /* the server closed (EOF or reset), not our timeout */
} Resp;

static void resp_free(Resp *p) {
  for (int i = 0; i < p->nHdr; i++) free(p->aName[i]), free(p->aValue[i]);
  free(p->body);
  memset(p, 0, sizeof *p);
}

/* hdr() is the value of response header name (case-insensitive) or NULL. */
static const char *hdr(const Resp *p, const char *name) {
  for (int i = 0; i < p->nHdr; i++)
    if (strcasecmp(p->aName[i], name) == 0) return p->aValue[i];
  return NULL;
}

/* connect_from() connects from the loopback address 127.0.0.<from> (any
** of them works on Linux) to port; -1 if refused. */
static int connect_from(int from, int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  struct sockaddr_in me = {.sin_family = AF_INET};
  struct timeval tv = {.tv_sec = 10};
  assert_true(fd >= 0);
  me.sin_addr.s_addr = htonl(INADDR_LOOPBACK - 1 + (uint32_t)from);
  assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof me), 0);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

static int connect_to(int port) { return connect_from(1, port); }

/* send_all() writes n bytes; false if the peer closed first. */
static bool send_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    p += w, n -= (size_t)w;
  }
  return true;
}

/* complete() is true when a[0..n) holds a whole answer with a
** Content-Length (so a keep-alive answer need not wait for EOF). */
static bool complete(const char *a, size_t n) {
  const char *end = strstr(a, "\r\n\r\n"), *cl;
  if (!end) return false;
  cl = strcasestr(a, "\r\nContent-Length:");
  if (!cl || cl > end) return false;
  return n - (size_t)(end + 4 - a) >= strtoull(cl + 18, NULL, 10);
}

/* read_resp() reads one answer (to its Content-Length, else to EOF) and
** parses status, headers and body. */
static void read_resp(int fd, Resp *out) {
  char *a = NULL;
  size_t n = 0, cap = 0;
  memset(out, 0, sizeof *out);
  for (;;) {
    if (cap - n < 4096) a = realloc(a, cap = cap * 2 + 8192);
    ssize_t got = recv(fd, a + n, cap - n - 1, 0);
    if (got <= 0) {
      out->closed = got == 0 || errno == ECONNRESET;
      break;
    }
    n += (size_t)got;
    a[n] = 0;
    if (complete(a, n)) break;
  }
  a[n] = 0;
  char *end = strstr(a, "\r\n\r\n");
  if (strncmp(a, "HTTP/1.", 7) != 0 || !end) { /* keep what came, for messages */
    out->body = a;
    out->nBody = n;
    return;
  }
  bool closed = out->closed;
  out->status = atoi(a + 9);
  out->closed = closed;
  *end = 0;
  char *line = strstr(a, "\r\n");
  while (line && line < end) {
    line += 2;
    char *eol = strstr(line, "\r\n");
    char *colon = strchr(line, ':');
    if (colon && out->nHdr < 48) {
      *colon = 0;
      if (eol) *eol = 0;
      char *v = colon + 1;
      while (*v == ' ') v++;
      out->aName[out->nHdr] = strdup(line);
      out->aValue[out->nHdr] = strdup(v);
      out->nHdr++;
    }
    line = eol;
  }
  out->nBody = n - (size_t)(end + 4 - a);
  out->body = malloc(out->nBody + 1);
  memcpy(out->body, end + 4, out->nBody);
  out->body[out->nBody] = 0;
  free(a);
}

/* raw() sends the bytes of req as they are and reads the answer. */
static void raw(int port, const char *req, size_t n, Resp *out) {
  int fd = connect_to(port);
  assert_true(fd >= 0);
  send_all(fd, req, n);
  read_resp(fd, out);
  close(fd);
}

/* get() sends "METHOD target" with Connection: close and extra headers. */
static void get(int port, const char *method, const char *target, const char *extra, Resp *out) {
  char *req = NULL;
  int n = asprintf(&req, "%s %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n%s\r\n",
                   method, target, extra ? extra : "");
  assert_true(n > 0);
  raw(port, req, (size_t)n, out);
  free(req);
}

/* error_code() is the "code" of a JSON error answer ("" if not one). */
static const char *error_code(const Resp *p, char out[64]) {
  const char *k = strstr(p->body, "\"code\":\"");
  out[0] = 0;
  if (k) sscanf(k + 8, "%63[^\"]", out);
  return out;
}

/* assert_secure() checks the headers every answer must carry. */
static void assert_secure(const Resp *p) {
  assert_non_null(hdr(p, "X-Content-Type-Options"));
  assert_string_equal(hdr(p, "X-Content-Type-Options"), "nosniff");
  assert_non_null(hdr(p, "Referrer-Policy"));
  assert_string_equal(hdr(p, "Referrer-Policy"), "same-origin");
  assert_non_null(hdr(p, "X-Frame-Options"));
  assert_string_equal(hdr(p, "X-Frame-Options"), "DENY");
}

static void assert_json_error(const Resp *p, int status, const char *code) {
  char c[64];
  assert_int_equal(p->status, status);
  assert_non_null(hdr(p, "Content-Type"));
  assert_string_equal(hdr(p, "Content-Type"), "application/json; charset=utf-8");
  assert_string_equal(error_code(p, c), code);
  assert_non_null(hdr(p, "Cache-Control"));
  assert_string_equal(hdr(p, "Cache-Control"), "no-store");
  assert_secure(p);
}

/* ------------------------------------------------------------------------
** Test routes: echo (everything the helpers read) and sleep (holds the
** request until the test releases it).
*/

static struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int entered;  /* sleep handlers that have started */
  bool release; /* let them finish */
} gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, false};

static int h_sleep(Req *r) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 20; /* a safety net only: the test releases us */
  pthread_mutex_lock(&gate.mu);
  gate.entered++;
  pthread_cond_broadcast(&gate.cv);
  while (!gate.release)
    if (pthread_cond_timedwait(&gate.cv, &gate.mu, &until) == ETIMEDOUT) break;
  pthread_mutex_unlock(&gate.mu);
  return req_json(r, 200, json_pack("{s:s}", "slept", "是"));
}

static int h_echo(Req *r) {
  const char *q = req_query(r, "q"), *h = req_header_in(r, "X-Test"), *c = req_cookie(r, "k");
  const char *p = req_param(r, "name");
  req_header(r, "X-Echo", "a\r\nInjected: 1");
  return req_json(r, 200,
                  json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s, s:s}", "n", (json_int_t)r->body.n,
                            "q", q, "h", h, "c", c, "p", p, "ip", r->ip, "zh", "金普新区"));
}

static int h_health(Req *r) { return req_json(r, 200, json_pack("{s:b}", "ok", 1)); }

/* h_bad_text() answers an error whose message is not valid UTF-8 (and,
** with ?code=bad, whose code is not either). The Err is filled by hand so
** that nothing on the way can clean the text up first. */
static int h_bad_text(Req *r) {
  Err e = {.kind = E_CONFLICT};
  const char *q = req_query(r, "code");
  snprintf(e.code, sizeof e.code, "%s", q && strcmp(q, "bad") == 0 ? "test.\xff" : "test.bad_text");
  snprintf(e.field, sizeof e.field, "name");
  snprintf(e.message, sizeof e.message, "坏\xe6\x96文本");
  snprintf(e.message_en, sizeof e.message_en, "bad \xc3 text");
  return req_error(r, &e);
}

static const Route test_routes[] = {
    {"GET", "/api/v1/test/sleep", h_sleep, R_PUBLIC, 0, 0, "睡眠", "sleep"},
    {"GET", "/api/v1/test/echo/{name}", h_echo, R_PUBLIC, 0, 0, "回显", "echo"},
    {"POST", "/api/v1/test/echo/{name}", h_echo, R_PUBLIC | R_NOCSRF, 0, 1 << 20, "回显", "echo"},
    {"GET", "/healthz", h_health, R_PUBLIC, 0, 0, "健康检查", "health"},
    /* a public route with a small body limit */
    {"POST", "/api/v1/test/small", h_echo, R_PUBLIC | R_NOCSRF, 0, 1000, "小", "small"},
    {"GET", "/api/v1/test/other/{thing}", h_echo, R_PUBLIC, 0, 0, "另一个", "other"},
    /* routes that need a login and accept large bodies (DELETE listed
    ** first: the Allow header still says POST before DELETE) */
    {"DELETE", "/api/v1/test/private", h_echo, 0, 0, 8u << 20, "私有", "private"},
    {"POST", "/api/v1/test/private", h_echo, 0, 0, 8u << 20, "私有", "private"},
    {"GET", "/api/v1/test/badtext", h_bad_text, R_PUBLIC, 0, 0, "坏文本", "bad text"},
};

static void gate_reset(void) {
  pthread_mutex_lock(&gate.mu);
  gate.entered = 0;
  gate.release = false;
  pthread_mutex_unlock(&gate.mu);
}

/* gate_wait() waits (bounded) until n sleep handlers have started. */
static void gate_wait(int n) {
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 10;
  pthread_mutex_lock(&gate.mu);
  while (gate.entered < n)
    if (pthread_cond_timedwait(&gate.cv, &gate.mu, &until) == ETIMEDOUT) break;
  int got = gate.entered;
  pthread_mutex_unlock(&gate.mu);
  assert_int_equal(got, n);
}

static void gate_open(void) {
  pthread_mutex_lock(&gate.mu);
  gate.release = true;
  pthread_cond_broadcast(&gate.cv);
  pthread_mutex_unlock(&gate.mu);
}

/* A client in a thread, for requests that the handler holds. */
typedef struct Bg {
  pthread_t t;
  int port;
  const char *target;
  Resp resp;
} Bg;

/* The request is keep-alive (no "Connection: close"), so whether the
** connection closes after it is the server's choice. */
static void *bg_main(void *arg) {
  Bg *b = arg;
  char req[256];
  int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n", b->target);
  int fd = connect_to(b->port);
  if (fd < 0) return NULL;
  send_all(fd, req, (size_t)n);
  read_resp(fd, &b->resp);
  close(fd);
  return NULL;
}

static void bg_start(Bg *b, int port, const char *target) {
  memset(b, 0, sizeof *b);
  b->port = port;
  b->target = target;
  assert_int_equal(pthread_create(&b->t, NULL, bg_main, b), 0);
}

/* ------------------------------------------------------------------------
** Fixture: a temporary tree
**   base/secret.txt                 outside the static folder
**   base/dist/index.html, robots.txt, logo.svg, assets/app.js, assets/app.css
**   base/dist/escape.txt → ../secret.txt, base/dist/up → ..   (symlinks out)
**   base/dist/alias.txt → robots.txt                          (symlink in)
*/

#define SECRET "TOP-SECRET-7d1e"
#define INDEX "<!doctype html><title>金普新区</title><div id=app></div>"
#define APPJS "console.log('xinqu');\n"

static char base[64];
static char dist[96];
static Server *srv;
static int port;

static void write_file(const char *dir, const char *name, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static Server *start_conns(const char *static_dir, int max_inflight, size_t max_body,
                          int max_connections) {
  ServerConfig cfg = {.listen = "127.0.0.1:0", .static_dir = static_dir, .threads = 4,
                      .max_connections = max_connections, .max_inflight = max_inflight,
                      .timeout_s = 30, .max_body = max_body};
  Err e = {0};
  Server *s = server_start(NULL, &cfg, &e);
  if (!s) fail_msg("server_start: %s %s", e.code, e.message_en);
  assert_true(server_port(s) > 0);
  return s;
}

static Server *start(const char *static_dir, int max_inflight, size_t max_body) {
  return start_conns(static_dir, max_inflight, max_body, 64);
}

static int setup(void **state) {
  char path[256];
  (void)state;
  log_quiet(true);
  snprintf(base, sizeof base, "/tmp/xq_http_XXXXXX");
  if (!mkdtemp(base)) return -1;
  snprintf(dist, sizeof dist, "%s/dist", base);
  snprintf(path, sizeof path, "%s/assets", dist);
  if (mkdir(dist, 0755) || mkdir(path, 0755)) return -1;
  write_file(base, "secret.txt", SECRET);
  write_file(dist, "index.html", INDEX);
  write_file(dist, "robots.txt", "User-agent: *\n");
  write_file(dist, "pct%2e.txt", SECRET); /* reachable only by decoding twice */
  write_file(dist, "logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
  write_file(path, "app.js", APPJS);
  write_file(path, "app.css", "body{margin:0}");
  snprintf(path, sizeof path, "%s/escape.txt", dist);
  if (symlink("../secret.txt", path)) return -1;
  snprintf(path, sizeof path, "%s/up", dist);
  if (symlink("..", path)) return -1;
  snprintf(path, sizeof path, "%s/alias.txt", dist);
  if (symlink("robots.txt", path)) return -1;
  router_add(test_routes, XQ_COUNT(test_routes), "test");
  srv = start(dist, 64, 4096);
  port = server_port(srv);
  return 0;
}

static int teardown(void **state) {
  char cmd[128];
  (void)state;
  server_stop(srv);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
  return system(cmd) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------------
** Tests.
*/

static void test_static_files(void **state) {
  Resp p;
  (void)state;
  get(port, "GET", "/", NULL, &p);
  assert_int_equal(p.status, 200);
  assert_string_equal(p.body, INDEX);
  assert_string_equal(hdr(&p, "Content-Type"), "text/html; charset=utf-8");
  assert_non_null(hdr(&p, "Content-Security-Policy"));
  assert_string_equal(hdr(&p, "Content-Security-Policy"),
                      "default-src 'self'; img-src 'self' data:; style-src 'self' "
                      "'unsafe-inline'; script-src 'self'; frame-ancestors 'none'");
  assert_string_equal(hdr(&p, "Cache-Control"), "no-cache");
  assert_secure(&p);
  resp_free(&p);

  get(port, "GET", "/index.html", NULL, &p);
  assert_int_equal(p.status, 200);
  assert_string_equal(p.body, INDEX);
  resp_free(&p);

  get(port, "GET", "/assets/app.js", NULL, &p);
  assert_int_equal(p.status, 200);
  assert_string_equal(p.body, APPJS);
  assert_string_equal(hdr(&p, "Content-Type"), "text/javascript; charset=utf-8");
  assert_string_equal(hdr(&p, "Cache-Control"), "public, max-age=31536000, immutable");
  assert_null(hdr(&p, "Content-Security-Policy"));
  assert_secure(&p);
  resp_free(&p);

  get(port, "GET", "/assets/app.css", NULL, &p);
  assert_int_equal(p.status, 200);
  assert_string_equal(hdr(&p, "Content-Type"), "text/css; charset=utf-8");
  resp_free(&p);

  get(port, "GET", "/robots.txt", NULL, &p);
  assert_int_equal(p.status, 200);
  assert_string_equal(hdr(&p, "Content-Type"), "text/plain; charset=utf-8");
  assert_string_equal(hdr(&p, "Cache-Control"), "no-cache");
  resp_free(&p);

  get(port, "GET", "/logo.svg", NULL, &p); /* an SVG is a document: it gets the CSP */
  assert_int_equal(p.status, 200);
  assert_string_equal(hdr(&p, "Content-Type"), "image/svg+xml");
  assert_non_null(hdr(&p, "Content-Security-Policy"));
  resp_free(&p);

  get(port, "GET", "/alias.txt", NULL, &p); /* a symlink that stays inside is fine */
  assert_int_equal(p.status, 200);
  assert_string_equal(p.body, "User-agent: *\n");
  resp_free(&p);

  get(port, "GET", "/up/dist/index.html", NULL, &p); /* judged by where it lands: inside */
  assert_int_equal(p.status, 200);
  assert_string_equal(p.body, INDEX);
  resp_free(&p);

  get(port, "HEAD", "/assets/app.js", NULL, &p);
  assert_int_equal(p.status, 200);
  assert_int_equal(atoi(hdr(&p, "Content-Length")), (int)strlen(APPJS));
  assert_int_equal(p.nBody, 0);
  resp_free(&p);

  get(port, "POST", "/index.html", "Content-Length: 0\r\n", &p);
  assert_json_error(&p, 405, "route.bad_method");
  assert_string_equal(hdr(&p, "Allow"), "GET, HEAD");
  resp_free(&p);
}

static void test_spa_fallback(void **state) {
  static const char *const spa[] = {"/cases/2022-001", "/login", "/enterprises/", "/assets"};
  static const char *const missing[] = {"/missing.js", "/assets/missing.js", "/favicon.ico"};
  Resp p;
  (void)state;
  for (size_t i = 0; i < XQ_COUNT(spa); i++) {
    get(port, "GET", spa[i], NULL, &p);
    assert_int_equal(p.status, 200);
    assert_string_equal(p.body, INDEX);
    assert_string_equal(hdr(&p, "Content-Type"), "text/html; charset=utf-8");
    resp_free(&p);
  }
  for (size_t i = 0; i < XQ_COUNT(missing); i++) {
    get(port, "GET", missing[i], NULL, &p);
    assert_json_error(&p, 404, "static.not_found");
    resp_free(&p);
  }
}

/* Without a built front end, "/" tells a person so; other paths stay 404. */
static void test_no_frontend(void **state) {
  Resp p;
  (void)state;
  Server *s = start("/nonexistent-xinqu-dist", 8, 1 << 20);
  int port2 = server_port(s);
  get(port2, "GET", "/", NULL, &p);
  assert_int_equal(p.status, 200);
  assert_string_equal(hdr(&p, "Content-Type"), "text/html; charset=utf-8");
  assert_non_null(strstr(p.body, "网页前端尚未构建"));
  assert_non_null(strstr(p.body, "/api/v1/openapi.json"));
  assert_secure(&p);
  resp_free(&p);
  get(port2, "GET", "/login", NULL, &p);
  assert_json_error(&p, 404, "static.not_found");
  resp_free(&p);
  server_stop(s);
}

static void test_traversal_refused(void **state) {
  static const char *const bad[] = {
      "/../../etc/passwd",          "/%2e%2e/%2e%2e/etc/passwd",
      "/assets/..%2f..%2fetc/passwd", "/%00",
      "/index.html%00.js",          "/escape.txt",
      "/up/secret.txt",             "/up/../secret.txt",
      "/assets/../../secret.txt",   "/..%5c..%5csecret.txt",
      "/%252e%252e/secret.txt",     "/.%2e/secret.txt",
      "/./index.html",              "/assets/%2e%2e/%2e%2e/secret.txt",
      "/pct%252e.txt",
  };
  Resp p;
  (void)state;
  for (size_t i = 0; i < XQ_COUNT(bad); i++) {
    get(port, "GET", bad[i], NULL, &p);
    if (p.status != 404) fail_msg("%s → %d, want 404", bad[i], p.status);
    assert_json_error(&p, 404, "static.not_found");
    assert_null(strstr(p.body, SECRET));
    assert_null(strstr(p.body, "<title>"));
    resp_free(&p);
  }
}

static void test_bad_requests(void **state) {
  Resp p;
  char *longpath = malloc(3100);
  (void)state;
  get(port, "GET", "/%ff%fe", NULL, &p);
  assert_json_error(&p, 400, "request.bad_path");
  resp_free(&p);
  get(port, "GET", "/api/v1/%c0%af", NULL, &p);
  assert_json_error(&p, 400, "request.bad_path");
  resp_free(&p);
  get(port, "GET", "/api/v1/test/echo/x?q=%ff", NULL, &p);
  assert_json_error(&p, 400, "request.bad_query");
  resp_free(&p);
  get(port, "GET", "/api/v1/test/echo/a%00b", NULL, &p);
  assert_json_error(&p, 400, "request.bad_path");
  resp_free(&p);

  longpath[0] = '/';
  memset(longpath + 1, 'a', 3000);
  longpath[3001] = 0;
  get(port, "GET", longpath, NULL, &p);
  assert_json_error(&p, 414, "request.uri_too_long");
  resp_free(&p);
  memcpy(longpath, "/api/", 5);
  get(port, "GET", longpath, NULL, &p);
  assert_json_error(&p, 414, "request.uri_too_long");
  resp_free(&p);
  free(longpath);

  /* A header block larger than the connection's memory: MHD refuses it. */
  size_t big = 100 * 1024;
  char *h = malloc(big + 32);
  memcpy(h, "X-Big: ", 7);
  memset(h + 7, 'b', big);
  memcpy(h + 7 + big, "\r\n", 3);
  get(port, "GET", "/healthz", h, &p);
  assert_true(p.status == 431 || p.status == 413);
  resp_free(&p);
  free(h);
}

static void test_api_answers(void **state) {
  Resp p;
  (void)state;
  get(port, "GET", "/api/v1/test/echo/%E9%87%91%E6%99%AE?q=%E6%96%B0%E5%8C%BA&x",
      "X-Test: t1\r\nCookie: a=1; k=v2\r\n", &p);
  assert_int_equal(p.status, 200);
  assert_string_equal(hdr(&p, "Content-Type"), "application/json; charset=utf-8");
  assert_string_equal(hdr(&p, "Cache-Control"), "no-store");
  assert_string_equal(hdr(&p, "Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'");
  assert_secure(&p);
  /* The handler's header came through with CR LF neutralised. */
  assert_non_null(hdr(&p, "X-Echo"));
  assert_null(hdr(&p, "Injected"));
  /* Chinese stays UTF-8 in compact JSON (no \u escapes). */
  assert_non_null(strstr(p.body, "\"zh\":\"金普新区\""));
  assert_non_null(strstr(p.body, "\"q\":\"新区\""));
  assert_non_null(strstr(p.body, "\"p\":\"金普\""));
  assert_non_null(strstr(p.body, "\"h\":\"t1\""));
  assert_non_null(strstr(p.body, "\"c\":\"v2\""));
  assert_non_null(strstr(p.body, "\"ip\":\"127.0.0.1\""));
  resp_free(&p);

  get(port, "GET", "/healthz", NULL, &p);
  assert_int_equal(p.status, 200);
  assert_string_equal(p.body, "{\"ok\":true}");
  resp_free(&p);

  get(port, "GET", "/api/v1/no/such/thing", NULL, &p);
  assert_json_error(&p, 404, "route.not_found");
  resp_free(&p);
}

static void test_body_limits(void **state) {
  Resp p;
  char req[512];
  (void)state;
  /* Within the cap (4096): the handler sees the whole body. */
  char *body = malloc(8192);
  memset(body, 'x', 8192);
  int n = snprintf(req, sizeof req,
                   "POST /api/v1/test/echo/b HTTP/1.1\r\nHost: l\r\nConnection: close\r\n"
                   "Content-Length: 3000\r\n\r\n");
  int fd = connect_to(port);
  assert_true(fd >= 0);
  assert_true(send_all(fd, req, (size_t)n) && send_all(fd, body, 3000));
  read_resp(fd, &p);
  close(fd);
  assert_int_equal(p.status, 200);
  assert_non_null(strstr(p.body, "\"n\":3000"));
  resp_free(&p);

  /* A Content-Length over the cap is refused before any body is sent. */
  n = snprintf(req, sizeof req,
               "POST /api/v1/test/echo/b HTTP/1.1\r\nHost: l\r\nContent-Length: 5000\r\n\r\n");
  raw(port, req, (size_t)n, &p);
  assert_json_error(&p, 413, "request.too_large");
  resp_free(&p);

  /* A chunked body that grows past the cap: read, discarded, then 413. */
  fd = connect_to(port);
  assert_true(fd >= 0);
  n = snprintf(req, sizeof req,
               "POST /api/v1/test/echo/b HTTP/1.1\r\nHost: l\r\nConnection: close\r\n"
               "Transfer-Encoding: chunked\r\n\r\n");
  assert_true(send_all(fd, req, (size_t)n));
  for (int i = 0; i < 3; i++) { /* 3 × 2000 = 6000 bytes */
    assert_true(send_all(fd, "7d0\r\n", 5) && send_all(fd, body, 2000) && send_all(fd, "\r\n", 2));
  }
  assert_true(send_all(fd, "0\r\n\r\n", 5));
  read_resp(fd, &p);
  close(fd);
  assert_json_error(&p, 413, "request.too_large");
  resp_free(&p);

  /* The cap holds for any path: a static file is not served past it. */
  fd = connect_to(port);
  assert_true(fd >= 0);
  n = snprintf(req, sizeof req,
               "GET /index.html HTTP/1.1\r\nHost: l\r\nConnection: close\r\n"
               "Transfer-Encoding: chunked\r\n\r\n");
  assert_true(send_all(fd, req, (size_t)n));
  for (int i = 0; i < 3; i++)
    assert_true(send_all(fd, "7d0\r\n", 5) && send_all(fd, body, 2000) && send_all(fd, "\r\n", 2));
  assert_true(send_all(fd, "0\r\n\r\n", 5));
  read_resp(fd, &p);
  close(fd);
  assert_json_error(&p, 413, "request.too_large");
  resp_free(&p);

  /* Streaming on past twice the cap gets the connection dropped, never a 2xx. */
  n = snprintf(req, sizeof req,
               "POST /api/v1/test/echo/b HTTP/1.1\r\nHost: l\r\nConnection: close\r\n"
               "Transfer-Encoding: chunked\r\n\r\n");
  fd = connect_to(port);
  assert_true(fd >= 0);
  assert_true(send_all(fd, req, (size_t)n));
  for (int i = 0; i < 8 && send_all(fd, "7d0\r\n", 5) && send_all(fd, body, 2000); i++)
    send_all(fd, "\r\n", 2);
  read_resp(fd, &p);
  close(fd);
  assert_int_equal(p.status, 0);
  assert_true(p.closed); /* cut by the server, not by our receive timeout */
  resp_free(&p);
  free(body);

  /* The server is still fine. */
  get(port, "GET", "/healthz", NULL, &p);
  assert_int_equal(p.status, 200);
  resp_free(&p);
}

/* send_head() connects to port `to` and sends the request head req plus the
** first `part` bytes of a body (zeros); the caller reads and closes. */
static int send_head(int to, const char *req, size_t part) {
  char *body = calloc(1, part + 1);
  int fd = connect_to(to);
  assert_true(fd >= 0);
  assert_true(send_all(fd, req, strlen(req)));
  if (part) send_all(fd, body, part); /* the server may already have answered */
  free(body);
  return fd;
}

/* A request refused on its headers is answered at once: the client has
** sent only a small part of the body it declared, and gets the answer
** without sending the rest (a server that waited for the body would leave
** the read to time out, with no status). The server's cap here is the
** default 8 MiB; every refusal below comes from the route. */
static void test_refused_before_body(void **state) {
  Server *s = start(NULL, 16, 0);
  int sp = server_port(s), fd;
  Resp p;
  (void)state;

  /* Declared length over the route's limit (1000), far under the cap. */
  fd = send_head(sp,
                 "POST /api/v1/test/small HTTP/1.1\r\nHost: l\r\nContent-Type: text/plain\r\n"
                 "Content-Length: 4000000\r\n\r\n",
                 1000);
  read_resp(fd, &p);
  close(fd);
  assert_json_error(&p, 413, "request.too_large");
  resp_free(&p);

  /* Not logged in, to a route that would take the 4 MB: 401 at once, with
  ** the challenge, and no "100 Continue" inviting the body first. */
  fd = send_head(sp,
                 "POST /api/v1/test/private HTTP/1.1\r\nHost: l\r\nExpect: 100-continue\r\n"
                 "Content-Length: 4000000\r\n\r\n",
                 0);
  read_resp(fd, &p);
  close(fd);
  assert_json_error(&p, 401, "auth.required");
  assert_non_null(hdr(&p, "WWW-Authenticate"));
  assert_string_equal(hdr(&p, "WWW-Authenticate"), "Bearer realm=\"xinqu\"");
  resp_free(&p);
  fd = send_head(sp,
                 "POST /api/v1/test/private HTTP/1.1\r\nHost: l\r\nCookie: xq_session=x\r\n"
                 "Content-Length: 4000000\r\n\r\n",
                 16000);
  read_resp(fd, &p);
  close(fd);
  assert_json_error(&p, 401, "auth.required");
  resp_free(&p);

  /* No such route, and a method the path does not have: the same. */
  fd = send_head(sp, "POST /api/v1/test/nothing HTTP/1.1\r\nHost: l\r\nContent-Length: 4000000\r\n\r\n",
                 1000);
  read_resp(fd, &p);
  close(fd);
  assert_json_error(&p, 404, "route.not_found");
  resp_free(&p);
  fd = send_head(sp, "PUT /api/v1/test/small HTTP/1.1\r\nHost: l\r\nContent-Length: 4000000\r\n\r\n",
                 1000);
  read_resp(fd, &p);
  close(fd);
  assert_json_error(&p, 405, "route.bad_method");
  assert_string_equal(hdr(&p, "Allow"), "POST");
  resp_free(&p);

  /* A body within the route's limit still reaches the handler whole. */
  fd = send_head(sp, "POST /api/v1/test/small HTTP/1.1\r\nHost: l\r\nConnection: close\r\n"
                     "Content-Length: 1000\r\n\r\n",
                 1000);
  read_resp(fd, &p);
  close(fd);
  assert_int_equal(p.status, 200);
  assert_non_null(strstr(p.body, "\"n\":1000"));
  resp_free(&p);
  server_stop(s);
}

/* A chunked body (no declared length) is cut at the route's limit, not at
** the server's 8 MiB cap: a little over it is read, discarded and answered
** 413; streaming on past twice the route's limit gets the connection
** dropped — while a server that buffered up to its cap would still be
** reading, and the client's read would time out instead. */
static void test_chunked_cut_at_route_limit(void **state) {
  Server *s = start(NULL, 16, 0);
  int sp = server_port(s), fd;
  const char head[] = "POST /api/v1/test/small HTTP/1.1\r\nHost: l\r\nConnection: close\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n";
  char chunk[1000 + 16];
  Resp p;
  (void)state;
  memcpy(chunk, "3e8\r\n", 5); /* 1000 bytes */
  memset(chunk + 5, 'x', 1000);
  memcpy(chunk + 1005, "\r\n", 2);

  fd = send_head(sp, head, 0); /* 1500 bytes, then the end */
  assert_true(send_all(fd, chunk, 1007) && send_all(fd, "1f4\r\n", 5) &&
              send_all(fd, chunk + 5, 500) && send_all(fd, "\r\n0\r\n\r\n", 7));
  read_resp(fd, &p);
  close(fd);
  assert_json_error(&p, 413, "request.too_large");
  resp_free(&p);

  fd = send_head(sp, head, 0); /* 64 × 1000 bytes and no end */
  for (int i = 0; i < 64 && send_all(fd, chunk, 1007); i++) {}
  read_resp(fd, &p);
  close(fd);
  assert_int_equal(p.status, 0);
  assert_true(p.closed); /* cut by the server, not by our receive timeout */
  resp_free(&p);

  get(sp, "GET", "/healthz", NULL, &p); /* the server is still fine */
  assert_int_equal(p.status, 200);
  resp_free(&p);
  server_stop(s);
}

/* The two phases called directly, as a test or tool without a server
** would: router_prepare() sets the route and its limit, refuses on the
** headers alone, and router_dispatch() after it checks the body. */
static void test_router_phases(void **state) {
  Req r = {.method = "POST", .path = "/api/v1/test/small"};
  (void)state;
  assert_true(router_prepare(&r));
  assert_non_null(r.route);
  assert_string_equal(r.route->path, "/api/v1/test/small");
  assert_int_equal(r.body_max, 1000);
  assert_int_equal(r.status, 0);
  assert_true(router_prepare(&r)); /* again: the same verdict */
  buf_puts(&r.body, "hello");
  router_dispatch(&r);
  assert_int_equal(r.status, 200);
  assert_non_null(json_object_get(r.out, "n"));
  assert_int_equal(json_integer_value(json_object_get(r.out, "n")), 5);
  req_free(&r);

  r = (Req){.method = "POST", .path = "/api/v1/test/small"};
  for (int i = 0; i < 1001; i++) buf_putc(&r.body, 'x');
  router_dispatch(&r); /* prepares first by itself */
  assert_int_equal(r.status, 413);
  req_free(&r);

  r = (Req){.method = "DELETE", .path = "/api/v1/test/private"};
  assert_false(router_prepare(&r));
  assert_int_equal(r.status, 401);
  router_dispatch(&r); /* refused: the handler does not run */
  assert_int_equal(r.status, 401);
  assert_null(json_object_get(r.out, "n"));
  req_free(&r);

  r = (Req){.method = "PATCH", .path = "/api/v1/test/private"};
  assert_false(router_prepare(&r));
  assert_int_equal(r.status, 405);
  assert_false(router_prepare(&r));
  assert_int_equal(r.nHdr, 1);
  assert_string_equal(r.aHdrName[0], "Allow");
  assert_string_equal(r.aHdrValue[0], "POST, DELETE");
  req_free(&r);
}

/* 405 lists the path's methods; 401 carries the challenge; an error whose
** text is not UTF-8 still answers valid JSON with its status. */
static void test_error_answers(void **state) {
  Resp p;
  char c[64];
  (void)state;
  get(port, "DELETE", "/api/v1/test/echo/x", NULL, &p);
  assert_json_error(&p, 405, "route.bad_method");
  assert_non_null(hdr(&p, "Allow"));
  assert_string_equal(hdr(&p, "Allow"), "GET, POST");
  resp_free(&p);
  get(port, "OPTIONS", "/api/v1/test/private", NULL, &p);
  assert_json_error(&p, 405, "route.bad_method");
  assert_string_equal(hdr(&p, "Allow"), "POST, DELETE");
  resp_free(&p);

  get(port, "DELETE", "/api/v1/test/private", NULL, &p);
  assert_json_error(&p, 401, "auth.required");
  assert_string_equal(hdr(&p, "WWW-Authenticate"), "Bearer realm=\"xinqu\"");
  assert_null(hdr(&p, "Allow"));
  resp_free(&p);
  get(port, "GET", "/api/v1/test/echo/x", NULL, &p); /* other answers have neither */
  assert_int_equal(p.status, 200);
  assert_null(hdr(&p, "WWW-Authenticate"));
  assert_null(hdr(&p, "Allow"));
  resp_free(&p);

  static const char *const targets[] = {"/api/v1/test/badtext", "/api/v1/test/badtext?code=bad"};
  static const char *const codes[] = {"test.bad_text", "server.internal"};
  for (size_t i = 0; i < XQ_COUNT(targets); i++) {
    get(port, "GET", targets[i], NULL, &p);
    assert_json_error(&p, 409, codes[i]);
    json_error_t je;
    json_t *j = json_loadb(p.body, p.nBody, 0, &je);
    if (!j) fail_msg("%s: not JSON: \"%s\"", targets[i], p.body);
    json_t *err = json_object_get(j, "error");
    assert_string_equal(json_string_value(json_object_get(err, "code")), error_code(&p, c));
    assert_true(strlen(json_string_value(json_object_get(err, "message"))) > 0);
    assert_true(strlen(json_string_value(json_object_get(err, "message_en"))) > 0);
    assert_non_null(json_object_get(err, "field"));
    json_decref(j);
    resp_free(&p);
  }
}

/* healthy_soon() asks GET /healthz until it is answered 200, for up to two
** seconds: what frees the server's slot happens just after the client has
** its previous answer. */
static void healthy_soon(int sp) {
  Resp p = {0};
  for (int i = 0; i < 200; i++) {
    get(sp, "GET", "/healthz", NULL, &p);
    if (p.status == 200) break;
    resp_free(&p);
    usleep(10 * 1000);
  }
  assert_int_equal(p.status, 200);
  resp_free(&p);
}

static void test_overload(void **state) {
  Server *s = start(dist, 1, 4096);
  int sp = server_port(s);
  Bg b;
  Resp p;
  (void)state;
  gate_reset();
  bg_start(&b, sp, "/api/v1/test/sleep");
  gate_wait(1);
  get(sp, "GET", "/healthz", NULL, &p);
  assert_json_error(&p, 503, "server.busy");
  assert_non_null(hdr(&p, "Retry-After"));
  assert_string_equal(hdr(&p, "Retry-After"), "1");
  assert_string_equal(p.body, "{\"error\":{\"code\":\"server.busy\",\"message\":"
                              "\"服务器繁忙，请稍后再试\",\"message_en\":\"Server busy, "
                              "try again later\",\"field\":\"\"}}");
  resp_free(&p);
  get(sp, "GET", "/index.html", NULL, &p); /* static files count too */
  assert_int_equal(p.status, 503);
  resp_free(&p);

  gate_open();
  pthread_join(b.t, NULL);
  assert_int_equal(b.resp.status, 200);
  assert_non_null(strstr(b.resp.body, "\"slept\":\"是\""));
  resp_free(&b.resp);
  /* The slot frees when the held request completes (just after the client
  ** has its answer). */
  healthy_soon(sp);
  server_stop(s);
}

typedef struct Stopper {
  pthread_t t;
  Server *s;
  atomic_bool done;
} Stopper;

static void *stop_main(void *arg) {
  Stopper *st = arg;
  server_stop(st->s);
  atomic_store(&st->done, true);
  return NULL;
}

static void test_graceful_stop(void **state) {
  Server *s = start(NULL, 16, 4096); /* no static folder: API only */
  int sp = server_port(s), fd = -1;
  Stopper st = {.s = s};
  Bg b;
  Resp p;
  (void)state;
  get(sp, "GET", "/index.html", NULL, &p); /* without static files: JSON 404 */
  assert_json_error(&p, 404, "static.not_found");
  resp_free(&p);

  gate_reset();
  bg_start(&b, sp, "/api/v1/test/sleep");
  gate_wait(1);
  assert_int_equal(pthread_create(&st.t, NULL, stop_main, &st), 0);
  /* Once stopping, new connections are refused… */
  for (int i = 0; i < 500; i++) {
    fd = connect_to(sp);
    if (fd < 0) break;
    close(fd);
    usleep(10 * 1000);
  }
  assert_true(fd < 0);
  /* …while the request in flight keeps the server up until it is answered. */
  assert_false(atomic_load(&st.done));
  gate_open();
  pthread_join(b.t, NULL);
  assert_int_equal(b.resp.status, 200);
  assert_non_null(strstr(b.resp.body, "\"slept\":\"是\""));
  assert_string_equal(hdr(&b.resp, "Connection"), "close");
  resp_free(&b.resp);
  pthread_join(st.t, NULL);
  assert_true(atomic_load(&st.done));
}

/* open_served() connects from 127.0.0.<from>, has GET /healthz answered 200
** and returns the connection, kept open (keep-alive). */
static int open_served(int from, int sp) {
  const char req[] = "GET /healthz HTTP/1.1\r\nHost: l\r\n\r\n";
  Resp p;
  int fd = connect_from(from, sp);
  assert_true(fd >= 0);
  assert_true(send_all(fd, req, sizeof req - 1));
  read_resp(fd, &p);
  if (p.status != 200) fail_msg("a connection from 127.0.0.%d: status %d", from, p.status);
  resp_free(&p);
  return fd;
}

/* assert_refused() checks that a connection from 127.0.0.<from> is closed
** without an answer (the kernel accepts it; the server then closes it). */
static void assert_refused(int from, int sp) {
  const char req[] = "GET /healthz HTTP/1.1\r\nHost: l\r\n\r\n";
  Resp p;
  int fd = connect_from(from, sp);
  if (fd < 0) return;
  send_all(fd, req, sizeof req - 1);
  read_resp(fd, &p);
  assert_int_equal(p.status, 0);
  assert_true(p.closed);
  resp_free(&p);
  close(fd);
}

/* The connection limit holds for all the workers together: every
** connection up to it is served, whichever worker takes it, and the next
** is refused. Clients come from 127.0.0.1–3 so the per-address limit
** (which here equals the total) is not what refuses. */
static void test_connection_limit(void **state) {
  Server *s = start_conns(NULL, 64, 4096, 8);
  int sp = server_port(s), fd[8];
  (void)state;
  for (int i = 0; i < 8; i++) fd[i] = open_served(1 + i % 2, sp);
  assert_refused(3, sp);
  for (int i = 0; i < 8; i++) close(fd[i]);
  server_stop(s);
}

/* One address may hold per_ip connections (by default a sixteenth: here
** 64 of 1024); the next from it is refused while other addresses are
** served, and closing its connections gives the address its share back. */
static void test_per_address_limit(void **state) {
  enum { PER_IP = 64 };
  Server *s = start_conns(NULL, 64, 4096, 1024);
  int sp = server_port(s), fd[PER_IP];
  (void)state;
  for (int i = 0; i < PER_IP; i++) fd[i] = open_served(1, sp);
  assert_refused(1, sp);
  close(open_served(2, sp));
  for (int i = 0; i < PER_IP; i++) close(fd[i]);
  /* The server counts a connection out when it notices the close. */
  healthy_soon(sp);
  server_stop(s);
}

/* A new connection goes to an idle worker, never behind another connection
** whose request is still running. Two workers, two keep-alive connections:
** while the first one's request is held, the second is answered. */
static void test_idle_worker_first(void **state) {
  ServerConfig cfg = {.listen = "127.0.0.1:0", .threads = 2, .max_connections = 16,
                      .max_inflight = 16, .timeout_s = 30, .max_body = 1 << 20};
  const char health[] = "GET /healthz HTTP/1.1\r\nHost: l\r\n\r\n";
  const char held[] = "GET /api/v1/test/sleep HTTP/1.1\r\nHost: l\r\n\r\n";
  Err e = {0};
  Resp p;
  (void)state;
  Server *s = server_start(NULL, &cfg, &e);
  assert_non_null(s);
  int sp = server_port(s), fd[2];
  fd[0] = open_served(1, sp);
  fd[1] = open_served(1, sp); /* the second worker: the first has fd[0] */
  gate_reset();
  assert_true(send_all(fd[0], held, sizeof held - 1));
  gate_wait(1);
  assert_true(send_all(fd[1], health, sizeof health - 1));
  read_resp(fd[1], &p);
  assert_int_equal(p.status, 200); /* a worker shared with fd[0] would time out here */
  resp_free(&p);
  gate_open();
  read_resp(fd[0], &p);
  assert_int_equal(p.status, 200);
  resp_free(&p);
  close(fd[0]);
  close(fd[1]);
  server_stop(s);
}

static void test_start_errors(void **state) {
  ServerConfig cfg = {.listen = "127.0.0.1"};
  Err e = {0};
  (void)state;
  assert_null(server_start(NULL, &cfg, &e));
  assert_string_equal(e.code, "server.listen");
  cfg.listen = "127.0.0.1:99999";
  assert_null(server_start(NULL, &cfg, &e));
  assert_string_equal(e.code, "server.listen");
  char busy[32];
  snprintf(busy, sizeof busy, "127.0.0.1:%d", port); /* already ours */
  cfg.listen = busy;
  err_clear(&e);
  assert_null(server_start(NULL, &cfg, &e));
  assert_string_equal(e.code, "server.listen");
}

/* A request's path parameters survive another request being checked on the
** same worker thread between its first call and its handler (its body was
** still arriving). With one thread both connections share it. */
static void test_params_kept_across_requests(void **state) {
  ServerConfig cfg = {.listen = "127.0.0.1:0", .threads = 1, .max_connections = 16,
                      .max_inflight = 16, .timeout_s = 30, .max_body = 1 << 20};
  Err e = {0};
  Resp p;
  (void)state;
  Server *s = server_start(NULL, &cfg, &e);
  assert_non_null(s);
  int sp = server_port(s);
  const char *head = "POST /api/v1/test/echo/first HTTP/1.1\r\nHost: l\r\nConnection: close\r\n"
                     "Content-Length: 10\r\n\r\n0123";
  int fa = connect_to(sp);
  assert_true(send_all(fa, head, strlen(head)));
  struct timespec pause = {0, 200 * 1000 * 1000};
  nanosleep(&pause, NULL); /* the server checks A and waits for the rest of its body */
  get(sp, "GET", "/api/v1/test/other/second", NULL, &p);
  assert_int_equal(p.status, 200);
  resp_free(&p);
  assert_true(send_all(fa, "456789", 6));
  read_resp(fa, &p);
  close(fa);
  assert_int_equal(p.status, 200);
  assert_non_null(strstr(p.body, "\"p\":\"first\""));
  resp_free(&p);
  server_stop(s);
}

static void test_req_helpers(void **state) {
  Req r = {0};
  (void)state;
  snprintf(r.aParamName[0], sizeof r.aParamName[0], "uscc");
  r.aParam[0] = xstrdup("91210200MA0QCXXX1X");
  r.nParam = 1;
  assert_string_equal(req_param(&r, "uscc"), "91210200MA0QCXXX1X");
  assert_null(req_param(&r, "id"));
  assert_null(req_query(&r, "q")); /* no connection: nothing to read */
  assert_null(req_header_in(&r, "Host"));
  assert_null(req_cookie(&r, "k"));
  for (int i = 0; i < REQ_MAX_HDRS; i++) req_header(&r, "X-N", "v\n");
  assert_int_equal(r.nHdr, REQ_MAX_HDRS);
  assert_string_equal(r.aHdrValue[0], "v ");
  buf_puts(&r.body, "{}");
  buf_puts(&r.raw, "x");
  r.out = json_object();
  r.json = json_object();
  req_free(&r);
  assert_int_equal(r.nHdr, 0);
  assert_int_equal(r.nParam, 0);
  assert_null(r.out);
  assert_null(r.json);
  assert_null(r.body.a);
  req_free(&r); /* twice is harmless */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_req_helpers),     cmocka_unit_test(test_params_kept_across_requests),     cmocka_unit_test(test_static_files),
      cmocka_unit_test(test_spa_fallback),    cmocka_unit_test(test_no_frontend),
      cmocka_unit_test(test_traversal_refused),
      cmocka_unit_test(test_bad_requests),    cmocka_unit_test(test_api_answers),
      cmocka_unit_test(test_body_limits),     cmocka_unit_test(test_overload),
      cmocka_unit_test(test_graceful_stop),   cmocka_unit_test(test_connection_limit),
      cmocka_unit_test(test_per_address_limit), cmocka_unit_test(test_idle_worker_first),
      cmocka_unit_test(test_start_errors),    cmocka_unit_test(test_refused_before_body),
      cmocka_unit_test(test_chunked_cut_at_route_limit),
      cmocka_unit_test(test_router_phases),   cmocka_unit_test(test_error_answers),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
