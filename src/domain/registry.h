/*
** registry.h — the market-entity registry (市场主体) and persons.
** Entities are keyed by their USCC (统一社会信用代码); registered capital is
** in fen; industry is a GB/T 4754 section letter (A–T).
*/
#ifndef XINQU_REGISTRY_H
#define XINQU_REGISTRY_H

#include <jansson.h>
#include "../base/base.h"
#include "../base/jsonx.h"
#include "../store/store.h"
#include "accounts.h"
#include <stdio.h>

/* Entity kinds, as stored: the USCC's registration category follows them
** (9 1 = enterprise, 9 2 = 个体工商户, 9 3 = 农民专业合作社). */
#define ENTITY_KINDS "company", "partnership", "sole", "branch", "individual", "cooperative"

typedef struct Entity {
  char uscc[19];         /* 18-character USCC */
  /* Text sizes allow 4 UTF-8 bytes for each character of the limit. */
  char name[404];        /* 名称, 2–100 characters */
  char kind[16];         /* one of ENTITY_KINDS */
  char legal_rep[124];   /* 法定代表人 / 经营者 / 负责人, ≤ 30 characters */
  int64_t capital_fen;   /* 注册资本 in fen; 0 for 个体工商户 without one */
  char industry[2];      /* GB/T 4754 section letter */
  char address[324];     /* 住所, ≤ 80 characters */
  char district[84];     /* 街道 / area within the new area, ≤ 20 characters */
  char established[11];  /* 成立日期 YYYY-MM-DD */
  char status[16];       /* "active" 存续, "revoked" 吊销, "cancelled" 注销 */
} Entity;

typedef struct Person {
  char id_kind[9];       /* "id" (GB 11643) or "passport" */
  char id_number[32];    /* 18-character ID number, or passport number */
  char name[64];
  char nationality[4];   /* ISO 3166 alpha-3, "CHN" for residents */
} Person;



/* Fields of Entity that a change (PATCH) may set, as a bit mask. */
enum {
  EF_NAME = 1 << 0, EF_KIND = 1 << 1, EF_LEGAL_REP = 1 << 2, EF_CAPITAL = 1 << 3,
  EF_INDUSTRY = 1 << 4, EF_ADDRESS = 1 << 5, EF_DISTRICT = 1 << 6, EF_ESTABLISHED = 1 << 7,
  EF_STATUS = 1 << 8
};

/* registry_kind_label() is the Chinese name of an entity kind ("" if none). */
const char *registry_kind_label(const char *kind);
/* registry_entity_check() validates every field of en (USCC checks, the
** USCC's category against the kind, name 2–100 characters, industry A–T,
** a real establishment date not in the future, capital ≥ 0, status).
** Upper-cases the USCC. Returns 0, or -1 with *e naming the field. */
int registry_entity_check(Entity *en, Err *e);
/* registry_entity_create() checks en, gives it a newly generated USCC when
** en->uscc is empty (division 210213), and writes it with its audit event.
** Returns 0, or -1 with *e (entity.exists when the USCC is taken). */
int registry_entity_create(Store *s, const User *actor, Entity *en, Err *e);
/* registry_entity_fields() describes an entity's members for jsonx_decode()
** into en, the same for the entity API and for the form of a filing that
** registers one: f holds REGISTRY_ENTITY_FIELDS entries, present 9 flags
** (name, kind, legal_rep, capital_fen, industry, address, district,
** established, status). create adds uscc and requires name and kind.
** Returns how many entries it filled. */
#define REGISTRY_ENTITY_FIELDS 10
int registry_entity_fields(Entity *en, JField *f, bool *present, bool create);
/* registry_entity_check_new() checks en as registry_entity_create() would
** before writing it (an empty USCC is checked as one to be generated),
** without changing en. Returns 0, or -1 with *e naming the field. */
int registry_entity_check_new(const Entity *en, Err *e);
/* registry_entity_create_on() is registry_entity_create() inside the
** caller's write job on db (a case that issues a business licence). */
int registry_entity_create_on(Db *db, const User *actor, Entity *en, Err *e);
/* registry_entity_get_on() is registry_entity_get() through db. */
int registry_entity_get_on(Db *db, const char *uscc, Entity *en, Err *e);
/* registry_person_get_on() reads the person with this ID or passport number
** through db. -1 with person.not_found. */
int registry_person_get_on(Db *db, const char *number, Person *p, Err *e);
/* registry_entity_get() reads one entity. -1 with entity.bad_uscc (a code
** that is not a valid USCC) or entity.not_found. */
int registry_entity_get(Store *s, const char *uscc, Entity *en, Err *e);
/* registry_entity_update() applies the fields of patch named by mask to the
** entity uscc, checks the result, writes it with its history row (table
** entity_change) and an audit event listing the old and new values, and
** returns the result in *out. Nothing changed: nothing is written.
** registry_entity_update_on() does it inside the caller's write job, for
** case case_no (recorded with the change). registry_entity_history() is the
** newest 100 changes of uscc: [{at, actor, case, changes: {field: [old, new]}}]. */
int registry_entity_update_on(Db *db, const User *actor, const char *uscc, const Entity *patch, unsigned mask,
                              const char *case_no, Entity *out, Err *e);
json_t *registry_entity_history(Store *s, const char *uscc, Err *e);
int registry_entity_update(Store *s, const User *actor, const char *uscc, const Entity *patch,
                           unsigned mask, Entity *out, Err *e);
/* registry_entity_search() pages through entities whose name contains q
** (all when q is empty), optionally of one kind and established from..to
** (YYYY-MM-DD, either may be NULL), newest first by USCC order.
** Returns a new object {items, total, page, per_page}, or NULL with *e. */
json_t *registry_entity_search(Store *s, const char *q, const char *kind, const char *from, const char *to, int page,
                               int per_page, Err *e);
/* registry_entity_count() sets *n to the number of registered entities. */
int registry_entity_count(Store *s, int64_t *n, Err *e);
/* registry_entity_json() describes en for the API (new object). */
json_t *registry_entity_json(const Entity *en);
/* registry_person_add() checks and writes a person (for the demo pack and
** imports) with its audit event. */
int registry_person_add(Store *s, const User *actor, Person *p, Err *e);

/* registry_persons_import() writes n persons (checked as by
** registry_person_add; ones already present are skipped) in one transaction
** with one audit event. *added gets how many were new. */
int registry_persons_import(Store *s, const User *actor, Person *a, int n, int64_t *added, Err *e);

/* The CSV layout of entities, for import and export. */
#define REGISTRY_CSV_HEADER "uscc,name,kind,legal_rep,capital_fen,industry,address,district,established,status"

typedef struct ImportReport {
  int64_t rows;       /* data rows read */
  int64_t imported;   /* rows written */
  int64_t rejected;   /* rows refused (reported through on_reject) */
  int64_t unchanged;  /* rows equal to what is stored, so not written (catalogue) */
  int64_t bytes;      /* bytes read so far */
} ImportReport;

/* registry_import_csv() streams entity rows from f (header REGISTRY_CSV_HEADER)
** into the registry in batches, each batch one transaction with one audit
** event. A row with a bad field, or a USCC already present, is refused and
** reported through on_reject(line, uscc, reason, arg); the rest is imported.
** on_progress (may be NULL) is called after each batch. Returns 0, or -1 with
** *e on a bad header, a read error or a database failure (rows of earlier
** batches stay imported, and the report says how many). */
int registry_import_csv(Store *s, const User *actor, FILE *f, ImportReport *rep,
                        void (*on_reject)(int64_t line, const char *uscc, const char *reason, void *arg),
                        void (*on_progress)(const ImportReport *rep, void *arg), void *arg, Err *e);
/* registry_export_csv() writes every entity as CSV (with the header) to f
** and flushes it. Returns 0, or -1 with *e (export.write when f failed). */
int registry_export_csv(Store *s, FILE *f, Err *e);
/* A party (申请人) as a record is filed for and a rule reads it: a market
** entity (USCC) or a person (ID or passport number) from the registry. */
typedef struct Party {
  char code[40], type[8], name[404]; /* type: "entity" | "person" */
  json_t *facts;  /* owned: the facts a rule reads as facts.party (rules.h) */
} Party;

/* registry_party_load() reads party code (a USCC or a person's number)
** through db into *p (json_decref(p->facts) when done). -1 with *e:
** party.unknown when the registry does not hold it. */
int registry_party_load(Db *db, const char *code, Party *p, Err *e);
/* registry_party_card() is what the registry holds of party code as an
** applicant's e-form shows it in place of an uploaded copy (new object):
** {type: "entity" | "person", name, number} with a person's ID or passport
** number masked (the first 6 and last 4 characters of an ID number, the
** first 2 and last 2 of a passport's, the rest as *). NULL with *e as
** registry_party_load(). */
json_t *registry_party_card(Db *db, const char *code, Err *e);
/* Agencies (代办). registry_acts_for() is true when applicant u may act for
** party: its own, or one that granted it an agency (a read error counts as
** no). registry_agent_grant() lets the applicant account agent, whose
** own party is agent_party, act for actor's party (one live grant per
** agent and party: granting again returns it with *created false; an
** unknown pair is agent.unknown, the same for an unknown username);
** registry_agent_revoke() ends grant id of actor's party;
** registry_agent_list() is the live grants given by or to actor: [{id,
** party, agent, created_at}]. Each change is one write with its audit event. */
bool registry_acts_for(Db *db, const User *u, const char *party);
/* registry_grant_live() is true when account_id holds a live grant of party. */
bool registry_grant_live(Db *db, int64_t account_id, const char *party);
json_t *registry_agent_grant(Store *s, const User *actor, const char *agent, const char *agent_party,
                             bool *created, Err *e);
int registry_agent_revoke(Store *s, const User *actor, int64_t id, Err *e);
json_t *registry_agent_list(Store *s, const User *actor, Err *e);
#endif
