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
#include "registry.h"
#include "../base/buf.h"
#include "../base/csv.h"

#include <stdio.h>
#include <string.h>

const char *embedded_get(const char *name, size_t *n);

typedef struct EntityOut {
  FILE *f;
  Buf line;
  PackReport *rep;
} EntityOut;

static int emit_entity(const Entity *en, void *arg) {
  EntityOut *o = arg;
  char cap[24];
  if (!o->rep->first_company[0] && strcmp(en->kind, "company") == 0)
    memcpy(o->rep->first_company, en->uscc, sizeof en->uscc);
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

static void on_reject(int64_t line, const char *uscc, const char *reason, void *arg) {
  (void)arg;
  log_warn("demo entity line %lld (%s) refused: %s", (long long)line, uscc, reason);
}

static int load_entities(Store *s, int n, PackReport *rep, Err *e) {
  EntityOut o = {tmpfile(), {0}, rep};
  ImportReport ir;
  int rc = -1;
  if (!o.f) return err_set(e, E_INTERNAL, "pack.tmpfile", NULL, "无法创建临时文件", "Cannot create a temporary file");
  fputs(REGISTRY_CSV_HEADER "\n", o.f);
  if (demo_entities(20221, n, emit_entity, &o) != 0) {
    err_set(e, E_INTERNAL, "pack.write", NULL, "写临时文件失败", "Cannot write a temporary file");
    goto out;
  }
  rewind(o.f);
  if (registry_import_csv(s, NULL, o.f, &ir, on_reject, NULL, NULL, e)) goto out;
  rep->entities = ir.imported;
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

int pack_load(Store *s, const char *name, int nEntity, int nPerson, PackReport *rep, Err *e) {
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

  if (load_entities(s, nEntity, rep, e)) return -1;

  PersonOut po = {xcalloc((size_t)nPerson + 1, sizeof(Person)), 0};
  demo_persons(20222, nPerson, emit_person, &po);
  if (po.n) memcpy(rep->first_person, po.a[0].id_number, sizeof rep->first_person - 1);
  int rc = registry_persons_import(s, NULL, po.a, po.n, &rep->persons, e);
  free(po.a);
  if (rc) return -1;
  return load_users(s, rep, e);
}
