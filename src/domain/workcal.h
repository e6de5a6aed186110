/*
** workcal.h — the working-day calendar kept in the database, so that an
** administrator can load next year's State Council notice without a release.
** The rows are the same as data/calendar/cn.csv; base/cal.c does the
** arithmetic on a Cal loaded from them.
*/
#ifndef XINQU_WORKCAL_H
#define XINQU_WORKCAL_H

#include <jansson.h>
#include "../base/base.h"
#include "../base/cal.h"
#include "../store/store.h"
#include "accounts.h"

/* workcal_import() validates text (the cn.csv format) and replaces, for
** every year it covers, that year's rows in the database, with one audit
** event naming source and the years. *years gets how many years. */
int workcal_import(Store *s, const User *actor, const char *text, size_t n, const char *source,
                   int *years, Err *e);
/* workcal_seed() imports the calendar compiled into the binary
** (data/calendar/cn.csv) for the years the database does not have yet,
** with one audit event (calendar.import, by the system) when there are
** any; a year the database has, imported or seeded, is left as it is.
** Idempotent, and cheap when nothing is missing (one read, no write):
** every open of the database by the program runs it (main.c open_db()),
** so a database made or migrated by any build gets the years a newer
** binary brings. */
int workcal_seed(Store *s, Err *e);
/* workcal_load() returns a new Cal with every row of the database (the
** caller cal_free()s it), or NULL with *e. */
Cal *workcal_load(Store *s, Err *e);
/* workcal_year() describes year for the API: a new object {year, known,
** days: [{date, workday, name}…]} from the database's calendar. */
json_t *workcal_year(Store *s, int year, Err *e);
/* workcal_embedded() returns a new Cal of the compiled-in calendar. */
Cal *workcal_embedded(void);

#endif
