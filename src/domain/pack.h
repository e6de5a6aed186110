/*
** pack.h — loading a deployment's demo pack into a fresh database. The
** Jinpu pack (data/jinpu/, compiled in) has the area's departments, its
** demo users of every role, its service catalogue (catalog_demo_load), and
** generated market entities and persons.
*/
#ifndef XINQU_PACK_H
#define XINQU_PACK_H

#include "../base/base.h"
#include "../store/store.h"
#include "history.h"

/* The password of every demo account (printed by `make run`). */
#define PACK_DEMO_PASSWORD "Jinpu@2026"

typedef struct PackReport {
  int64_t departments, users, entities, persons;
  int64_t items;          /* catalogue items (事项) written */
  char first_company[19]; /* the USCC bound to the demo enterprise account */
  char first_person[19];  /* the ID number bound to the demo person account */
  HistoryReport history;  /* the demo cases (history.h) */
} PackReport;

/* pack_load() loads pack name ("jinpu") with nEntity generated entities and
** nPerson persons into a database without entities, then, when nCase > 0,
** a year of nCase cases made by the case engine (history.h, whose
** requirements apply). Every write is audited.
** Returns 0, or -1 with *e (pack.unknown for another name, pack.not_empty when
** the database already has entities). */
int pack_load(Store *s, const char *name, int nEntity, int nPerson, int nCase, PackReport *rep, Err *e);

#endif
