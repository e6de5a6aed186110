/*
** workflow.h — the states and moves of one kind of record, as data its
** domain registers: a government-service case (cases.c) is the first; a
** talent application, a qualification, a project's stages and a
** livelihood project's milestones are the next. A workflow says, for every
** move, the states it starts from, where it leads, the roles that may take
** it, what it does to the SLA clock (sla.h), the notice it writes and the
** domain's hook; this module answers whether a move may be taken, lists
** the moves open to a role, and describes the machine (GET
** /api/v1/workflows), so labels have one source. Storing a record, its
** version (the compare-and-set) and running the hooks stay with the domain.
*/
#ifndef XINQU_WORKFLOW_H
#define XINQU_WORKFLOW_H

#include <jansson.h>
#include "../base/base.h"
#include "../store/store.h"

#define WF_MAX_STATES 64
#define WF_BIT(s) (UINT64_C(1) << (s)) /* a state in a move's from-mask */

/* What a move does to the record's SLA clock. */
typedef enum eClock { CLK_NONE, CLK_START, CLK_PAUSE, CLK_RESUME, CLK_STOP } eClock;

/* In a move's roles, beside the ROLE_* bits: the record's reviewing party
** (an account of the party a record names to confirm it, such as a talent
** application's employer, or its agent), whose role the domain gives such
** an account on that record instead of its account's role. */
#define WF_REVIEWER (1u << 16)

enum {
  WF_RESUME = -1, /* to: the state the record paused from */
  WF_SAME = -2    /* to: the state it is in (the hook may move it on) */
};

typedef struct WfState {
  const char *name, *label, *label_en;
  bool open;       /* the record is still being handled (its clock may run) */
} WfState;

/* A move's hook: the domain's own checks and work inside the write job;
** ctx is the domain's (cases.c: its Ctx). 0, or -1 with *e. */
typedef int (*WfHook)(Db *db, void *ctx, Err *e);

typedef struct WfMove {
  const char *name;       /* the action in the API */
  const char *label, *label_en;
  uint64_t from;          /* WF_BIT(state) mask */
  int to;                 /* the state it leads to, WF_RESUME or WF_SAME */
  unsigned roles;         /* ROLE_* that may take it (an applicant only on its own records), WF_REVIEWER */
  eClock clock;
  int notice;             /* the domain's notice kind written, 0 for none */
  WfHook hook;            /* or NULL */
} WfMove;

/* What the engine records on a record's timeline that no actor's move is
** (created, ended by a scan, a task done, a rating). */
typedef struct WfStep {
  const char *action, *label, *label_en;
} WfStep;

typedef struct Workflow {
  const char *kind;       /* "case": also the prefix of its error codes */
  const char *label, *label_en;
  const char *scope;      /* the parameters' scope (params.h) of its numbering, bars and clock:
                             "cases"; its notices' wording is scope "notice", keys NAME[:ITEM_KIND] */
  const WfState *aState;
  int nState;             /* ≤ WF_MAX_STATES */
  const WfMove *aMove;
  int nMove;
  const WfStep *aStep;
  int nStep;
} Workflow;

/* workflow_register() adds wf (static storage) to the workflows GET
** /api/v1/workflows describes; panics on a kind registered twice or a
** malformed table (a from-mask or a to naming no state). */
void workflow_register(const Workflow *wf);

/* workflow_get() is the registered workflow of kind, or NULL. */
const Workflow *workflow_get(const char *kind);

/* workflow_state() is the index of state name in wf, or -1. */
int workflow_state(const Workflow *wf, const char *name);

/* workflow_move() is move name of wf, or NULL. */
const WfMove *workflow_move(const Workflow *wf, const char *name);

/* workflow_check_role() is 0 when role may take move m (from some state),
** or -1 with KIND.forbidden. */
int workflow_check_role(const Workflow *wf, const WfMove *m, unsigned role, Err *e);

/* workflow_check() decides whether role may take move m from state: 0, or
** -1 with *e: KIND.forbidden (403) when the role may not take the move at
** all, KIND.bad_state (409) when not from this state — its message names
** the state and lists the moves the state allows. */
int workflow_check(const Workflow *wf, const WfMove *m, int state, unsigned role, Err *e);

/* workflow_open_moves() is [{action, label, label_en}] of the moves role may
** take from state (new array). */
json_t *workflow_open_moves(const Workflow *wf, int state, unsigned role);

/* workflow_json() describes wf: {kind, label, label_en, states: [{state,
** label, label_en, open}], moves: [{action, label, label_en, from: [states],
** to, roles: [role names, "reviewer" for WF_REVIEWER]}], steps: [{action, label, label_en}]} (new
** object). workflows_json() is every registered one (new array). */
json_t *workflow_json(const Workflow *wf);
json_t *workflows_json(void);

#endif
