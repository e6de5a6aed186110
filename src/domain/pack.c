/*
** pack.c — the demo pack loader (see pack.h). Entities go through the same
** CSV import as an administrator's file, so the demo exercises the real
** path; persons through registry_persons_import; users through
** accounts_create.
*/
#include "pack.h"
#include "bundle.h"
#include "cases.h"
#include "accounts.h"
#include "catalog.h"
#include "demo.h"
#include "history.h"
#include "registry.h"
#include "../base/buf.h"
#include "../base/csv.h"

#include <stdio.h>
#include <string.h>

const char *embedded_get(const char *name, size_t *n);

/* The parties a clerk files demo cases for at the window (history.h). */
enum { HISTORY_POOL = 400 };

typedef struct EntityOut {
  FILE *f;
  Buf line;
  PackReport *rep;
  char (*pool)[19]; /* active entities after the demo enterprise's, for the history */
  int nPool;
} EntityOut;

static int emit_entity(const Entity *en, void *arg) {
  EntityOut *o = arg;
  char cap[24];
  if (!o->rep->first_company[0] && strcmp(en->kind, "company") == 0)
    memcpy(o->rep->first_company, en->uscc, sizeof en->uscc);
  else if (o->nPool < HISTORY_POOL && strcmp(en->status, "active") == 0)
    memcpy(o->pool[o->nPool++], en->uscc, sizeof en->uscc);
  buf_reset(&o->line);
  snprintf(cap, sizeof cap, "%lld", (long long)en->capital_fen);
  const char *v[10] = {en->uscc,    en->name,     en->kind,     en->legal_rep, cap,
                       en->industry, en->address, en->district, en->established, en->status};
  for (int i = 0; i < 10; i++) {
    if (i) buf_putc(&o->line, ',');
    csv_put(&o->line, v[i]);
  }
  buf_putc(&o->line, '\n');
  return fwrite(o->line.a, 1, o->line.n, o->f) == o->line.n ? 0 : -1;
}

typedef struct PersonOut {
  Person *a;
  int n;
} PersonOut;

static int emit_person(const Person *p, void *arg) {
  PersonOut *o = arg;
  o->a[o->n++] = *p;
  return 0;
}

/* on_reject() logs an entity the import refused and takes it out of the
** history's pool (arg, an EntityOut). */
static void on_reject(int64_t line, const char *uscc, const char *reason, void *arg) {
  EntityOut *o = arg;
  log_warn("demo entity line %lld (%s) refused: %s", (long long)line, uscc, reason);
  for (int i = 0; i < o->nPool; i++)
    if (strcmp(o->pool[i], uscc) == 0) {
      memcpy(o->pool[i], o->pool[--o->nPool], sizeof o->pool[i]);
      break;
    }
}

static int load_entities(Store *s, int n, PackReport *rep, EntityOut *pool, Err *e) {
  EntityOut o = {tmpfile(), {0}, rep, pool->pool, 0};
  ImportReport ir;
  int rc = -1;
  if (!o.f) return err_set(e, E_INTERNAL, "pack.tmpfile", NULL, "无法创建临时文件", "Cannot create a temporary file");
  fputs(REGISTRY_CSV_HEADER "\n", o.f);
  if (demo_entities(20221, n, emit_entity, &o) != 0) {
    err_set(e, E_INTERNAL, "pack.write", NULL, "写临时文件失败", "Cannot write a temporary file");
    goto out;
  }
  rewind(o.f);
  if (registry_import_csv(s, NULL, o.f, &ir, on_reject, NULL, &o, e)) goto out;
  rep->entities = ir.imported;
  pool->nPool = o.nPool;
  rc = 0;
out:
  buf_free(&o.line);
  fclose(o.f);
  return rc;
}

static int load_users(Store *s, PackReport *rep, Err *e) {
  size_t n;
  const char *csv = embedded_get("jinpu/users.csv", &n);
  FILE *f = fmemopen((void *)csv, n, "r");
  CsvReader r;
  int rc = -1, got;
  csv_init(&r, f);
  csv_next(&r); /* header: username,role,dept_code,party,display */
  while ((got = csv_next(&r)) == 1) {
    NewUser nu = {0};
    const char *party = csv_field(&r, 3);
    if (strcmp(party, "@first_company") == 0) party = rep->first_company;
    else if (strcmp(party, "@first_person") == 0) party = rep->first_person;
    snprintf(nu.username, sizeof nu.username, "%s", csv_field(&r, 0));
    snprintf(nu.role, sizeof nu.role, "%s", csv_field(&r, 1));
    snprintf(nu.dept_code, sizeof nu.dept_code, "%s", csv_field(&r, 2));
    snprintf(nu.party, sizeof nu.party, "%s", party);
    snprintf(nu.display, sizeof nu.display, "%s", csv_field(&r, 4));
    if (accounts_create(s, NULL, &nu, PACK_DEMO_PASSWORD, PASSWORD_DEMO, NULL, e)) goto out;
    rep->users++;
  }
  rc = got < 0 ? -1 : 0;
out:
  csv_free(&r);
  fclose(f);
  return rc;
}

/* load_history() files nCase demo cases over the past year (history.h) for
** the demo accounts and the pooled parties. */
static int load_history(Store *s, int nCase, const EntityOut *ents, const Person *persons, int nPerson,
                        PackReport *rep, Err *e) {
  int nEnt = ents->nPool, nPer = nPerson - 1 < HISTORY_POOL ? nPerson - 1 : HISTORY_POOL;
  const char **ae = xcalloc((size_t)nEnt + 1, sizeof *ae), **ap = xcalloc((size_t)(nPer > 0 ? nPer : 0) + 1, sizeof *ap);
  for (int i = 0; i < nEnt; i++) ae[i] = ents->pool[i];
  for (int i = 0; i < nPer; i++) ap[i] = persons[i + 1].id_number; /* person 0 is the demo person's */
  HistoryParties hp = {ae, nEnt, ap, nPer > 0 ? nPer : 0};
  int rc = history_make(s, 20223, nCase, now_ms(), &hp, &rep->history, e);
  free(ae);
  free(ap);
  return rc;
}

int pack_load(Store *s, const char *name, int nEntity, int nPerson, int nCase, PackReport *rep, Err *e) {
  size_t n;
  const char *depts;
  memset(rep, 0, sizeof *rep);
  if (strcmp(name, "jinpu") != 0)
    return err_setf(e, E_INVALID, "pack.unknown", "demo", "没有这个演示数据包：%s（可用：jinpu）",
                    "No such demo pack: %s (available: jinpu)", name);
  int64_t have;
  if (registry_entity_count(s, &have, e)) return -1;
  if (have > 0)
    return err_set(e, E_CONFLICT, "pack.not_empty", "demo",
                   "数据库里已有市场主体，演示数据只能装入新建的数据库",
                   "The database already has market entities; a demo pack loads only into a new database");
  depts = embedded_get("jinpu/departments.csv", &n);
  if (!depts || accounts_departments_import(s, depts, n, e)) return -1;
  if (catalog_demo_load(s, &rep->items, e)) return -1;
  /* The area's 一件事: 企业开办 under one 0.5-working-day clock, and the
  ** 零时限 permits of a land parcel. */
  static const char *const kinds[][2] = {
      {"kaiban", "{\"label\":\"企业开办\",\"half_days\":1,\"parcel\":false,\"items\":"
                 "[\"JP-KB-01\",\"JP-KB-02\",\"JP-KB-03\",\"JP-KB-04\",\"JP-KB-05\",\"JP-KB-06\"]}"},
      {"land", "{\"label\":\"零时限审批（拿地即开工）\",\"half_days\":0,\"parcel\":true,\"items\":"
               "[\"JP-ZX-01\",\"JP-ZX-02\",\"JP-ZX-03\"]}"},
  };
  for (size_t i = 0; i < XQ_COUNT(kinds); i++) {
    json_t *in = json_loads(kinds[i][1], 0, NULL), *saved = bundle_kind_save(s, NULL, kinds[i][0], in, e);
    json_decref(in);
    if (!saved) return -1;
    json_decref(saved);
  }

  EntityOut pool = {.pool = xcalloc(HISTORY_POOL, sizeof *pool.pool)};
  PersonOut po = {xcalloc((size_t)nPerson + 1, sizeof(Person)), 0};
  int rc = -1;
  if (load_entities(s, nEntity, rep, &pool, e)) goto out;
  demo_persons(20222, nPerson, emit_person, &po);
  if (po.n) memcpy(rep->first_person, po.a[0].id_number, sizeof rep->first_person - 1);
  if (registry_persons_import(s, NULL, po.a, po.n, &rep->persons, e) || load_users(s, rep, e)) goto out;
  rc = nCase > 0 ? load_history(s, nCase, &pool, po.a, po.n, rep, e) : 0;
out:
  free(pool.pool);
  free(po.a);
  return rc;
}
