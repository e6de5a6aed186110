/* test_base.c — Buf, UTF-8 checks, Err, CSV reader, JSON request decoding
** and the CIDR blocks of trusted proxies. */
#include "unit.h"
#include "base/base.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/jsonx.h"
#include "base/rate.h"
#include "base/netaddr.h"

#include <stdio.h>

static void buf_grows_and_formats(void **state) {
  (void)state;
  Buf b = {0};
  assert_string_equal(buf_cstr(&b), "");
  for (int i = 0; i < 1000; i++) buf_appendf(&b, "%d,", i);
  assert_int_equal(b.n, strlen(b.a));
  assert_true(strncmp(b.a, "0,1,2,", 6) == 0);
  assert_int_equal(b.a[b.n], 0);
  buf_reset(&b);
  assert_int_equal(b.n, 0);
  buf_append(&b, "a\0b", 3);
  assert_int_equal(b.n, 3);
  assert_memory_equal(b.a, "a\0b", 4);
  char *p = buf_detach(&b);
  assert_null(b.a);
  free(p);
  buf_free(&b);
}

/* A token bucket: burst at once, then per_min a minute; kinds and keys
** have their own buckets; a rate of 0 does not limit; the wait is the whole
** seconds until the next token. */
static void rate_buckets(void **state) {
  (void)state;
  rate_reset();
  Rate r = {6, 3}; /* a token every 10 s, 3 at once */
  int64_t t = 1000000;
  for (int i = 0; i < 3; i++) assert_int_equal(rate_take_at("upload", 7, &r, t), 0);
  assert_int_equal(rate_take_at("upload", 7, &r, t), 10);
  assert_int_equal(rate_take_at("upload", 7, &r, t + 4000), 6); /* nothing was taken */
  assert_int_equal(rate_take_at("upload", 8, &r, t), 0);        /* another key */
  assert_int_equal(rate_take_at("cert.pdf", 7, &r, t), 0);      /* another kind */
  assert_int_equal(rate_take_at("upload", 7, &r, t + 10000), 0);
  assert_int_equal(rate_take_at("upload", 7, &r, t + 10000), 10);
  /* Long idle: the bucket is full again, never fuller. */
  for (int i = 0; i < 3; i++) assert_int_equal(rate_take_at("upload", 7, &r, t + 3600000), 0);
  assert_true(rate_take_at("upload", 7, &r, t + 3600000) > 0);
  Rate off = {0, 0};
  for (int i = 0; i < 100; i++) assert_int_equal(rate_take_at("upload", 7, &off, t), 0);
  Err e = {0};
  Rate one = {1, 1};
  assert_int_equal(rate_check("x", 1, &one, "上传文件", "uploads", &e), 0);
  assert_int_equal(rate_check("x", 1, &one, "上传文件", "uploads", &e), -1);
  assert_string_equal(e.code, "rate.limited");
  assert_int_equal(e.kind, E_LIMIT);
  assert_true(e.retry_after >= 1 && e.retry_after <= 60);
  rate_reset();
}

/* fnv1a() against the published FNV-1a test vectors. */
static void fnv1a_vectors(void **state) {
  (void)state;
  assert_int_equal(fnv1a("", 0), 0x811c9dc5u);
  assert_int_equal(fnv1a("a", 1), 0xe40c292cu);
  assert_int_equal(fnv1a("foobar", 6), 0xbf9cf968u);
}

static void utf8_checks(void **state) {
  (void)state;
  assert_true(utf8_valid("大连金普新区", strlen("大连金普新区")));
  assert_int_equal(utf8_len("大连abc"), 5);
  /* Terminal columns: 汉字 and fullwidth forms two, others one, combining marks none. */
  assert_int_equal(utf8_width("大连abc"), 7);
  assert_int_equal(utf8_width("合计 total"), 10);
  assert_int_equal(utf8_width("（Ａ）"), 6);
  assert_int_equal(utf8_width("e\xcc\x81"), 1);  /* e + U+0301 */
  assert_int_equal(utf8_width("\xf0\xa0\x80\x80"), 2); /* U+20000, plane 2 */
  assert_int_equal(utf8_width(""), 0);
  assert_false(utf8_valid("\xff", 1));
  assert_false(utf8_valid("\xc0\x80", 2));         /* overlong NUL */
  assert_false(utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
  assert_false(utf8_valid("\xe5\xa4", 2));         /* truncated */
  assert_false(utf8_valid("a\0b", 3));             /* NUL */
  assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
  assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));  /* emoji */
}

/* ref_utf8() is UTF-8 validity the long way: decode each code point, then
** refuse overlong forms, surrogates and anything past U+10FFFF. */
static bool ref_utf8(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n;) {
    unsigned c = p[i], cp;
    size_t len;
    if (c == 0) return false;
    if (c < 0x80) { i++; continue; }
    if ((c & 0xe0) == 0xc0) len = 2, cp = c & 0x1f;
    else if ((c & 0xf0) == 0xe0) len = 3, cp = c & 0x0f;
    else if ((c & 0xf8) == 0xf0) len = 4, cp = c & 0x07;
    else return false;
    if (n - i < len) return false;
    for (size_t k = 1; k < len; k++) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = cp << 6 | (p[i + k] & 0x3f);
    }
    unsigned least = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < least || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

/* utf8_valid() agrees with ref_utf8() on every sequence of one to three
** bytes, on four-byte ones over every first two bytes, and wherever a bad
** byte or a NUL falls in a run of ASCII (its word-at-a-time path). */
static void utf8_valid_everywhere(void **state) {
  (void)state;
  unsigned char b[32];
  for (unsigned x = 0; x < 1u << 24; x++) {
    b[0] = (unsigned char)(x >> 16), b[1] = (unsigned char)(x >> 8), b[2] = (unsigned char)x;
    for (size_t n = 1; n <= 3; n++) {
      if (n < 3 && (x & ((1u << (8 * (3 - n))) - 1))) continue; /* shorter: each once */
      if (utf8_valid((const char *)b, n) != ref_utf8(b, n)) fail_msg("%zu bytes %06x", n, x);
    }
  }
  static const unsigned char tails[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff};
  for (unsigned x = 0; x < 1u << 16; x++)
    for (size_t t = 0; t < sizeof tails * sizeof tails; t++) {
      b[0] = (unsigned char)(x >> 8), b[1] = (unsigned char)x;
      b[2] = tails[t / sizeof tails], b[3] = tails[t % sizeof tails];
      if (utf8_valid((const char *)b, 4) != ref_utf8(b, 4)) fail_msg("4 bytes %02x %02x %02x %02x", b[0], b[1], b[2], b[3]);
    }
  static const unsigned char bad[] = {0x00, 0x80, 0xc0, 0xe5, 0xff};
  for (size_t n = 1; n <= sizeof b; n++)
    for (size_t at = 0; at < n; at++)
      for (size_t k = 0; k < sizeof bad; k++) {
        memset(b, 'a', sizeof b);
        b[at] = bad[k];
        if (utf8_valid((const char *)b, n) != ref_utf8(b, n)) fail_msg("%02x at %zu of %zu", bad[k], at, n);
        assert_false(utf8_valid((const char *)b, n));
      }
  memcpy(b, "abcdefgh大连金普新区", 26);
  assert_true(utf8_valid((const char *)b, 26));
  assert_false(utf8_valid((const char *)b, 25)); /* cut inside 区 */
}

/* A caller that wants every error of a form points the Err at a list: each
** err_more() adds the error just set and puts the first back into the Err. */
static void err_gathers_every_error(void **state) {
  (void)state;
  Err alone = {0};
  err_set(&alone, E_INVALID, "a.one", "f1", "一", "one");
  assert_false(err_more(&alone)); /* no list: stop at the first */
  ErrList all = {0};
  Err e = {.all = &all};
  err_set(&e, E_INVALID, "a.one", "f1", "一", "one");
  assert_true(err_more(&e));
  for (int i = 0; i < 20; i++) { /* past the list's first allocation */
    err_set(&e, E_INVALID, "a.two", "f2", "二", "two");
    assert_true(err_more(&e));
  }
  assert_int_equal(all.n, 21);
  assert_string_equal(e.code, "a.one"); /* the Err answers with the first */
  assert_string_equal(e.field, "f1");
  assert_ptr_equal(e.all, &all);
  assert_string_equal(all.a[1].code, "a.two");
  assert_null(all.a[0].all);
  err_clear(&e); /* forgets the errors, keeps the caller's list */
  assert_int_equal(e.kind, E_OK);
  assert_ptr_equal(e.all, &all);
  assert_int_equal(all.n, 0);
  errlist_free(&all);
  assert_null(all.a);
}

static void err_formats_both_languages(void **state) {
  (void)state;
  Err e = {0};
  assert_int_equal(err_setf(&e, E_INVALID, "x.bad", "f", "坏值：%s", "bad value: %s", "Q"), -1);
  assert_string_equal(e.message, "坏值：Q");
  assert_string_equal(e.message_en, "bad value: Q");
  assert_string_equal(e.field, "f");
  assert_int_equal(e.kind, E_INVALID);
  /* Over-long values are cut between characters, never inside one. */
  char longname[400] = "a";
  for (int i = 0; i < 60; i++) strcat(longname, "字");
  err_setf(&e, E_INVALID, "x.bad", longname, "坏值：%s", "bad value: %s", longname);
  assert_true(utf8_valid(e.field, strlen(e.field)));
  assert_true(utf8_valid(e.message, strlen(e.message)));
  assert_true(strlen(e.field) >= sizeof e.field - 4);
}

static FILE *mem(const char *s) { return fmemopen((void *)s, strlen(s), "r"); }

static void csv_reads_records_with_lines(void **state) {
  (void)state;
  FILE *f = mem("\xef\xbb\xbf" "a,b,c\r\n\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n");
  CsvReader r;
  csv_init(&r, f);
  assert_int_equal(csv_next(&r), 1);
  assert_int_equal(r.line, 1);
  assert_int_equal(r.nField, 3);
  assert_string_equal(csv_field(&r, 0), "a");
  assert_int_equal(csv_next(&r), 1);
  assert_int_equal(r.line, 3); /* blank line 2 skipped */
  assert_string_equal(csv_field(&r, 0), "x,1");
  assert_string_equal(csv_field(&r, 1), "say \"hi\"");
  assert_string_equal(csv_field(&r, 2), "two\nlines");
  assert_false(r.bad_quote);
  assert_int_equal(csv_next(&r), 1);
  assert_int_equal(r.line, 5); /* the quoted newline moved the count */
  assert_int_equal(r.nField, 3);
  assert_string_equal(csv_field(&r, 1), "");
  assert_string_equal(csv_field(&r, 9), "");
  assert_int_equal(csv_next(&r), 0);
  csv_free(&r);
  fclose(f);
}

static void csv_flags_bad_quotes(void **state) {
  (void)state;
  FILE *f = mem("ab\"c,d\n\"open,e\n");
  CsvReader r;
  csv_init(&r, f);
  assert_int_equal(csv_next(&r), 1);
  assert_true(r.bad_quote);
  assert_int_equal(csv_next(&r), 1);
  assert_true(r.bad_quote); /* never closed */
  assert_int_equal(csv_next(&r), 0);
  csv_free(&r);
  fclose(f);
}

static void csv_put_quotes_when_needed(void **state) {
  (void)state;
  Buf b = {0};
  csv_put(&b, "plain");
  buf_putc(&b, ',');
  csv_put(&b, "a,\"b\"");
  assert_string_equal(b.a, "plain,\"a,\"\"b\"\"\"");
  buf_free(&b);
}

static void json_parse_refuses_bad_bodies(void **state) {
  (void)state;
  Err e = {0};
  json_t *j = jsonx_parse("{\"a\":1}", 7, &e);
  assert_non_null(j);
  json_decref(j);
  assert_null(jsonx_parse("{\"a\":", 5, &e));
  assert_string_equal(e.code, "request.bad_json");
  assert_null(jsonx_parse("[1]", 3, &e));
  assert_string_equal(e.code, "request.not_object");
  assert_null(jsonx_parse("{\"a\":1,\"a\":2}", 13, &e));
  assert_string_equal(e.code, "request.bad_json");
  assert_null(jsonx_parse("{\"a\":\"\xff\"}", 9, &e));
  assert_string_equal(e.code, "request.bad_utf8");
  Buf deep = {0};
  buf_puts(&deep, "{\"a\":");
  for (int i = 0; i < 40; i++) buf_putc(&deep, '[');
  for (int i = 0; i < 40; i++) buf_putc(&deep, ']');
  buf_putc(&deep, '}');
  assert_null(jsonx_parse(deep.a, deep.n, &e));
  assert_string_equal(e.code, "request.too_deep");
  buf_free(&deep);
}

typedef struct Form {
  char name[32];
  int64_t n;
  bool flag, has_n;
} Form;

static int decode(const char *text, Form *f, Err *e) {
  JField fields[] = {
      {"name", J_STR, true, f->name, sizeof f->name, 2, 5, NULL},
      {"n", J_INT, false, &f->n, 0, 1, 10, &f->has_n},
      {"flag", J_BOOL, false, &f->flag, 0, 0, 0, NULL},
  };
  json_t *j = jsonx_parse(text, strlen(text), e);
  if (!j) return -1;
  int rc = jsonx_decode(j, fields, 3, false, e);
  json_decref(j);
  return rc;
}

static void json_decode_by_table(void **state) {
  (void)state;
  Form f = {0};
  Err e = {0};
  assert_int_equal(decode("{\"name\":\"  金普新区 \", \"n\": 3, \"flag\": true}", &f, &e), 0);
  assert_string_equal(f.name, "金普新区"); /* trimmed; 4 characters ≤ 5 */
  assert_int_equal(f.n, 3);
  assert_true(f.has_n && f.flag);
  struct { const char *body, *code, *field; } bad[] = {
      {"{}", "request.missing_field", "name"},
      {"{\"name\":\"ab\",\"x\":1}", "request.unknown_field", "x"},
      {"{\"name\":7}", "request.bad_type", "name"},
      {"{\"name\":\"ab\",\"n\":\"3\"}", "request.bad_type", "n"},
      {"{\"name\":\"ab\",\"n\":1.5}", "request.bad_type", "n"},
      {"{\"name\":\"ab\",\"n\":11}", "request.out_of_range", "n"},
      {"{\"name\":\"大连金普新区\"}", "request.too_long", "name"},
      {"{\"name\":\"a\"}", "request.too_short", "name"},
      {"{\"name\":\"a\\u0007b\"}", "request.bad_text", "name"},
      {"{\"name\":\"ab\",\"flag\":1}", "request.bad_type", "flag"},
  };
  /* jansson refuses an escaped NUL while parsing. */
  assert_int_equal(decode("{\"name\":\"a\\u0000b\"}", &f, &e), -1);
  assert_string_equal(e.code, "request.bad_json");
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    memset(&e, 0, sizeof e);
    assert_int_equal(decode(bad[i].body, &f, &e), -1);
    assert_string_equal(e.code, bad[i].code);
    assert_string_equal(e.field, bad[i].field);
    assert_true(e.message[0] && e.message_en[0]);
  }
}

static bool in(const NetBlock *b, int n, const char *addr) {
  unsigned char a[16];
  assert_int_equal(netaddr_parse(addr, strlen(addr), a), 0);
  return netaddr_in(b, n, a);
}

static void netaddr_blocks_match(void **state) {
  (void)state;
  NetBlock *b;
  char bad[64] = "";
  int n = netaddr_blocks(" 10.0.0.0/8, 192.168.1.7,2001:db8::/32 ,::1,172.16.0.0/12", &b, bad, sizeof bad);
  assert_int_equal(n, 5);
  assert_true(in(b, n, "10.255.3.4"));
  assert_false(in(b, n, "11.0.0.1"));
  assert_true(in(b, n, "192.168.1.7"));
  assert_false(in(b, n, "192.168.1.8"));
  assert_true(in(b, n, "2001:db8:ffff::1"));
  assert_false(in(b, n, "2001:db9::1"));
  assert_true(in(b, n, "::1"));
  assert_true(in(b, n, "172.31.255.255"));
  assert_false(in(b, n, "172.32.0.0"));
  assert_true(in(b, n, "::ffff:10.1.2.3")); /* the mapped form of an IPv4 peer */
  char text[64];
  unsigned char a[16];
  assert_int_equal(netaddr_parse("::ffff:10.1.2.3", 15, a), 0);
  netaddr_text(a, text, sizeof text);
  assert_string_equal(text, "10.1.2.3");
  free(b);
  /* Host bits set, a /0 and an empty list are fine; nonsense is refused by name. */
  assert_int_equal(netaddr_blocks("0.0.0.0/0", &b, bad, sizeof bad), 1);
  assert_true(in(b, 1, "8.8.8.8"));
  assert_false(in(b, 1, "2001:db8::1"));
  free(b);
  assert_int_equal(netaddr_blocks("", &b, bad, sizeof bad), 0);
  assert_null(b);
  const char *wrong[] = {"10.0.0.0/33", "10.0.0/8", "::1/129", "proxy.example", "10.0.0.1/", "10.0.0.1/a", "1.2.3.4:80"};
  for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
    char list[80];
    snprintf(list, sizeof list, "127.0.0.1,%s", wrong[i]);
    assert_int_equal(netaddr_blocks(list, &b, bad, sizeof bad), -1);
    assert_null(b);
    assert_string_equal(bad, wrong[i]);
  }
  assert_int_equal(netaddr_parse("1.2.3.4 ", 8, a), -1);
}

/* clock_pin() moves now_ms() and the day time_today_cn() gives, and 0
** gives the wall clock back. */
static void clock_pins_and_unpins(void **state) {
  (void)state;
  char day[11];
  int64_t wall = now_ms();
  clock_pin(1735660800000LL); /* 2024-12-31T16:00:00Z = 2025-01-01 00:00 in Beijing */
  assert_int_equal(now_ms(), 1735660800000LL);
  assert_string_equal(time_today_cn(day), "2025-01-01");
  clock_pin(1735660799000LL); /* a second earlier: still 2024 in Beijing */
  assert_string_equal(time_today_cn(day), "2024-12-31");
  clock_pin(0);
  assert_true(now_ms() >= wall && now_ms() - wall < 60000);
}

/* jsonx_dumps() writes each real in the fewest digits that read back as the
** same double (jansson writes 17: 0.1 is 0.10000000000000001), keeps a
** real looking like one (1.0), and leaves strings and integers alone. */
static void json_dumps_shortest_reals(void **state) {
  (void)state;
  json_t *j = json_pack("{s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:I,s:s,s:[f,f]}", "a", 0.1, "b", 0.1 + 0.2, "c", 1.0, "d",
                        1e300, "e", -2.5e-7, "f", 370.3, "g", 5e-324, "h", 123456789012345678.0, "i",
                        (json_int_t)10000000000000001LL, "s", "0.10000000000000001 \"1.5\" 2e+20", "x", 0.033, -0.0);
  char *t = jsonx_dumps(j, JSON_COMPACT);
  assert_string_equal(t, "{\"a\":0.1,\"b\":0.30000000000000004,\"c\":1.0,\"d\":1e300,\"e\":-2.5e-7,\"f\":370.3,"
                         "\"g\":5e-324,\"h\":1.2345678901234568e17,\"i\":10000000000000001,"
                         "\"s\":\"0.10000000000000001 \\\"1.5\\\" 2e+20\",\"x\":[0.033,-0.0]}");
  /* Every real reads back exactly. */
  json_t *back = json_loads(t, 0, NULL);
  assert_non_null(back);
  assert_true(json_equal(j, back));
  free(t);
  json_decref(back);
  /* Indented output (the command line's) likewise; a bare real too. */
  t = jsonx_dumps(json_object_get(j, "x"), JSON_INDENT(2));
  assert_string_equal(t, "[\n  0.033,\n  -0.0\n]");
  free(t);
  json_t *r = json_real(0.7);
  t = jsonx_dumps(r, JSON_ENCODE_ANY);
  assert_string_equal(t, "0.7");
  free(t);
  json_decref(r);
  json_decref(j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(clock_pins_and_unpins),
      cmocka_unit_test(buf_grows_and_formats),
      cmocka_unit_test(utf8_checks),
      cmocka_unit_test(utf8_valid_everywhere),
      cmocka_unit_test(err_gathers_every_error),
      cmocka_unit_test(fnv1a_vectors),
      cmocka_unit_test(rate_buckets),
      cmocka_unit_test(err_formats_both_languages),
      cmocka_unit_test(csv_reads_records_with_lines),
      cmocka_unit_test(csv_flags_bad_quotes),
      cmocka_unit_test(csv_put_quotes_when_needed),
      cmocka_unit_test(json_parse_refuses_bad_bodies),
      cmocka_unit_test(json_decode_by_table),
      cmocka_unit_test(json_dumps_shortest_reals),
      cmocka_unit_test(netaddr_blocks_match),
  };
  return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
