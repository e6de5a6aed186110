/*
** talent_feed.h — what a talent record takes from elsewhere (issue 16):
**
** - the school's class from the 双一流 lists as data
**   (data/talent/shuangyiliu.csv, shuangyiliu_editions.csv): the edition in
**   force on the graduation date decides, and the record says which;
** - the employer linked by its USCC to a registry entity, whence
**   employer_in_jinpu (registered in the New Area's registry and neither
**   吊销 nor 注销) unless the record says it;
** - the monthly 社保 and 个税 records as the feeds deliver them, one row per
**   person and month in Excel or CSV (sheet.h): all rows checked against
**   the registry first, then merged into each person's record in one write
**   (the months of the file replace the same months of that feed; other
**   months stay), with an audit event per import and per record changed.
**
** Facts a record derives carry a source that begins with TALENT_AUTO; a
** record written back with such a source has the fact derived afresh (the
** record page sends back what it shows).
*/
#ifndef XINQU_TALENT_FEED_H
#define XINQU_TALENT_FEED_H

#include <jansson.h>
#include "../base/base.h"
#include "../base/buf.h"
#include "../store/store.h"
#include "accounts.h"

/* The beginning of the source of a derived fact. */
#define TALENT_AUTO "自动："

/* TalentSchool: a university as the 双一流 list in force says. */
typedef struct TalentSchool {
  char name[160];     /* the list's name of it */
  char cls[32];       /* world_class_university | world_class_discipline */
  char group[4];      /* "A" or "B" (2017's 一流大学), else "" */
  char edition[8];    /* the list's year: "2017", "2022" */
  char from[11];      /* the day that edition applies from */
  char document[64];  /* 教研函〔2017〕2号 */
} TalentSchool;

/* talent_school_lookup() looks name (the list's name or an alias; blanks
** around it and half-width brackets are forgiven) up in the edition of the
** 双一流 list in force on day on (YYYY-MM-DD; NULL: the latest). Returns 1
** with *out; 0 when the school is not on it (out->edition says which
** edition was read, "" when none was in force on that day); -1 when the
** shipped data cannot be read or on is not a date. */
int talent_school_lookup(const char *name, const char *on, TalentSchool *out);

/* talent_facts_school() is facts (an object) with school_class from
** school as of graduated_on when facts give a school and no class (a copy,
** new), else facts itself (a new reference): what a check of facts that
** are not a record (the command line, the API's what-if) derives. */
json_t *talent_facts_school(const json_t *facts);

/* talent_schools() is {editions: [{edition, from, document, title,
** universities, disciplines}], items: [{edition, name, class, group,
** aliases}]} of the shipped lists (new), or NULL. */
json_t *talent_schools(void);

/* talent_months_merge() is the month records have (an array of {month,
** …}, or NULL) with those of feed put in: a month of feed replaces the same
** month of have, other months of have stay; sorted by month (new). */
json_t *talent_months_merge(const json_t *have, const json_t *feed);

/* talent_record_derive() completes a record's facts and sources (both
** objects, changed in place) inside a write on db: school_class from school
** and graduated_on, and employer_in_jinpu from employer_uscc, each unless
** the facts give it (a fact whose source in sources begins with TALENT_AUTO
** was derived before and is derived afresh). 0, or -1 with *e:
** talent.bad_uscc, talent.no_employer. */
int talent_record_derive(Db *db, json_t *facts, json_t *sources, Err *e);

/* talent_record_links() adds to a record (talent_record()'s answer) what
** its facts link to: employer {uscc, name, status, in_new_area} when it
** has employer_uscc and the registry knows it. 0, or -1 with *e. */
int talent_record_links(Db *db, json_t *record, Err *e);

/* The feeds. */
#define TALENT_FEEDS "social_insurance income_tax"

/* talent_feed_import() imports data[0..n) (Excel or CSV) of feed
** ("social_insurance" 社保 or "income_tax" 个税): columns 证件号码, 姓名?,
** 所属期 (YYYY-MM), 缴纳地 (金普 / 大连 / 其他, or jinpu / dalian / other,
** or a six-digit division code), 是否补缴?, and for income_tax
** 扣缴义务人统一社会信用代码?. Every row is checked (the person known to
** the registry, the name matching it when given, a month once per person);
** then all are merged, or none (import.rejected with the refusals by line).
** dry_run checks only. Returns {feed, rows, persons, months, imported,
** dry_run} (new), or NULL with *e. The talent department's officers only. */
json_t *talent_feed_import(Store *s, const User *actor, const char *feed, const void *data, size_t n, bool dry_run,
                           Err *e);

/* talent_feed_export() writes every record's months of feed as the import
** reads them (Excel when xlsx, else CSV) to out. 0, or -1 with *e. For
** those who read talent records. */
int talent_feed_export(Store *s, const User *actor, const char *feed, bool xlsx, Buf *out, Err *e);

#endif
