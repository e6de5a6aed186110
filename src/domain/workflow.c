/*
** workflow.c — workflows as data (see workflow.h).
*/
#include "workflow.h"
#include "accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const Workflow *aWf[16];
static int nWf;

void workflow_register(const Workflow *wf) {
  if (wf->nState < 1 || wf->nState > WF_MAX_STATES) panic("workflow %s: %d states", wf->kind, wf->nState);
  uint64_t all = wf->nState == 64 ? ~UINT64_C(0) : WF_BIT(wf->nState) - 1;
  for (int i = 0; i < wf->nMove; i++) {
    const WfMove *m = &wf->aMove[i];
    if (!m->from || (m->from & ~all) || m->to >= wf->nState || m->to < WF_SAME || !m->roles)
      panic("workflow %s: move %s names no state or no role", wf->kind, m->name);
  }
  for (int i = 0; i < nWf; i++)
    if (aWf[i] == wf) return; /* registered already (tests start several servers) */
    else if (strcmp(aWf[i]->kind, wf->kind) == 0) panic("workflow %s registered twice", wf->kind);
  if (nWf == (int)XQ_COUNT(aWf)) panic("workflow_register: too many workflows");
  aWf[nWf++] = wf;
}

const Workflow *workflow_get(const char *kind) {
  for (int i = 0; i < nWf; i++)
    if (strcmp(aWf[i]->kind, kind) == 0) return aWf[i];
  return NULL;
}

int workflow_state(const Workflow *wf, const char *name) {
  for (int i = 0; name && i < wf->nState; i++)
    if (strcmp(wf->aState[i].name, name) == 0) return i;
  return -1;
}

const WfMove *workflow_move(const Workflow *wf, const char *name) {
  for (int i = 0; name && i < wf->nMove; i++)
    if (strcmp(wf->aMove[i].name, name) == 0) return &wf->aMove[i];
  return NULL;
}

int workflow_check_role(const Workflow *wf, const WfMove *m, unsigned role, Err *e) {
  char code[64];
  if (m->roles & role) return 0;
  snprintf(code, sizeof code, "%s.forbidden", wf->kind);
  return err_setf(e, E_FORBIDDEN, code, NULL, "您的角色不能执行“%s”", "Your role may not take this move", m->label);
}

int workflow_check(const Workflow *wf, const WfMove *m, int state, unsigned role, Err *e) {
  char code[64];
  if (workflow_check_role(wf, m, role, e)) return -1;
  if (state >= 0 && (m->from & WF_BIT(state))) return 0;
  json_t *allowed = json_array();
  for (int i = 0; i < wf->nMove; i++)
    if (state >= 0 && (wf->aMove[i].from & WF_BIT(state))) json_array_append_new(allowed, json_string(wf->aMove[i].name));
  char *list = json_dumps(allowed, JSON_COMPACT);
  const WfState *s = state >= 0 ? &wf->aState[state] : NULL;
  char zh[512], en[512];
  snprintf(zh, sizeof zh, "%s当前状态为%s（%s），可进行的操作：%s", wf->label, s ? s->label : "未知", s ? s->name : "?", list);
  snprintf(en, sizeof en, "The %s is %s; allowed moves: %s", wf->label_en, s ? s->name : "?", list);
  snprintf(code, sizeof code, "%s.bad_state", wf->kind);
  err_set(e, E_CONFLICT, code, "action", zh, en);
  free(list);
  json_decref(allowed);
  return -1;
}

json_t *workflow_open_moves(const Workflow *wf, int state, unsigned role) {
  json_t *a = json_array();
  for (int i = 0; state >= 0 && i < wf->nMove; i++) {
    const WfMove *m = &wf->aMove[i];
    if ((m->from & WF_BIT(state)) && (m->roles & role))
      json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "action", m->name, "label", m->label, "label_en", m->label_en));
  }
  return a;
}

json_t *workflow_json(const Workflow *wf) {
  json_t *st = json_array(), *mv = json_array(), *sp = json_array();
  for (int i = 0; i < wf->nState; i++)
    json_array_append_new(st, json_pack("{s:s,s:s,s:s,s:b}", "state", wf->aState[i].name, "label", wf->aState[i].label,
                                        "label_en", wf->aState[i].label_en, "open", wf->aState[i].open));
  for (int i = 0; i < wf->nMove; i++) {
    const WfMove *m = &wf->aMove[i];
    json_t *from = json_array(), *roles = json_array();
    for (int k = 0; k < wf->nState; k++)
      if (m->from & WF_BIT(k)) json_array_append_new(from, json_string(wf->aState[k].name));
    for (unsigned r = 1; r <= ROLE_ADMIN; r <<= 1)
      if (m->roles & r) json_array_append_new(roles, json_string(accounts_role_name(r)));
    if (m->roles & WF_REVIEWER) json_array_append_new(roles, json_string("reviewer"));
    const char *to = m->to >= 0 ? wf->aState[m->to].name : m->to == WF_RESUME ? "(resume)" : "(same)";
    json_array_append_new(mv, json_pack("{s:s,s:s,s:s,s:o,s:s,s:o}", "action", m->name, "label", m->label, "label_en",
                                        m->label_en, "from", from, "to", to, "roles", roles));
  }
  for (int i = 0; i < wf->nStep; i++)
    json_array_append_new(sp, json_pack("{s:s,s:s,s:s}", "action", wf->aStep[i].action, "label", wf->aStep[i].label,
                                        "label_en", wf->aStep[i].label_en));
  return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "kind", wf->kind, "label", wf->label, "label_en", wf->label_en,
                   "params_scope", wf->scope, "states", st, "moves", mv, "steps", sp);
}

json_t *workflows_json(void) {
  json_t *a = json_array();
  for (int i = 0; i < nWf; i++) json_array_append_new(a, workflow_json(aWf[i]));
  return a;
}
