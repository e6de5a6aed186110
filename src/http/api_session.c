/*
** api_session.c — logging in and out, who am I, API tokens, and accounts
** (administrators).
*/
#include "http.h"
#include "api.h"
#include "../base/jsonx.h"
#include "../base/codes.h"

#include <stdio.h>
#include <string.h>

#define COOKIE "xq_session"

/* set_cookie() sets the session cookie to value for max_age seconds (0:
** clears it), Secure when the request came over HTTPS. */
static void set_cookie(Req *r, const char *value, int max_age) {
  char cookie[220];
  snprintf(cookie, sizeof cookie, COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", value,
           max_age, r->https ? "; Secure" : "");
  req_header(r, "Set-Cookie", cookie);
}

/* login() takes {username, password}, or {id_number, password} at a
** self-service kiosk: the ID number names the person's own applicant
** account, whose password must then check out. An ID number with no
** account (or several) is tried as the login name "id:NUMBER", which no
** account can have, so the answer, the throttling and the time taken are
** those of a wrong password: nothing tells which numbers have accounts. */
static int login(Req *r) {
  char username[64] = "", id_number[40] = "", password[516] = "", token[65], csrf[65];
  bool has_user = false, has_id = false;
  User u;
  Err e = {0};
  const JField f[] = {
      {"username", J_STR, false, username, sizeof username, 1, 63, &has_user},
      {"id_number", J_STR, false, id_number, sizeof id_number, 1, 18, &has_id},
      {"password", J_STR, true, password, sizeof password, 1, 128, NULL},
  };
  if (jsonx_decode(r->json, f, XQ_COUNT(f), false, &e)) return req_error(r, &e);
  if (has_user == has_id)
    return req_fail(r, E_INVALID, "request.missing_field", "username", "请填写用户名（或在自助终端填写身份证号）",
                    "Give a username (or, at a kiosk, an ID number)");
  if (has_id) {
    char id18[19], why[128];
    if (codes_id_check(id_number, id18, why, sizeof why))
      return req_fail(r, E_INVALID, "auth.bad_id_number", "id_number", "身份证号码无效", "Invalid ID number");
    int found = accounts_person_username(r->store, id18, username, sizeof username, &e);
    if (found < 0) return req_error(r, &e);
    if (!found) snprintf(username, sizeof username, "id:%s", id18);
  }
  if (accounts_login(r->store, username, password, r->ip, &u, token, csrf, &e))
    return req_error(r, &e);
  set_cookie(r, token, ACCOUNTS_SESSION_MS / 1000);
  /* user.must_change_password: only GET /me, POST /me/password and logout
  ** answer until the password is changed. */
  return req_json(r, 200, json_pack("{s:o, s:s}", "user", accounts_to_json(&u), "csrf", csrf));
}

static int logout(Req *r) {
  Err e = {0};
  const char *tok = req_cookie(r, COOKIE);
  if (r->by_token || !tok)
    return req_fail(r, E_INVALID, "auth.not_cookie", NULL, "API 令牌无需退出登录",
                    "API tokens do not log out");
  if (accounts_logout(r->store, &r->user, tok, &e)) return req_error(r, &e);
  set_cookie(r, "", 0);
  return req_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static int me(Req *r) {
  /* The CSRF token is handed out again so a reloaded page can use it. */
  return req_json(r, 200, json_pack("{s:o, s:s}", "user", accounts_to_json(&r->user), "csrf", r->csrf));
}

/* password_change() takes {current, new}: the caller's own password. The
** caller's other sessions end; this one stays. */
static int password_change(Req *r) {
  char current[516] = "", new_password[516] = "";
  Err e = {0};
  const JField f[] = {
      {"current", J_STR, true, current, sizeof current, 1, 128, NULL},
      {"new", J_STR, true, new_password, sizeof new_password, 1, 128, NULL},
  };
  if (jsonx_decode(r->json, f, XQ_COUNT(f), false, &e)) return req_error(r, &e);
  const char *auth = req_header_in(r, "Authorization");
  const char *keep = r->by_token && auth ? auth + 7 : req_cookie(r, COOKIE); /* the caller's own */
  int rc = accounts_password_change(r->store, &r->user, current, new_password, r->ip, keep, &e);
  explicit_bzero(current, sizeof current);
  explicit_bzero(new_password, sizeof new_password);
  if (rc) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static int token_create(Req *r) {
  char name[64] = "", token[65];
  Err e = {0};
  if (r->by_token)
    return req_fail(r, E_FORBIDDEN, "token.from_token", NULL, "请登录后创建 API 令牌，不能用令牌创建令牌",
                    "Log in to create an API token; a token cannot create tokens");
  const JField f[] = {{"name", J_STR, true, name, sizeof name, 1, 60, NULL}};
  if (jsonx_decode(r->json, f, XQ_COUNT(f), false, &e)) return req_error(r, &e);
  if (accounts_token_create(r->store, &r->user, name, token, &e)) return req_error(r, &e);
  return req_json(r, 201, json_pack("{s:s, s:s}", "name", name, "token", token));
}

static int tokens_list(Req *r) {
  Err e = {0};
  json_t *items = accounts_tokens(r->store, &r->user, &e);
  if (!items) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:o}", "items", items));
}

static int token_revoke(Req *r) {
  Err e = {0};
  if (accounts_token_revoke(r->store, &r->user, req_param(r, "id"), &e)) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static int users_list(Req *r) {
  Err e = {0};
  json_t *items = accounts_list(r->store, &e);
  if (!items) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:o}", "items", items));
}

static int users_create(Req *r) {
  NewUser nu = {0};
  char password[516] = "";
  int64_t id;
  Err e = {0};
  const JField f[] = {
      {"username", J_STR, true, nu.username, sizeof nu.username, 2, 32, NULL},
      {"display", J_STR, false, nu.display, sizeof nu.display, 0, 40, NULL},
      {"role", J_STR, true, nu.role, sizeof nu.role, 1, 20, NULL},
      {"dept_code", J_STR, false, nu.dept_code, sizeof nu.dept_code, 0, 30, NULL},
      {"party", J_STR, false, nu.party, sizeof nu.party, 0, 32, NULL},
      {"password", J_STR, true, password, sizeof password, 1, 128, NULL},
  };
  if (jsonx_decode(r->json, f, XQ_COUNT(f), false, &e)) return req_error(r, &e);
  if (accounts_create(r->store, &r->user, &nu, password, PASSWORD_ISSUED, &id, &e)) return req_error(r, &e);
  return req_json(r, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "username",
                                    nu.username, "role", nu.role));
}

/* user_password() takes {password}: an administrator sets the account's
** password, which its holder must change at the next login; every session
** and token of the account ends. */
static int user_password(Req *r) {
  char password[516] = "";
  Err e = {0};
  const JField f[] = {{"password", J_STR, true, password, sizeof password, 1, 128, NULL}};
  if (jsonx_decode(r->json, f, XQ_COUNT(f), false, &e)) return req_error(r, &e);
  int rc = accounts_password_set(r->store, &r->user, req_param(r, "username"), password, PASSWORD_ISSUED, &e);
  explicit_bzero(password, sizeof password);
  if (rc) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:b, s:b}", "ok", 1, "must_change_password", 1));
}

static int user_disable(Req *r) {
  Err e = {0};
  if (accounts_disable(r->store, &r->user, req_param(r, "username"), true, &e)) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:s, s:b}", "username", req_param(r, "username"), "disabled", 1));
}

static int user_enable(Req *r) {
  Err e = {0};
  if (accounts_disable(r->store, &r->user, req_param(r, "username"), false, &e)) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:s, s:b}", "username", req_param(r, "username"), "disabled", 0));
}

static int user_sessions_end(Req *r) {
  Err e = {0};
  int64_t n = 0;
  if (accounts_sessions_end(r->store, &r->user, req_param(r, "username"), &n, &e)) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:s, s:I}", "username", req_param(r, "username"), "ended", (json_int_t)n));
}

/* user_role() takes {role, dept_code?, party?}: an administrator changes
** the account's role (accounts_role_set()); its sessions and tokens end. */
static int user_role(Req *r) {
  NewUser nu = {0};
  int64_t ended = 0;
  Err e = {0};
  const JField f[] = {
      {"role", J_STR, true, nu.role, sizeof nu.role, 1, 20, NULL},
      {"dept_code", J_STR, false, nu.dept_code, sizeof nu.dept_code, 0, 30, NULL},
      {"party", J_STR, false, nu.party, sizeof nu.party, 0, 32, NULL},
  };
  if (jsonx_decode(r->json, f, XQ_COUNT(f), false, &e)) return req_error(r, &e);
  if (accounts_role_set(r->store, &r->user, req_param(r, "username"), &nu, &ended, &e)) return req_error(r, &e);
  return req_json(r, 200, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "username", req_param(r, "username"), "role",
                                    nu.role, "role_label", accounts_role_label(accounts_role_parse(nu.role)),
                                    "dept_code", nu.dept_code, "party", nu.party, "ended", (json_int_t)ended));
}

static const Route routes[] = {
    {"POST", "/api/v1/session", login, R_PUBLIC | R_JSON | R_NOCSRF, 0, 4096, "登录", "Log in"},
    {"DELETE", "/api/v1/session", logout, R_PWCHANGE, 0, 0, "退出登录", "Log out"},
    {"GET", "/api/v1/me", me, R_PWCHANGE, 0, 0, "当前用户", "The current user"},
    {"POST", "/api/v1/me/password", password_change, R_JSON | R_PWCHANGE, 0, 4096,
     "修改本人密码（其他会话随之结束）", "Change my password (my other sessions end)"},
    {"POST", "/api/v1/tokens", token_create, R_JSON, 0, 4096, "创建 API 令牌（只显示一次）",
     "Create an API token (shown once)"},
    {"GET", "/api/v1/tokens", tokens_list, 0, 0, 0, "我的 API 令牌", "My API tokens"},
    {"DELETE", "/api/v1/tokens/{id}", token_revoke, 0, 0, 0, "吊销 API 令牌", "Revoke an API token"},
    {"GET", "/api/v1/users", users_list, 0, ROLE_ADMIN, 0, "账号列表", "Accounts"},
    {"POST", "/api/v1/users", users_create, R_JSON, ROLE_ADMIN, 4096, "创建账号（首次登录须改密码）",
     "Create an account (its password is changed at the first login)"},
    {"POST", "/api/v1/users/{username}/password", user_password, R_JSON, ROLE_ADMIN, 4096,
     "重置账号密码（下次登录须改密码，现有会话与令牌失效）",
     "Reset an account's password (changed at the next login; its sessions and tokens end)"},
    {"POST", "/api/v1/users/{username}/disable", user_disable, 0, ROLE_ADMIN, 0,
     "停用账号（会话与令牌失效）", "Disable an account (its sessions and tokens end)"},
    {"POST", "/api/v1/users/{username}/enable", user_enable, 0, ROLE_ADMIN, 0, "启用账号",
     "Enable an account"},
    {"POST", "/api/v1/users/{username}/role", user_role, R_JSON, ROLE_ADMIN, 4096,
     "更改账号角色（及部门或主体；会话与令牌失效；不能撤销最后一个管理员）",
     "Change an account's role (and department or party; its sessions and tokens end; never the last administrator's)"},
    {"POST", "/api/v1/users/{username}/sessions/end", user_sessions_end, 0, ROLE_ADMIN, 0,
     "结束账号的全部会话与 API 令牌", "End every session and API token of an account"},
};

void api_session_register(void) { router_add(routes, XQ_COUNT(routes), "accounts"); }
