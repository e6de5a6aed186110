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
  bool must_change;    /* must change the password before anything else
                          (accounts_password_change()); the router lets
                          such a session call only the routes that allow it */
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

/* Who knows a password, which decides whether its holder must change it. */
typedef enum ePassword {
  PASSWORD_OWN,    /* the holder's own (or the operator's, at the console) */
  PASSWORD_ISSUED, /* set by an administrator: changed at the next login */
  PASSWORD_DEMO    /* the demo pack's published password (PACK_DEMO_PASSWORD):
                      exempt from the policy; whoever logs in with it must
                      change it unless the server runs in demo mode */
} ePassword;

/* accounts_password_check() applies the password policy to password for an
** account of role named username: 8–128 characters for applicants; at
** least 12 and three of the four kinds (lower case, upper case, digits,
** others) for every other role; never the username, nor a common password
** (data/passwords/common.txt), compared in lower case, also with leetspeak
** undone (@→a, 0→o, 1→i, 3→e, $→s …) and with leading and trailing digits
** and symbols removed, so "P@ssw0rd2026!" is "password". Returns 0, or -1
** with password.weak (E_INVALID, on field) and the reason in Chinese. */
int accounts_password_check(unsigned role, const char *username, const char *password,
                            const char *field, Err *e);

/* accounts_create() validates nu and password (the policy above unless how
** is PASSWORD_DEMO), hashes the password (argon2id, outside the write
** transaction) and writes the account with its audit event; a
** PASSWORD_ISSUED password must be changed at the first login. actor may be
** NULL for the CLI ("system"). Sets *id. Returns 0, or -1 with *e set
** (user.exists, user.bad_role, user.bad_name, password.weak,
** user.bad_dept, user.bad_party …). */
int accounts_create(Store *s, const User *actor, const NewUser *nu, const char *password,
                    ePassword how, int64_t *id, Err *e);
/* accounts_user_get() reads the enabled account username into *u (no
** session: for the demo history, which acts as the demo accounts).
** Returns 0, or -1 with *e (user.not_found). */
int accounts_user_get(Db *db, const char *username, User *u, Err *e);
/* accounts_user_get_id() reads the enabled account with this id into *u.
** 1 when found, 0 when none (or disabled), -1 with *e. */
int accounts_user_get_id(Db *db, int64_t id, User *u, Err *e);
/* accounts_list() returns a new JSON array of every account (no hashes),
** with disabled and must_change_password. */
json_t *accounts_list(Store *s, Err *e);
/* accounts_to_json() describes u for the API (new object). */
json_t *accounts_to_json(const User *u);

/* Login throttling: growing delays, never a lock. An account may fail 5
** times within the window, an address 20; after that each further attempt
** must wait, from the newest failure, ACCOUNTS_DELAY_FIRST_MS doubled for
** every failure past the free ones, at most ACCOUNTS_DELAY_MAX_MS. An
** attempt made too soon is refused (auth.throttled, Retry-After) without
** being counted, so an attacker cannot keep the real user out for longer
** than one delay; the right password after the delay logs in and clears
** the account's failures. Failures older than the window are forgotten. An
** attempt counts as a failure from the moment it starts until its password
** checks out, so parallel guesses cannot outrun the count (at most five
** logins of one account are checked at once). */
#define ACCOUNTS_FREE_FAIL_USER 5
#define ACCOUNTS_FREE_FAIL_IP 20
#define ACCOUNTS_DELAY_FIRST_MS (5 * 1000)
#define ACCOUNTS_DELAY_MAX_MS (15 * 60 * 1000)
#define ACCOUNTS_FAIL_WINDOW_MS (60 * 60 * 1000)
#define ACCOUNTS_SESSION_MS (8 * 3600 * 1000)

/* accounts_demo_mode() tells the accounts whether the server is a
** demonstration (`serve --demo`): only then may the demo pack's published
** password be used without changing it. Off until called; call it before
** serving. */
void accounts_demo_mode(bool on);

/* accounts_login() checks username/password from address ip. On success it
** writes a session (and its audit event) and fills *u, token (the cookie
** value, 64 hex) and csrf (64 hex); u->must_change tells whether the password
** must be changed first (issued by an administrator, or the demo pack's
** published one outside demo mode). Returns 0; -1 with *e:
** auth.bad_credentials (E_AUTH), auth.throttled (E_LIMIT with retry_after),
** auth.disabled (E_FORBIDDEN, only after the right password, so it tells
** nothing to a guesser), or a database error. A failure is recorded (with
** an audit event) for throttling; unknown and disabled accounts take the
** time a known one does. */
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
/* accounts_password_change() sets u's password to new after checking
** current, throttled and counted like a login from ip (a wrong current
** password is password.bad_current on field "current"), and new against
** the policy (on field "new"; it must differ from current). The password
** then needs no change, and every other session of u ends (its API tokens
** stay: they are listed and revoked on their own); keep_token is the
** caller's session token, kept. Audited. */
int accounts_password_change(Store *s, const User *u, const char *current, const char *new_password,
                             const char *ip, const char *keep_token, Err *e);
/* accounts_password_set() gives the account username a new password
** (checked against the policy), chosen by actor (NULL: the operator at the
** console); how is PASSWORD_ISSUED (changed at the next login) or
** PASSWORD_OWN. Every session and API token of the account ends and its
** failed logins are forgotten. Audited. user.not_found when there is no
** such account. */
int accounts_password_set(Store *s, const User *actor, const char *username, const char *password,
                          ePassword how, Err *e);
/* accounts_disable() disables (disabled true) or enables the account
** username. A disabled account cannot log in (auth.disabled after the right
** password) and its sessions and API tokens end at once. An administrator
** cannot disable their own account (user.self). Audited (account.disable,
** account.enable). user.not_found when there is no such account. */
int accounts_disable(Store *s, const User *actor, const char *username, bool disabled, Err *e);
/* accounts_role_set() gives the account username the role nu->role, with
** the department nu->dept_code (clerks, approvers, policy and investment
** officers must have one; leaders, auditors and administrators may; an
** applicant never) and the party nu->party (an applicant must have a valid
** USCC or ID number; nobody else has one). In one write: the account
** changes, every session and API token of it ends (its holder logs in
** again under the new role), and one audit event (account.role_set, with
** the role, department and party before and after). Refuses, before
** anything is written: user.bad_role, user.dept_required, user.bad_dept
** (unknown, or given to an applicant), user.party_required,
** user.bad_party, user.not_found, and user.last_admin when the account is
** the last enabled administrator and would stop being one. Sets *ended to
** the sessions and tokens ended (may be NULL). Returns 0, or -1 with *e. */
int accounts_role_set(Store *s, const User *actor, const char *username, const NewUser *nu, int64_t *ended,
                      Err *e);
/* accounts_sessions_end() ends every session and API token of the account
** username and sets *n to how many ended. Audited (account.sessions_end). */
int accounts_sessions_end(Store *s, const User *actor, const char *username, int64_t *n, Err *e);
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
  char notice_prefix[64]; /* 文号字头 of its notices ("金普市监"), "" for the area's default */
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
