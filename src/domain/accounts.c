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

#include <pthread.h>
#include <stdio.h>
#include <string.h>

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
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s}", "id", (json_int_t)u->id, "username",
                   u->username, "display", u->display, "role", accounts_role_name(u->role),
                   "role_label", accounts_role_label(u->role), "dept_id", (json_int_t)u->dept_id,
                   "party", u->party);
}

/* The account columns read_user() expects first, with a as the account. */
#define USER_COLS "a.id, a.username, a.display, a.role, COALESCE(a.dept_id,0), COALESCE(a.party,'')"

static void read_user(Stmt *st, User *u) {
  memset(u, 0, sizeof *u);
  u->id = stmt_int(st, 0);
  snprintf(u->username, sizeof u->username, "%s", stmt_text(st, 1));
  snprintf(u->display, sizeof u->display, "%s", stmt_text(st, 2));
  u->role = accounts_role_parse(stmt_text(st, 3));
  u->dept_id = stmt_int(st, 4);
  snprintf(u->party, sizeof u->party, "%s", stmt_text(st, 5));
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

static void hash_token(const char *token, char out[65]) {
  crypto_sha256_hex(token, strlen(token), out);
}

/* Creating accounts ------------------------------------------------------- */

typedef struct CreateJob {
  const User *actor;
  const NewUser *nu;
  const char *hash;
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
                  "INSERT INTO account(username, display, role, dept_id, party, password_hash, created_at)"
                  " VALUES (?,?,?,?,?,?,?) RETURNING id",
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
                    int64_t *id, Err *e) {
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
  size_t plen = utf8_len(password);
  if (plen < 8 || plen > 128)
    return err_set(e, E_INVALID, "user.weak_password", "password", "密码应为 8–128 个字符",
                   "The password must be 8–128 characters");
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
  CreateJob j = {actor, nu, hash, 0};
  if (store_write(s, create_job, &j, e) != 0) return -1;
  if (id) *id = j.id;
  return 0;
}

json_t *accounts_list(Store *s, Err *e) {
  Db *db = store_reader(s);
  Stmt *st = db_prepare(db,
                        "SELECT a.id, a.username, a.display, a.role, COALESCE(d.code,''),"
                        " COALESCE(d.name,''), COALESCE(a.party,''), a.disabled, a.created_at"
                        " FROM account a LEFT JOIN department d ON d.id = a.dept_id ORDER BY a.id",
                        e);
  if (!st) return NULL;
  json_t *arr = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1) {
    char iso[32];
    unsigned role = accounts_role_parse(stmt_text(st, 3));
    json_array_append_new(
        arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}", "id",
                       (json_int_t)stmt_int(st, 0), "username", stmt_text(st, 1), "display",
                       stmt_text(st, 2), "role", stmt_text(st, 3), "role_label",
                       accounts_role_label(role), "dept_code", stmt_text(st, 4), "dept_name",
                       stmt_text(st, 5), "party", stmt_text(st, 6), "disabled",
                       (int)stmt_int(st, 7), "created_at", time_iso(stmt_int(st, 8), iso)));
  }
  stmt_done(st);
  if (rc < 0) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}

/* Login -------------------------------------------------------------------- */

/* failures() counts the failures recorded for key since `since` and the
** time of the oldest of them. */
static int64_t failures(Db *db, const char *key, int64_t since, int64_t *oldest, Err *e) {
  Stmt *st = db_prepare(db, "SELECT COUNT(*), COALESCE(MIN(at), 0) FROM login_failure WHERE key = ? AND at > ?", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, key);
  stmt_bind_int(st, 2, since);
  int64_t n = -1;
  if (stmt_step(st, e) == 1) {
    n = stmt_int(st, 0);
    *oldest = stmt_int(st, 1);
  }
  stmt_done(st);
  return n;
}

/* A login is two write jobs around the (slow) password check. The first,
** in the writer and so serialised with every other login, checks the
** account's and the address's recent failures and, under the limits,
** records this attempt as a failure in advance: parallel guesses therefore
** count against each other. The second turns a good attempt into a session
** (clearing the account's failures) or leaves the failure recorded. */
typedef struct LoginJob {
  enum { LOGIN_RESERVE, LOGIN_OK, LOGIN_FAILED } step;
  const char *ukey, *ipkey;  /* 'u:NAME' and 'ip:ADDR' */
  const char *username, *ip; /* as given */
  const User *u;             /* the account (LOGIN_OK) */
  int64_t reserved;          /* id of the address's reserved failure row */
  int retry_after;           /* LOGIN_RESERVE: > 0 when throttled */
  char token_hash[65];
  char csrf[65];
} LoginJob;

static int64_t insert_failure(Db *db, const char *key, int64_t at, Err *e) {
  Stmt *st = db_prepare(db, "INSERT INTO login_failure(key, at) VALUES (?,?) RETURNING id", e);
  if (!st) return -1;
  stmt_bind_text(st, 1, key);
  stmt_bind_int(st, 2, at);
  int64_t id = stmt_step(st, e) == 1 ? stmt_int(st, 0) : -1;
  stmt_done(st);
  return id;
}

static int login_job(Db *db, void *arg, Err *e) {
  LoginJob *j = arg;
  int64_t now = now_ms(), since = now - ACCOUNTS_FAIL_WINDOW_MS;
  json_t *d = json_pack("{s:s}", "ip", j->ip);
  char obj[96];
  int rc = -1;
  snprintf(obj, sizeof obj, "username:%s", j->username);
  switch (j->step) {
  case LOGIN_RESERVE: {
    int64_t oldest_u = 0, oldest_ip = 0;
    int64_t nu = failures(db, j->ukey, since, &oldest_u, e);
    int64_t ni = nu < 0 ? -1 : failures(db, j->ipkey, since, &oldest_ip, e);
    if (ni < 0) goto out;
    if (nu >= ACCOUNTS_MAX_FAIL_USER || ni >= ACCOUNTS_MAX_FAIL_IP) {
      int64_t first = nu >= ACCOUNTS_MAX_FAIL_USER ? oldest_u : oldest_ip;
      j->retry_after = (int)((first + ACCOUNTS_FAIL_WINDOW_MS - now) / 1000) + 1;
      if (j->retry_after < 1) j->retry_after = 1;
      rc = 0; /* nothing written */
      goto out;
    }
    if (insert_failure(db, j->ukey, now, e) < 0 || (j->reserved = insert_failure(db, j->ipkey, now, e)) < 0)
      goto out;
    rc = audit_append(db, NULL, "session.login_attempt", obj, d, e);
    break;
  }
  case LOGIN_FAILED:
    rc = audit_append(db, NULL, "session.login_failed", obj, d, e);
    break;
  case LOGIN_OK:
    /* The account's failures (this attempt's included), the address's
    ** reservation, old failures and expired sessions go. */
    if (db_run(db, e, "DELETE FROM login_failure WHERE key = ? OR id = ? OR at < ?", "tii",
               j->ukey, j->reserved, since) < 0 ||
        db_run(db, e, "DELETE FROM session WHERE expires_at < ?", "i", now) < 0 ||
        db_run(db, e,
               "INSERT INTO session(token_hash, account_id, csrf, kind, created_at, expires_at)"
               " VALUES (?,?,?,'cookie',?,?)",
               "titii", j->token_hash, j->u->id, j->csrf, now, now + ACCOUNTS_SESSION_MS) < 0)
      goto out;
    snprintf(obj, sizeof obj, "account:%lld", (long long)j->u->id);
    rc = audit_append(db, j->u, "session.login", obj, d, e);
    break;
  }
out:
  json_decref(d);
  return rc;
}

/* A valid argon2id string used to spend the same time on unknown users. */
static char dummy_hash[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void) {
  if (crypto_password_hash("not a password of anyone", dummy_hash) != 0) panic("argon2id failed");
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
  Db *db = store_reader(s);
  char ukey[96], ipkey[80], stored[128] = "";
  snprintf(ukey, sizeof ukey, "u:%.80s", username);
  snprintf(ipkey, sizeof ipkey, "ip:%.60s", ip);

  LoginJob j = {.step = LOGIN_RESERVE, .ukey = ukey, .ipkey = ipkey, .username = username,
                .ip = ip, .u = u};
  if (store_write(s, login_job, &j, e) != 0) return -1;
  if (j.retry_after > 0) {
    err_set(e, E_LIMIT, "auth.throttled", NULL, "登录失败次数过多，请稍后再试",
            "Too many failed logins; try again later");
    e->retry_after = j.retry_after;
    return -1;
  }

  memset(u, 0, sizeof *u);
  Stmt *st = db_prepare(db,
                        "SELECT " USER_COLS ", a.password_hash FROM account a"
                        " WHERE a.username = ? AND a.disabled = 0",
                        e);
  if (!st) return -1;
  stmt_bind_text(st, 1, username);
  int found = stmt_step(st, e);
  if (found == 1) {
    read_user(st, u);
    snprintf(stored, sizeof stored, "%s", stmt_text(st, 6));
  }
  stmt_done(st);
  if (found < 0) return -1;
  pthread_once(&dummy_once, make_dummy_hash);
  bool ok = crypto_password_verify(found == 1 ? stored : dummy_hash, password) && found == 1;

  j.step = ok ? LOGIN_OK : LOGIN_FAILED;
  if (ok) {
    crypto_token_hex(token, 32);
    crypto_token_hex(csrf, 32);
    hash_token(token, j.token_hash);
    memcpy(j.csrf, csrf, 65);
  }
  if (store_write(s, login_job, &j, e) != 0) return -1;
  if (!ok) {
    memset(u, 0, sizeof *u);
    return err_set(e, E_AUTH, "auth.bad_credentials", NULL, "用户名或密码错误",
                   "Wrong username or password");
  }
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
  Err tmp;
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
    snprintf(csrf, 65, "%s", stmt_text(st, 6));
    *api = strcmp(stmt_text(st, 7), "api") == 0;
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
    err_set(e, E_INVALID, "department.bad_csv", NULL, "部门表头应为 code,name,name_en[,central]",
            "The department header must be code,name,name_en[,central]");
    goto out;
  }
  while ((got = csv_next(&r)) == 1) {
    /* central (optional, 1 or 0): the department holds the area's
    ** concentrated approval powers and handles every department's cases. */
    const char *central = csv_field(&r, 3);
    int64_t n = db_run(db, e,
                       "INSERT INTO department(code, name, name_en, central) VALUES (?,?,?,?)"
                       " ON CONFLICT (code) DO NOTHING",
                       "ttti", csv_field(&r, 0), csv_field(&r, 1), csv_field(&r, 2),
                       (int64_t)(strcmp(central, "1") == 0));
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
  Stmt *st = db_prepare(db, "SELECT id, code, name, name_en, central FROM department ORDER BY id", e);
  if (!st) return NULL;
  json_t *arr = json_array();
  int rc;
  while ((rc = stmt_step(st, e)) == 1)
    json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:b}", "id", (json_int_t)stmt_int(st, 0),
                                         "code", stmt_text(st, 1), "name", stmt_text(st, 2),
                                         "name_en", stmt_text(st, 3), "central",
                                         stmt_int(st, 4) != 0));
  stmt_done(st);
  if (rc < 0) {
    json_decref(arr);
    return NULL;
  }
  return arr;
}

int accounts_dept_get(Db *db, int64_t id, const char *code, Dept *d, Err *e) {
  Stmt *st = db_prepare(db, code ? "SELECT id, code, name, central FROM department WHERE code = ?"
                                 : "SELECT id, code, name, central FROM department WHERE id = ?", e);
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
