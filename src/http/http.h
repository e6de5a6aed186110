/*
** http.h — the request as handlers see it, the route table, and the server.
**
** server.c (libmicrohttpd workers, one acceptor) reads a request, enforces the
** transport limits (header and body size, request time, connections,
** overload → 503 with Retry-After), serves static files from web/dist, and
** hands every /api/v1 request and GET /healthz to the router (router.c) in
** two steps: router_prepare() as soon as the headers are in, before any
** body is read, then router_dispatch() once the body is complete. Public
** pages that have a JSON twin (GET /verify/CODE) go to the router too,
** unless the browser asks for HTML and the web front end is built: then it
** gets index.html and renders the page itself. The
** router matches the route tables that the api_*.c files register and
** enforces each route's flags (login, roles, CSRF, body kind and limit)
** before the handler runs, and the handler decodes, calls one domain
** function and sets the JSON answer. The server then sends r->status with
** r->out (JSON) or r->raw (other bytes) and the headers in r->hdr.
*/
#ifndef XINQU_HTTP_H
#define XINQU_HTTP_H

#include <jansson.h>
#include "../base/base.h"
#include "../base/buf.h"
#include "../store/store.h"
#include "../domain/accounts.h"

#define REQ_MAX_PARAMS 8
#define REQ_MAX_HDRS 12

typedef struct Server Server;
typedef struct Route Route;

typedef struct Req {
  /* Filled by the server before router_prepare() (body: before
  ** router_dispatch()). */
  struct MHD_Connection *conn; /* for header/query/cookie lookups */
  Store *store;                /* the database */
  const char *method;          /* "GET", "POST", … */
  const char *path;            /* decoded path, without the query string */
  char ip[64];                 /* client address as text: the TCP peer, or
                                  from X-Forwarded-For when the peer is a
                                  trusted proxy (ServerConfig.trusted_proxies) */
  bool https;                  /* came over HTTPS: a trusted proxy said so
                                  (X-Forwarded-Proto: https) */
  const char *public_url;      /* the address the public reaches this server at, without a
                                  trailing '/' (ServerConfig.public_url): what a certificate's
                                  QR code points to. Never taken from a request header. */
  Buf body;                    /* the raw body (NUL-terminated) */
  bool body_too_large;         /* the body passed the limit and was cut */
  /* Filled by the router. */
  const Route *route;          /* the matched route (router_prepare()), or NULL */
  size_t body_max;             /* that route's body limit, default applied */
  int nParam;                            /* path parameters matched */
  char aParamName[REQ_MAX_PARAMS][32];   /* their names, from the route */
  char *aParam[REQ_MAX_PARAMS];          /* decoded values (owned) */
  json_t *json;                /* parsed body of R_JSON routes, or NULL */
  User user;                   /* the caller; user.id == 0 when anonymous */
  bool by_token;               /* authenticated with an API token */
  char csrf[65];               /* the session's CSRF token ("" for tokens) */
  /* Filled by the handler (or the router on refusal). */
  int status;                  /* HTTP status; 0 means 404 */
  json_t *out;                 /* JSON answer (owned; sent then freed) */
  Buf raw;                     /* non-JSON answer, when out is NULL */
  const char *raw_type;        /* Content-Type of raw */
  int nHdr;                    /* extra response headers */
  char *aHdrName[REQ_MAX_HDRS];
  char *aHdrValue[REQ_MAX_HDRS];
} Req;

/* A handler returns the HTTP status and sets r->out (req_json/req_error). */
typedef int (*Handler)(Req *r);

/* Route flags. Every route requires a logged-in caller unless R_PUBLIC.
** Unsafe methods (POST, PUT, PATCH, DELETE) from a cookie session must echo
** the session's CSRF token in X-CSRF-Token (API tokens are exempt). */
enum {
  R_PUBLIC = 1 << 0, /* no login needed */
  R_JSON = 1 << 1,   /* body must be a JSON object; parsed into r->json */
  R_NOCSRF = 1 << 2, /* unsafe method that needs no CSRF token (login) */
  R_PWCHANGE = 1 << 3 /* open to a caller who must change the password first
                         (User.must_change); every other route answers 403
                         auth.password_change_required */
};

struct Route {
  const char *method;   /* "GET", "POST", "PUT", "PATCH" or "DELETE" (no other) */
  const char *path;     /* "/api/v1/entities/{uscc}": {name} matches one segment */
  Handler handler;
  unsigned flags;       /* R_* */
  unsigned roles;       /* ROLE_* mask allowed; 0 = any logged-in user */
  size_t body_max;      /* largest body accepted; 0 = 64 KiB */
  const char *summary;  /* Chinese summary, for the OpenAPI document */
  const char *summary_en;
};

/* router_add() registers a static route table (kept by pointer); a route
** with a method not listed in Route.method panics. */
void router_add(const Route *routes, size_t n, const char *tag);
/* router_prepare() runs every check that needs only the request line and
** headers, so the server can call it before reading any body: it matches
** the route (404 route.not_found; 405 route.bad_method with an Allow
** header listing the path's methods), sets r->route, r->body_max and the
** path parameters, refuses a declared Content-Length over r->body_max
** (413 request.too_large), authenticates the caller from the session
** cookie or a Bearer token (a database read when a 64-hex token is
** presented) and checks login (401 auth.required, with WWW-Authenticate),
** role (403 auth.forbidden), a pending change of password (403
** auth.password_change_required, unless R_PWCHANGE) and CSRF (403
** auth.csrf). Returns true to go
** on; false when r holds the refusal, which the server sends at once
** without reading the body. Calling it again returns the same verdict
** without checking again. Allocates the path parameter values and any
** answer in r (req_free() releases them). */
bool router_prepare(Req *r);
/* router_dispatch() finishes r once its body is complete: 413 when the
** body passed r->body_max (r->body_too_large or a longer r->body), 415 or
** 400 when an R_JSON route's body is not application/json or not a JSON
** object, else the handler's answer (404 if the handler set no status).
** It runs router_prepare() first when the caller has not, and does
** nothing more when that refused. */
void router_dispatch(Req *r);
/* router_openapi() builds the OpenAPI 3 document of every registered route. */
json_t *router_openapi(void);
/* router_index() is rt's place in router_each() order (0 … router_count()
** - 1), or -1 for a route not registered. */
int router_index(const Route *rt);
int router_count(void);
/* router_each() calls fn for every registered route (for tests/openapi). */
void router_each(void (*fn)(const Route *rt, const char *tag, void *arg), void *arg);

/* Server-side latency per route (metrics.c). metrics_init() runs once,
** after every route table is registered; metrics_record() adds one answer
** that took us microseconds (rt NULL: not an API route, not counted);
** metrics_json() is {since, routes:[{method, path, count, p50_ms, p90_ms,
** p99_ms, max_ms, buckets:[[upper_ms, count]…]}]} for routes with answers. */
void metrics_init(void);
void metrics_record(const Route *rt, int64_t us);
json_t *metrics_json(void);

/* Request helpers. */
const char *req_param(Req *r, const char *name);   /* path parameter or NULL */
const char *req_query(Req *r, const char *name);   /* query parameter or NULL */
/* req_query_int() reads the whole-number query parameter name into *out
** (dflt when absent or empty). Outside [lo, hi] or not a number it answers
** 400 request.bad_param naming the parameter and returns -1. */
int req_query_int(Req *r, const char *name, int64_t dflt, int64_t lo, int64_t hi, int64_t *out);
const char *req_header_in(Req *r, const char *name);/* request header or NULL */
const char *req_cookie(Req *r, const char *name);  /* cookie or NULL */
void req_header(Req *r, const char *name, const char *value); /* add response header */
/* req_json() sets r->out (taking the reference) and returns status. */
int req_json(Req *r, int status, json_t *out);
/* req_bytes() answers status with the bytes in *data, typed mime (a
** Content-Type header, copied): it takes the bytes over and leaves *data
** empty. Returns status. */
int req_bytes(Req *r, int status, const char *mime, Buf *data);
/* req_disposition() sets Content-Disposition to how ("attachment" or
** "inline") with the file name name (UTF-8, e.g. 办件清单-20261205.xlsx) as
** RFC 6266 / RFC 5987 filename*, and ascii (letters, digits, - . _ only;
** other bytes become _) as the plain filename for clients that know no
** other. */
void req_disposition(Req *r, const char *how, const char *ascii, const char *name);
/* req_error() answers {"error":{code,message,message_en,field}} with the
** status chosen by e->kind (E_INVALID 400, E_AUTH 401, E_FORBIDDEN 403,
** E_NOTFOUND 404, E_CONFLICT 409, E_LIMIT 429, E_INTERNAL 500, E_BUSY 503;
** request.too_large 413, request.bad_content_type 415, route.bad_method
** 405), adds Retry-After when e->retry_after > 0 and, on a 401,
** WWW-Authenticate: Bearer realm="xinqu", and returns the status. Text in
** e that is not valid UTF-8 gives a fixed message (and "server.internal"
** for a bad code) instead of an empty body. When e->all holds errors (every
** bad field of a form, base.h), they follow as errors: [{field, code,
** message, message_en}…], the first the same as the error itself; or, for
** an import, every refused row with its line ({line, field, code, message,
** message_en}) under an error that sums them up (import.rejected). */
int req_error(Req *r, const Err *e);
/* req_answer() answers out (taking the reference) with status ok, or, when
** out is NULL, the error *e. Returns the status. */
int req_answer(Req *r, int ok, json_t *out, const Err *e);
/* req_param_id() reads path parameter name as a positive integer into *id;
** otherwise answers 404 request.not_found and returns -1. */
int req_param_id(Req *r, const char *name, int64_t *id);
/* req_fail() is req_error() for an error made on the spot. */
int req_fail(Req *r, eErr kind, const char *code, const char *field,
             const char *zh, const char *en);

/* The server. */
typedef struct ServerConfig {
  const char *listen;      /* "127.0.0.1:8080" */
  const char *static_dir;  /* "web/dist"; missing folder → only the API */
  int threads;             /* worker threads (default 64: a handler blocks while its
                              write waits for the group commit, so more threads
                              mean larger groups) */
  int max_connections;     /* default 1024 */
  int per_ip;              /* connections one client (TCP peer) address may hold
                              (default max_connections / 16, at least 8); behind a
                              reverse proxy every client has the proxy's address, so
                              raise it there. When fewer than max_connections / 8
                              slots are left, only an address holding fewer than 4
                              connections gets one, so a new client is still served. */
  int max_inflight;        /* requests being handled before 503 (default 256) */
  int timeout_s;           /* idle timeout in seconds (default 30); also how long a
                              kept-alive connection may take to send its next
                              request line */
  int header_timeout_s;    /* total time for a request's line and headers (default
                              10): counted from the connection's start, or from its
                              request line on a kept-alive connection; trickling
                              bytes does not extend it */
  size_t body_min_rate;    /* bytes a second a body must average (default 32 KiB):
                              a body's deadline is header_timeout_s plus its
                              Content-Length (or, chunked, the route's limit) at
                              this rate. A connection past a deadline is closed. */
  size_t body_budget;      /* bytes of request bodies held in memory, all requests
                              together (default 256 MiB). A request's declared
                              length (chunked: its limit) is reserved before its
                              body is read: past the budget it gets 503 server.busy,
                              and past a quarter of it for one caller (the account,
                              else the address) 429 rate.limited, both with
                              Retry-After — unless the caller holds nothing else. */
  size_t max_body;         /* hard cap on any body (default 8 MiB, or the largest
                              route limit when that is larger: a route's
                              body_max is meant to be reachable) */
  const char *public_url;  /* "https://zw.example.gov.cn": where the public reaches
                              us (printed and QR-encoded on certificates); http or
                              https, a host, an optional port and path, no query.
                              NULL or "": http://127.0.0.1:PORT of this server. */
  const char *trusted_proxies; /* comma-separated addresses or CIDR blocks
                              ("10.0.0.0/8,::1") of the reverse proxies in
                              front; NULL or "" for none. Only when the TCP
                              peer is one of them are X-Forwarded-For (the
                              client: the rightmost address that is not a
                              trusted proxy) and X-Forwarded-Proto read. */
} ServerConfig;

/* server_start() binds and starts serving; NULL with *e set on failure
** (server.bad_proxy when trusted_proxies does not parse). */
Server *server_start(Store *store, const ServerConfig *cfg, Err *e);
/* server_stop() stops accepting, finishes requests in flight, frees. */
void server_stop(Server *srv);
/* server_port() is the bound port (useful when listening on port 0). */
int server_port(Server *srv);
/* req_free() releases everything r owns (body, raw, out, json, path
** parameter values, response headers) and leaves those members empty; it
** does not free r itself. The server calls it when a request completes;
** tests that fill a Req by hand call it too. */
void req_free(Req *r);

#endif
