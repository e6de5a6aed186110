/*
** accounts.h — users, roles, sessions, API tokens and login throttling.
** Users hold one role; officials are bound to a department, applicants to
** a party (a USCC or a person's ID number). Passwords are argon2id hashes;
** session and API tokens are random and stored only as SHA-256 hashes.
*/
#ifndef XINQU_ACCOUNTS_H
#define XINQU_ACCOUNTS_H

#include "../base/base.h"
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
  char display[128];   /* display name */
  unsigned role;       /* one ROLE_* bit */
  int64_t dept_id;     /* department, 0 when none */
  char party[40];      /* party code for applicants, "" otherwise */
} User;

/* Role names as used in the API and CLI ("applicant", "clerk", …). */
const char *accounts_role_name(unsigned role);
const char *accounts_role_label(unsigned role); /* Chinese label */
/* 0 when name is not a role. */
unsigned accounts_role_parse(const char *name);

#endif
