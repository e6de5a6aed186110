/*
** jsonx.c — table-driven decoding of JSON request objects (see jsonx.h),
** and the reuse of jansson's blocks per thread.
*/
#include "jsonx.h"

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- jansson's allocations --------------------------------------------------
**
** Every JSON value is a few small blocks (the value, an object's table, each
** member, each string), and an answer is built and dropped whole: hundreds
** of blocks at once, far more than glibc's thread cache keeps (7 of a size),
** so most went through its bins, and a larger request then made it
** consolidate them (a sixth of a ladder check's time). Jansson's frees are
** kept here instead, per thread and size class, up to JC_BYTES a thread,
** for the thread's next allocations. Every block is a plain
** malloc() block, whoever frees it: one jansson hands out (a string of
** json_dumps()) may be given to free(), and one freed in another thread
** than it was made in joins that thread's cache. A thread's cache is freed
** when it ends. The sanitizer build leaves every block to malloc, so that
** its checks see each one. */
#if !defined(__SANITIZE_ADDRESS__)
#define JC_CLASSES 33          /* 16-byte classes of usable size, so blocks up to 520 bytes */
#define JC_BYTES (256u << 10)  /* bytes kept a thread (64 workers: 16 MiB at most) */

typedef struct JsonCache {
  void *head[JC_CLASSES]; /* free blocks by class, linked through their first bytes */
  size_t bytes;           /* what they hold */
} JsonCache;

static _Thread_local JsonCache *jc;
static pthread_key_t jc_key;

/* jc_drop() frees a thread's cached blocks (the key's destructor). */
static void jc_drop(void *p) {
  JsonCache *c = p;
  for (int k = 0; k < JC_CLASSES; k++)
    for (void *b = c->head[k], *next; b; b = next) {
      next = *(void **)b;
      free(b);
    }
  free(c);
  jc = NULL;
}

/* jc_class() is the class of a block whose usable size is at least n. */
static size_t jc_class(size_t n) { return (n + 8 + 15) / 16; }

static void *jc_malloc(size_t n) {
  size_t k = jc_class(n);
  JsonCache *c = jc;
  if (c && k < JC_CLASSES && c->head[k]) {
    void *b = c->head[k];
    c->head[k] = *(void **)b;
    c->bytes -= k * 16;
    return b;
  }
  return malloc(n);
}

static void jc_free(void *b) {
  if (!b) return;
  size_t u = malloc_usable_size(b), k = (u + 8) / 16; /* glibc: usable sizes are 16k - 8 */
  JsonCache *c = jc;
  if (!c && k < JC_CLASSES && (c = calloc(1, sizeof *c))) {
    jc = c;
    pthread_setspecific(jc_key, c);
  }
  if (c && k < JC_CLASSES && c->bytes + k * 16 <= JC_BYTES && jc_class(u) == k) {
    *(void **)b = c->head[k];
    c->head[k] = b;
    c->bytes += k * 16;
    return;
  }
  free(b);
}

__attribute__((constructor)) static void jc_init(void) {
  if (pthread_key_create(&jc_key, jc_drop) == 0) json_set_alloc_funcs(jc_malloc, jc_free);
}
#endif

static int depth_ok(const json_t *j, int depth) {
  if (depth > 32) return 0;
  if (json_is_object(j)) {
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)j, k, v) if (!depth_ok(v, depth + 1)) return 0;
  } else if (json_is_array(j)) {
    size_t i;
    json_t *v;
    json_array_foreach(j, i, v) if (!depth_ok(v, depth + 1)) return 0;
  }
  return 1;
}

json_t *jsonx_parse(const char *body, size_t n, Err *e) {
  json_error_t je;
  json_t *j;
  char where[48];
  if (!utf8_valid(body, n))
    return err_set(e, E_INVALID, "request.bad_utf8", NULL, "请求内容不是有效的 UTF-8 文本",
                   "The request body is not valid UTF-8"), NULL;
  j = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
  if (!j) {
    snprintf(where, sizeof where, "%d:%d", je.line, je.column);
    err_setf(e, E_INVALID, "request.bad_json", NULL, "请求内容不是有效的 JSON（行:列 %s）",
             "The request body is not valid JSON (line:column %s)", where);
    return NULL;
  }
  if (!json_is_object(j)) {
    json_decref(j);
    return err_set(e, E_INVALID, "request.not_object", NULL, "请求内容应为 JSON 对象",
                   "The request body must be a JSON object"), NULL;
  }
  if (!depth_ok(j, 0)) {
    json_decref(j);
    return err_set(e, E_INVALID, "request.too_deep", NULL, "JSON 嵌套层数过多",
                   "The JSON is nested too deeply"), NULL;
  }
  return j;
}

/* A string is acceptable text when it has no control characters other
** than tab and newline (jansson already guarantees valid UTF-8 and no NUL
** unless \u0000 was written, which json_string_length reveals). */
static bool text_ok(const char *s, size_t n) {
  if (strlen(s) != n) return false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) return false;
  }
  return true;
}

static int decode_str(const json_t *v, const JField *f, Err *e) {
  const char *s = json_string_value(v);
  size_t n = json_string_length(v);
  if (!text_ok(s, n))
    return err_set(e, E_INVALID, "request.bad_text", f->name, "包含不允许的控制字符",
                   "Contains control characters that are not allowed");
  while (n && (*s == ' ' || *s == '\t' || *s == '\n')) s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n')) n--;
  char tmp[32];
  size_t chars = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xc0) != 0x80) chars++;
  int64_t max = f->max ? f->max : (int64_t)f->cap - 1;
  if (n >= f->cap || (int64_t)chars > max) {
    snprintf(tmp, sizeof tmp, "%lld", (long long)max);
    return err_setf(e, E_INVALID, "request.too_long", f->name, "过长，最多 %s 个字符",
                    "Too long: at most %s characters", tmp);
  }
  if ((int64_t)chars < f->min) {
    snprintf(tmp, sizeof tmp, "%lld", (long long)f->min);
    return err_setf(e, E_INVALID, f->min == 1 ? "request.missing_field" : "request.too_short", f->name,
                    "过短，至少 %s 个字符", "Too short: at least %s characters", tmp);
  }
  memcpy(f->dst, s, n);
  ((char *)f->dst)[n] = 0;
  return 0;
}

static int decode_int(const json_t *v, const JField *f, Err *e) {
  int64_t x = json_integer_value(v);
  int64_t lo = f->min, hi = f->max;
  if (lo == 0 && hi == 0) hi = INT64_MAX;
  if (x < lo || x > hi) {
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%lld–%lld", (long long)lo, (long long)hi);
    return err_setf(e, E_INVALID, "request.out_of_range", f->name, "超出允许范围（%s）",
                    "Out of range (%s)", tmp);
  }
  *(int64_t *)f->dst = x;
  return 0;
}

int jsonx_decode(const json_t *obj, const JField *f, int nField, bool allow_unknown, Err *e) {
  if (!json_is_object(obj))
    return err_set(e, E_INVALID, "request.not_object", NULL, "请求内容应为 JSON 对象",
                   "The request body must be a JSON object");
  if (!allow_unknown) {
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
      int i;
      for (i = 0; i < nField && strcmp(f[i].name, k) != 0; i++) {}
      if (i == nField)
        return err_setf(e, E_INVALID, "request.unknown_field", k, "不认识的字段：%s",
                        "Unknown field: %s", k);
    }
  }
  for (int i = 0; i < nField; i++) {
    const json_t *v = json_object_get(obj, f[i].name);
    if (f[i].present) *f[i].present = false;
    if (!v || json_is_null(v)) {
      if (f[i].required)
        return err_setf(e, E_INVALID, "request.missing_field", f[i].name, "缺少必填字段：%s",
                        "Missing required field: %s", f[i].name);
      continue;
    }
    int rc;
    switch (f[i].type) {
    case J_STR:
      if (!json_is_string(v)) goto bad_type;
      rc = decode_str(v, &f[i], e);
      break;
    case J_INT:
      if (!json_is_integer(v)) goto bad_type;
      rc = decode_int(v, &f[i], e);
      break;
    case J_BOOL:
      if (!json_is_boolean(v)) goto bad_type;
      *(bool *)f[i].dst = json_is_true(v);
      rc = 0;
      break;
    case J_OBJ:
    case J_ARR:
      if (f[i].type == J_OBJ ? !json_is_object(v) : !json_is_array(v)) goto bad_type;
      *(const json_t **)f[i].dst = v;
      rc = 0;
      break;
    default:
      panic("bad field type %d", f[i].type);
    }
    if (rc) return rc;
    if (f[i].present) *f[i].present = true;
    continue;
  bad_type:
    return err_setf(e, E_INVALID, "request.bad_type", f[i].name,
                    f[i].type == J_STR ? "字段 %s 应为字符串" : f[i].type == J_INT ? "字段 %s 应为整数"
                    : f[i].type == J_OBJ ? "字段 %s 应为对象" : f[i].type == J_ARR ? "字段 %s 应为数组"
                    : "字段 %s 应为 true 或 false",
                    f[i].type == J_STR ? "Field %s must be a string" : f[i].type == J_INT ? "Field %s must be an integer"
                    : f[i].type == J_OBJ ? "Field %s must be an object" : f[i].type == J_ARR ? "Field %s must be an array"
                    : "Field %s must be true or false",
                    f[i].name);
  }
  return 0;
}

int jsonx_text(const json_t *o, const char *k, const char *label, char *out, size_t cap, size_t max, Err *e) {
  if (cap < 4 * max + 1) panic("jsonx_text: %zu bytes cannot hold %zu characters of %s", cap, max, k);
  const char *v = json_string_value(json_object_get(o, k));
  while (v && (*v == ' ' || *v == '\t')) v++;
  if (text_check(v, k, label, max, true, e)) return -1;
  snprintf(out, cap, "%s", v);
  return 0;
}

void jsonx_fill(Buf *out, const char *tmpl, const json_t *vars) {
  const char *p = tmpl;
  while (*p) {
    const char *open = strchr(p, '{'), *close = open ? strchr(open, '}') : NULL;
    if (!close) {
      buf_puts(out, p);
      return;
    }
    char name[64];
    size_t n = (size_t)(close - open - 1);
    const char *v = NULL;
    if (n > 0 && n < sizeof name) {
      memcpy(name, open + 1, n);
      name[n] = 0;
      v = json_string_value(json_object_get(vars, name));
    }
    buf_append(out, p, (size_t)(open - p));
    if (v)
      buf_puts(out, v);
    else
      buf_append(out, open, (size_t)(close - open + 1));
    p = close + 1;
  }
}

json_t *jsonx_time(int64_t ms) {
  char t[40];
  return ms > 0 ? json_string(time_iso(ms, t)) : json_null();
}

/* real_text() writes x into out (32 bytes) in the fewest significant digits
** (1 to 17; 17 always read back) that strtod() reads as x, then as jansson
** writes a real: a ".0" when there is neither '.' nor exponent, and the
** exponent without '+' or leading zeros. */
static void real_text(double x, char out[32]) {
  for (int p = 1; p <= 17; p++) {
    snprintf(out, 32, "%.*g", p, x);
    if (strtod(out, NULL) == x) break;
  }
  char *e = strchr(out, 'e');
  if (!e) {
    if (!strchr(out, '.')) strcat(out, ".0");
    return;
  }
  char *d = e + 1, *s = d;
  if (*s == '+') s++;
  else if (*s == '-') d++, s++;
  while (*s == '0' && s[1]) s++;
  memmove(d, s, strlen(s) + 1);
}

char *jsonx_dumps(const json_t *j, size_t flags) {
  char *in = json_dumps(j, flags);
  if (!in) return NULL;
  Buf out = {0};
  const char *p = in, *copied = in;
  while (*p) {
    if (*p == '"') { /* a string (or key): to its closing quote */
      for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && p[1]) p++;
      if (*p) p++;
      continue;
    }
    if (*p != '-' && (*p < '0' || *p > '9')) {
      p++;
      continue;
    }
    const char *start = p;
    bool real = false;
    while (*p && strchr("0123456789+-.eE", *p)) real = real || *p == '.' || *p == 'e' || *p == 'E', p++;
    if (!real) continue;
    char text[32];
    real_text(strtod(start, NULL), text);
    buf_append(&out, copied, (size_t)(start - copied));
    buf_puts(&out, text);
    copied = p;
  }
  if (copied == in) { /* no real: the text as it is */
    buf_free(&out);
    return in;
  }
  buf_puts(&out, copied);
  free(in);
  return buf_detach(&out);
}
