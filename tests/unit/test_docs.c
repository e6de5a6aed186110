/* test_docs.c — documents (src/domain/docs.c) on a real SQLite store in a
** temp folder: the signing key, certificates (issue, verify, tampering,
** revocation, expiry, masking, PDF), uploads (types judged by content,
** OFD inside a ZIP, limits, one copy per content, readers) and every notice
** kind rendered to PDF and read back with pdftotext (poppler-utils). */
#include "unit.h"
#include "base/codes.h"
#include "base/crypto.h"
#include "domain/audit.h"
#include "domain/docs.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

typedef struct Fix {
  char dir[64];
  char url[128];
  Store *s;
  User clerk, ent, other; /* accounts in the database */
} Fix;

static int job_exec(Db *db, void *arg, Err *e) { return db_exec(db, arg, e); }

static void exec_ok(Store *s, const char *sql) {
  Err e = {0};
  if (store_write(s, job_exec, (void *)sql, &e)) fail_msg("%s: %s (%s)", sql, e.code, e.message_en);
}

static int64_t count(Store *s, const char *sql) {
  Err e = {0};
  Stmt *st = db_prepare(store_reader(s), sql, &e);
  assert_non_null(st);
  assert_int_equal(stmt_step(st, &e), 1);
  int64_t n = stmt_int(st, 0);
  stmt_done(st);
  return n;
}

static void user(User *u, int64_t id, const char *name, unsigned role, const char *party) {
  memset(u, 0, sizeof *u);
  u->id = id;
  snprintf(u->username, sizeof u->username, "%s", name);
  u->role = role;
  snprintf(u->party, sizeof u->party, "%s", party);
}

static int setup(void **state) {
  Fix *f = xcalloc(1, sizeof *f);
  Err e = {0};
  snprintf(f->dir, sizeof f->dir, "/tmp/xq-docs-XXXXXX");
  if (!mkdtemp(f->dir)) return -1;
  snprintf(f->url, sizeof f->url, "sqlite:%s/t.db", f->dir);
  f->s = store_open(f->url, &e);
  if (!f->s || store_migrate(f->s, &e)) return -1;
  exec_ok(f->s,
          "INSERT INTO account(id, username, role, party, password_hash, created_at) VALUES"
          " (1, 'clerk', 'clerk', NULL, 'x', 0), (2, 'ent', 'applicant', '91210213MA0000001X', 'x', 0),"
          " (3, 'other', 'applicant', '', 'x', 0)");
  user(&f->clerk, 1, "clerk", ROLE_CLERK, "");
  user(&f->ent, 2, "ent", ROLE_APPLICANT, "91210213MA0000001X");
  user(&f->other, 3, "other", ROLE_APPLICANT, "");
  if (docs_init(f->s, &e)) {
    fprintf(stderr, "docs_init: %s\n", e.message_en);
    return -1;
  }
  *state = f;
  return 0;
}

static int teardown(void **state) {
  Fix *f = *state;
  char cmd[128];
  store_close(f->s);
  snprintf(cmd, sizeof cmd, "rm -rf %s", f->dir);
  if (system(cmd) != 0) return -1;
  free(f);
  return 0;
}

/* ---- certificates ---------------------------------------------------------- */

typedef struct IssueJob {
  const User *actor;
  CertSpec spec;
  char code[32];
} IssueJob;

static int issue_job(Db *db, void *arg, Err *e) {
  IssueJob *j = arg;
  return docs_cert_issue(db, j->actor, &j->spec, j->code, sizeof j->code, e);
}

typedef struct RevokeJob {
  const User *actor;
  const char *code, *reason;
} RevokeJob;

static int revoke_job(Db *db, void *arg, Err *e) {
  RevokeJob *j = arg;
  return docs_cert_revoke(db, j->actor, j->code, j->reason, e);
}

/* spec_company() is a food business licence for a company. */
static void spec_company(CertSpec *c) {
  memset(c, 0, sizeof *c);
  c->case_id = 42;
  snprintf(c->kind, sizeof c->kind, "食品经营许可证");
  codes_uscc_make(c->holder_party, '9', '1', "210213", 77);
  snprintf(c->holder_name, sizeof c->holder_name, "大连金普测试餐饮有限公司");
  snprintf(c->item_code, sizeof c->item_code, "JP-SCJG-001");
  snprintf(c->issuer, sizeof c->issuer, "大连金普新区行政审批局");
  snprintf(c->issued_on, sizeof c->issued_on, "2026-03-02");
  snprintf(c->valid_until, sizeof c->valid_until, "2099-03-01");
}

static void spec_person(CertSpec *c) {
  memset(c, 0, sizeof *c);
  snprintf(c->kind, sizeof c->kind, "人才认定证书");
  snprintf(c->holder_party, sizeof c->holder_party, "%s", "210213198503171234");
  /* make the check digit right */
  c->holder_party[17] = codes_id_check_char(c->holder_party);
  snprintf(c->holder_name, sizeof c->holder_name, "李晓红");
  snprintf(c->issuer, sizeof c->issuer, "大连金普新区人力资源和社会保障局");
  snprintf(c->issued_on, sizeof c->issued_on, "2026-01-15");
}

static void issue_ok(Fix *f, IssueJob *j) {
  Err e = {0};
  if (store_write(f->s, issue_job, j, &e)) fail_msg("issue: %s %s (%s)", e.code, e.field, e.message_en);
}

static void issue_fail(Fix *f, IssueJob *j, const char *code, const char *field) {
  Err e = {0};
  assert_int_equal(store_write(f->s, issue_job, j, &e), -1);
  assert_string_equal(e.code, code);
  if (field) assert_string_equal(e.field, field);
  assert_true(e.message[0] && e.message_en[0]);
}

static void test_key(void **state) {
  Fix *f = *state;
  Err e = {0};
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM signing_key WHERE active = 1"), 1);
  assert_int_equal(count(f->s, "SELECT length(public_key) FROM signing_key"), 32);
  assert_int_equal(count(f->s, "SELECT length(secret_key) FROM signing_key"), 64);
  assert_int_equal(docs_init(f->s, &e), 0); /* again: keeps the key */
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM signing_key"), 1);
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_event WHERE action = 'docs.key_create'"), 1);
  AuditReport rep;
  assert_int_equal(audit_verify(f->s, NULL, NULL, &rep), 0);
}

static void test_cert_issue_verify(void **state) {
  Fix *f = *state;
  Err e = {0};
  IssueJob j = {&f->clerk, {0}, ""};
  spec_company(&j.spec);
  j.spec.fields = json_pack("{s:s, s:s}", "经营项目", "热食类食品制售", "经营场所", "金马路 1 号");
  issue_ok(f, &j);
  json_decref(j.spec.fields);
  assert_int_equal(strlen(j.code), 20);
  assert_int_equal(strspn(j.code, "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"), 20);
  /* The first six characters are the minute of issue since 2020 (base 32
  ** in that alphabet, which sorts as the numbers do). */
  int64_t minute = 0;
  for (int i = 0; i < 6; i++) minute = minute * 32 + (strchr("23456789ABCDEFGHJKLMNPQRSTUVWXYZ", j.code[i]) - "23456789ABCDEFGHJKLMNPQRSTUVWXYZ");
  int64_t now_minute = (now_ms() - 1577836800000LL) / 60000;
  assert_true(minute == now_minute || minute == now_minute - 1);

  json_t *v = docs_cert_verify(f->s, j.code, &e);
  assert_non_null(v);
  assert_true(json_is_true(json_object_get(v, "genuine")));
  assert_string_equal(json_string_value(json_object_get(v, "status")), "valid");
  assert_string_equal(json_string_value(json_object_get(v, "kind")), "食品经营许可证");
  assert_string_equal(json_string_value(json_object_get(v, "holder_name")), "大连金普测试餐饮有限公司");
  /* a company's USCC is public: not masked */
  assert_string_equal(json_string_value(json_object_get(v, "holder_party")), j.spec.holder_party);
  assert_string_equal(json_string_value(json_object_get(v, "issued_on")), "2026-03-02");
  assert_string_equal(json_string_value(json_object_get(v, "valid_until")), "2099-03-01");
  assert_null(json_object_get(v, "revoked_at"));
  json_t *fields = json_object_get(v, "fields");
  assert_int_equal(json_array_size(fields), 2);
  assert_string_equal(json_string_value(json_array_get(json_array_get(fields, 0), 0)), "经营场所");
  assert_string_equal(json_string_value(json_array_get(json_array_get(fields, 1), 1)), "热食类食品制售");
  json_decref(v);

  /* a code is not case-sensitive; an unknown or malformed one is not found */
  char lower[32];
  for (int i = 0; i < 21; i++) lower[i] = (char)tolower((unsigned char)j.code[i]);
  v = docs_cert_verify(f->s, lower, &e);
  assert_non_null(v);
  json_decref(v);
  assert_null(docs_cert_verify(f->s, "23456789ABCDEFGHJKLM", &e));
  assert_string_equal(e.code, "cert.not_found");
  assert_int_equal(e.kind, E_NOTFOUND);
  assert_null(docs_cert_verify(f->s, "' OR 1=1 --", &e));
  assert_string_equal(e.code, "cert.not_found");

  /* the canonical payload: compact, sorted keys */
  Stmt *st = db_prepare(store_reader(f->s), "SELECT payload, case_id FROM certificate WHERE code = ?", &e);
  stmt_bind_text(st, 1, j.code);
  assert_int_equal(stmt_step(st, &e), 1);
  const char *payload = stmt_text(st, 0);
  assert_non_null(strstr(payload, "{\"case_id\":42,\"code\":\""));
  assert_null(strstr(payload, "\": "));
  assert_null(strstr(payload, ", \""));
  assert_int_equal(stmt_int(st, 1), 42);
  stmt_done(st);

  CertOwner o;
  assert_int_equal(docs_cert_holder(store_reader(f->s), j.code, &o, &e), 0);
  assert_string_equal(o.party, j.spec.holder_party);
  assert_false(o.revoked);
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_event WHERE action = 'cert.issue'"
                               " AND actor = 'clerk' AND object LIKE 'certificate:%'"), 1);
}

static void test_cert_masking(void **state) {
  Fix *f = *state;
  Err e = {0};
  IssueJob j = {&f->clerk, {0}, ""};
  spec_person(&j.spec);
  issue_ok(f, &j);
  json_t *v = docs_cert_verify(f->s, j.code, &e);
  assert_non_null(v);
  char want[40];
  snprintf(want, sizeof want, "210213********%.4s", j.spec.holder_party + 14);
  assert_string_equal(json_string_value(json_object_get(v, "holder_party")), want);
  assert_string_equal(json_string_value(json_object_get(v, "valid_until")), ""); /* long-term */
  assert_string_equal(json_string_value(json_object_get(v, "status")), "valid");
  json_decref(v);

  /* a passport: first and last two kept */
  IssueJob p = {&f->clerk, {0}, ""};
  spec_person(&p.spec);
  snprintf(p.spec.holder_party, sizeof p.spec.holder_party, "E12345678");
  issue_ok(f, &p);
  v = docs_cert_verify(f->s, p.code, &e);
  assert_string_equal(json_string_value(json_object_get(v, "holder_party")), "E1*****78");
  json_decref(v);
}

/* tamper() runs sql with the code bound once, as someone editing the database would. */
static void tamper(Fix *f, const char *sql) { exec_ok(f->s, sql); }

static bool genuine(Fix *f, const char *code) {
  Err e = {0};
  json_t *v = docs_cert_verify(f->s, code, &e);
  assert_non_null(v);
  bool g = json_is_true(json_object_get(v, "genuine"));
  json_decref(v);
  return g;
}

static void test_cert_tamper(void **state) {
  Fix *f = *state;
  IssueJob a = {&f->clerk, {0}, ""}, b = {&f->clerk, {0}, ""}, c = {&f->clerk, {0}, ""};
  char sql[512];
  spec_company(&a.spec);
  spec_company(&b.spec);
  spec_company(&c.spec);
  issue_ok(f, &a);
  issue_ok(f, &b);
  issue_ok(f, &c);
  assert_true(genuine(f, a.code) && genuine(f, b.code) && genuine(f, c.code));

  /* the signed payload edited: the extended validity no longer checks */
  snprintf(sql, sizeof sql,
           "UPDATE certificate SET payload = replace(payload, '2099-03-01', '2199-03-01'),"
           " valid_until = '2199-03-01' WHERE code = '%s'", a.code);
  tamper(f, sql);
  assert_false(genuine(f, a.code));
  assert_true(genuine(f, b.code));

  /* only the column edited, the payload left alone: caught as well */
  snprintf(sql, sizeof sql, "UPDATE certificate SET holder_name = '别人的公司' WHERE code = '%s'", b.code);
  tamper(f, sql);
  assert_false(genuine(f, b.code));

  /* the signature replaced by another certificate's */
  snprintf(sql, sizeof sql,
           "UPDATE certificate SET signature = (SELECT signature FROM certificate WHERE code = '%s')"
           " WHERE code = '%s'", a.code, c.code);
  tamper(f, sql);
  assert_false(genuine(f, c.code));
}

static void test_cert_revoke_expire(void **state) {
  Fix *f = *state;
  Err e = {0};
  IssueJob j = {&f->clerk, {0}, ""};
  spec_company(&j.spec);
  issue_ok(f, &j);

  RevokeJob r = {&f->clerk, j.code, "x"};
  assert_int_equal(store_write(f->s, revoke_job, &r, &e), -1);
  assert_string_equal(e.code, "cert.bad_reason");
  r.reason = "经营场所已变更，原证照作废";
  assert_int_equal(store_write(f->s, revoke_job, &r, &e), 0);
  json_t *v = docs_cert_verify(f->s, j.code, &e);
  assert_string_equal(json_string_value(json_object_get(v, "status")), "revoked");
  assert_string_equal(json_string_value(json_object_get(v, "status_label")), "已撤销");
  assert_string_equal(json_string_value(json_object_get(v, "revoke_reason")), "经营场所已变更，原证照作废");
  assert_non_null(strstr(json_string_value(json_object_get(v, "revoked_at")), "+08:00"));
  assert_true(json_is_true(json_object_get(v, "genuine"))); /* revoked, but ours */
  json_decref(v);
  /* Again: nothing changes, and no second event (counted below). */
  r.reason = "再次撤销";
  assert_int_equal(store_write(f->s, revoke_job, &r, &e), 0);
  v = docs_cert_verify(f->s, j.code, &e);
  assert_string_equal(json_string_value(json_object_get(v, "revoke_reason")), "经营场所已变更，原证照作废");
  json_decref(v);
  r.code = "23456789ABCDEFGHJKLM";
  assert_int_equal(store_write(f->s, revoke_job, &r, &e), -1);
  assert_string_equal(e.code, "cert.not_found");
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_event WHERE action = 'cert.revoke'"), 1);

  /* expired: valid until a day long past */
  IssueJob old = {&f->clerk, {0}, ""};
  spec_company(&old.spec);
  snprintf(old.spec.issued_on, sizeof old.spec.issued_on, "2020-01-01");
  snprintf(old.spec.valid_until, sizeof old.spec.valid_until, "2021-01-01");
  issue_ok(f, &old);
  v = docs_cert_verify(f->s, old.code, &e);
  assert_string_equal(json_string_value(json_object_get(v, "status")), "expired");
  assert_true(json_is_true(json_object_get(v, "genuine")));
  json_decref(v);
}

static void test_cert_checks(void **state) {
  Fix *f = *state;
  IssueJob j = {&f->clerk, {0}, ""};
  spec_company(&j.spec);
  snprintf(j.spec.valid_until, sizeof j.spec.valid_until, "2026-03-01"); /* before issue */
  issue_fail(f, &j, "cert.bad_date", "valid_until");
  spec_company(&j.spec);
  snprintf(j.spec.issued_on, sizeof j.spec.issued_on, "2026-02-30");
  issue_fail(f, &j, "cert.bad_date", "issued_on");
  spec_company(&j.spec);
  snprintf(j.spec.holder_party, sizeof j.spec.holder_party, "not a code");
  issue_fail(f, &j, "cert.bad_holder", "holder_party");
  spec_company(&j.spec);
  j.spec.kind[0] = 0;
  issue_fail(f, &j, "cert.bad_kind", "kind");
  spec_company(&j.spec);
  j.spec.fields = json_pack("{s:[]}", "经营项目");
  issue_fail(f, &j, "cert.bad_fields", "fields");
  json_decref(j.spec.fields);
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM certificate"), 0);
}

/* ---- PDF text ---------------------------------------------------------------- */

/* pdf_text() writes pdf to a file, runs pdftotext on it and returns the
** text (free() it). */
static char *pdf_text(Fix *f, const Buf *pdf) {
  char path[160], txt[160], cmd[400];
  snprintf(path, sizeof path, "%s/doc.pdf", f->dir);
  snprintf(txt, sizeof txt, "%s/doc.txt", f->dir);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(pdf->a, 1, pdf->n, fp), pdf->n);
  fclose(fp);
  snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s %s", path, txt);
  int rc = system(cmd);
  if (rc != 0) fail_msg("pdftotext failed (%d): is poppler-utils installed?", rc);
  fp = fopen(txt, "rb");
  assert_non_null(fp);
  Buf b = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) buf_append(&b, chunk, n);
  fclose(fp);
  return buf_detach(&b);
}

/* squeeze() copies s without white space (pdftotext breaks lines where the
** layout wrapped them and may drop or add spaces between CJK characters). */
static char *squeeze(const char *s) {
  char *o = xmalloc(strlen(s) + 1), *q = o;
  for (; *s; s++)
    if (!isspace((unsigned char)*s)) *q++ = *s;
  *q = 0;
  return o;
}

static void expect_text(const char *text, const char *want) {
  char *t = squeeze(text), *w = squeeze(want);
  bool ok = strstr(t, w) != NULL;
  free(t);
  free(w);
  if (!ok) fail_msg("PDF text lacks \"%s\"; it reads:\n%s", want, text);
}

/* The 申请表 of an item: blank (labels, empty cells, the signature line)
** and sample (the same with values and 样表), its title the item's name. */
static void test_form_pdf(void **state) {
  Fix *f = *state;
  Err e = {0};
  json_t *fields = json_pack("[{s:s,s:s,s:s,s:b},{s:s,s:s,s:s,s:i},{s:s,s:s,s:s,s:[s,s]}]", "name", "legal_rep",
                             "label", "法定代表人<b>姓名</b>", "type", "text", "required", 1, "name", "amount_fen",
                             "label", "申请金额", "type", "money_fen", "min", 150000, "name", "kind", "label",
                             "主体类型", "type", "choice", "choices", "company", "sole");
  for (int sample = 0; sample < 2; sample++) {
    FormSheet fs = {0, "JP-TEST-0001", "食品经营许可（新办）", "申请书（表）", fields, sample};
    Buf pdf = {0};
    if (docs_form_pdf(&fs, &pdf, &e)) fail_msg("%s %s", e.code, e.message_en);
    assert_memory_equal(pdf.a, "%PDF-", 5);
    char *t = pdf_text(f, &pdf);
    expect_text(t, "食品经营许可（新办）");
    expect_text(t, "申请书（表）");
    expect_text(t, "JP-TEST-0001");
    for (const char *l = "申请人名称\0统一社会信用代码/身份证号\0联系人\0联系电话\0地址\0申请人（签章）\0日期\0"; *l;
         l += strlen(l) + 1)
      expect_text(t, l);
    expect_text(t, "法定代表人<b>姓名</b>"); /* a label printed as given, never as markup */
    expect_text(t, "申请金额");
    expect_text(t, "主体类型");
    char *sq = squeeze(t);
    if (sample) {
      expect_text(t, "样表");
      expect_text(t, "1500.00元"); /* the smallest amount the field takes */
      expect_text(t, "company");
    } else {
      assert_null(strstr(sq, "样表"));
      assert_null(strstr(sq, "元"));
      assert_null(strstr(sq, "company"));
    }
    free(sq);
    free(t);
    buf_free(&pdf);
  }
  /* an item with no form of its own asks what is applied for, in words */
  FormSheet plain = {0, "JP-TEST-0002", "城市道路占用挖掘许可", "申请书（表）", NULL, false};
  Buf pp = {0};
  if (docs_form_pdf(&plain, &pp, &e)) fail_msg("%s %s", e.code, e.message_en);
  char *pt = pdf_text(f, &pp);
  expect_text(pt, "申请内容及理由");
  expect_text(pt, "申请人名称");
  free(pt);
  buf_free(&pp);
  /* a sheet without its item's name is a programming error, not a PDF */
  FormSheet bad = {0, "JP-TEST-0001", "", "申请书（表）", NULL, false};
  Buf pdf = {0};
  assert_int_equal(docs_form_pdf(&bad, &pdf, &e), -1);
  assert_string_equal(e.code, "docs.form_sheet");
  assert_int_equal(pdf.n, 0);
  json_decref(fields);
}

static void test_cert_pdf(void **state) {
  Fix *f = *state;
  Err e = {0};
  IssueJob j = {&f->clerk, {0}, ""};
  spec_company(&j.spec);
  j.spec.fields = json_pack("[[ss]]", "经营项目", "热食类食品制售");
  issue_ok(f, &j);
  json_decref(j.spec.fields);
  Buf pdf = {0};
  assert_int_equal(docs_cert_pdf(f->s, NULL, j.code, "https://zw.jinpu.example", &pdf, &e), 0);
  assert_true(pdf.n > 1000);
  assert_memory_equal(pdf.a, "%PDF-", 5);
  char *t = pdf_text(f, &pdf);
  expect_text(t, "食品经营许可证");
  expect_text(t, "大连金普测试餐饮有限公司");
  expect_text(t, j.spec.holder_party);
  expect_text(t, j.code);
  expect_text(t, "经营项目");
  expect_text(t, "热食类食品制售");
  expect_text(t, "2026年3月2日");
  expect_text(t, "2099年3月1日");
  expect_text(t, "扫码核验真伪");
  char url[128];
  snprintf(url, sizeof url, "https://zw.jinpu.example/verify/%s", j.code);
  expect_text(t, url);
  assert_null(strstr(t, "已撤销"));
  free(t);

  RevokeJob r = {&f->clerk, j.code, "许可证已注销"};
  assert_int_equal(store_write(f->s, revoke_job, &r, &e), 0);
  buf_reset(&pdf);
  assert_int_equal(docs_cert_pdf(f->s, NULL, j.code, "http://127.0.0.1:8080", &pdf, &e), 0);
  t = pdf_text(f, &pdf);
  expect_text(t, "本证照已撤销。撤销原因：许可证已注销");
  free(t);
  buf_free(&pdf);
  assert_int_equal(docs_cert_pdf(f->s, NULL, "23456789ABCDEFGHJKLM", "http://x", &pdf, &e), -1);
  assert_string_equal(e.code, "cert.not_found");
  buf_free(&pdf);
}

/* A notice of each kind, with what its text must say. */
static const struct {
  const char *kind, *title;
  bool lines, deadline, reason;
  const char *must; /* a phrase of the body */
} kinds[] = {
  {"accept", "受理通知书", false, false, false, "决定予以受理"},
  {"accept_rongque", "容缺受理通知书", true, true, false, "容缺受理"},
  {"correction", "补正告知书", true, true, false, "一次告知"},
  {"refuse", "不予受理决定书", false, false, true, "决定不予受理"},
  {"approve", "准予许可决定书", false, false, false, "决定准予行政许可"},
  {"deny", "不予许可决定书", false, false, true, "决定不予行政许可"},
  {"receipt", "办事回执", true, false, false, "请妥善保管本回执"},
};

static json_t *notice_data(size_t k) {
  json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kind", kinds[k].kind, "number",
                        "JP〔2026〕受字第000123号", "case_no", "JP2026031200017", "applicant",
                        "大连<b>金普</b>&测试餐饮有限公司", "item", "食品经营许可（新办）", "department",
                        "大连金普新区行政审批局", "date", "2026-11-29");
  if (kinds[k].lines)
    json_object_set_new(d, "lines", json_pack("[sss]", "食品安全管理制度文本", "从业人员健康证明（3 人）",
                                              "经营场所平面布局图"));
  if (kinds[k].deadline) json_object_set_new(d, "deadline", json_string("2026-12-04"));
  if (kinds[k].reason) json_object_set_new(d, "reason", json_string("申请事项不属于本机关职权范围"));
  return d;
}

static void test_notice_pdfs(void **state) {
  Fix *f = *state;
  Err e = {0};
  for (size_t k = 0; k < XQ_COUNT(kinds); k++) {
    eNotice n = docs_notice_parse(kinds[k].kind);
    assert_true(n != 0);
    assert_string_equal(docs_notice_name(n), kinds[k].kind);
    assert_string_equal(docs_notice_title(n), kinds[k].title);
    json_t *d = notice_data(k);
    Buf pdf = {0};
    if (docs_notice_pdf(d, &pdf, &e)) fail_msg("%s: %s %s", kinds[k].kind, e.code, e.field);
    assert_memory_equal(pdf.a, "%PDF-", 5);
    char *t = pdf_text(f, &pdf);
    expect_text(t, kinds[k].title);
    expect_text(t, "JP〔2026〕受字第000123号");
    expect_text(t, "JP2026031200017");
    /* the applicant's name printed as given: no markup interpreted */
    expect_text(t, "大连<b>金普</b>&测试餐饮有限公司");
    expect_text(t, "食品经营许可（新办）");
    expect_text(t, "大连金普新区行政审批局");
    expect_text(t, "2026年11月29日");
    expect_text(t, kinds[k].must);
    if (kinds[k].lines) {
      expect_text(t, "1. 食品安全管理制度文本");
      expect_text(t, "2. 从业人员健康证明（3 人）");
      expect_text(t, "3. 经营场所平面布局图");
    }
    if (kinds[k].deadline) expect_text(t, "2026年12月4日");
    if (kinds[k].reason) {
      expect_text(t, "申请事项不属于本机关职权范围");
      expect_text(t, "行政复议");
    }
    free(t);
    buf_free(&pdf);
    json_decref(d);
  }
  /* many materials flow onto a second page */
  json_t *d = notice_data(2);
  json_t *lines = json_array();
  for (int i = 0; i < 60; i++) json_array_append_new(lines, json_sprintf("第 %d 项材料：内容需补正", i + 1));
  json_object_set_new(d, "lines", lines);
  Buf pdf = {0};
  assert_int_equal(docs_notice_pdf(d, &pdf, &e), 0);
  char *t = pdf_text(f, &pdf);
  expect_text(t, "60. 第 60 项材料：内容需补正");
  expect_text(t, "第 2 页");
  free(t);
  buf_free(&pdf);
  json_decref(d);
}

static void test_notice_checks(void **state) {
  (void)state;
  Err e = {0};
  Buf pdf = {0};
  json_t *d = notice_data(2);
  json_object_del(d, "lines");
  assert_int_equal(docs_notice_pdf(d, &pdf, &e), -1);
  assert_string_equal(e.code, "notice.missing_field");
  assert_string_equal(e.field, "lines");
  json_decref(d);
  d = notice_data(3);
  json_object_del(d, "reason");
  assert_int_equal(docs_notice_pdf(d, &pdf, &e), -1);
  assert_string_equal(e.field, "reason");
  json_decref(d);
  d = notice_data(1);
  json_object_set_new(d, "deadline", json_string("2026-13-01"));
  assert_int_equal(docs_notice_pdf(d, &pdf, &e), -1);
  assert_string_equal(e.code, "notice.bad_date");
  json_decref(d);
  d = notice_data(0);
  json_object_set_new(d, "kind", json_string("permit"));
  assert_int_equal(docs_notice_pdf(d, &pdf, &e), -1);
  assert_string_equal(e.code, "notice.bad_kind");
  json_decref(d);
  assert_int_equal(pdf.n, 0);
  assert_int_equal(docs_notice_parse("nope"), 0);
}

/* ---- uploads --------------------------------------------------------------- */

static const char PDF_BYTES[] =
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
    "trailer<</Root 1 0 R>>\n%%EOF\n";

/* A 1×1 PNG (signature, IHDR, IDAT, IEND). */
static const unsigned char PNG_BYTES[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
    0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00,
    0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49,
    0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

/* The start of a JFIF JPEG (SOI, APP0). */
static const unsigned char JPEG_BYTES[] = {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46,
                                           0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
                                           0xff, 0xdb, 0x00, 0x43, 0x00, 0x08, 0xff, 0xd9};

static void put16(Buf *b, unsigned v) {
  unsigned char x[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
  buf_append(b, x, 2);
}
static void put32(Buf *b, uint32_t v) {
  unsigned char x[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                        (unsigned char)(v >> 24)};
  buf_append(b, x, 4);
}

/* make_zip() writes a ZIP of stored (uncompressed) entries names[i] with
** contents bodies[i], as the ZIP format specifies (APPNOTE 4.3). */
static void make_zip(Buf *z, const char *const *names, const char *const *bodies, int n) {
  uint32_t off[8];
  Buf cd = {0};
  for (int i = 0; i < n; i++) {
    uint32_t crc = (uint32_t)crc32(0, (const Bytef *)bodies[i], (uInt)strlen(bodies[i]));
    uint32_t len = (uint32_t)strlen(bodies[i]);
    off[i] = (uint32_t)z->n;
    put32(z, 0x04034b50); put16(z, 20); put16(z, 0); put16(z, 0); put16(z, 0); put16(z, 0x21);
    put32(z, crc); put32(z, len); put32(z, len); put16(z, (unsigned)strlen(names[i])); put16(z, 0);
    buf_puts(z, names[i]);
    buf_puts(z, bodies[i]);
    put32(&cd, 0x02014b50); put16(&cd, 20); put16(&cd, 20); put16(&cd, 0); put16(&cd, 0);
    put16(&cd, 0); put16(&cd, 0x21); put32(&cd, crc); put32(&cd, len); put32(&cd, len);
    put16(&cd, (unsigned)strlen(names[i])); put16(&cd, 0); put16(&cd, 0); put16(&cd, 0);
    put16(&cd, 0); put32(&cd, 0); put32(&cd, off[i]);
    buf_puts(&cd, names[i]);
  }
  uint32_t cd_off = (uint32_t)z->n;
  buf_append(z, cd.a, cd.n);
  put32(z, 0x06054b50); put16(z, 0); put16(z, 0); put16(z, (unsigned)n); put16(z, (unsigned)n);
  put32(z, (uint32_t)cd.n); put32(z, cd_off); put16(z, 0);
  buf_free(&cd);
}

static void put_ok(Fix *f, const User *u, const void *p, size_t n, const char *mime, BlobInfo *b) {
  Err e = {0};
  if (docs_blob_put(f->s, u, p, n, b, &e)) fail_msg("put %s: %s (%s)", mime, e.code, e.message_en);
  assert_string_equal(b->mime, mime);
  assert_int_equal(b->size, n);
  char sha[65];
  crypto_sha256_hex(p, n, sha);
  assert_string_equal(b->sha256, sha);
}

static void put_bad(Fix *f, const void *p, size_t n, const char *code) {
  Err e = {0};
  BlobInfo b;
  assert_int_equal(docs_blob_put(f->s, &f->ent, p, n, &b, &e), -1);
  assert_string_equal(e.code, code);
  assert_int_equal(e.kind, E_INVALID);
}

static void test_uploads(void **state) {
  Fix *f = *state;
  Err e = {0};
  BlobInfo b, again;
  put_ok(f, &f->ent, PDF_BYTES, sizeof PDF_BYTES - 1, "application/pdf", &b);
  assert_int_equal(b.owner_id, f->ent.id);
  put_ok(f, &f->ent, PNG_BYTES, sizeof PNG_BYTES, "image/png", &b);
  put_ok(f, &f->ent, JPEG_BYTES, sizeof JPEG_BYTES, "image/jpeg", &b);

  /* OFD: a ZIP with OFD.xml at its root — also when it is not the first entry */
  const char *names[] = {"Doc_0/Document.xml", "OFD.xml"};
  const char *bodies[] = {"<ofd:Document xmlns:ofd=\"http://www.ofdspec.org/2016\"/>",
                          "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\" Version=\"1.0\"/>"};
  Buf z = {0};
  make_zip(&z, names, bodies, 2);
  put_ok(f, &f->ent, z.a, z.n, "application/ofd", &b);
  /* the same ZIP with a damaged central directory offset: refused, no crash */
  z.a[z.n - 6] = (char)0x7f;
  put_bad(f, z.a, z.n, "upload.bad_type");
  buf_free(&z);
  /* a ZIP without OFD.xml at its root (only deeper) is a plain ZIP: refused */
  const char *names2[] = {"Doc_0/OFD.xml", "readme.txt"};
  make_zip(&z, names2, bodies, 2);
  put_bad(f, z.a, z.n, "upload.bad_type");
  buf_free(&z);

  put_bad(f, "申请书\n这是一个文本文件。\n", strlen("申请书\n这是一个文本文件。\n"), "upload.bad_type");
  put_bad(f, "", 0, "upload.empty");
  put_bad(f, NULL, 0, "upload.empty");
  unsigned char *big = xcalloc(1, DOCS_MAX_UPLOAD + 1);
  memcpy(big, PDF_BYTES, sizeof PDF_BYTES - 1);
  put_bad(f, big, DOCS_MAX_UPLOAD + 1, "upload.too_large");
  free(big);

  /* one copy per content; every reader recorded */
  int64_t before = count(f->s, "SELECT COUNT(*) FROM blob");
  put_ok(f, &f->ent, PDF_BYTES, sizeof PDF_BYTES - 1, "application/pdf", &b);
  put_ok(f, &f->clerk, PDF_BYTES, sizeof PDF_BYTES - 1, "application/pdf", &again);
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM blob"), before);
  assert_int_equal(again.owner_id, f->ent.id); /* the first uploader */
  assert_true(docs_blob_readable(store_reader(f->s), b.sha256, f->ent.id));
  assert_true(docs_blob_readable(store_reader(f->s), b.sha256, f->clerk.id));
  assert_false(docs_blob_readable(store_reader(f->s), b.sha256, f->other.id));
  assert_false(docs_blob_readable(store_reader(f->s), "nothex", f->ent.id));
  assert_int_equal(count(f->s, "SELECT COUNT(*) FROM audit_event WHERE action = 'upload.put'"), 6);

  /* the bytes come back as they went in */
  Buf data = {0};
  BlobInfo info;
  assert_int_equal(docs_blob_get(f->s, b.sha256, &info, &data, &e), 0);
  assert_string_equal(info.mime, "application/pdf");
  assert_int_equal(data.n, sizeof PDF_BYTES - 1);
  assert_memory_equal(data.a, PDF_BYTES, data.n);
  buf_free(&data);
  put_ok(f, &f->ent, PNG_BYTES, sizeof PNG_BYTES, "image/png", &b);
  assert_int_equal(docs_blob_get(f->s, b.sha256, &info, &data, &e), 0);
  assert_int_equal(data.n, sizeof PNG_BYTES);
  assert_memory_equal(data.a, PNG_BYTES, sizeof PNG_BYTES); /* NUL bytes included */
  buf_free(&data);
  assert_int_equal(docs_blob_get(f->s, "0000000000000000000000000000000000000000000000000000000000000000",
                                 &info, NULL, &e), -1);
  assert_string_equal(e.code, "upload.not_found");
  assert_int_equal(docs_blob_get(f->s, "../etc/passwd", &info, NULL, &e), -1);
  assert_string_equal(e.code, "upload.not_found");
}

typedef struct GrantJob {
  const char *sha;
  int64_t id;
} GrantJob;

static int grant_job(Db *db, void *arg, Err *e) {
  GrantJob *g = arg;
  return docs_blob_grant(db, g->sha, g->id, e);
}

static void test_grant(void **state) {
  Fix *f = *state;
  Err e = {0};
  BlobInfo b;
  put_ok(f, &f->ent, JPEG_BYTES, sizeof JPEG_BYTES, "image/jpeg", &b);
  assert_false(docs_blob_readable(store_reader(f->s), b.sha256, f->other.id));
  GrantJob g = {b.sha256, f->other.id};
  assert_int_equal(store_write(f->s, grant_job, &g, &e), 0);
  assert_int_equal(store_write(f->s, grant_job, &g, &e), 0); /* twice is harmless */
  assert_true(docs_blob_readable(store_reader(f->s), b.sha256, f->other.id));
}

/* Leak checking in the sanitizer build (these hooks do nothing otherwise).
** Cairo 1.16 loses a few small arrays in every PDF with text that it
** finishes — inside cairo_surface_finish(), whatever the caller does (also
** seen by others, e.g. plutoprint/plutobook#1) — so that one function is
** excused; so is fontconfig's reading of its configuration files (once
** per process, through expat's XML_ParseBuffer), which only FcFini() would
** free, and xinqu does not link fontconfig itself. Naming it needs whole stacks: cairo has no frame pointers, so
** the fast unwinder would stop inside it; hence the slow one. Everything
** the documents module itself allocates stays checked, and docs_shutdown()
** releases the font map and caches it keeps for the process. */
const char *__asan_default_options(void) { return "fast_unwind_on_malloc=0"; }
const char *__lsan_default_suppressions(void) { return "leak:cairo_surface_finish\nleak:XML_ParseBuffer\n"; }

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_key, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cert_issue_verify, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cert_masking, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cert_tamper, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cert_revoke_expire, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cert_checks, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cert_pdf, setup, teardown),
      cmocka_unit_test_setup_teardown(test_form_pdf, setup, teardown),
      cmocka_unit_test_setup_teardown(test_notice_pdfs, setup, teardown),
      cmocka_unit_test_setup_teardown(test_notice_checks, setup, teardown),
      cmocka_unit_test_setup_teardown(test_uploads, setup, teardown),
      cmocka_unit_test_setup_teardown(test_grant, setup, teardown),
  };
  crypto_init();
  log_quiet(true);
  int failed = cmocka_run_group_tests_name("docs", tests, NULL, NULL);
  docs_shutdown();
  return failed;
}
