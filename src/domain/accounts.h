/*
** accounts.h — users, roles, sessions, API tokens and login throttling.
** Users hold one role; officials are bound to a department, applicants to
** a party (a USCC or a person's ID number). Passwords are argon2id hashes;
** session and API tokens are random and stored only as SHA-256 hashes.
*/
#ifndef XINQU_ACCOUNTS_H
#define XINQU_ACCOUNTS_H

#include "../base/base.h"
#include <jansson.h>
#include "../store/store.h"

enum {
  ROLE_APPLICANT = 1 << 0, /* enterprise, person, or their agent */
  ROLE_CLERK = 1 << 1,     /* window clerk (窗口人员) */
  ROLE_APPROVER = 1 << 2,  /* department approver (审批人员) */
  ROLE_POLICY = 1 << 3,    /* policy officer (政策专员) */
  ROLE_INVEST = 1 << 4,    /* investment officer (招商专员) */
  ROLE_LEADER = 1 << 5,    /* leader (领导) */
  ROLE_AUDITOR = 1 << 6,   /* auditor (审计员) */
  ROLE_ADMIN = 1 << 7      /* administrator (管理员) */
};
#define ROLE_ALL 0xffu
#define ROLE_OFFICIAL (ROLE_CLERK | ROLE_APPROVER | ROLE_POLICY | ROLE_INVEST | ROLE_LEADER | ROLE_ADMIN)

typedef struct User {
  int64_t id;          /* 0 when anonymous */
  char username[64];
  char display[164];   /* display name, ≤ 40 characters */
  unsigned role;       /* one ROLE_* bit */
  int64_t dept_id;     /* department, 0 when none */
  char party[40];      /* party code for applicants, "" otherwise */
} User;

/* Role names as used in the API and CLI ("applicant", "clerk", …). */
const char *accounts_role_name(unsigned role);
const char *accounts_role_label(unsigned role); /* Chinese label */
/* 0 when name is not a role. */
unsigned accounts_role_parse(const char *name);

/* A new account. dept_code names a department (officials); party is a USCC
** or ID number (applicants). */
typedef struct NewUser {
  char username[64];
  char display[164];   /* ≤ 40 characters */
  char role[24];
  char dept_code[32];
  char party[40];
} NewUser;

/* accounts_create() validates nu and password (8–128 characters), hashes the
** password (argon2id, outside the write transaction) and writes the account
** with its audit event. actor may be NULL for the CLI ("system"). Sets *id.
** Returns 0, or -1 with *e set (user.exists, user.bad_role, user.bad_name,
** user.weak_password, user.bad_dept, user.bad_party …). */
int accounts_create(Store *s, const User *actor, const NewUser *nu, const char *password,
                    int64_t *id, Err *e);
/* accounts_user_get() reads the enabled account username into *u (no
** session: for the demo history, which acts as the demo accounts).
** Returns 0, or -1 with *e (user.not_found). */
int accounts_user_get(Db *db, const char *username, User *u, Err *e);
/* accounts_list() returns a new JSON array of every account (no hashes). */
json_t *accounts_list(Store *s, Err *e);
/* accounts_to_json() describes u for the API (new object). */
json_t *accounts_to_json(const User *u);

/* Login throttling: an account is locked after 5 failures within 15
** minutes, an address after 20; both recover as the failures age. An attempt
** counts as a failure from the moment it starts until its password checks
** out, so parallel guesses cannot outrun the count (and at most five logins
** of one account are checked at once). */
#define ACCOUNTS_MAX_FAIL_USER 5
#define ACCOUNTS_MAX_FAIL_IP 20
#define ACCOUNTS_FAIL_WINDOW_MS (15 * 60 * 1000)
#define ACCOUNTS_SESSION_MS (8 * 3600 * 1000)

/* accounts_login() checks username/password from address ip. On success it
** writes a session (and its audit event) and fills *u, token (the cookie
** value, 64 hex) and csrf (64 hex). Returns 0; -1 with *e: auth.bad_credentials
** (E_AUTH), auth.throttled (E_LIMIT with retry_after), or a database error.
** A failure is recorded (with an audit event) for throttling. */
int accounts_login(Store *s, const char *username, const char *password, const char *ip,
                   User *u, char token[65], char csrf[65], Err *e);
/* accounts_person_username() finds the one enabled applicant account bound
** to the person with ID number id_number (the kiosk's identification: the
** person then logs in with that account's own password). Copies its
** username to out (cap ≥ 64). Returns 1 when found, 0 when there is no such
** account or more than one (nothing is guessed), -1 with *e on a database
** error. Reads only. */
int accounts_person_username(Store *s, const char *id_number, char *out, size_t cap, Err *e);
/* accounts_logout() ends the session holding token. */
int accounts_logout(Store *s, const User *u, const char *token, Err *e);
/* accounts_session() finds the live session or API token for token and
** fills *u and csrf ("" for API tokens) and *api. Returns 0, or -1 when there
** is none (expired, unknown, disabled account); e may be NULL. Reads only. */
int accounts_session(Store *s, const char *token, User *u, char csrf[65], bool *api, Err *e);
/* accounts_token_create() makes an API token for u named name (valid one
** year) and writes it to token (64 hex). Only its hash is stored; its id is
** the first 16 hex characters of that hash. */
int accounts_token_create(Store *s, const User *u, const char *name, char token[65], Err *e);
/* accounts_tokens() lists u's live API tokens (id, name, created, expires). */
json_t *accounts_tokens(Store *s, const User *u, Err *e);
/* accounts_token_revoke() ends u's API token with this id, audited.
** -1 with token.not_found when u has no such token. */
int accounts_token_revoke(Store *s, const User *u, const char *id, Err *e);



/* accounts_departments_import() adds the departments of a CSV text with the
** header code,name,name_en (existing codes are kept), with one audit event. */
int accounts_departments_import(Store *s, const char *csv, size_t n, Err *e);
/* accounts_departments() returns a new JSON array of every department. */
json_t *accounts_departments(Store *s, Err *e);

/* One department. */
typedef struct Dept {
  int64_t id;
  char code[32];
  char name[164];
  bool central;      /* holds the area's concentrated approval powers (相对集中
                        行政许可权): its officials handle every department's cases */
} Dept;
/* accounts_dept_get() reads the department with this id (when code is NULL)
** or this code through db (a reader or a write job). Returns 1 when found,
** 0 when there is none, -1 with *e on a database error. */
int accounts_dept_get(Db *db, int64_t id, const char *code, Dept *d, Err *e);
/* accounts_applicant_id() sets *id to the enabled applicant account named
** username whose party is party (both must match, so a caller learns
** nothing about a username alone). Returns 1 when found, 0 when there is
** none (or it is not an applicant), -1 with *e on a database error. */
int accounts_applicant_id(Db *db, const char *username, const char *party, int64_t *id, Err *e);

/* accounts_dept_central() is true when department id holds the concentrated
** approval powers of the area (相对集中行政许可权, e.g. 行政审批局): its
** officials handle the records of every department. */
bool accounts_dept_central(Db *db, int64_t dept_id);

/* accounts_oversees() is true when u sees every department's records: an
** administrator, a leader, an auditor, or an official of a central
** department. Anyone else sees its own department's (or party's). */
bool accounts_oversees(Db *db, const User *u);
#endif
