/*
** accounts.c — users, roles, login with throttling, sessions and API tokens
** (see accounts.h). Tokens are 32 random bytes shown once as hex; the
** database keeps only their SHA-256, so a stolen database opens no session.
*/
#include "accounts.h"
#include "audit.h"
#include "../base/buf.h"
#include "../base/codes.h"
#include "../base/crypto.h"
#include "../base/csv.h"
#include "pack.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *embedded_get(const char *name, size_t *n);

/* The server is a demonstration (accounts_demo_mode()): the demo pack's
** published password may then be used without changing it. */
static bool demo_mode;

void accounts_demo_mode(bool on) { demo_mode = on; }

static const struct {
  unsigned role;
  const char *name;
  const char *label;
} roles[] = {
    {ROLE_APPLICANT, "applicant", "申请人"}, {ROLE_CLERK, "clerk", "窗口人员"},
    {ROLE_APPROVER, "approver", "审批人员"}, {ROLE_POLICY, "policy", "政策专员"},
    {ROLE_INVEST, "invest", "招商专员"},     {ROLE_LEADER, "leader", "领导"},
    {ROLE_AUDITOR, "auditor", "审计员"},     {ROLE_ADMIN, "admin", "管理员"},
};

const char *accounts_role_name(unsigned role) {
  for (size_t i = 0; i < XQ_COUNT(roles); i++)
    if (roles[i].role == role) return roles[i].name;
  return "";
}

const char *accounts_role_label(unsigned role) {
  for (size_t i = 0; i < XQ_COUNT(roles); i++)
    if (roles[i].role == role) return roles[i].label;
  return "";
}

unsigned accounts_role_parse(const char *name) {
  for (size_t i = 0; i < XQ_COUNT(roles); i++)
    if (strcmp(roles[i].name, name) == 0) return roles[i].role;
  return 0;
}

json_t *accounts_to_json(const User *u) {
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:b}", "id", (json_int_t)u->id, "username",
                   u->username, "display", u->display, "role", accounts_role_name(u->role),
                   "role_label", accounts_role_label(u->role), "dept_id", (json_int_t)u->dept_id,
                   "party", u->party, "must_change_password", u->must_change);
}

/* must_change() reads account.must_change: 'issued' always counts, the
** demo pack's published password ('demo') only outside demo mode. */
static bool must_change(const char *v) {
  return strcmp(v, "issued") == 0 || (strcmp(v, "demo") == 0 && !demo_mode);
}

/* The account columns read_user() expects first, with a as the account. */
#define USER_COLS                                                                           \
  "a.id, a.username, a.display, a.role, COALESCE(a.dept_id,0), COALESCE(a.party,''),"      \
  " COALESCE(a.must_change,'')"
#define USER_NCOLS 7

static void read_user(Stmt *st, User *u) {
  memset(u, 0, sizeof *u);
  u->id = stmt_int(st, 0);
  snprintf(u->username, sizeof u->username, "%s", stmt_text(st, 1));
  snprintf(u->display, sizeof u->display, "%s", stmt_text(st, 2));
  u->role = accounts_role_parse(stmt_text(st, 3));
  u->dept_id = stmt_int(st, 4);
  snprintf(u->party, sizeof u->party, "%s", stmt_text(st, 5));
  u->must_change = must_change(stmt_text(st, 6));
}

/* The password policy ------------------------------------------------------- */

/* The common passwords of data/passwords/common.txt ('#' lines are
** comments), sorted, loaded at the first check and kept. */
static const char **aCommon;
static size_t nCommon;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void load_common(void) {
  size_t n, cap = 0;
  const char *text = embedded_get("passwords/common.txt", &n);
  if (!text) panic("data/passwords/common.txt is not embedded");
  char *copy = xmalloc(n + 1);
  memcpy(copy, text, n);
  copy[n] = 0;
  for (size_t i = 0; i < n; i++) cap += copy[i] == '\n';
  aCommon = xmalloc((cap + 1) * sizeof *aCommon);
  for (char *line = copy, *end; *line; line = end) {
    end = line + strcspn(line, "\n");
    if (*end) *end++ = 0;
    if (*line && *line != '#') aCommon[nCommon++] = line;
  }
  qsort(aCommon, nCommon, sizeof *aCommon, cmp_str);
}

static bool common_has(const char *w) {
  return *w && bsearch(&w, aCommon, nCommon, sizeof *aCommon, cmp_str) != NULL;
}

/* unleet() undoes the usual letter substitutions in place: symbols only
** (@ $ ! | +), or digits too (0 1 3 4 5 7). */
static void unleet(char *s, bool digits) {
  static const char from[] = "@$!|+013457", to[] = "asiitoieast";
  for (; *s; s++) {
    const char *f = strchr(from, *s);
    if (f && (digits || f - from < 5)) *s = to[f - from];
  }
}

/* strip_ends() removes leading and trailing ASCII digits and symbols. */
static void strip_ends(char *s) {
  size_t n = strlen(s), i = 0;
  while (n > 0 && (unsigned char)s[n - 1] < 0x80 && !isalpha((unsigned char)s[n - 1])) n--;
  while (i < n && (unsigned char)s[i] < 0x80 && !isalpha((unsigned char)s[i])) i++;
  memmove(s, s + i, n - i);
  s[n - i] = 0;
}

/* is_common() is true when password, or its core (see accounts.h), is a
** common password. */
static bool is_common(const char *password) {
  char low[520], v[520];
  size_t n = strlen(password);
  if (n >= sizeof low) n = sizeof low - 1;
  for (size_t i = 0; i < n; i++) low[i] = (char)tolower((unsigned char)password[i]);
  low[n] = 0;
  pthread_once(&common_once, load_common);
  if (common_has(low)) return true;
  memcpy(v, low, n + 1);
  strip_ends(v);
  if (common_has(v)) return true;
  memcpy(v, low, n + 1);
  unleet(v, false); /* "p@ssword!" */
  if (common_has(v)) return true;
  strip_ends(v);
  if (common_has(v)) return true;
  unleet(v, true); /* "p@ssw0rd2026" → "p@ssw0rd" → "password" */
  return common_has(v);
}

int accounts_password_check(unsigned role, const char *username, const char *password,
                            const char *field, Err *e) {
  size_t n = utf8_valid(password, strlen(password)) ? utf8_len(password) : 0;
  bool official = role != ROLE_APPLICANT;
  size_t min = official ? 12 : 8;
  if (n < min || n > 128)
    return official ? err_set(e, E_INVALID, "password.weak", field,
                              "工作人员账号的密码应为 12–128 个字符",
                              "An official's password must be 12–128 characters")
                    : err_set(e, E_INVALID, "password.weak", field, "密码应为 8–128 个字符",
                              "The password must be 8–128 characters");
  if (official) {
    bool lower = false, upper = false, digit = false, other = false;
    for (const unsigned char *p = (const unsigned char *)password; *p; p++) {
      if (*p >= 'a' && *p <= 'z') lower = true;
      else if (*p >= 'A' && *p <= 'Z') upper = true;
      else if (*p >= '0' && *p <= '9') digit = true;
      else other = true;
    }
    if (lower + upper + digit + other < 3)
      return err_set(e, E_INVALID, "password.weak", field,
                     "工作人员账号的密码须含小写字母、大写字母、数字、其他符号中的至少三类",
                     "An official's password needs three of: lower case, upper case, digits, other signs");
  }
  if (username && strlen(username) >= 3) {
    char low[520];
    size_t k = strlen(password);
    if (k >= sizeof low) k = sizeof low - 1;
    for (size_t i = 0; i < k; i++) low[i] = (char)tolower((unsigned char)password[i]);
    low[k] = 0;
    if (strstr(low, username))
      return err_set(e, E_INVALID, "password.weak", field, "密码不能包含用户名",
                     "The password must not contain the username");
  }
  if (is_common(password))
    return err_set(e, E_INVALID, "password.weak", field, "密码过于常见，容易被猜中，请换一个",
                   "The password is too common and easily guessed; choose another");
  return 0;
}

int accounts_user_get(Db *db, const char *username, User *u, Err *e) {
  Stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM account a WHERE a.username = ? AND a.disabled = 0", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, username);
  int found = stmt_step(st, e);
  if (found == 1) read_user(st, u);
  stmt_done(st);
  if (found < 0) return -1;
  if (!found)
    return err_setf(e, E_NOTFOUND, "user.not_found", "username", "没有这个账号：%s", "No account %s", username);
  return 0;
}

int accounts_user_get_id(Db *db, int64_t id, User *u, Err *e) {
  Stmt *st = db_prepare(db, "SELECT " USER_COLS " FROM account a WHERE a.id = ? AND a.disabled = 0", e);
  if (!st) return -1;
  stmt_bind_int(st, 1, id);
  int found = stmt_step(st, e);
  if (found == 1) read_user(st, u);
  stmt_done(st);
  return found < 0 ? -1 : found;
}

static void hash_token(const char *token, char out[65]) {
  crypto_sha256_hex(token, strlen(token), out);
}

/* Creating accounts ------------------------------------------------------- */

typedef struct CreateJob {
  const User *actor;
  const NewUser *nu;
  const char *hash;
  ePassword how;
  int64_t id;
} CreateJob;

static int create_job(Db *db, void *arg, Err *e) {
  CreateJob *j = arg;
  int64_t dept = 0;
  Stmt *st;
  if (j->nu->dept_code[0]) {
    st = db_prepare(db, "SELECT id FROM department WHERE code = ?", e);
    if (!st) return -1;
    stmt_bind_text(st, 1, j->nu->dept_code);
    int rc = stmt_step(st, e);
    if (rc == 1) dept = stmt_int(st, 0);
    stmt_done(st);
    if (rc < 0) return -1;
    if (rc == 0)
      return err_setf(e, E_INVALID, "user.bad_dept", "dept_code", "没有这个部门：%s",
                      "No such department: %s", j->nu->dept_code);
  }
  st = db_prepare(db,
                  "INSERT INTO account(username, display, role, dept_id, party, password_hash, created_at,"
                  " must_change) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
                  e);
  if (!st) return -1;
  stmt_bind_text(st, 1, j->nu->username);
  stmt_bind_text(st, 2, j->nu->display[0] ? j->nu->display : j->nu->username);
  stmt_bind_text(st, 3, j->nu->role);
  if (dept) stmt_bind_int(st, 4, dept);
  else stmt_bind_null(st, 4);
  stmt_bind_text(st, 5, j->nu->party[0] ? j->nu->party : NULL);
  stmt_bind_text(st, 6, j->hash);
  stmt_bind_int(st, 7, now_ms());
  stmt_bind_text(st, 8, j->how == PASSWORD_ISSUED ? "issued" : NULL);
  int rc = stmt_step(st, e);
  if (rc == 1) j->id = stmt_int(st, 0);
  stmt_done(st);
  if (rc < 0) {
    if (strcmp(e->code, "db.unique") == 0)
      err_setf(e, E_CONFLICT, "user.exists", "username", "用户名已存在：%s",
               "Username already exists: %s", j->nu->username);
    return -1;
  }
  json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "username", j->nu->username, "role", j->nu->role,
                        "dept_code", j->nu->dept_code, "party", j->nu->party);
  char obj[48];
  snprintf(obj, sizeof obj, "account:%lld", (long long)j->id);
  rc = audit_append(db, j->actor, "account.create", obj, d, e);
  json_decref(d);
  return rc;
}

static bool username_ok(const char *s) {
  size_t n = strlen(s);
  if (n < 2 || n > 32) return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
      return false;
  }
  return true;
}

int accounts_create(Store *s, const User *actor, const NewUser *nu, const char *password,
                    ePassword how, int64_t *id, Err *e) {
  char hash[128], reason[160], norm[19];
  unsigned role = accounts_role_parse(nu->role);
  if (!username_ok(nu->username))
    return err_set(e, E_INVALID, "user.bad_name", "username",
                   "用户名应为 2–32 位小写字母、数字或 _ . -",
                   "Username must be 2–32 of a–z, 0–9, _ . -");
  if (!role)
    return err_setf(e, E_INVALID, "user.bad_role", "role",
                    "没有这个角色：%s（可选 applicant clerk approver policy invest leader auditor admin）",
                    "No such role: %s (one of applicant clerk approver policy invest leader auditor admin)",
                    nu->role);
  if (!utf8_valid(nu->display, strlen(nu->display)) || utf8_len(nu->display) > 40)
    return err_set(e, E_INVALID, "user.bad_display", "display", "显示名称最多 40 个字符",
                   "The display name must be at most 40 characters");
  if (how != PASSWORD_DEMO && accounts_password_check(role, nu->username, password, "password", e))
    return -1;
  if (role == ROLE_APPLICANT) {
    if (!nu->party[0])
      return err_set(e, E_INVALID, "user.bad_party", "party",
                     "申请人账号须绑定主体（统一社会信用代码或身份证号）",
                     "An applicant account must be bound to a party (USCC or ID number)");
    if (codes_uscc_check(nu->party, reason, sizeof reason) != 0 &&
        codes_id_check(nu->party, norm, reason, sizeof reason) != 0)
      return err_setf(e, E_INVALID, "user.bad_party", "party",
                      "主体代码无效：%s", "The party code is invalid: %s", nu->party);
  } else if (nu->party[0]) {
    return err_set(e, E_INVALID, "user.bad_party", "party", "只有申请人账号可以绑定主体",
                   "Only applicant accounts are bound to a party");
  }
  if (crypto_password_hash(password, hash) != 0)
    return err_set(e, E_INTERNAL, "user.hash", NULL, "密码处理失败", "Could not hash the password");
  CreateJob j = {actor, nu, hash, how, 0};
  if (store_write(s, create_job, &j, e) != 0) return -1;
  if (id) *id = j.id;
  return 0;
}

json_t *accounts_list(Store *s, Err *e) {
  Db *db = store_reader(s);
  Stmt *st = db_prepare(db,
                        "SELECT a.id, a.username, a.display, a.role, COALESCE(d.code,''),"
                        " COALESCE(d.name,''), COALESCE(a.party,''), a.disabled, a.created_at,"
                        " COALESCE(a.must_change,'')"
                        " FROM account a LEFT JOIN department d ON d.id = a.dept_id ORDER BY a.id",
                        e);
  if (!st) return NULL;
  json_t *arr = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    char iso[32];
    unsigned role = accounts_role_parse(stmt_text(st, 3));
    json_array_append_new(
        arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:b}", "id",
                       (json_int_t)stmt_int(st, 0), "username", stmt_text(st, 1), "display",
                       stmt_text(st, 2), "role", stmt_text(st, 3), "role_label",
                       accounts_role_label(role), "dept_code", stmt_text(st, 4), "dept_name",
                       stmt_text(st, 5), "party", stmt_text(st, 6), "disabled",
                       (int)stmt_int(st, 7), "created_at", time_iso(stmt_int(st, 8), iso),
                       "must_change_password", must_change(stmt_text(st, 9))));
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}

/* Login -------------------------------------------------------------------- */

/* wait_ms() is how long key must still wait before its next attempt at
** now (0: it may try), from its failures since `since` (accounts.h), or -1
** with *e on a database error. */
static int64_t wait_ms(Db *db, const char *key, int64_t free, int64_t since, int64_t now, Err *e) {
  Stmt *st = db_prepare(db, "SELECT COUNT(*), COALESCE(MAX(at), 0) FROM login_failure WHERE key = ? AND at > ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, key);
  stmt_bind_int(st, 2, since);
  int rc = stmt_step(st, e);
  int64_t n = rc == 1 ? stmt_int(st, 0) : 0, last = rc == 1 ? stmt_int(st, 1) : 0;
  stmt_done(st);
  if (rc != 1) return rc < 0 ? -1 : 0;
  if (n < free) return 0;
  int64_t delay = ACCOUNTS_DELAY_FIRST_MS;
  for (int64_t k = free; k < n && delay < ACCOUNTS_DELAY_MAX_MS; k++) delay *= 2;
  if (delay > ACCOUNTS_DELAY_MAX_MS) delay = ACCOUNTS_DELAY_MAX_MS;
  return last + delay > now ? last + delay - now : 0;
}

/* A password check (a login, or a change of password) is two write jobs
** around the slow argon2id verification. The first, in the writer and so
** serialised with every other check, refuses an attempt that comes before
** the account's or the address's delay is over and otherwise records the
** attempt as a failure in advance: parallel guesses therefore count
** against each other. The second is the caller's on success (it calls
** attempt_clear()); on failure the failure stays, with its audit event. */
typedef struct Attempt {
  enum { ATTEMPT_RESERVE, ATTEMPT_FAILED } step;
  const char *username, *ip; /* as given */
  char ukey[96], ipkey[80];  /* 'u:NAME' and 'ip:ADDR' */
  int64_t reserved;          /* id of the address's reserved failure row */
  int64_t wait_ms;           /* ATTEMPT_RESERVE: > 0 when throttled */
} Attempt;

static int64_t insert_failure(Db *db, const char *key, int64_t at, Err *e) {
  Stmt *st = db_prepare(db, "INSERT INTO login_failure(key, at) VALUES (?,?) RETURNING id", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, key);
  stmt_bind_int(st, 2, at);
  int64_t id = stmt_step(st, e) == 1 ? stmt_int(st, 0) : -1;
  stmt_done(st);
  return id;
}

static int attempt_job(Db *db, void *arg, Err *e) {
  Attempt *a = arg;
  int64_t now = now_ms(), since = now - ACCOUNTS_FAIL_WINDOW_MS;
  json_t *d = json_pack("{s:s}", "ip", a->ip);
  char obj[96];
  int rc = -1;
  snprintf(obj, sizeof obj, "username:%s", a->username);
  if (a->step == ATTEMPT_FAILED) {
    rc = audit_append(db, NULL, "session.login_failed", obj, d, e);
    goto out;
  }
  int64_t wu = wait_ms(db, a->ukey, ACCOUNTS_FREE_FAIL_USER, since, now, e);
  int64_t wi = wu < 0 ? -1 : wait_ms(db, a->ipkey, ACCOUNTS_FREE_FAIL_IP, since, now, e);
  if (wi < 0) goto out;
  a->wait_ms = wu > wi ? wu : wi;
  if (a->wait_ms > 0) {
    rc = 0; /* nothing written: a refused attempt does not lengthen the delay */
    goto out;
  }
  if (insert_failure(db, a->ukey, now, e) < 0 || (a->reserved = insert_failure(db, a->ipkey, now, e)) < 0)
    goto out;
  rc = audit_append(db, NULL, "session.login_attempt", obj, d, e);
out:
  json_decref(d);
  return rc;
}

/* attempt_begin() starts a password check of username from ip: 0 to go on
** and verify, -1 with *e when throttled (auth.throttled, Retry-After) or
** on a database error. */
static int attempt_begin(Store *s, Attempt *a, const char *username, const char *ip, Err *e) {
  memset(a, 0, sizeof *a);
  a->username = username;
  a->ip = ip;
  snprintf(a->ukey, sizeof a->ukey, "u:%.80s", username);
  snprintf(a->ipkey, sizeof a->ipkey, "ip:%.60s", ip);
  if (store_write(s, attempt_job, a, e) != 0) return -1;
  if (a->wait_ms > 0) {
    err_set(e, E_LIMIT, "auth.throttled", NULL, "登录失败次数过多，请稍后再试",
            "Too many failed logins; try again later");
    e->retry_after = (int)((a->wait_ms + 999) / 1000);
    return -1;
  }
  return 0;
}

/* attempt_failed() leaves the reserved failure and audits it. */
static int attempt_failed(Store *s, Attempt *a, Err *e) {
  a->step = ATTEMPT_FAILED;
  return store_write(s, attempt_job, a, e);
}

/* attempt_clear() runs in the caller's job after a good password: the
** account's failures (this attempt's included), the address's reservation
** and failures past the window go. */
static int attempt_clear(Db *db, const Attempt *a, Err *e) {
  return db_run(db, e, "DELETE FROM login_failure WHERE key = ? OR id = ? OR at < ?", "tii", a->ukey,
                a->reserved, now_ms() - ACCOUNTS_FAIL_WINDOW_MS) < 0 ? -1 : 0;
}

/* A valid argon2id string used to spend the same time on unknown users. */
static char dummy_hash[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void) {
  if (crypto_password_hash("not a password of anyone", dummy_hash) != 0) panic("argon2id failed");
}

/* attempt_verify() reads the account username (id 0: by name) and checks
** password against its hash, or against a dummy one when there is no such
** account, so both take the same time. Sets *u and *disabled. Returns 1
** when the password is right, 0 when not (or no account), -1 with *e. */
static int attempt_verify(Store *s, const char *username, int64_t id, const char *password, User *u,
                          bool *disabled, Err *e) {
  char stored[128] = "";
  memset(u, 0, sizeof *u);
  *disabled = false;
  Stmt *st = db_prepare(store_reader(s),
                        id ? "SELECT " USER_COLS ", a.password_hash, a.disabled FROM account a WHERE a.id = ?"
                           : "SELECT " USER_COLS ", a.password_hash, a.disabled FROM account a WHERE a.username = ?",
                        e);
  if (!st) return -1;
  if (id) stmt_bind_int(st, 1, id);
  else stmt_bind_text(st, 1, username);
  int found = stmt_step(st, e);
  if (found == 1) {
    read_user(st, u);
    snprintf(stored, sizeof stored, "%s", stmt_text(st, USER_NCOLS));
    *disabled = stmt_int(st, USER_NCOLS + 1) != 0;
  }
  stmt_done(st);
  if (found < 0) return -1;
  pthread_once(&dummy_once, make_dummy_hash);
  bool ok = crypto_password_verify(found == 1 ? stored : dummy_hash, password) && found == 1;
  explicit_bzero(stored, sizeof stored);
  return ok;
}

/* LoginJob turns a good attempt into a session. */
typedef struct LoginJob {
  const Attempt *a;
  const User *u;    /* the account */
  bool published;   /* logged in with the demo pack's published password */
  char token_hash[65];
  char csrf[65];
} LoginJob;

static int login_job(Db *db, void *arg, Err *e) {
  LoginJob *j = arg;
  int64_t now = now_ms();
  char obj[48];
  if (attempt_clear(db, j->a, e) < 0 ||
      db_run(db, e, "DELETE FROM session WHERE expires_at < ?", "i", now) < 0 ||
      db_run(db, e,
             "INSERT INTO session(token_hash, account_id, csrf, kind, created_at, expires_at)"
             " VALUES (?,?,?,'cookie',?,?)",
             "titii", j->token_hash, j->u->id, j->csrf, now, now + ACCOUNTS_SESSION_MS) < 0)
    return -1;
  /* Whoever holds the published password must change it (outside demo mode). */
  if (j->published &&
      db_run(db, e, "UPDATE account SET must_change = 'demo' WHERE id = ? AND must_change IS NULL", "i",
             j->u->id) < 0)
    return -1;
  snprintf(obj, sizeof obj, "account:%lld", (long long)j->u->id);
  json_t *d = json_pack("{s:s}", "ip", j->a->ip);
  int rc = audit_append(db, j->u, "session.login", obj, d, e);
  json_decref(d);
  return rc;
}

int accounts_person_username(Store *s, const char *id_number, char *out, size_t cap, Err *e) {
  Stmt *st = db_prepare(store_reader(s),
                        "SELECT username FROM account WHERE party = ? AND role = 'applicant'"
                        " AND disabled = 0 ORDER BY id LIMIT 2",
                        e);
  if (!st) return -1;
  stmt_bind_text(st, 1, id_number);
  int n = 0, rc;
  while ((rc = stmt_step(st, e)) == 1)
    if (n++ == 0) snprintf(out, cap, "%s", stmt_text(st, 0));
  stmt_done(st);
  if (rc < 0) return -1;
  if (n != 1) out[0] = 0;
  return n == 1;
}

int accounts_login(Store *s, const char *username, const char *password, const char *ip,
                   User *u, char token[65], char csrf[65], Err *e) {
  Attempt a;
  bool disabled;
  if (attempt_begin(s, &a, username, ip, e)) return -1;
  int ok = attempt_verify(s, username, 0, password, u, &disabled, e);
  if (ok < 0) return -1;
  if (!ok || disabled) {
    if (attempt_failed(s, &a, e) != 0) return -1;
    memset(u, 0, sizeof *u);
    if (ok) /* the right password: only its holder learns the account is disabled */
      return err_set(e, E_FORBIDDEN, "auth.disabled", NULL, "该账号已停用，请联系管理员",
                     "This account is disabled; ask an administrator");
    return err_set(e, E_AUTH, "auth.bad_credentials", NULL, "用户名或密码错误",
                   "Wrong username or password");
  }
  LoginJob j = {.a = &a, .u = u, .published = strcmp(password, PACK_DEMO_PASSWORD) == 0};
  crypto_token_hex(token, 32);
  crypto_token_hex(csrf, 32);
  hash_token(token, j.token_hash);
  memcpy(j.csrf, csrf, 65);
  if (store_write(s, login_job, &j, e) != 0) return -1;
  if (j.published && !demo_mode) u->must_change = true;
  return 0;
}

/* Passwords and accounts, by their holder and by administrators ------------- */

typedef struct PasswordJob {
  const User *actor;     /* who acts: the holder, an administrator, NULL (console) */
  const char *username;  /* the account (accounts_password_set) … */
  int64_t id;            /* … or its id (accounts_password_change) */
  const char *hash;      /* the new argon2id string */
  ePassword how;
  const Attempt *a;      /* the holder's checked attempt, or NULL */
  char keep_hash[65];    /* the session that stays (the holder's), or "" */
} PasswordJob;

/* account_id() finds the account username: 1 and *id, 0 (user.not_found
** set in *e), or -1. */
static int account_id(Db *db, const char *username, int64_t *id, Err *e) {
  Stmt *st = db_prepare(db, "SELECT id FROM account WHERE username = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, username);
  int rc = stmt_step(st, e);
  if (rc == 1) *id = stmt_int(st, 0);
  stmt_done(st);
  if (rc == 0)
    err_setf(e, E_NOTFOUND, "user.not_found", "username", "没有这个账号：%s", "No such account: %s",
             username);
  return rc;
}

static int password_job(Db *db, void *arg, Err *e) {
  PasswordJob *j = arg;
  char obj[48], ukey[96];
  if (!j->id && account_id(db, j->username, &j->id, e) != 1) return -1;
  if (db_run(db, e, "UPDATE account SET password_hash = ?, must_change = ? WHERE id = ?", "tti", j->hash,
             j->how == PASSWORD_ISSUED ? "issued" : NULL, j->id) < 0)
    return -1;
  /* The holder keeps this session and their API tokens; a password set by
  ** someone else ends every way in, and the account's failures go. */
  if (j->a) {
    if (attempt_clear(db, j->a, e) < 0 ||
        db_run(db, e, "DELETE FROM session WHERE account_id = ? AND kind = 'cookie' AND token_hash <> ?", "it",
               j->id, j->keep_hash) < 0)
      return -1;
  } else {
    snprintf(ukey, sizeof ukey, "u:%.80s", j->username);
    if (db_run(db, e, "DELETE FROM session WHERE account_id = ?", "i", j->id) < 0 ||
        db_run(db, e, "DELETE FROM login_failure WHERE key = ?", "t", ukey) < 0)
      return -1;
  }
  snprintf(obj, sizeof obj, "account:%lld", (long long)j->id);
  json_t *d = json_pack("{s:b}", "must_change", j->how == PASSWORD_ISSUED);
  int rc = audit_append(db, j->actor, j->a ? "account.password_change" : "account.password_set", obj, d, e);
  json_decref(d);
  return rc;
}

int accounts_password_change(Store *s, const User *u, const char *current, const char *new_password,
                             const char *ip, const char *keep_token, Err *e) {
  char hash[128];
  Attempt a;
  User holder;
  bool disabled;
  if (accounts_password_check(u->role, u->username, new_password, "new", e)) return -1;
  if (strcmp(current, new_password) == 0)
    return err_set(e, E_INVALID, "password.weak", "new", "新密码不能与当前密码相同",
                   "The new password must differ from the current one");
  if (attempt_begin(s, &a, u->username, ip, e)) return -1;
  int ok = attempt_verify(s, NULL, u->id, current, &holder, &disabled, e);
  if (ok < 0) return -1;
  if (!ok) {
    if (attempt_failed(s, &a, e) != 0) return -1;
    return err_set(e, E_INVALID, "password.bad_current", "current", "当前密码不正确",
                   "The current password is wrong");
  }
  if (crypto_password_hash(new_password, hash) != 0)
    return err_set(e, E_INTERNAL, "user.hash", NULL, "密码处理失败", "Could not hash the password");
  PasswordJob j = {.actor = u, .id = u->id, .hash = hash, .how = PASSWORD_OWN, .a = &a};
  if (keep_token) hash_token(keep_token, j.keep_hash);
  int rc = store_write(s, password_job, &j, e);
  explicit_bzero(hash, sizeof hash);
  return rc;
}

int accounts_password_set(Store *s, const User *actor, const char *username, const char *password,
                          ePassword how, Err *e) {
  char hash[128];
  Stmt *st = db_prepare(store_reader(s), "SELECT role FROM account WHERE username = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, username);
  int rc = stmt_step(st, e);
  unsigned role = rc == 1 ? accounts_role_parse(stmt_text(st, 0)) : 0;
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0)
    return err_setf(e, E_NOTFOUND, "user.not_found", "username", "没有这个账号：%s", "No such account: %s",
                    username);
  if (accounts_password_check(role, username, password, "password", e)) return -1;
  if (crypto_password_hash(password, hash) != 0)
    return err_set(e, E_INTERNAL, "user.hash", NULL, "密码处理失败", "Could not hash the password");
  PasswordJob j = {.actor = actor, .username = username, .hash = hash, .how = how};
  rc = store_write(s, password_job, &j, e);
  explicit_bzero(hash, sizeof hash);
  return rc;
}

/* AccountJob disables, enables or ends the sessions of an account. */
typedef struct AccountJob {
  const User *actor;
  const char *username;
  enum { ACCOUNT_DISABLE, ACCOUNT_ENABLE, ACCOUNT_END_SESSIONS } what;
  int64_t ended; /* sessions and API tokens ended */
} AccountJob;

static int account_job(Db *db, void *arg, Err *e) {
  static const char *const action[] = {"account.disable", "account.enable", "account.sessions_end"};
  AccountJob *j = arg;
  int64_t id;
  char obj[48];
  if (account_id(db, j->username, &id, e) != 1) return -1;
  if (j->what != ACCOUNT_END_SESSIONS &&
      db_run(db, e, "UPDATE account SET disabled = ? WHERE id = ?", "ii", (int64_t)(j->what == ACCOUNT_DISABLE),
             id) < 0)
    return -1;
  if (j->what != ACCOUNT_ENABLE && (j->ended = db_run(db, e, "DELETE FROM session WHERE account_id = ?", "i", id)) < 0)
    return -1;
  snprintf(obj, sizeof obj, "account:%lld", (long long)id);
  json_t *d = json_pack("{s:s, s:I}", "username", j->username, "ended", (json_int_t)j->ended);
  int rc = audit_append(db, j->actor, action[j->what], obj, d, e);
  json_decref(d);
  return rc;
}

int accounts_disable(Store *s, const User *actor, const char *username, bool disabled, Err *e) {
  if (disabled && actor && strcmp(actor->username, username) == 0)
    return err_set(e, E_INVALID, "user.self", "username", "不能停用自己的账号",
                   "You cannot disable your own account");
  AccountJob j = {actor, username, disabled ? ACCOUNT_DISABLE : ACCOUNT_ENABLE, 0};
  return store_write(s, account_job, &j, e);
}

int accounts_sessions_end(Store *s, const User *actor, const char *username, int64_t *n, Err *e) {
  AccountJob j = {actor, username, ACCOUNT_END_SESSIONS, 0};
  if (store_write(s, account_job, &j, e) != 0) return -1;
  if (n) *n = j.ended;
  return 0;
}

/* Changing an account's role ---------------------------------------------- */

/* ROLE_NEEDS_DEPT are the roles whose work is a department's (their lists,
** queues and tasks are scoped to it). */
#define ROLE_NEEDS_DEPT (ROLE_CLERK | ROLE_APPROVER | ROLE_POLICY | ROLE_INVEST)

typedef struct RoleJob {
  const User *actor;
  const char *username;
  const NewUser *nu;
  unsigned role;  /* the parsed nu->role */
  int64_t ended;  /* sessions and API tokens ended */
} RoleJob;

static int role_job(Db *db, void *arg, Err *e) {
  RoleJob *j = arg;
  int64_t id = 0, dept = 0;
  char old_role[24] = "", old_dept[32] = "", old_party[40] = "", obj[48];
  Stmt *st = db_prepare(db,
                        "SELECT a.id, a.role, COALESCE(d.code,''), COALESCE(a.party,'') FROM account a"
                        " LEFT JOIN department d ON d.id = a.dept_id WHERE a.username = ?",
                        e);
  if (!st) return -1;
  stmt_bind_text(st, 1, j->username);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    id = stmt_int(st, 0);
    snprintf(old_role, sizeof old_role, "%s", stmt_text(st, 1));
    snprintf(old_dept, sizeof old_dept, "%s", stmt_text(st, 2));
    snprintf(old_party, sizeof old_party, "%s", stmt_text(st, 3));
  }
  stmt_done(st);
  if (rc < 0) return -1;
  if (rc == 0)
    return err_setf(e, E_NOTFOUND, "user.not_found", "username", "没有这个账号：%s", "No such account: %s",
                    j->username);
  if (j->nu->dept_code[0]) {
    Dept d;
    rc = accounts_dept_get(db, 0, j->nu->dept_code, &d, e);
    if (rc < 0) return -1;
    if (rc == 0)
      return err_setf(e, E_INVALID, "user.bad_dept", "dept_code", "没有这个部门：%s", "No such department: %s",
                      j->nu->dept_code);
    dept = d.id;
  }
  /* The last enabled administrator stays one: nobody could administer the
  ** accounts (nor undo this) otherwise. Counted inside the write, so two
  ** administrators demoting each other at once cannot both succeed. */
  if (strcmp(old_role, "admin") == 0 && j->role != ROLE_ADMIN) {
    st = db_prepare(db, "SELECT COUNT(*) FROM account WHERE role = 'admin' AND disabled = 0 AND id <> ?", e);
    if (!st) return -1;
    stmt_bind_int(st, 1, id);
    rc = stmt_step(st, e);
    int64_t others = rc == 1 ? stmt_int(st, 0) : -1;
    stmt_done(st);
    if (rc != 1) return rc < 0 ? -1 : err_set(e, E_INTERNAL, "db.no_row", NULL, "查询失败", "The count returned no row");
    if (others == 0)
      return err_set(e, E_CONFLICT, "user.last_admin", "role", "这是最后一个启用的管理员账号，不能改为其他角色",
                     "This is the last enabled administrator account: its role cannot change");
  }
  st = db_prepare(db, "UPDATE account SET role = ?, dept_id = ?, party = ? WHERE id = ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, accounts_role_name(j->role));
  if (dept) stmt_bind_int(st, 2, dept);
  else stmt_bind_null(st, 2);
  stmt_bind_text(st, 3, j->nu->party[0] ? j->nu->party : NULL);
  stmt_bind_int(st, 4, id);
  rc = stmt_step(st, e);
  stmt_done(st);
  if (rc < 0) return -1;
  if ((j->ended = db_run(db, e, "DELETE FROM session WHERE account_id = ?", "i", id)) < 0) return -1;
  snprintf(obj, sizeof obj, "account:%lld", (long long)id);
  json_t *d = json_pack("{s:s, s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s}, s:I}", "username", j->username, "from",
                        "role", old_role, "dept_code", old_dept, "party", old_party, "to", "role",
                        accounts_role_name(j->role), "dept_code", j->nu->dept_code, "party", j->nu->party,
                        "ended", (json_int_t)j->ended);
  rc = audit_append(db, j->actor, "account.role_set", obj, d, e);
  json_decref(d);
  return rc;
}

int accounts_role_set(Store *s, const User *actor, const char *username, const NewUser *nu, int64_t *ended,
                      Err *e) {
  char reason[160], norm[19];
  unsigned role = accounts_role_parse(nu->role);
  if (!role)
    return err_setf(e, E_INVALID, "user.bad_role", "role",
                    "没有这个角色：%s（可选 applicant clerk approver policy invest leader auditor admin）",
                    "No such role: %s (one of applicant clerk approver policy invest leader auditor admin)",
                    nu->role);
  if ((role & ROLE_NEEDS_DEPT) && !nu->dept_code[0]) {
    char zh[128], en[128];
    snprintf(zh, sizeof zh, "%s须属于一个部门，请选择部门", accounts_role_label(role));
    snprintf(en, sizeof en, "A %s belongs to a department: choose one", accounts_role_name(role));
    return err_set(e, E_INVALID, "user.dept_required", "dept_code", zh, en);
  }
  if (role == ROLE_APPLICANT) {
    if (nu->dept_code[0])
      return err_set(e, E_INVALID, "user.bad_dept", "dept_code", "申请人账号不属于部门",
                     "An applicant account belongs to no department");
    if (!nu->party[0])
      return err_set(e, E_INVALID, "user.party_required", "party",
                     "申请人账号须绑定主体（统一社会信用代码或身份证号）",
                     "An applicant account must be bound to a party (USCC or ID number)");
    if (codes_uscc_check(nu->party, reason, sizeof reason) != 0 &&
        codes_id_check(nu->party, norm, reason, sizeof reason) != 0)
      return err_setf(e, E_INVALID, "user.bad_party", "party", "主体代码无效：%s", "The party code is invalid: %s",
                      nu->party);
  } else if (nu->party[0]) {
    return err_set(e, E_INVALID, "user.bad_party", "party", "只有申请人账号可以绑定主体",
                   "Only applicant accounts are bound to a party");
  }
  RoleJob j = {actor, username, nu, role, 0};
  if (store_write(s, role_job, &j, e) != 0) return -1;
  if (ended) *ended = j.ended;
  return 0;
}

typedef struct LogoutJob {
  const User *u;
  char token_hash[65];
} LogoutJob;

static int logout_job(Db *db, void *arg, Err *e) {
  LogoutJob *j = arg;
  char obj[48];
  if (db_run(db, e, "DELETE FROM session WHERE token_hash = ?", "t", j->token_hash) < 0) return -1;
  snprintf(obj, sizeof obj, "account:%lld", (long long)j->u->id);
  return audit_append(db, j->u, "session.logout", obj, NULL, e);
}

int accounts_logout(Store *s, const User *u, const char *token, Err *e) {
  LogoutJob j = {u, ""};
  hash_token(token, j.token_hash);
  return store_write(s, logout_job, &j, e);
}

int accounts_session(Store *s, const char *token, User *u, char csrf[65], bool *api, Err *e) {
  char h[65];
  Err tmp = {0};
  if (!e) e = &tmp;
  hash_token(token, h);
  Db *db = store_reader(s);
  Stmt *st = db_prepare(db,
                        "SELECT " USER_COLS ", s.csrf, s.kind FROM session s"
                        " JOIN account a ON a.id = s.account_id"
                        " WHERE s.token_hash = ? AND s.expires_at > ? AND a.disabled = 0",
                        e);
  if (!st) return -1;
  stmt_bind_text(st, 1, h);
  stmt_bind_int(st, 2, now_ms());
  int rc = stmt_step(st, e);
  if (rc == 1) {
    read_user(st, u);
    snprintf(csrf, 65, "%s", stmt_text(st, USER_NCOLS));
    *api = strcmp(stmt_text(st, USER_NCOLS + 1), "api") == 0;
  }
  stmt_done(st);
  return rc == 1 ? 0 : -1;
}

typedef struct TokenJob {
  const User *u;
  const char *name;
  char token_hash[65];
} TokenJob;

static int token_job(Db *db, void *arg, Err *e) {
  TokenJob *j = arg;
  int64_t now = now_ms();
  char obj[48];
  if (db_run(db, e,
             "INSERT INTO session(token_hash, account_id, csrf, kind, name, created_at, expires_at)"
             " VALUES (?,?,'','api',?,?,?)",
             "titii", j->token_hash, j->u->id, j->name, now, now + 365LL * 86400 * 1000) < 0)
    return -1;
  snprintf(obj, sizeof obj, "account:%lld", (long long)j->u->id);
  json_t *d = json_pack("{s:s}", "name", j->name);
  int rc = audit_append(db, j->u, "token.create", obj, d, e);
  json_decref(d);
  return rc;
}

int accounts_token_create(Store *s, const User *u, const char *name, char token[65], Err *e) {
  TokenJob j = {u, name, ""};
  crypto_token_hex(token, 32);
  hash_token(token, j.token_hash);
  return store_write(s, token_job, &j, e);
}

#define TOKEN_ID_LEN 16

json_t *accounts_tokens(Store *s, const User *u, Err *e) {
  Stmt *st = db_prepare(store_reader(s),
                        "SELECT token_hash, name, created_at, expires_at FROM session"
                        " WHERE account_id = ? AND kind = 'api' AND expires_at > ? ORDER BY created_at",
                        e);
  if (!st) return NULL;
  stmt_bind_int(st, 1, u->id);
  stmt_bind_int(st, 2, now_ms());
  json_t *arr = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    char created[32], expires[32];
    json_array_append_new(arr, json_pack("{s:s%, s:s, s:s, s:s}", "id", stmt_text(st, 0),
                                         (size_t)TOKEN_ID_LEN, "name", stmt_text(st, 1), "created_at",
                                         time_iso(stmt_int(st, 2), created), "expires_at",
                                         time_iso(stmt_int(st, 3), expires)));
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}

typedef struct RevokeJob {
  const User *u;
  const char *id;
} RevokeJob;

static int revoke_job(Db *db, void *arg, Err *e) {
  RevokeJob *j = arg;
  int64_t n = db_run(db, e,
                     "DELETE FROM session WHERE account_id = ? AND kind = 'api'"
                     " AND substr(token_hash, 1, 16) = ?",
                     "it", j->u->id, j->id);
  if (n < 0) return -1;
  if (n == 0)
    return err_set(e, E_NOTFOUND, "token.not_found", "id", "没有这个 API 令牌",
                   "No such API token");
  char obj[48];
  snprintf(obj, sizeof obj, "account:%lld", (long long)j->u->id);
  json_t *d = json_pack("{s:s}", "id", j->id);
  int rc = audit_append(db, j->u, "token.revoke", obj, d, e);
  json_decref(d);
  return rc;
}

int accounts_token_revoke(Store *s, const User *u, const char *id, Err *e) {
  RevokeJob j = {u, id};
  if (strlen(id) != TOKEN_ID_LEN || strspn(id, "0123456789abcdef") != TOKEN_ID_LEN)
    return err_set(e, E_NOTFOUND, "token.not_found", "id", "没有这个 API 令牌", "No such API token");
  return store_write(s, revoke_job, &j, e);
}

/* Departments -------------------------------------------------------------- */

typedef struct DeptJob {
  const char *csv;
  size_t n;
  int64_t added;
} DeptJob;

static int dept_job(Db *db, void *arg, Err *e) {
  DeptJob *j = arg;
  FILE *f = fmemopen((void *)j->csv, j->n, "r");
  CsvReader r;
  int rc = -1, got;
  csv_init(&r, f);
  got = csv_next(&r);
  if (got != 1 || strcmp(csv_field(&r, 0), "code") != 0 || strcmp(csv_field(&r, 1), "name") != 0) {
    err_set(e, E_INVALID, "department.bad_csv", NULL, "部门表头应为 code,name,name_en[,central[,notice_prefix]]",
            "The department header must be code,name,name_en[,central[,notice_prefix]]");
    goto out;
  }
  while ((got = csv_next(&r)) == 1) {
    /* central (optional, 1 or 0): the department holds the area's
    ** concentrated approval powers and handles every department's cases. */
    /* notice_prefix (optional): the 文号字头 of its notices (cases.c). */
    const char *central = csv_field(&r, 3);
    int64_t n = db_run(db, e,
                       "INSERT INTO department(code, name, name_en, central, notice_prefix) VALUES (?,?,?,?,?)"
                       " ON CONFLICT (code) DO NOTHING",
                       "tttit", csv_field(&r, 0), csv_field(&r, 1), csv_field(&r, 2),
                       (int64_t)(strcmp(central, "1") == 0), csv_field(&r, 4));
    if (n < 0) goto out;
    j->added += n;
  }
  json_t *d = json_pack("{s:I}", "added", (json_int_t)j->added);
  rc = audit_append(db, NULL, "department.import", "department:*", d, e);
  json_decref(d);
out:
  csv_free(&r);
  fclose(f);
  return rc;
}

int accounts_departments_import(Store *s, const char *csv, size_t n, Err *e) {
  DeptJob j = {csv, n, 0};
  return store_write(s, dept_job, &j, e);
}

json_t *accounts_departments(Store *s, Err *e) {
  Db *db = store_reader(s);
  Stmt *st = db_prepare(db, "SELECT id, code, name, name_en, central, notice_prefix FROM department ORDER BY id", e);
  if (!st) return NULL;
  json_t *arr = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1)
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:b, s:s}", "id", (json_int_t)stmt_int(st, 0),
                                         "code", stmt_text(st, 1), "name", stmt_text(st, 2),
                                         "name_en", stmt_text(st, 3), "central",
                                         stmt_int(st, 4) != 0, "notice_prefix", stmt_text(st, 5)));
  stmt_done(st);
  if (rc < 0) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}

/* Departments by id, as read: a department's row is never changed nor
** removed once made (department import adds new codes only), so a row found
** committed stays true for the process; an id not found is read again.
** Only reads outside a write job fill it (one inside may see a row its
** transaction still rolls back). */
#define DEPT_CACHE 256
static struct {
  pthread_rwlock_t lock;
  Dept a[DEPT_CACHE];        /* a[i].id == 0: empty; slot id % DEPT_CACHE */
  int64_t store[DEPT_CACHE]; /* the database it was read from (db_store_serial()) */
} depts = {PTHREAD_RWLOCK_INITIALIZER, {{0}}, {0}};

/* The last department a write job read, kept while its transaction's
** epoch holds (db_epoch()): a job reads its case's department more than once. */
static _Thread_local struct {
  int64_t serial, epoch;
  Dept d;
} job_dept;

int accounts_dept_get(Db *db, int64_t id, const char *code, Dept *d, Err *e) {
  int64_t serial = db_store_serial(db), epoch = db_epoch(db);
  if (!code && id > 0) {
    if (epoch && job_dept.epoch == epoch && job_dept.serial == serial && job_dept.d.id == id) {
      *d = job_dept.d;
      return 1;
    }
    pthread_rwlock_rdlock(&depts.lock);
    bool hit = depts.a[id % DEPT_CACHE].id == id && depts.store[id % DEPT_CACHE] == serial;
    if (hit) *d = depts.a[id % DEPT_CACHE];
    pthread_rwlock_unlock(&depts.lock);
    if (hit) return 1;
  }
  Stmt *st = db_prepare(db, code ? "SELECT id, code, name, central, notice_prefix FROM department WHERE code = ?"
                                 : "SELECT id, code, name, central, notice_prefix FROM department WHERE id = ?", e);
  if (!st) return -1;
  if (code)
    stmt_bind_text(st, 1, code);
  else
    stmt_bind_int(st, 1, id);
  int rc = stmt_step(st, e);
  if (rc == 1) {
    memset(d, 0, sizeof *d);
    d->id = stmt_int(st, 0);
    snprintf(d->code, sizeof d->code, "%s", stmt_text(st, 1));
    snprintf(d->name, sizeof d->name, "%s", stmt_text(st, 2));
    d->central = stmt_int(st, 3) != 0;
    snprintf(d->notice_prefix, sizeof d->notice_prefix, "%s", stmt_text(st, 4));
    if (epoch == 0) {
      pthread_rwlock_wrlock(&depts.lock);
      depts.a[d->id % DEPT_CACHE] = *d;
      depts.store[d->id % DEPT_CACHE] = serial;
      pthread_rwlock_unlock(&depts.lock);
    } else {
      job_dept.serial = serial, job_dept.epoch = epoch, job_dept.d = *d;
    }
  }
  stmt_done(st);
  return rc;
}

int accounts_applicant_id(Db *db, const char *username, const char *party, int64_t *id, Err *e) {
  Stmt *st = db_prepare(db, "SELECT id FROM account WHERE username = ? AND party = ? AND role = 'applicant'"
                            " AND disabled = 0", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, username);
  stmt_bind_text(st, 2, party);
  int rc = stmt_step(st, e);
  if (rc == 1) *id = stmt_int(st, 0);
  stmt_done(st);
  return rc;
}

bool accounts_dept_central(Db *db, int64_t dept_id) {
  Dept d;
  Err e = {0};
  return dept_id && accounts_dept_get(db, dept_id, NULL, &d, &e) == 1 && d.central;
}

bool accounts_oversees(Db *db, const User *u) {
  return (u->role & (ROLE_ADMIN | ROLE_LEADER | ROLE_AUDITOR)) || accounts_dept_central(db, u->dept_id);
}
