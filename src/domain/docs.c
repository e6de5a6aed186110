/*
** docs.c — documents (see docs.h): the Ed25519 signing key, certificates
** (issue, revoke, verify, PDF with a QR code), notices as PDF, and uploaded
** materials stored by SHA-256. All SQL on signing_key, certificate, blob and
** blob_reader lives here.
**
** The signing key lives in the database (signing_key). Trade-off: every
** server behind the load balancer signs with the same key without any file
** to distribute, and a key survives the loss of a machine with the database
** backup; but whoever can read the database (a DBA, a stolen backup) can
** forge certificates. A deployment that needs more should move the secret
** into an HSM or a key file readable only by the service; the public keys
** stay in signing_key either way, so old certificates keep verifying. Every
** certificate names the key that signed it (key_id), so a new key can be made
** active without invalidating earlier certificates.
**
** PDF. cairo renders to a PDF stream in memory; pango lays out the text in
** Noto CJK. A Pango font map and its fontconfig caches are not safe to share
** between threads without a lock, and one font map per thread (pango's
** default) would cost each of the server's 64 threads its own font caches
** (several MB with CJK fonts). So one font map serves the process and a
** mutex lets one rendering run at a time: a page takes milliseconds, and
** documents are asked for far less often than the API is. Text from data
** always goes through pango_layout_set_text() — never markup.
*/
#include "docs.h"
#include "docs_pdf.h"
#include "../base/jsonx.h"
#include "audit.h"
#include "../base/cal.h"
#include "../base/codes.h"
#include "../base/crypto.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <ctype.h>
#include <magic.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Certificate codes: 20 characters from 32 that cannot be mistaken for one
** another (no 0/O, 1/I), so 100 random bits. */
#define CODE_LEN 20
static const char CODE_ALPHABET[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

pthread_mutex_t pdf_lock = PTHREAD_MUTEX_INITIALIZER;
static PangoFontMap *font_map; /* made on first use, under pdf_lock; lives with the process */

/* libmagic: one handle for the process, used under a mutex (a magic_t is
** not thread-safe; loading the database per call costs more than waiting). */
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_handle;

/* The limits per account (docs_limits_set()). */
static DocsLimits limits = {200 << 20, {60, 60}, {30, 30}};

/* Certificate PDFs rendered lately (docs_cert_pdf()): a PDF takes tens of
** milliseconds of CPU under pdf_lock (and about 1 MB, with its CJK font
** subsets), and the same one is asked for again and again. Kept under
** pdf_cache_lock, at most PDF_CACHE of them and PDF_CACHE_BYTES in all;
** the least recently used go first. */
#define PDF_CACHE 64                 /* PDFs kept at most */
#define PDF_CACHE_BYTES (48u << 20)  /* their bytes at most */
static pthread_mutex_t pdf_cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
  char *key;      /* code "|" status "|" base URL, or NULL: empty slot */
  Buf pdf;        /* the PDF */
  uint64_t used;  /* pdf_tick when last served */
} aPdf[PDF_CACHE];
static uint64_t pdf_tick;
static size_t pdf_bytes;  /* bytes of the PDFs kept */

/* pdf_drop() empties cache slot i. The caller holds pdf_cache_lock. */
static void pdf_drop(int i) {
  pdf_bytes -= aPdf[i].pdf.n;
  free(aPdf[i].key);
  aPdf[i].key = NULL;
  buf_free(&aPdf[i].pdf);
  aPdf[i].used = 0;
}

/* ---- small helpers --------------------------------------------------------- */

/* text_ok() is true when s is valid UTF-8 of min..max code points without
** control characters (tab and newline allowed when multiline). */
static bool text_ok(const char *s, size_t min, size_t max, bool multiline) {
  if (!s || !utf8_valid(s, strlen(s))) return false;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\t'))) || *p == 0x7f) return false;
  size_t n = utf8_len(s);
  return n >= min && n <= max;
}

/* date_ok() is true for a real date written YYYY-MM-DD. */
static bool date_ok(const char *s) {
  int day;
  return s && cal_parse_date(s, &day) == 0;
}

/* date_cn() writes "2026年11月29日" for the date "2026-11-29" into out (32
** bytes); a string that is not a date is copied as it is. Returns out. */
static char *date_cn(const char *ymd, char out[32]) {
  if (!date_ok(ymd)) {
    snprintf(out, 32, "%s", ymd ? ymd : "");
    return out;
  }
  snprintf(out, 32, "%d年%d月%d日", atoi(ymd), atoi(ymd + 5), atoi(ymd + 8));
  return out;
}

static void hex_encode(const unsigned char *p, size_t n, char *out) {
  sodium_bin2hex(out, 2 * n + 1, p, n);
}

/* hex_decode() decodes exactly n bytes from hex; false if hex is not that. */
static bool hex_decode(const char *hex, unsigned char *out, size_t n) {
  size_t got = 0;
  if (!hex || strlen(hex) != 2 * n) return false;
  return sodium_hex2bin(out, n, hex, 2 * n, NULL, &got, NULL) == 0 && got == n;
}

/* ---- keys ------------------------------------------------------------------ */

/* key_active() reads the active key on db: its id, and the secret key into
** sk when sk is not NULL. Returns 1 found, 0 none, -1 error. */
static int key_active(Db *db, int64_t *id, unsigned char sk[crypto_sign_SECRETKEYBYTES], Err *e) {
  Stmt *st = db_prepare(db, "SELECT id, secret_key FROM signing_key WHERE active = 1", e);
  if (!st) return -1;
  int rc = stmt_step(st, e);
  if (rc == 1) {
    size_t n;
    const void *p = stmt_blob(st, 1, &n);
    *id = stmt_int(st, 0);
    if (sk) {
      if (!p || n != crypto_sign_SECRETKEYBYTES) {
        stmt_done(st);
        return err_set(e, E_INTERNAL, "cert.bad_key", NULL, "签名密钥已损坏",
                       "The signing key in the database is damaged");
      }
      memcpy(sk, p, n);
    }
  }
  stmt_done(st);
  return rc;
}

/* key_job() makes the signing key when there is no active one, with its
** audit event. A second server doing the same at the same moment makes the
** unique index on the active key refuse one of them (db.unique). */
static int key_job(Db *db, void *arg, Err *e) {
  int64_t id = 0;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  char pkhex[2 * crypto_sign_PUBLICKEYBYTES + 1], obj[48];
  int rc = key_active(db, &id, NULL, e);
  (void)arg;
  if (rc != 0) return rc < 0 ? -1 : 0;
  crypto_sign_keypair(pk, sk);
  Stmt *st = db_prepare(db,
                        "INSERT INTO signing_key(public_key, secret_key, created_at, active)"
                        " VALUES (?, ?, ?, 1) RETURNING id",
                        e);
  if (!st) goto fail;
  stmt_bind_blob(st, 1, pk, sizeof pk);
  stmt_bind_blob(st, 2, sk, sizeof sk);
  stmt_bind_int(st, 3, now_ms());
  rc = stmt_step(st, e);
  if (rc == 1) id = stmt_int(st, 0);
  stmt_done(st);
  if (rc != 1) goto fail;
  sodium_memzero(sk, sizeof sk);
  hex_encode(pk, sizeof pk, pkhex);
  snprintf(obj, sizeof obj, "signing_key:%lld", (long long)id);
  json_t *d = json_pack("{s:s, s:s}", "algorithm", "Ed25519", "public_key", pkhex);
  rc = audit_append(db, NULL, "docs.key_create", obj, d, e);
  json_decref(d);
  return rc;
fail:
  sodium_memzero(sk, sizeof sk);
  return -1;
}

int docs_init(Store *s, Err *e) {
  int64_t id;
  for (int attempt = 0; attempt < 2; attempt++) {
    int rc = key_active(store_reader(s), &id, NULL, e);
    if (rc < 0) return -1;
    if (rc == 1) return 0;
    if (store_write(s, key_job, NULL, e) == 0) return 0;
    if (strcmp(e->code, "db.unique") != 0) return -1; /* else another server made it: read it */
  }
  return -1;
}

int docs_sign(Db *db, const void *msg, size_t n, int64_t *key_id, char sighex[129], Err *e) {
  unsigned char sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  int k = key_active(db, key_id, sk, e);
  if (k != 1) {
    sodium_memzero(sk, sizeof sk);
    if (k == 0)
      err_set(e, E_INTERNAL, "cert.no_key", NULL, "尚无签名密钥（服务启动时应已生成）",
              "There is no signing key (docs_init makes one at start)");
    return -1;
  }
  crypto_sign_detached(sig, NULL, msg, n, sk);
  sodium_memzero(sk, sizeof sk);
  hex_encode(sig, sizeof sig, sighex);
  return 0;
}

int docs_public_key(Db *db, int64_t key_id, char pkhex[65], Err *e) {
  size_t npk = 0;
  Stmt *st = db_prepare(db, "SELECT public_key FROM signing_key WHERE id = ?", e);
  if (!st) return -1;
  pkhex[0] = 0;
  stmt_bind_int(st, 1, key_id);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    const unsigned char *pk = stmt_blob(st, 0, &npk);
    if (pk && npk == crypto_sign_PUBLICKEYBYTES) hex_encode(pk, npk, pkhex);
    else rc = 0; /* not a key */
  }
  stmt_done(st);
  return rc;
}

bool docs_signature_ok(const char *pkhex, const void *msg, size_t n, const char *sighex) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
  return hex_decode(pkhex, pk, sizeof pk) && hex_decode(sighex, sig, sizeof sig) &&
         crypto_sign_verify_detached(sig, msg, n, pk) == 0;
}

/* ---- the end -------------------------------------------------------------- */

void docs_limits_set(const DocsLimits *l) {
  if (l->upload_quota > 0) limits.upload_quota = l->upload_quota;
  if (l->upload_rate.per_min > 0) limits.upload_rate = l->upload_rate;
  if (l->pdf_rate.per_min > 0) limits.pdf_rate = l->pdf_rate;
}

void docs_shutdown(void) {
  pthread_mutex_lock(&pdf_cache_lock);
  for (int i = 0; i < PDF_CACHE; i++)
    if (aPdf[i].key) pdf_drop(i);
  pthread_mutex_unlock(&pdf_cache_lock);
  pthread_mutex_lock(&pdf_lock);
  if (font_map) g_object_unref(font_map);
  font_map = NULL;
  pango_cairo_font_map_set_default(NULL); /* pango's per-thread default, if anything made one */
  cairo_debug_reset_static_data();
  pthread_mutex_unlock(&pdf_lock);
  pthread_mutex_lock(&magic_lock);
  if (magic_handle) magic_close(magic_handle);
  magic_handle = NULL;
  pthread_mutex_unlock(&magic_lock);
}

/* ---- notices: names -------------------------------------------------------- */

static const struct {
  eNotice kind;
  const char *name;
  const char *title;
} notices[] = {
    {NOTICE_ACCEPT, "accept", "受理通知书"},
    {NOTICE_ACCEPT_RONGQUE, "accept_rongque", "容缺受理通知书"},
    {NOTICE_CORRECTION, "correction", "补正告知书"},
    {NOTICE_REFUSE, "refuse", "不予受理决定书"},
    {NOTICE_APPROVE, "approve", "准予许可决定书"},
    {NOTICE_DENY, "deny", "不予许可决定书"},
    {NOTICE_RECEIPT, "receipt", "办事回执"},
    {NOTICE_REVOKE, "revoke", "撤销决定书"},
};

const char *docs_notice_name(eNotice k) {
  for (size_t i = 0; i < XQ_COUNT(notices); i++)
    if (notices[i].kind == k) return notices[i].name;
  return "";
}

const char *docs_notice_title(eNotice k) {
  for (size_t i = 0; i < XQ_COUNT(notices); i++)
    if (notices[i].kind == k) return notices[i].title;
  return "";
}

eNotice docs_notice_parse(const char *name) {
  for (size_t i = 0; name && i < XQ_COUNT(notices); i++)
    if (strcmp(notices[i].name, name) == 0) return notices[i].kind;
  return 0;
}

/* ---- PDF drawing ------------------------------------------------------------ */

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len) {
  buf_append(closure, data, len);
  return CAIRO_STATUS_SUCCESS;
}

static const Style S_BODY = {SERIF, 12.5, false, PANGO_ALIGN_LEFT, 1.6, 25.0, 0, 0, 0};
static const Style S_PLAIN = {SERIF, 12.5, false, PANGO_ALIGN_LEFT, 1.5, 0, 0, 0, 0};
static const Style S_LABEL = {SANS, 11.0, true, PANGO_ALIGN_LEFT, 1.5, 0, 0.25, 0.25, 0.25};
static const Style S_SMALL = {SANS, 8.0, false, PANGO_ALIGN_CENTER, 0, 0, 0.45, 0.45, 0.45};

/* pdf_layout() makes a layout of plain text s (never markup) in style st,
** width points wide (0: no wrapping). The caller unrefs it. */
PangoLayout *pdf_layout(Pdf *p, const Style *st, double width, const char *s) {
  PangoLayout *l = pango_layout_new(p->ctx);
  PangoFontDescription *fd = pango_font_description_new();
  pango_font_description_set_family(fd, st->family);
  pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size(fd, st->size * PANGO_SCALE);
  pango_layout_set_font_description(l, fd);
  pango_font_description_free(fd);
  if (width > 0) {
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  }
  pango_layout_set_alignment(l, st->align);
  if (st->spacing > 0) pango_layout_set_line_spacing(l, (float)st->spacing);
  if (st->indent > 0) pango_layout_set_indent(l, (int)(st->indent * PANGO_SCALE));
  pango_layout_set_text(l, s, -1);
  return l;
}

/* pdf_draw() draws text s at (x, y), width wide; returns its height. */
double pdf_draw(Pdf *p, const Style *st, double x, double y, double width, const char *s) {
  PangoLayout *l = pdf_layout(p, st, width, s);
  int w, h;
  pango_layout_get_size(l, &w, &h);
  cairo_set_source_rgb(p->cr, st->r, st->g, st->b);
  cairo_move_to(p->cr, x, y);
  pango_cairo_show_layout(p->cr, l);
  g_object_unref(l);
  return (double)h / PANGO_SCALE;
}

/* pdf_measure() is the height of s in style st, width wide. */
double pdf_measure(Pdf *p, const Style *st, double width, const char *s) {
  PangoLayout *l = pdf_layout(p, st, width, s);
  int w, h;
  pango_layout_get_size(l, &w, &h);
  g_object_unref(l);
  return (double)h / PANGO_SCALE;
}

/* foot() writes the footer and page number of the current page. */
static void foot(Pdf *p) {
  Buf line = {0};
  buf_appendf(&line, "%s　第 %d 页", p->footer ? p->footer : "", p->page);
  if (p->pages > 0) buf_appendf(&line, " / 共 %d 页", p->pages);
  pdf_draw(p, &S_SMALL, MARGIN, PAGE_H - 62, PAGE_W - 2 * MARGIN, line.a);
  buf_free(&line);
}

static void watermark(Pdf *p);

/* pdf_new_page() ends the current page (with its footer) and starts the next. */
void pdf_new_page(Pdf *p) {
  foot(p);
  cairo_show_page(p->cr);
  p->page++;
  p->y = MARGIN;
  if (p->watermark) watermark(p);
}

/* pdf_block() draws s across the text width at the flowing position, starting
** a new page first when it would not fit; gap is the space after it. */
void pdf_block(Pdf *p, const Style *st, double left, const char *s, double gap) {
  double width = PAGE_W - MARGIN - left;
  double h = pdf_measure(p, st, width, s);
  if (p->y + h > BOTTOM && p->y > MARGIN) pdf_new_page(p);
  p->y += pdf_draw(p, st, left, p->y, width, s) + gap;
}

/* row() draws a label and its value side by side at the flowing position. */
static void row(Pdf *p, const char *label, const char *value, double left, double label_w) {
  double width = PAGE_W - MARGIN - left - label_w;
  double h = pdf_measure(p, &S_PLAIN, width, value);
  if (p->y + h > BOTTOM) pdf_new_page(p);
  pdf_draw(p, &S_LABEL, left, p->y + 1.5, label_w, label);
  p->y += pdf_draw(p, &S_PLAIN, left + label_w, p->y, width, value) + 4;
}

/* pdf_begin() starts a document drawing into out. The caller holds pdf_lock. */
void pdf_begin(Pdf *p, Buf *out, const char *title, const char *footer) {
  if (!font_map) font_map = pango_cairo_font_map_new();
  memset(p, 0, sizeof *p);
  p->surf = cairo_pdf_surface_create_for_stream(write_buf, out, PAGE_W, PAGE_H);
  cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata(p->surf, CAIRO_PDF_METADATA_CREATOR, "xinqu 新区政务服务平台");
  p->cr = cairo_create(p->surf);
  p->ctx = pango_font_map_create_context(font_map);
  pango_cairo_update_context(p->cr, p->ctx);
  p->page = 1;
  p->y = MARGIN;
  p->footer = footer;
}

/* pdf_end() finishes the last page and the stream. Returns 0, or -1 with *e
** when cairo reports an error. */
int pdf_end(Pdf *p, Err *e) {
  foot(p);
  cairo_show_page(p->cr);
  g_object_unref(p->ctx);
  cairo_destroy(p->cr);
  cairo_surface_finish(p->surf);
  cairo_status_t st = cairo_surface_status(p->surf);
  cairo_surface_destroy(p->surf);
  if (st != CAIRO_STATUS_SUCCESS)
    return err_setf(e, E_INTERNAL, "docs.pdf", NULL, "生成 PDF 失败：%s", "Could not make the PDF: %s",
                    cairo_status_to_string(st));
  return 0;
}

/* watermark() draws p->watermark large, red and faint, diagonally across
** the middle of the page, under what is drawn after it. */
static void watermark(Pdf *p) {
  Style stamp = {SANS, 110, true, PANGO_ALIGN_CENTER, 0, 0, 0.85, 0.1, 0.1};
  cairo_save(p->cr);
  cairo_translate(p->cr, PAGE_W / 2, PAGE_H / 2);
  cairo_rotate(p->cr, -M_PI / 5);
  cairo_push_group(p->cr);
  pdf_draw(p, &stamp, -250, -70, 500, p->watermark);
  cairo_pop_group_to_source(p->cr);
  cairo_paint_with_alpha(p->cr, 0.22);
  cairo_restore(p->cr);
}

/* seal() draws an official seal: a red ring, a star, and name set around
** the upper arc, centred at (cx, cy) with radius r. */
static void seal(Pdf *p, double cx, double cy, double r, const char *name) {
  cairo_t *cr = p->cr;
  cairo_save(cr);
  cairo_set_source_rgba(cr, 0.80, 0.08, 0.08, 0.85);
  cairo_set_line_width(cr, 2.6);
  cairo_new_path(cr); /* no line from wherever the text left the current point */
  cairo_arc(cr, cx, cy, r, 0, 2 * M_PI);
  cairo_stroke(cr);
  /* the five-pointed star */
  double so = r * 0.30, si = so * 0.382;
  for (int i = 0; i < 10; i++) {
    double a = -M_PI / 2 + i * M_PI / 5, rr = i % 2 ? si : so;
    if (i == 0) cairo_move_to(cr, cx + rr * cos(a), cy + rr * sin(a));
    else cairo_line_to(cr, cx + rr * cos(a), cy + rr * sin(a));
  }
  cairo_close_path(cr);
  cairo_fill(cr);
  /* the name, one character at a time around the top */
  long n = g_utf8_strlen(name, -1);
  if (n > 0) {
    double size = n > 16 ? r * 0.20 : r * 0.26;
    double span = fmin(4.4, (double)n * size * 1.15 / (r * 0.78)); /* radians, at most ~250° */
    Style st = {SERIF, size, true, PANGO_ALIGN_LEFT, 0, 0, 0.80, 0.08, 0.08};
    const char *c = name;
    for (long i = 0; i < n; i++) {
      const char *next = g_utf8_next_char(c);
      char ch[8] = {0};
      memcpy(ch, c, (size_t)(next - c) < sizeof ch ? (size_t)(next - c) : sizeof ch - 1);
      c = next;
      double a = n == 1 ? 0 : -span / 2 + span * (double)i / (double)(n - 1);
      PangoLayout *l = pdf_layout(p, &st, 0, ch);
      int w, h;
      pango_layout_get_size(l, &w, &h);
      cairo_save(cr);
      cairo_translate(cr, cx, cy);
      cairo_rotate(cr, a);
      cairo_move_to(cr, -(double)w / PANGO_SCALE / 2, -r + 4);
      cairo_set_source_rgba(cr, 0.80, 0.08, 0.08, 0.9);
      pango_cairo_show_layout(cr, l);
      cairo_restore(cr);
      g_object_unref(l);
    }
  }
  cairo_restore(cr);
}

/* signature_block() ends a notice: the department and the date right-aligned
** with the seal over them. */
static void signature_block(Pdf *p, const char *dept, const char *seal_text, const char *date) {
  char d[32];
  Style right = S_PLAIN;
  right.align = PANGO_ALIGN_RIGHT;
  if (p->y + 150 > BOTTOM) pdf_new_page(p);
  p->y += 40;
  double width = PAGE_W - 2 * MARGIN - 20;
  double top = p->y;
  p->y += pdf_draw(p, &right, MARGIN, p->y, width, dept) + 6;
  p->y += pdf_draw(p, &right, MARGIN, p->y, width, date_cn(date, d)) + 6;
  seal(p, PAGE_W - MARGIN - 85, top + 18, 52, seal_text);
}

/* ---- notices ---------------------------------------------------------------- */

/* A notice's data, borrowed from the JSON. */
typedef struct Notice {
  eNotice kind;
  const char *number, *case_no, *applicant, *item, *department, *date;
  const char *deadline, *reason, *seal;
  const char *opinion;      /* 审查意见 of a decision, or NULL */
  const char *title, *body; /* the wording in force when it was issued (params.h), or NULL */
  const json_t *lines; /* array of strings, or NULL */
  const char *follow_url; /* the address to follow the case at (a QR code), or NULL */
} Notice;

/* notice_str() reads member name of data into *out: required or optional,
** 1..max characters. Returns 0 or -1 with *e. */
static int notice_str(const json_t *data, const char *name, bool required, size_t max,
                      const char **out, Err *e) {
  const json_t *v = json_object_get(data, name);
  *out = NULL;
  if (!v || json_is_null(v) || (json_is_string(v) && !json_string_value(v)[0])) {
    if (!required) return 0;
    return err_setf(e, E_INVALID, "notice.missing_field", name, "文书缺少字段 %s",
                    "The notice lacks the field %s", name);
  }
  if (!json_is_string(v) || !text_ok(json_string_value(v), 1, max, true))
    return err_setf(e, E_INVALID, "notice.bad_field", name, "文书字段 %s 无效或过长",
                    "The notice field %s is not valid or too long", name);
  *out = json_string_value(v);
  return 0;
}

/* notice_read() checks data and fills *n. Returns 0 or -1 with *e. */
static int notice_read(const json_t *data, Notice *n, Err *e) {
  memset(n, 0, sizeof *n);
  if (!json_is_object(data))
    return err_set(e, E_INVALID, "notice.bad_data", NULL, "文书数据应为对象",
                   "The notice data must be an object");
  const char *kind;
  if (notice_str(data, "kind", true, 32, &kind, e)) return -1;
  n->kind = docs_notice_parse(kind);
  if (!n->kind)
    return err_setf(e, E_INVALID, "notice.bad_kind", "kind", "未知的文书种类：%s",
                    "Unknown notice kind: %s", kind);
  if (notice_str(data, "number", true, 60, &n->number, e) ||
      notice_str(data, "case_no", true, 60, &n->case_no, e) ||
      notice_str(data, "applicant", true, 100, &n->applicant, e) ||
      notice_str(data, "item", true, 100, &n->item, e) ||
      notice_str(data, "department", true, 60, &n->department, e) ||
      notice_str(data, "date", true, 10, &n->date, e) ||
      notice_str(data, "seal", false, 40, &n->seal, e) ||
      notice_str(data, "title", false, 40, &n->title, e) ||
      notice_str(data, "body", false, 2000, &n->body, e) ||
      notice_str(data, "opinion", false, 500, &n->opinion, e))
    return -1;
  bool need_deadline = n->kind == NOTICE_ACCEPT_RONGQUE;
  bool need_reason = n->kind == NOTICE_REFUSE || n->kind == NOTICE_DENY || n->kind == NOTICE_REVOKE;
  bool need_lines = n->kind == NOTICE_ACCEPT_RONGQUE || n->kind == NOTICE_CORRECTION;
  if (notice_str(data, "deadline", need_deadline, 10, &n->deadline, e) ||
      notice_str(data, "reason", need_reason, 1000, &n->reason, e) ||
      notice_str(data, "follow_url", false, 500, &n->follow_url, e))
    return -1;
  if (!date_ok(n->date))
    return err_set(e, E_INVALID, "notice.bad_date", "date", "日期应为 YYYY-MM-DD",
                   "The date must be YYYY-MM-DD");
  if (n->deadline && !date_ok(n->deadline))
    return err_set(e, E_INVALID, "notice.bad_date", "deadline", "期限应为 YYYY-MM-DD",
                   "The deadline must be YYYY-MM-DD");
  if (!n->seal) n->seal = n->department;
  const json_t *lines = json_object_get(data, "lines");
  if (lines && !json_is_null(lines)) {
    size_t i;
    const json_t *v;
    if (!json_is_array(lines) || json_array_size(lines) > 100)
      return err_set(e, E_INVALID, "notice.bad_field", "lines", "lines 应为不超过 100 项的文本数组",
                     "lines must be an array of at most 100 strings");
    json_array_foreach(lines, i, v) {
      if (!json_is_string(v) || !text_ok(json_string_value(v), 1, 500, false))
        return err_set(e, E_INVALID, "notice.bad_field", "lines", "lines 的每一项应为 1–500 个字符的文本",
                       "Each of lines must be text of 1–500 characters");
    }
    if (json_array_size(lines)) n->lines = lines;
  }
  if (need_lines && !n->lines)
    return err_set(e, E_INVALID, "notice.missing_field", "lines",
                   "该文书须列明材料或需补正的内容（lines）",
                   "This notice must list the materials or deficiencies (lines)");
  return 0;
}

/* notice_body() writes the notice's main paragraph into b: its wording
** with the case's values in place, or, for a notice issued before wordings
** were data, the wording of a permit (行政许可) it was issued with. */
static void notice_body(const Notice *n, Buf *b) {
  char date[32], deadline[32];
  date_cn(n->date, date);
  if (n->deadline) date_cn(n->deadline, deadline);
  if (n->body) {
    json_t *vars = json_pack("{s:s,s:s,s:s,s:s,s:s}", "item", n->item, "date", date, "case_no", n->case_no,
                             "reason", n->reason ? n->reason : "", "deadline", n->deadline ? deadline : "");
    jsonx_fill(b, n->body, vars);
    json_decref(vars);
    if (n->kind == NOTICE_CORRECTION && n->deadline)
      buf_appendf(b, "请于%s前补正；补正期间不计入办理时限，逾期不补正的，视为撤回申请。", deadline);
    else if (n->kind == NOTICE_CORRECTION)
      buf_puts(b, "补正期间不计入办理时限。");
    return;
  }
  switch (n->kind) {
    case NOTICE_ACCEPT:
      buf_appendf(b,
                  "你（单位）提出的“%s”申请，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》"
                  "第三十二条第一款第（五）项的规定，本机关决定予以受理，受理日期为%s。"
                  "请凭办件编号 %s 查询办理进度。",
                  n->item, date, n->case_no);
      break;
    case NOTICE_ACCEPT_RONGQUE:
      buf_appendf(b,
                  "你（单位）提出的“%s”申请，基本条件具备、主要申请材料齐全且符合法定形式，"
                  "但尚缺下列次要材料。根据容缺受理的有关规定，本机关决定予以容缺受理，受理日期为%s。"
                  "请于%s前补齐下列材料；逾期未补齐的，本机关将依法终止办理。",
                  n->item, date, deadline);
      break;
    case NOTICE_CORRECTION:
      buf_appendf(b,
                  "你（单位）提出的“%s”申请，申请材料不齐全或者不符合法定形式。根据《中华人民共和国"
                  "行政许可法》第三十二条第一款第（四）项的规定，现将需要补正的全部内容一次告知如下。",
                  n->item);
      if (n->deadline)
        buf_appendf(b, "请于%s前补正；补正期间不计入办理时限，逾期不补正的，视为撤回申请。", deadline);
      else
        buf_puts(b, "补正期间不计入办理时限。");
      break;
    case NOTICE_REFUSE:
      buf_appendf(b,
                  "你（单位）提出的“%s”申请，经审查，%s。根据《中华人民共和国行政许可法》第三十二条"
                  "第一款的规定，本机关决定不予受理。",
                  n->item, n->reason);
      break;
    case NOTICE_APPROVE:
      buf_appendf(b,
                  "你（单位）提出的“%s”申请，经审查，符合法定条件、标准。根据《中华人民共和国行政许可法》"
                  "第三十八条第一款的规定，本机关决定准予行政许可。",
                  n->item);
      break;
    case NOTICE_DENY:
      buf_appendf(b,
                  "你（单位）提出的“%s”申请，经审查，%s。根据《中华人民共和国行政许可法》第三十八条"
                  "第二款的规定，本机关决定不予行政许可。",
                  n->item, n->reason);
      break;
    case NOTICE_RECEIPT:
      buf_appendf(b,
                  "你（单位）办理的“%s”事项已于%s收到，办件编号为 %s。请妥善保管本回执，"
                  "可凭办件编号在自助终端、政务服务网或办事窗口查询办理进度。",
                  n->item, date, n->case_no);
      break;
    case NOTICE_REVOKE:
      buf_appendf(b,
                  "你（单位）办理的“%s”（办件编号 %s），经核查，%s。根据《中华人民共和国行政许可法》"
                  "第六十九条的规定，本机关决定撤销该行政许可，原核发的证照同时作废。",
                  n->item, n->case_no, n->reason);
      break;
  }
}

/* lines_heading() is what the list of lines is called in a notice kind. */
static const char *lines_heading(eNotice k) {
  switch (k) {
    case NOTICE_ACCEPT_RONGQUE: return "需补齐的材料：";
    case NOTICE_CORRECTION: return "需补正的内容：";
    case NOTICE_RECEIPT: return "已收取的材料：";
    case NOTICE_APPROVE: return "许可内容：";
    default: return "附：";
  }
}

static int qr(Pdf *p, double x, double y, double size, const char *text, Err *e);

int docs_notice_pdf(const json_t *data, Buf *out, Err *e) {
  Notice n;
  Pdf p;
  Buf body = {0}, footer = {0};
  if (notice_read(data, &n, e)) return -1;
  const char *title = n.title ? n.title : docs_notice_title(n.kind);
  buf_appendf(&footer, "%s · 办件编号 %s · xinqu 新区政务服务平台", title, n.case_no);
  pthread_mutex_lock(&pdf_lock);
  pdf_begin(&p, out, title, footer.a);

  Style head = {SERIF, 20, true, PANGO_ALIGN_CENTER, 0, 0, 0.78, 0.05, 0.05};
  Style big = {SERIF, 24, true, PANGO_ALIGN_CENTER, 0, 0, 0, 0, 0};
  Style number = S_PLAIN;
  number.align = PANGO_ALIGN_CENTER;
  p.y += pdf_draw(&p, &head, MARGIN, p.y, PAGE_W - 2 * MARGIN, n.department) + 8;
  cairo_set_source_rgb(p.cr, 0.78, 0.05, 0.05);
  cairo_set_line_width(p.cr, 1.6);
  cairo_move_to(p.cr, MARGIN, p.y);
  cairo_line_to(p.cr, PAGE_W - MARGIN, p.y);
  cairo_stroke(p.cr);
  p.y += 22;
  p.y += pdf_draw(&p, &big, MARGIN, p.y, PAGE_W - 2 * MARGIN, title) + 8;
  p.y += pdf_draw(&p, &number, MARGIN, p.y, PAGE_W - 2 * MARGIN, n.number) + 18;

  char date[32];
  row(&p, "办件编号", n.case_no, MARGIN, 80);
  row(&p, "申请人", n.applicant, MARGIN, 80);
  row(&p, "申请事项", n.item, MARGIN, 80);
  row(&p, "承办部门", n.department, MARGIN, 80);
  row(&p, "日期", date_cn(n.date, date), MARGIN, 80);
  if (n.deadline) row(&p, n.kind == NOTICE_ACCEPT_RONGQUE ? "补齐期限" : "补正期限", date_cn(n.deadline, date), MARGIN, 80);
  p.y += 14;

  buf_appendf(&body, "%s：", n.applicant);
  pdf_block(&p, &S_PLAIN, MARGIN, body.a, 4);
  buf_reset(&body);
  notice_body(&n, &body);
  pdf_block(&p, &S_BODY, MARGIN, body.a, 8);
  if (n.opinion) {
    buf_reset(&body);
    buf_appendf(&body, "审查意见：%s", n.opinion);
    pdf_block(&p, &S_BODY, MARGIN, body.a, 8);
  }
  if (n.lines) {
    size_t i;
    const json_t *v;
    pdf_block(&p, &S_LABEL, MARGIN, lines_heading(n.kind), 4);
    json_array_foreach(n.lines, i, v) {
      buf_reset(&body);
      buf_appendf(&body, "%zu. %s", i + 1, json_string_value(v));
      pdf_block(&p, &S_PLAIN, MARGIN + 24, body.a, 2);
    }
    p.y += 8;
  }
  if (n.kind == NOTICE_REFUSE || n.kind == NOTICE_DENY || n.kind == NOTICE_REVOKE)
    pdf_block(&p, &S_BODY, MARGIN,
          "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
          "或者在六个月内依法向人民法院提起行政诉讼。",
          8);
  if (n.kind == NOTICE_ACCEPT || n.kind == NOTICE_ACCEPT_RONGQUE)
    pdf_block(&p, &S_BODY, MARGIN, "特此通知。", 8);
  int rc = 0;
  if (n.follow_url) {
    /* The QR code to follow the case, with its address beside it. */
    if (p.y + 130 > BOTTOM) pdf_new_page(&p);
    rc = qr(&p, MARGIN, p.y, 100, n.follow_url, e);
    buf_reset(&body);
    buf_appendf(&body, "扫码查看办理进度：\n%s", n.follow_url);
    pdf_draw(&p, &S_PLAIN, MARGIN + 112, p.y + 24, PAGE_W - 2 * MARGIN - 112, body.a);
    p.y += 108;
  }
  signature_block(&p, n.department, n.seal, n.date);
  Err end = {0};
  if (pdf_end(&p, &end) && rc == 0) {
    *e = end;
    rc = -1;
  }
  pthread_mutex_unlock(&pdf_lock);
  buf_free(&body);
  buf_free(&footer);
  return rc;
}

/* ---- certificates ------------------------------------------------------------ */

/* code_normalise() upper-cases a certificate code into out (CODE_LEN+1);
** false when it cannot be one. */
static bool code_normalise(const char *code, char out[CODE_LEN + 1]) {
  if (!code || strlen(code) != CODE_LEN) return false;
  for (int i = 0; i < CODE_LEN; i++) {
    char c = (char)toupper((unsigned char)code[i]);
    if (!strchr(CODE_ALPHABET, c) || !c) return false;
    out[i] = c;
  }
  out[CODE_LEN] = 0;
  return true;
}

/* code_make() writes a new certificate code: the minute of issue since
** 2020 in six characters (CODE_ALPHABET is in ASCII order, so codes sort by
** issue time and a new certificate's entry goes to the end of the code
** index, not to a random page of it), then fourteen random characters —
** 70 bits, which no one guesses. */
static void code_make(char out[CODE_LEN + 1]) {
  unsigned char r[CODE_LEN];
  uint64_t minute = (uint64_t)(now_ms() - 1577836800000LL) / 60000u; /* since 2020-01-01 */
  for (int i = 5; i >= 0; i--, minute >>= 5) out[i] = CODE_ALPHABET[minute & 31];
  crypto_random(r, sizeof r);
  for (int i = 6; i < CODE_LEN; i++) out[i] = CODE_ALPHABET[r[i] & 31]; /* 256 = 8 × 32: uniform */
  out[CODE_LEN] = 0;
  sodium_memzero(r, sizeof r);
}

/* party_ok() accepts a USCC, a citizen ID number or a passport-shaped number. */
static bool party_ok(const char *s) {
  char norm[19];
  size_t n = strlen(s);
  if (codes_uscc_check(s, NULL, 0) == 0 || codes_id_check(s, norm, NULL, 0) == 0) return true;
  if (n < 5 || n > 20) return false;
  for (size_t i = 0; i < n; i++)
    if (!isdigit((unsigned char)s[i]) && !isupper((unsigned char)s[i])) return false;
  return true;
}

static int cmp_key(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* fields_normalise() turns CertSpec.fields — an object {label: value}
** (shown in the order of its keys) or an array of [label, value] pairs
** (shown in that order) — into a new array of [label, value] string pairs;
** integer values become text. NULL with *e when malformed. */
static json_t *fields_normalise(const json_t *f, Err *e) {
  json_t *pairs = NULL, *out = json_array();
  if (!f || json_is_null(f)) return out;
  if (json_is_object(f)) {
    size_t n = json_object_size(f), i = 0;
    const char *k, **keys = xcalloc(n ? n : 1, sizeof *keys);
    json_t *v;
    json_object_foreach((json_t *)f, k, v) keys[i++] = k;
    qsort(keys, n, sizeof *keys, cmp_key);
    pairs = json_array();
    for (i = 0; i < n; i++)
      json_array_append_new(pairs, json_pack("[sO]", keys[i], json_object_get(f, keys[i])));
    free(keys);
    f = pairs;
  }
  if (!json_is_array(f) || json_array_size(f) > 20) goto bad;
  size_t i;
  const json_t *pair;
  json_array_foreach(f, i, pair) {
    const json_t *l = json_array_get(pair, 0), *v = json_array_get(pair, 1);
    char num[32];
    const char *val;
    if (!json_is_array(pair) || json_array_size(pair) != 2 || !json_is_string(l)) goto bad;
    if (json_is_integer(v)) {
      snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
      val = num;
    } else if (json_is_string(v)) {
      val = json_string_value(v);
    } else {
      goto bad;
    }
    if (!text_ok(json_string_value(l), 1, 20, false) || !text_ok(val, 1, 300, false)) goto bad;
    json_array_append_new(out, json_pack("[ss]", json_string_value(l), val));
  }
  json_decref(pairs);
  return out;
bad:
  json_decref(pairs);
  json_decref(out);
  err_set(e, E_INVALID, "cert.bad_fields", "fields",
          "证照附加信息应为“名称: 内容”（最多 20 项，名称 ≤ 20 字，内容 ≤ 300 字）",
          "Extra fields must be label: text pairs (at most 20; labels ≤ 20, text ≤ 300 characters)");
  return NULL;
}

/* spec_check() validates c. Returns 0 or -1 with *e. */
static int spec_check(const CertSpec *c, Err *e) {
  if (!text_ok(c->kind, 2, 40, false))
    return err_set(e, E_INVALID, "cert.bad_kind", "kind", "证照名称应为 2–40 个字符",
                   "The certificate kind must be 2–40 characters");
  if (!party_ok(c->holder_party))
    return err_set(e, E_INVALID, "cert.bad_holder", "holder_party",
                   "持证人代码应为统一社会信用代码、身份证号码或护照号码",
                   "The holder must be a USCC, an ID number or a passport number");
  if (!text_ok(c->holder_name, 1, 100, false))
    return err_set(e, E_INVALID, "cert.bad_holder", "holder_name", "持证人名称应为 1–100 个字符",
                   "The holder's name must be 1–100 characters");
  if (!text_ok(c->item_code, 0, 39, false))
    return err_set(e, E_INVALID, "cert.bad_item", "item_code", "事项编码无效", "Invalid item code");
  if (!text_ok(c->issuer, 2, 40, false))
    return err_set(e, E_INVALID, "cert.bad_issuer", "issuer", "发证机关应为 2–40 个字符",
                   "The issuer must be 2–40 characters");
  if (!date_ok(c->issued_on))
    return err_set(e, E_INVALID, "cert.bad_date", "issued_on", "发证日期应为 YYYY-MM-DD",
                   "The date of issue must be YYYY-MM-DD");
  if (c->valid_until[0] && (!date_ok(c->valid_until) || strcmp(c->valid_until, c->issued_on) < 0))
    return err_set(e, E_INVALID, "cert.bad_date", "valid_until",
                   "有效期至应为不早于发证日期的 YYYY-MM-DD（长期有效留空）",
                   "valid_until must be YYYY-MM-DD, not before the date of issue (empty: no end)");
  if (c->case_id < 0)
    return err_set(e, E_INVALID, "cert.bad_case", "case_id", "办件编号无效", "Invalid case id");
  return 0;
}

int docs_cert_issue(Db *db, const User *actor, const CertSpec *c, char *code, size_t cap, Err *e) {
  unsigned char sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
  char sighex[2 * crypto_sign_BYTES + 1], newcode[CODE_LEN + 1], obj[48];
  json_t *fields = NULL, *payload = NULL, *d = NULL;
  char *text = NULL;
  int64_t key_id = 0;
  int rc = -1;
  if (cap < CODE_LEN + 1) panic("docs_cert_issue: code buffer of %zu bytes", cap);
  if (spec_check(c, e)) return -1;
  if (!(fields = fields_normalise(c->fields, e))) return -1;
  int k = key_active(db, &key_id, sk, e);
  if (k <= 0) {
    if (k == 0)
      err_set(e, E_INTERNAL, "cert.no_key", NULL, "尚无签名密钥（服务启动时应已生成）",
              "There is no signing key (docs_init makes one at start)");
    goto out;
  }
  /* A code that exists already (odds 2^-70 within a minute) fails the job with db.unique. */
  code_make(newcode);
  payload = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:O, s:I}", "v", 1,
                      "code", newcode, "kind", c->kind, "holder_party", c->holder_party,
                      "holder_name", c->holder_name, "item_code", c->item_code, "issuer",
                      c->issuer, "issued_on", c->issued_on, "valid_until", c->valid_until,
                      "case_id", (json_int_t)c->case_id, "fields", fields, "key_id",
                      (json_int_t)key_id);
  if (!payload) panic("json_pack failed on a checked certificate");
  /* Canonical: sorted keys at every level, no white space, UTF-8 as is. */
  text = json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS);
  crypto_sign_detached(sig, NULL, (const unsigned char *)text, strlen(text), sk);
  hex_encode(sig, sizeof sig, sighex);
  Stmt *st = db_prepare(db,
                        "INSERT INTO certificate(code, case_id, kind, holder_party, holder_name,"
                        " item_code, issuer, issued_on, valid_until, payload, signature, key_id,"
                        " status, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'valid',?)",
                        e);
  if (!st) goto out;
  const char *text_cols[] = {c->kind, c->holder_party, c->holder_name, c->item_code, c->issuer,
                             c->issued_on, c->valid_until, text, sighex};
  stmt_bind_text(st, 1, newcode);
  if (c->case_id) stmt_bind_int(st, 2, c->case_id);
  else stmt_bind_null(st, 2);
  for (int i = 0; i < 9; i++) stmt_bind_text(st, 3 + i, text_cols[i]);
  stmt_bind_int(st, 12, key_id);
  stmt_bind_int(st, 13, now_ms());
  k = stmt_step(st, e);
  stmt_done(st);
  if (k < 0) goto out;
  snprintf(obj, sizeof obj, "certificate:%s", newcode);
  d = json_pack("{s:s, s:s, s:I, s:I}", "kind", c->kind, "holder_party", c->holder_party, "case_id",
                (json_int_t)c->case_id, "key_id", (json_int_t)key_id);
  if (audit_append(db, actor, "cert.issue", obj, d, e)) goto out;
  snprintf(code, cap, "%s", newcode);
  rc = 0;
out:
  sodium_memzero(sk, sizeof sk);
  json_decref(fields);
  json_decref(payload);
  json_decref(d);
  free(text);
  return rc;
}

int docs_cert_supersede(Db *db, const User *actor, const char *kind, const char *holder, const char *reason,
                        Err *e) {
  int64_t n = db_run(db, e,
                     "UPDATE certificate SET status = 'revoked', revoked_at = ?, revoke_reason = ?"
                     " WHERE kind = ? AND holder_party = ? AND status = 'valid'",
                     "ittt", now_ms(), reason, kind, holder);
  if (n <= 0) return n < 0 ? -1 : 0;
  char obj[64];
  snprintf(obj, sizeof obj, "holder:%.40s", holder);
  json_t *d = json_pack("{s:s,s:s,s:I}", "kind", kind, "reason", reason, "count", (json_int_t)n);
  int rc = audit_append(db, actor, "cert.supersede", obj, d, e);
  json_decref(d);
  return rc;
}

int docs_cert_revoke(Db *db, const User *actor, const char *code, const char *reason, Err *e) {
  char c[CODE_LEN + 1], obj[48];
  if (!code_normalise(code, c))
    return err_set(e, E_NOTFOUND, "cert.not_found", "code", "没有找到该证照", "No such certificate");
  if (!text_ok(reason, 2, 200, false))
    return err_set(e, E_INVALID, "cert.bad_reason", "reason", "撤销原因应为 2–200 个字符",
                   "The reason must be 2–200 characters");
  Stmt *st = db_prepare(db, "SELECT status FROM certificate WHERE code = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, c);
  int rc = stmt_step(st, e);
  bool revoked = rc == 1 && strcmp(stmt_text(st, 0), "revoked") == 0;
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0)
    return err_set(e, E_NOTFOUND, "cert.not_found", "code", "没有找到该证照", "No such certificate");
  if (revoked) return 0; /* once is enough: nothing changes */
  if (db_run(db, e,
             "UPDATE certificate SET status = 'revoked', revoked_at = ?, revoke_reason = ?"
             " WHERE code = ? AND status = 'valid'",
             "itt", now_ms(), reason, c) < 0)
    return -1;
  snprintf(obj, sizeof obj, "certificate:%s", c);
  json_t *d = json_pack("{s:s}", "reason", reason);
  rc = audit_append(db, actor, "cert.revoke", obj, d, e);
  json_decref(d);
  return rc;
}

/* A certificate as stored, with what the signature says about it. */
typedef struct Cert {
  char code[CODE_LEN + 1];
  json_t *payload;     /* the signed payload parsed, or NULL when it does not parse */
  json_t *cols;        /* the row's columns as an object (owned) */
  bool genuine;        /* the signature checks and the columns say what the payload says */
  char status[16];     /* "valid", "expired", "revoked" */
  int64_t revoked_at;  /* ms, 0 when not revoked */
} Cert;

/* pstr() is member k of the payload when it parses, else of the columns;
** never NULL. */
static const char *pstr(const Cert *c, const char *k) {
  const char *v = json_string_value(json_object_get(c->payload ? c->payload : c->cols, k));
  return v ? v : "";
}

/* cert_read() reads certificate code and checks its signature. Fills *c
** (cert_free() it). Returns 0, or -1 with cert.not_found or a db error. */
static int cert_read(Store *s, const char *code, Cert *c, Err *e) {
  static const char *const cols[] = {"kind", "holder_party", "holder_name", "item_code",
                                     "issuer", "issued_on", "valid_until"};
  memset(c, 0, sizeof *c);
  if (!code_normalise(code, c->code))
    return err_set(e, E_NOTFOUND, "cert.not_found", "code", "没有找到该证照，请核对证照编号",
                   "No certificate has this code; please check it");
  Stmt *st = db_prepare(store_reader(s),
                        "SELECT c.kind, c.holder_party, c.holder_name, c.item_code, c.issuer,"
                        " c.issued_on, c.valid_until, c.payload, c.signature, c.status,"
                        " c.revoked_at, c.revoke_reason, c.key_id, k.public_key"
                        " FROM certificate c LEFT JOIN signing_key k ON k.id = c.key_id"
                        " WHERE c.code = ?",
                        e);
  if (!st) return -1;
  stmt_bind_text(st, 1, c->code);
  int rc = stmt_step(st, e);
  if (rc != 1) {
    stmt_done(st);
    if (rc < 0) return -1;
    return err_set(e, E_NOTFOUND, "cert.not_found", "code", "没有找到该证照，请核对证照编号",
                   "No certificate has this code; please check it");
  }
  c->cols = json_object();
  for (int i = 0; i < 7; i++) json_object_set_new(c->cols, cols[i], json_string(stmt_text(st, i) ? stmt_text(st, i) : ""));
  const char *payload = stmt_text(st, 7), *sighex = stmt_text(st, 8);
  snprintf(c->status, sizeof c->status, "%s", stmt_text(st, 9));
  c->revoked_at = stmt_null(st, 10) ? 0 : stmt_int(st, 10);
  json_object_set_new(c->cols, "revoke_reason", json_string(stmt_text(st, 11) ? stmt_text(st, 11) : ""));
  int64_t key_id = stmt_int(st, 12);
  size_t npk = 0;
  const void *pk = stmt_blob(st, 13, &npk);
  unsigned char sig[crypto_sign_BYTES];
  bool sig_ok = payload && pk && npk == crypto_sign_PUBLICKEYBYTES && hex_decode(sighex, sig, sizeof sig) &&
                crypto_sign_verify_detached(sig, (const unsigned char *)payload, strlen(payload), pk) == 0;
  json_error_t jerr;
  c->payload = payload ? json_loads(payload, JSON_REJECT_DUPLICATES, &jerr) : NULL;
  if (c->payload && !json_is_object(c->payload)) {
    json_decref(c->payload);
    c->payload = NULL;
  }
  stmt_done(st);
  /* Genuine: the signature holds, and the row says what was signed (an
  ** edited column is caught even where the payload was left alone). */
  c->genuine = sig_ok && c->payload &&
               json_is_string(json_object_get(c->payload, "code")) &&
               strcmp(json_string_value(json_object_get(c->payload, "code")), c->code) == 0 &&
               json_integer_value(json_object_get(c->payload, "key_id")) == key_id;
  for (int i = 0; c->genuine && i < 7; i++) {
    const char *pv = json_string_value(json_object_get(c->payload, cols[i]));
    c->genuine = pv && strcmp(pv, json_string_value(json_object_get(c->cols, cols[i]))) == 0;
  }
  if (strcmp(c->status, "revoked") != 0) {
    char today[11];
    const char *until = pstr(c, "valid_until");
    snprintf(c->status, sizeof c->status, "%s",
             until[0] && strcmp(until, time_today_cn(today)) < 0 ? "expired" : "valid");
  }
  return 0;
}

static void cert_free(Cert *c) {
  json_decref(c->payload);
  json_decref(c->cols);
  c->payload = c->cols = NULL;
}

static const char *status_label(const char *st) {
  if (strcmp(st, "valid") == 0) return "有效";
  if (strcmp(st, "expired") == 0) return "已过期";
  return "已撤销";
}

json_t *docs_cert_verify(Store *s, const char *code, Err *e) {
  Cert c;
  char masked[40];
  if (cert_read(s, code, &c, e)) return NULL;
  codes_party_mask(pstr(&c, "holder_party"), masked);
  json_t *fields = json_object_get(c.payload, "fields");
  fields = json_is_array(fields) ? json_incref(fields) : json_array();
  json_t *out = json_pack("{s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "code", c.code,
                          "genuine", c.genuine, "status", c.status, "status_label",
                          status_label(c.status), "kind", pstr(&c, "kind"), "holder_name",
                          pstr(&c, "holder_name"), "holder_party", masked, "issuer",
                          pstr(&c, "issuer"), "issued_on", pstr(&c, "issued_on"), "valid_until",
                          pstr(&c, "valid_until"), "fields", fields);
  if (c.revoked_at) {
    char at[32];
    json_object_set_new(out, "revoked_at", json_string(time_iso(c.revoked_at, at)));
    json_object_set_new(out, "revoke_reason",
                        json_string(json_string_value(json_object_get(c.cols, "revoke_reason"))));
  }
  cert_free(&c);
  return out;
}

int docs_cert_holder(Db *db, const char *code, CertOwner *o, Err *e) {
  char c[CODE_LEN + 1];
  memset(o, 0, sizeof *o);
  if (!code_normalise(code, c))
    return err_set(e, E_NOTFOUND, "cert.not_found", "code", "没有找到该证照，请核对证照编号",
                   "No certificate has this code; please check it");
  Stmt *st = db_prepare(db, "SELECT holder_party, case_id, status FROM certificate WHERE code = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, c);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    snprintf(o->party, sizeof o->party, "%s", stmt_text(st, 0));
    o->case_id = stmt_null(st, 1) ? 0 : stmt_int(st, 1);
    o->revoked = strcmp(stmt_text(st, 2), "revoked") == 0;
  }
  stmt_done(st);
  if (rc == 0)
    err_set(e, E_NOTFOUND, "cert.not_found", "code", "没有找到该证照，请核对证照编号",
            "No certificate has this code; please check it");
  return rc == 1 ? 0 : -1;
}

/* qr() draws a QR code of text, size points square (quiet zone included),
** with its top-left corner at (x, y). -1 with *e when it cannot be made. */
static int qr(Pdf *p, double x, double y, double size, const char *text, Err *e) {
  QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!q)
    return err_set(e, E_INTERNAL, "docs.qr", NULL, "无法生成二维码", "Could not make the QR code");
  double m = size / (q->width + 8); /* four modules of quiet zone each side */
  cairo_set_source_rgb(p->cr, 1, 1, 1);
  cairo_rectangle(p->cr, x, y, size, size);
  cairo_fill(p->cr);
  cairo_set_source_rgb(p->cr, 0, 0, 0);
  for (int r = 0; r < q->width; r++)
    for (int c = 0; c < q->width; c++)
      if (q->data[r * q->width + c] & 1) cairo_rectangle(p->cr, x + (c + 4) * m, y + (r + 4) * m, m, m);
  cairo_fill(p->cr);
  QRcode_free(q);
  return 0;
}

/* pdf_cached() appends the cached PDF of key to *out and returns true, or
** returns false when there is none. */
static bool pdf_cached(const char *key, Buf *out) {
  bool hit = false;
  pthread_mutex_lock(&pdf_cache_lock);
  for (int i = 0; i < PDF_CACHE && !hit; i++) {
    if (!aPdf[i].key || strcmp(aPdf[i].key, key) != 0) continue;
    buf_append(out, aPdf[i].pdf.a, aPdf[i].pdf.n);
    aPdf[i].used = ++pdf_tick;
    hit = true;
  }
  pthread_mutex_unlock(&pdf_cache_lock);
  return hit;
}

/* pdf_keep() stores a copy of the n bytes at pdf under key, dropping the
** least recently used PDFs until it fits (a PDF larger than a quarter of
** the cache is not kept). */
static void pdf_keep(const char *key, const char *pdf, size_t n) {
  if (n > PDF_CACHE_BYTES / 4) return;
  pthread_mutex_lock(&pdf_cache_lock);
  for (int i = 0; i < PDF_CACHE; i++) /* rendered twice at once: keep the last */
    if (aPdf[i].key && strcmp(aPdf[i].key, key) == 0) pdf_drop(i);
  int slot;
  for (;;) {
    int free_slot = -1, old = -1;
    for (int i = 0; i < PDF_CACHE; i++) {
      if (!aPdf[i].key) free_slot = i;
      else if (old < 0 || aPdf[i].used < aPdf[old].used) old = i;
    }
    if (free_slot >= 0 && pdf_bytes + n <= PDF_CACHE_BYTES) {
      slot = free_slot;
      break;
    }
    pdf_drop(old); /* full (in slots or bytes), so there is one to drop */
  }
  aPdf[slot].key = xstrdup(key);
  buf_reserve(&aPdf[slot].pdf, n);
  buf_append(&aPdf[slot].pdf, pdf, n);
  aPdf[slot].used = ++pdf_tick;
  pdf_bytes += n;
  pthread_mutex_unlock(&pdf_cache_lock);
}

int docs_pdf_take(const User *actor, const char *kind, Err *e) {
  if (!actor || actor->id <= 0) return 0;
  return rate_check(kind, actor->id, &limits.pdf_rate, "生成报告 PDF", "report PDFs", e);
}

int docs_cert_pdf(Store *s, const User *actor, const char *code, const char *base_url, Buf *out,
                  Err *e) {
  Cert c;
  Pdf p;
  Buf url = {0}, footer = {0}, line = {0};
  char d[32], *key = NULL;
  size_t start = out->n;
  int rc = -1;
  if (cert_read(s, code, &c, e)) return -1;
  key = xasprintf("%s|%s|%s", c.code, c.status, base_url);
  if (pdf_cached(key, out)) {
    rc = 0;
    goto done;
  }
  if (actor && actor->id > 0 &&
      rate_check("cert.pdf", actor->id, &limits.pdf_rate, "生成证照 PDF", "certificate PDFs", e))
    goto done;
  buf_appendf(&url, "%s/verify/%s", base_url, c.code);
  buf_appendf(&footer, "证照编号 %s · 扫码或访问 %s 核验", c.code, url.a);
  pthread_mutex_lock(&pdf_lock);
  pdf_begin(&p, out, pstr(&c, "kind"), footer.a);

  /* frame */
  cairo_set_source_rgb(p.cr, 0.62, 0.10, 0.10);
  cairo_set_line_width(p.cr, 3);
  cairo_rectangle(p.cr, 36, 36, PAGE_W - 72, PAGE_H - 72);
  cairo_stroke(p.cr);
  cairo_set_line_width(p.cr, 0.8);
  cairo_rectangle(p.cr, 42, 42, PAGE_W - 84, PAGE_H - 84);
  cairo_stroke(p.cr);

  Style title = {SERIF, 34, true, PANGO_ALIGN_CENTER, 0, 0, 0.62, 0.10, 0.10};
  Style sub = {SANS, 11, false, PANGO_ALIGN_CENTER, 0, 0, 0.3, 0.3, 0.3};
  p.y = 100;
  p.y += pdf_draw(&p, &title, MARGIN, p.y, PAGE_W - 2 * MARGIN, pstr(&c, "kind")) + 10;
  buf_appendf(&line, "证照编号：%s", c.code);
  p.y += pdf_draw(&p, &sub, MARGIN, p.y, PAGE_W - 2 * MARGIN, line.a) + 12;
  if (strcmp(c.status, "revoked") == 0) {
    Style warn = {SANS, 12, true, PANGO_ALIGN_CENTER, 0, 0, 0.80, 0.08, 0.08};
    buf_reset(&line);
    buf_appendf(&line, "本证照已撤销。撤销原因：%s",
                json_string_value(json_object_get(c.cols, "revoke_reason")));
    p.y += pdf_draw(&p, &warn, MARGIN, p.y, PAGE_W - 2 * MARGIN, line.a);
  }
  p.y += 24;

  const char *party = pstr(&c, "holder_party");
  double left = MARGIN + 20, lw = 110;
  row(&p, "持证人", pstr(&c, "holder_name"), left, lw);
  row(&p, codes_uscc_check(party, NULL, 0) == 0 ? "统一社会信用代码" : "证件号码", party, left, lw);
  json_t *fields = json_object_get(c.payload, "fields");
  size_t i;
  json_t *pair;
  json_array_foreach(fields, i, pair) {
    const char *l = json_string_value(json_array_get(pair, 0)), *v = json_string_value(json_array_get(pair, 1));
    if (l && v) row(&p, l, v, left, lw);
  }
  if (pstr(&c, "item_code")[0]) row(&p, "事项编码", pstr(&c, "item_code"), left, lw);
  row(&p, "发证日期", date_cn(pstr(&c, "issued_on"), d), left, lw);
  row(&p, "有效期至", pstr(&c, "valid_until")[0] ? date_cn(pstr(&c, "valid_until"), d) : "长期", left, lw);
  row(&p, "发证机关", pstr(&c, "issuer"), left, lw);

  /* the QR code bottom left, the issuer's seal bottom right */
  double qy = PAGE_H - 250;
  if (p.y > qy - 10) pdf_new_page(&p);
  if (qr(&p, MARGIN, qy, 120, url.a, e)) {
    pdf_end(&p, e);
    goto unlock;
  }
  Style cap = {SANS, 9, false, PANGO_ALIGN_LEFT, 0, 0, 0.3, 0.3, 0.3};
  pdf_draw(&p, &cap, MARGIN, qy + 124, 240, "扫码核验真伪 / Scan to verify");
  Style right = S_PLAIN;
  right.align = PANGO_ALIGN_RIGHT;
  double wr = PAGE_W - 2 * MARGIN - 10;
  pdf_draw(&p, &right, MARGIN, qy + 70, wr, pstr(&c, "issuer"));
  pdf_draw(&p, &right, MARGIN, qy + 92, wr, date_cn(pstr(&c, "issued_on"), d));
  seal(&p, PAGE_W - MARGIN - 75, qy + 70, 56, pstr(&c, "issuer"));

  if (strcmp(c.status, "revoked") == 0) {
    Style stamp = {SANS, 72, true, PANGO_ALIGN_CENTER, 0, 0, 0.85, 0.1, 0.1};
    cairo_save(p.cr);
    cairo_translate(p.cr, PAGE_W / 2, PAGE_H / 2);
    cairo_rotate(p.cr, -M_PI / 6);
    cairo_push_group(p.cr);
    pdf_draw(&p, &stamp, -250, -50, 500, "已撤销");
    cairo_pop_group_to_source(p.cr);
    cairo_paint_with_alpha(p.cr, 0.35);
    cairo_restore(p.cr);
  }
  rc = pdf_end(&p, e);
unlock:
  pthread_mutex_unlock(&pdf_lock);
  if (rc == 0) pdf_keep(key, out->a + start, out->n - start);
done:
  cert_free(&c);
  free(key);
  buf_free(&url);
  buf_free(&footer);
  buf_free(&line);
  return rc;
}

/* ---- application forms (申请表) ---------------------------------------------------- */

/* A cell of the form's table: its label, and the value a sample fills in. */
typedef struct FormRow {
  const char *label;
  char value[256];
} FormRow;

/* sample_value() writes into out (cap bytes) a plausible value of a form
** field of the item's form spec f (name, type, choices, min, max, unit by
** type), for a 样表: what an applicant would write there. */
static void sample_value(const json_t *f, const char *today, char *out, size_t cap) {
  const char *name = json_string_value(json_object_get(f, "name"));
  const char *type = json_string_value(json_object_get(f, "type"));
  const json_t *mn = json_object_get(f, "min"), *mx = json_object_get(f, "max");
  if (!name) name = "";
  if (!type) type = "text";
  if (strcmp(type, "choice") == 0) {
    const char *c = json_string_value(json_array_get(json_object_get(f, "choices"), 0));
    snprintf(out, cap, "%s", c ? c : "");
  } else if (strcmp(type, "boolean") == 0) {
    snprintf(out, cap, "是");
  } else if (strcmp(type, "date") == 0) {
    snprintf(out, cap, "%s", json_is_string(mn) ? json_string_value(mn) : today);
  } else if (strcmp(type, "money_fen") == 0) {
    double fen = mn && json_number_value(mn) > 0 ? json_number_value(mn) : 1000000;
    if (mx && fen > json_number_value(mx)) fen = json_number_value(mx);
    snprintf(out, cap, "%.2f 元", fen / 100.0);
  } else if (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0) {
    double x = mn && json_number_value(mn) > 0 ? json_number_value(mn) : 1;
    snprintf(out, cap, "%g", x);
  } else if (strstr(name, "address")) {
    snprintf(out, cap, "辽宁省大连市金普新区示例路 88 号");
  } else if (strstr(name, "rep") || strstr(name, "person") || strstr(name, "contact")) {
    snprintf(out, cap, "张明");
  } else if (strcmp(name, "name") == 0 || strstr(name, "_name")) {
    snprintf(out, cap, "大连示例科技有限公司");
  } else if (strstr(name, "district")) {
    snprintf(out, cap, "金石滩街道");
  } else {
    snprintf(out, cap, "（按实际情况填写）");
  }
}

/* form_table() draws rows as a two-column table (label | value) at the
** flowing position, a heading row above them; a row too low for the page
** goes to the next. */
static void form_table(Pdf *p, const char *heading, const FormRow *rows, int n) {
  const double left = MARGIN - 16, width = PAGE_W - 2 * (MARGIN - 16), lw = 150, pad = 5;
  Style label = S_LABEL, value = S_PLAIN, head = S_LABEL;
  label.align = PANGO_ALIGN_LEFT;
  head.align = PANGO_ALIGN_CENTER;
  cairo_set_line_width(p->cr, 0.8);
  double hh = pdf_measure(p, &head, width, heading) + 2 * pad;
  if (p->y + hh + 30 > BOTTOM) pdf_new_page(p);
  cairo_set_source_rgb(p->cr, 0.93, 0.93, 0.93);
  cairo_rectangle(p->cr, left, p->y, width, hh);
  cairo_fill(p->cr);
  cairo_set_source_rgb(p->cr, 0, 0, 0);
  cairo_rectangle(p->cr, left, p->y, width, hh);
  cairo_stroke(p->cr);
  pdf_draw(p, &head, left, p->y + pad, width, heading);
  p->y += hh;
  for (int i = 0; i < n; i++) {
    double h = fmax(pdf_measure(p, &label, lw - 2 * pad, rows[i].label), pdf_measure(p, &value, width - lw - 2 * pad, rows[i].value));
    h = fmax(h + 2 * pad, 26);
    if (p->y + h > BOTTOM) pdf_new_page(p);
    cairo_set_source_rgb(p->cr, 0, 0, 0);
    cairo_rectangle(p->cr, left, p->y, lw, h);
    cairo_rectangle(p->cr, left + lw, p->y, width - lw, h);
    cairo_stroke(p->cr);
    pdf_draw(p, &label, left + pad, p->y + pad, lw - 2 * pad, rows[i].label);
    if (rows[i].value[0]) {
      Style v = value;
      v.r = v.g = 0.1, v.b = 0.45; /* filled in by hand: the ink of a pen */
      pdf_draw(p, &v, left + lw + pad, p->y + pad, width - lw - 2 * pad, rows[i].value);
    }
    p->y += h;
  }
  p->y += 14;
}

int docs_form_pdf(const FormSheet *f, Buf *out, Err *e) {
  if (!f->item_name || !*f->item_name || !f->item_code || !*f->item_code || !f->material || !*f->material)
    return err_set(e, E_INTERNAL, "docs.form_sheet", NULL, "申请表缺少事项名称、编码或材料名称",
                   "The form sheet lacks the item's name, code or the material's name");
  if (f->fields && !json_is_array(f->fields))
    return err_set(e, E_INTERNAL, "docs.form_sheet", NULL, "事项表单应为数组", "The item's form must be an array");
  char *key = xasprintf("form|%lld|%s|%s|%s", (long long)f->version_id, f->item_code, f->material,
                        f->sample ? "sample" : "blank");
  size_t start = out->n;
  int rc = -1;
  if (f->version_id > 0 && pdf_cached(key, out)) {
    free(key);
    return 0;
  }
  char today[11];
  time_today_cn(today);
  size_t nField = json_array_size(f->fields);
  FormRow *rows = xcalloc(nField + 6, sizeof *rows);
  Buf title = {0}, footer = {0};
  buf_appendf(&title, "%s（%s）", f->material, f->sample ? "样表" : "空白");
  buf_appendf(&footer, "%s · 事项编码 %s · xinqu 新区政务服务平台", title.a, f->item_code);
  Pdf p;
  pthread_mutex_lock(&pdf_lock);
  pdf_begin(&p, out, title.a, footer.a);
  if (f->sample) { /* 样表 across every page, under the text */
    p.watermark = "样表";
    watermark(&p);
  }
  p.y = MARGIN - 24;

  Style big = {SERIF, 20, true, PANGO_ALIGN_CENTER, 0, 0, 0, 0, 0};
  Style sub = {SERIF, 15, true, PANGO_ALIGN_CENTER, 0, 0, 0, 0, 0};
  Style code = S_SMALL;
  code.size = 9;
  p.y += pdf_draw(&p, &big, MARGIN, p.y, PAGE_W - 2 * MARGIN, f->item_name) + 6;
  p.y += pdf_draw(&p, &sub, MARGIN, p.y, PAGE_W - 2 * MARGIN, f->material) + 4;
  char line[160];
  snprintf(line, sizeof line, "事项编码：%s", f->item_code);
  p.y += pdf_draw(&p, &code, MARGIN, p.y, PAGE_W - 2 * MARGIN, line) + 14;

  /* The applicant's block. */
  static const char *const who[] = {"申请人名称", "统一社会信用代码/身份证号", "联系人", "联系电话", "地址"};
  static const char *const who_sample[] = {"大连示例科技有限公司", "91210213MA0Q7XYZ3K", "张明", "13904110000",
                                           "辽宁省大连市金普新区示例路 88 号"};
  for (int i = 0; i < 5; i++) {
    rows[i].label = who[i];
    if (f->sample) snprintf(rows[i].value, sizeof rows[i].value, "%s", who_sample[i]);
  }
  form_table(&p, "申请人信息", rows, 5);

  /* The item's own fields, by the labels of its form spec. */
  int n = 0;
  size_t i;
  const json_t *fs;
  json_array_foreach(f->fields, i, fs) {
    const char *label = json_string_value(json_object_get(fs, "label"));
    if (!label) continue;
    rows[5 + n].label = label;
    if (f->sample) sample_value(fs, today, rows[5 + n].value, sizeof rows[5 + n].value);
    n++;
  }
  if (!n) { /* an item without a form of its own: what is applied for, in words */
    rows[5].label = "申请内容及理由";
    if (f->sample) snprintf(rows[5].value, sizeof rows[5].value, "申请办理%s。（按实际情况写明申请内容及理由）", f->item_name);
    n = 1;
  }
  form_table(&p, "申请事项信息", rows + 5, n);

  Style body = S_BODY;
  body.spacing = 1.3;
  pdf_block(&p, &body, MARGIN - 16, "申请人承诺：以上所填内容及所附材料真实、准确、完整，如有虚假，愿承担相应法律责任。", 14);
  if (p.y + 50 > BOTTOM) pdf_new_page(&p);
  Style right = S_PLAIN;
  right.align = PANGO_ALIGN_RIGHT;
  double w = PAGE_W - 2 * MARGIN;
  char date[32];
  p.y += pdf_draw(&p, &right, MARGIN, p.y, w, f->sample ? "申请人（签章）：张明" : "申请人（签章）：＿＿＿＿＿＿＿＿") + 6;
  char dated[48];
  snprintf(dated, sizeof dated, "日期：%s", f->sample ? date_cn(today, date) : "　　　　年　　月　　日");
  p.y += pdf_draw(&p, &right, MARGIN, p.y, w, dated) + 8;

  rc = pdf_end(&p, e);
  pthread_mutex_unlock(&pdf_lock);
  if (rc == 0 && f->version_id > 0) pdf_keep(key, out->a + start, out->n - start);
  free(rows);
  free(key);
  buf_free(&title);
  buf_free(&footer);
  return rc;
}

/* ---- uploaded materials -------------------------------------------------------- */


/* rd16()/rd32() read little-endian integers (ZIP is little-endian). */
static unsigned rd16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
static uint32_t rd32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* zip_has_ofd_xml() is true when p[0..n) is a ZIP archive (local header at
** the start, end-of-central-directory record at the end) whose central
** directory names a root entry "OFD.xml" — the mark of an OFD document
** (GB/T 33190). Every offset is bounds-checked: the input is untrusted. */
static bool zip_has_ofd_xml(const unsigned char *p, size_t n) {
  if (n < 22 || rd32(p) != 0x04034b50) return false;
  /* The EOCD record is the last 22 bytes plus a comment of up to 65535. */
  size_t lo = n > 22 + 65535 ? n - 22 - 65535 : 0;
  for (size_t i = n - 22 + 1; i-- > lo;) {
    if (rd32(p + i) != 0x06054b50) continue;
    size_t entries = rd16(p + i + 10), cd_size = rd32(p + i + 12), cd_off = rd32(p + i + 16);
    if (cd_off > i || cd_size > i - cd_off) return false;
    size_t q = cd_off, end = cd_off + cd_size;
    for (size_t k = 0; k < entries; k++) {
      if (end - q < 46 || rd32(p + q) != 0x02014b50) return false;
      size_t nl = rd16(p + q + 28), xl = rd16(p + q + 30), cl = rd16(p + q + 32);
      if (end - q - 46 < nl + xl + cl) return false;
      if (nl == 7 && memcmp(p + q + 46, "OFD.xml", 7) == 0) return true;
      q += 46 + nl + xl + cl;
    }
    return false;
  }
  return false;
}

/* sniff() names the type of p[0..n) among those accepted, or NULL. */
static const char *sniff(const void *p, size_t n, Err *e) {
  const char *m, *out = NULL;
  pthread_mutex_lock(&magic_lock);
  if (!magic_handle) {
    magic_handle = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS);
    if (magic_handle && magic_load(magic_handle, NULL) != 0) {
      log_error("libmagic: %s", magic_error(magic_handle));
      magic_close(magic_handle);
      magic_handle = NULL;
    }
  }
  if (!magic_handle) {
    pthread_mutex_unlock(&magic_lock);
    err_set(e, E_INTERNAL, "upload.magic", NULL, "无法识别文件类型（libmagic 未能加载）",
            "Cannot identify file types (libmagic did not load)");
    return NULL;
  }
  m = magic_buffer(magic_handle, p, n);
  if (m) {
    if (strcmp(m, "application/pdf") == 0) out = "application/pdf";
    else if (strcmp(m, "image/jpeg") == 0) out = "image/jpeg";
    else if (strcmp(m, "image/png") == 0) out = "image/png";
  }
  pthread_mutex_unlock(&magic_lock);
  /* OFD: libmagic sees a ZIP (or, for some entry orders, just data). */
  if (!out && zip_has_ofd_xml(p, n)) out = "application/ofd";
  return out;
}

/* sha256_ok() is true for 64 lower-case hex digits. */
static bool sha256_ok(const char *s) {
  if (!s || strlen(s) != 64) return false;
  for (int i = 0; i < 64; i++)
    if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f')) return false;
  return true;
}

typedef struct PutJob {
  const User *actor;
  const void *data;
  size_t n;
  BlobInfo *info;
} PutJob;

static int put_job(Db *db, void *arg, Err *e) {
  PutJob *j = arg;
  BlobInfo *b = j->info;
  int64_t actor = j->actor ? j->actor->id : 0;
  bool fresh;
  char obj[80];
  Stmt *st = db_prepare(db, "SELECT owner_id FROM blob WHERE sha256 = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, b->sha256);
  int rc = stmt_step(st, e);
  if (rc == 1) b->owner_id = stmt_int(st, 0);
  stmt_done(st);
  if (rc < 0) return -1;
  fresh = rc == 0;
  if (fresh && actor) {
    /* The quota counts the bytes this account stored first. */
    st = db_prepare(db, "SELECT COALESCE(SUM(size), 0) FROM blob WHERE owner_id = ?", e);
    if (!st) return -1;
    stmt_bind_int(st, 1, actor);
    rc = stmt_step(st, e);
    int64_t used = rc == 1 ? stmt_int(st, 0) : 0;
    stmt_done(st);
    if (rc < 0) return -1;
    if (used + b->size > limits.upload_quota) {
      char zh[200], en[200];
      snprintf(zh, sizeof zh, "您上传的文件已达存储上限（每个账号 %lld MB，已用 %lld MB），无法再上传新文件",
               (long long)(limits.upload_quota >> 20), (long long)(used >> 20));
      snprintf(en, sizeof en, "Your uploads have reached the storage limit (%lld MB an account, %lld MB used)",
               (long long)(limits.upload_quota >> 20), (long long)(used >> 20));
      return err_set(e, E_LIMIT, "upload.quota", NULL, zh, en);
    }
  }
  if (fresh) {
    /* the bytes travel only for a new blob */
    st = db_prepare(db,
                    "INSERT INTO blob(sha256, mime, size, data, owner_id, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    e);
    if (!st) return -1;
    stmt_bind_text(st, 1, b->sha256);
    stmt_bind_text(st, 2, b->mime);
    stmt_bind_int(st, 3, b->size);
    stmt_bind_blob(st, 4, j->data, j->n);
    if (actor) stmt_bind_int(st, 5, actor);
    else stmt_bind_null(st, 5);
    stmt_bind_int(st, 6, now_ms());
    rc = stmt_step(st, e);
    stmt_done(st);
    if (rc < 0) return -1;
    b->owner_id = actor;
  }
  if (actor && docs_blob_grant(db, b->sha256, actor, e)) return -1;
  snprintf(obj, sizeof obj, "blob:%s", b->sha256);
  json_t *d = json_pack("{s:s, s:I, s:b}", "mime", b->mime, "size", (json_int_t)b->size, "new", fresh);
  rc = audit_append(db, j->actor, "upload.put", obj, d, e);
  json_decref(d);
  return rc;
}

int docs_blob_put(Store *s, const User *actor, const void *data, size_t n, BlobInfo *out, Err *e) {
  memset(out, 0, sizeof *out);
  if (n == 0 || !data)
    return err_set(e, E_INVALID, "upload.empty", NULL, "上传的文件是空的", "The uploaded file is empty");
  if (n > DOCS_MAX_UPLOAD)
    return err_set(e, E_INVALID, "upload.too_large", NULL, "文件超过 20 MB 的上限",
                   "The file is larger than the 20 MB limit");
  if (actor && actor->id > 0 &&
      rate_check("upload", actor->id, &limits.upload_rate, "上传文件", "uploads", e))
    return -1;
  Err me = {0};
  const char *mime = sniff(data, n, &me);
  if (!mime) {
    if (me.kind) {
      *e = me;
      return -1;
    }
    return err_set(e, E_INVALID, "upload.bad_type", NULL,
                   "只接受 PDF、JPEG、PNG 或 OFD 文件（按内容识别）",
                   "Only PDF, JPEG, PNG or OFD files are accepted (judged by their content)");
  }
  crypto_sha256_hex(data, n, out->sha256);
  snprintf(out->mime, sizeof out->mime, "%s", mime);
  out->size = (int64_t)n;
  PutJob j = {actor, data, n, out};
  return store_write(s, put_job, &j, e);
}

int docs_blob_grant(Db *db, const char *sha256, int64_t account_id, Err *e) {
  return db_run(db, e,
                "INSERT INTO blob_reader(sha256, account_id, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (sha256, account_id) DO NOTHING",
                "tii", sha256, account_id, now_ms()) < 0
             ? -1
             : 0;
}

int docs_blob_get(Store *s, const char *sha256, BlobInfo *info, Buf *data, Err *e) {
  memset(info, 0, sizeof *info);
  if (!sha256_ok(sha256))
    return err_set(e, E_NOTFOUND, "upload.not_found", NULL, "没有找到该文件", "No such file");
  Stmt *st = db_prepare(store_reader(s),
                        data ? "SELECT mime, size, owner_id, data FROM blob WHERE sha256 = ?"
                             : "SELECT mime, size, owner_id FROM blob WHERE sha256 = ?",
                        e);
  if (!st) return -1;
  stmt_bind_text(st, 1, sha256);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    snprintf(info->sha256, sizeof info->sha256, "%s", sha256);
    snprintf(info->mime, sizeof info->mime, "%s", stmt_text(st, 0));
    info->size = stmt_int(st, 1);
    info->owner_id = stmt_null(st, 2) ? 0 : stmt_int(st, 2);
    if (data) {
      size_t n;
      const void *p = stmt_blob(st, 3, &n);
      buf_append(data, p ? p : "", n);
    }
  }
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0) return err_set(e, E_NOTFOUND, "upload.not_found", NULL, "没有找到该文件", "No such file");
  return 0;
}

bool docs_blob_readable(Db *db, const char *sha256, int64_t account_id) {
  Err e = {0};
  if (!sha256_ok(sha256) || account_id <= 0) return false;
  Stmt *st = db_prepare(db, "SELECT 1 FROM blob_reader WHERE sha256 = ? AND account_id = ?", &e);
  if (!st) return false;
  stmt_bind_text(st, 1, sha256);
  stmt_bind_int(st, 2, account_id);
  bool ok = stmt_step(st, &e) == 1;
  stmt_done(st);
  return ok;
}

int docs_qr_svg(const char *text, Buf *out, Err *e) {
  if (strlen(text) > 500)
    return err_set(e, E_INVALID, "docs.qr", NULL, "二维码内容过长", "The QR code's text is too long");
  QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!q) return err_set(e, E_INTERNAL, "docs.qr", NULL, "无法生成二维码", "Could not make the QR code");
  int w = q->width + 8; /* four modules of quiet zone each side */
  buf_appendf(out,
              "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
              "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
              w, w, w, w);
  for (int r = 0; r < q->width; r++)
    for (int c = 0; c < q->width; c++)
      if (q->data[r * q->width + c] & 1) buf_appendf(out, "M%d %dh1v1h-1z", c + 4, r + 4);
  buf_puts(out, "\"/></svg>");
  QRcode_free(q);
  return 0;
}
