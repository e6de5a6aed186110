/*
** history.c — a year of demo cases through the case engine (see history.h).
**
** The simulation is an event queue ordered by instant: each event is the
** next step of one case's plan (or a day's deadline scan). Running an event
** pins the clock to its instant, calls the engine as the actor the step
** names, reads the state the engine answers, and queues the case's next
** step. The plan decides what is tried; the engine decides what happens
** (a 秒批 rule may approve, deny or leave a case to the clerk), and the plan
** follows the state the engine reports.
*/
#include "history.h"
#include "accounts.h"
#include "cases.h"
#include "catalog.h"
#include "docs.h"
#include "sla.h"
#include "task.h"
#include "workcal.h"
#include "../base/buf.h"
#include "../base/cal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YEAR_MS (365LL * CAL_MS_PER_DAY)
#define HOUR_MS 3600000LL
#define MINUTE_MS 60000LL
#define N_PDF 3

/* --- randomness (splitmix64, one stream per case) ---------------------------- */

typedef struct Rng {
  uint64_t s;
} Rng;

static uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

static uint64_t rng_next(Rng *r) { return mix64(r->s += 0x9e3779b97f4a7c15u); }

/* rng_below() is uniform in [0, n), n > 0. */
static uint32_t rng_below(Rng *r, uint32_t n) { return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32); }

/* pct() is true with probability p percent. */
static bool pct(Rng *r, int p) { return (int)rng_below(r, 100) < p; }

/* between() is uniform in [lo, hi). */
static int64_t between(Rng *r, int64_t lo, int64_t hi) {
  return hi > lo ? lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo)) : lo;
}

/* --- the plan of one case ----------------------------------------------------- */

/* What happens to a case, drawn when it is filed. */
typedef enum eFate {
  F_NORMAL,    /* accepted, reviewed, decided */
  F_REFUSE,    /* 不予受理 at intake */
  F_WITHDRAW,  /* the applicant withdraws before intake */
  F_CORRECT,   /* 一次性告知补正, then resubmitted and accepted */
  F_RONGQUE,   /* 容缺: a material missing, supplied in time */
  F_LAPSE,     /* 容缺: never supplied; the scan ends the case */
  F_PROMISE,   /* 告知承诺: decided at submission, verified later */
} eFate;

/* The steps of a plan, in order; a case's next step is found from the
** state the engine reports. */
typedef enum eStep {
  S_FILE, S_INTAKE, S_RESUBMIT, S_SUPPLEMENT, S_REVIEW, S_SPECIAL_END, S_DECIDE, S_ISSUE, S_CLOSE, S_RATE,
  S_TASK, S_DONE
} eStep;

typedef struct Hcase {
  Rng r;
  int item;              /* index into the item pool */
  const User *filer;     /* who files: an applicant, or a clerk at the window */
  const User *owner;     /* the applicant account of the party, NULL for a window party */
  const char *party;     /* the party's code */
  const char *channel;
  eFate fate;
  bool late;             /* decided after the deadline */
  bool deny;             /* 不予许可 */
  bool special;          /* a 特别程序 pauses the clock */
  bool stuck;            /* never decided: recent ones, overdue at the end */
  bool tail_waits;       /* filed last: not taken in before the end */
  bool keep_end;         /* its end state stays (not archived before the end) */
  bool hurry;            /* each step minutes after the one before */
  bool keep_task;        /* its task is left open */
  bool breaks;           /* a window party that breaks its 告知承诺 (found at the check) */
  int rating;            /* 1–5, 0 when not rated */
  char missing[24];      /* the material left out (容缺), "" for none */
  char no[24];           /* its number once filed */
  char task_kind[16];    /* the open task to complete at S_TASK */
  int64_t accepted_at;
  eStep next;
} Hcase;

/* One event: the next step of case idx (or the day's scan when idx < 0). */
typedef struct Ev {
  int64_t at;
  int64_t seq;  /* ties broken in the order queued */
  int idx;
} Ev;

typedef struct Heap {
  Ev *a;
  size_t n, cap;
  int64_t seq;
} Heap;

static bool ev_before(const Ev *x, const Ev *y) { return x->at < y->at || (x->at == y->at && x->seq < y->seq); }

static void heap_push(Heap *h, int64_t at, int idx) {
  if (h->n == h->cap) {
    h->cap = h->cap ? 2 * h->cap : 1024;
    h->a = xrealloc(h->a, h->cap * sizeof *h->a);
  }
  size_t i = h->n++;
  Ev ev = {at, h->seq++, idx};
  while (i > 0 && ev_before(&ev, &h->a[(i - 1) / 2])) {
    h->a[i] = h->a[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  h->a[i] = ev;
}

static Ev heap_pop(Heap *h) {
  Ev top = h->a[0], last = h->a[--h->n];
  size_t i = 0;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= h->n) break;
    if (c + 1 < h->n && ev_before(&h->a[c + 1], &h->a[c])) c++;
    if (!ev_before(&h->a[c], &last)) break;
    h->a[i] = h->a[c];
    i = c;
  }
  if (h->n) h->a[i] = last;
  return top;
}

/* --- the simulation's state ------------------------------------------------- */

typedef struct Sim {
  Store *s;
  const Cal *cal;
  int64_t until;
  const HistoryParties *parties;
  Item **aItem;          /* the items cases are filed for */
  int nItem;
  uint32_t *cumItem;     /* running sums of their popularity */
  User clerk[2], approver, scjg_approver, ent, person;
  int64_t scjg_dept;     /* the department scjg_approver handles */
  char pdf[N_PDF][65];   /* the materials' blobs (SHA-256) */
  int nBrokeEntity, nBrokePerson; /* window parties given to promise breakers */
  Hcase *aCase;
  int nCase;
  Heap heap;
  HistoryReport *rep;
} Sim;

/* later() is the instant work_ms of working time after t. */
static int64_t later(const Sim *m, int64_t t, int64_t work_ms) { return cal_add_worktime(m->cal, t, work_ms); }

/* workday_ms() is the working time of one working day. */
static int64_t workday_ms(const Sim *m) { return cal_workday_ms(m->cal); }

/* --- setting up ------------------------------------------------------------- */

/* make_pdf() writes a small valid PDF of one page saying text into b. */
static void make_pdf(Buf *b, const char *text) {
  char content[256];
  int clen = snprintf(content, sizeof content, "BT /F1 18 Tf 72 720 Td (%s) Tj ET", text);
  const char *obj[5];
  char o4[320];
  obj[0] = "<< /Type /Catalog /Pages 2 0 R >>";
  obj[1] = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>";
  obj[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
           " /Resources << /Font << /F1 5 0 R >> >> >>";
  snprintf(o4, sizeof o4, "<< /Length %d >>\nstream\n%s\nendstream", clen, content);
  obj[3] = o4;
  obj[4] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>";
  size_t off[5];
  buf_puts(b, "%PDF-1.4\n");
  for (int i = 0; i < 5; i++) {
    off[i] = b->n;
    buf_appendf(b, "%d 0 obj\n%s\nendobj\n", i + 1, obj[i]);
  }
  size_t xref = b->n;
  buf_puts(b, "xref\n0 6\n0000000000 65535 f \n");
  for (int i = 0; i < 5; i++) buf_appendf(b, "%010zu 00000 n \n", off[i]);
  buf_appendf(b, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
}

/* upload() puts the demo PDFs as each filer's uploads (a blob is stored
** once; each upload records its reader). */
static int upload(Sim *m, Err *e) {
  static const char *const text[N_PDF] = {"Jinpu demo material: application form",
                                          "Jinpu demo material: identity document",
                                          "Jinpu demo material: supporting document"};
  const User *who[] = {&m->clerk[0], &m->clerk[1], &m->ent, &m->person};
  for (int i = 0; i < N_PDF; i++) {
    Buf b = {0};
    make_pdf(&b, text[i]);
    for (size_t k = 0; k < XQ_COUNT(who); k++) {
      BlobInfo bi;
      if (docs_blob_put(m->s, who[k], b.a, b.n, &bi, e)) {
        buf_free(&b);
        return -1;
      }
      memcpy(m->pdf[i], bi.sha256, sizeof m->pdf[i]);
    }
    buf_free(&b);
  }
  return 0;
}

/* form_fillable() is true when every field of the item's form is one the
** history can fill (numbers and amounts, text, choices, booleans). */
static bool form_fillable(const Item *it) {
  size_t i;
  json_t *f;
  json_array_foreach(it->form, i, f) {
    const char *t = json_string_value(json_object_get(f, "type"));
    if (!t || (strcmp(t, "integer") != 0 && strcmp(t, "number") != 0 && strcmp(t, "money_fen") != 0 &&
               strcmp(t, "boolean") != 0 && strcmp(t, "choice") != 0))
      return false;
  }
  return true;
}

/* load_items() fills the pool with the items a demo case may be filed for:
** every item in force that acts on no registry (registry_effect: the
** registry stays as the pack made it) and whose form the
** history can fill. Popularity falls with a shuffled rank. */
static int load_items(Sim *m, Rng *r, Err *e) {
  for (int page = 1;; page++) {
    CatalogQuery q = {.page = page, .per_page = 100};
    json_t *res = catalog_search(m->s, &q, e);
    if (!res) return -1;
    json_t *items = json_object_get(res, "items");
    size_t i;
    json_t *v;
    json_array_foreach(items, i, v) {
      Item *it = xcalloc(1, sizeof *it);
      if (catalog_get(m->s, json_string_value(json_object_get(v, "code")), NULL, it, e)) {
        free(it);
        json_decref(res);
        return -1;
      }
      bool reg = it->registry_effect[0] != 0; /* the registry is left as the pack made it */
      if (reg || !form_fillable(it) || !(it->ch_window || it->ch_online || it->ch_kiosk)) {
        catalog_item_free(it);
        free(it);
        continue;
      }
      m->aItem = xrealloc(m->aItem, (size_t)(m->nItem + 1) * sizeof *m->aItem);
      m->aItem[m->nItem++] = it;
    }
    size_t got = json_array_size(items);
    json_decref(res);
    if (got < 100) break;
  }
  if (m->nItem == 0)
    return err_set(e, E_INTERNAL, "history.no_items", NULL, "没有可用于演示办件的事项", "No item to file demo cases for");
  /* Shuffle, then weigh by rank: a few items are asked for often, most seldom. */
  for (int i = m->nItem - 1; i > 0; i--) {
    int k = (int)rng_below(r, (uint32_t)i + 1);
    Item *t = m->aItem[i];
    m->aItem[i] = m->aItem[k];
    m->aItem[k] = t;
  }
  m->cumItem = xcalloc((size_t)m->nItem, sizeof *m->cumItem);
  for (int i = 0; i < m->nItem; i++) m->cumItem[i] = (i ? m->cumItem[i - 1] : 0) + 100000u / (uint32_t)(i + 4);
  return 0;
}

static int pick_item(const Sim *m, Rng *r) {
  uint32_t x = rng_below(r, m->cumItem[m->nItem - 1]);
  int lo = 0, hi = m->nItem - 1;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (m->cumItem[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/* --- drawing a case --------------------------------------------------------- */

/* may_miss_material() is the key of a material the case may leave out
** under 容缺 ("" when none may be). */
static const char *may_miss_material(const Item *it, Rng *r) {
  int k[CATALOG_MAX_MATERIALS], n = 0;
  for (int i = 0; i < it->nMaterial; i++)
    if (!it->aMaterial[i].core && it->aMaterial[i].may_miss && !it->aMaterial[i].source[0] &&
        strcmp(it->aMaterial[i].key, PROMISE_MATERIAL) != 0)
      k[n++] = i;
  return n && it->allow_rongque && !it->safety ? it->aMaterial[k[rng_below(r, (uint32_t)n)]].key : "";
}

/* has_material() is true when the item asks for material key. */
static bool has_material(const Item *it, const char *key) {
  for (int i = 0; i < it->nMaterial; i++)
    if (strcmp(it->aMaterial[i].key, key) == 0) return true;
  return false;
}

/* window_party() is a party a clerk files for: one of the first half of
** the pool; a party that will break a promise is one of the second half,
** each used once (a broken promise bars the party from 容缺 and 告知承诺
** for a while, so it files no other case that relies on one). NULL when
** no breaker is left. */
static const char *window_party(Sim *m, Rng *r, bool person, bool breaker) {
  const char *const *a = person ? m->parties->aPerson : m->parties->aEntity;
  int n = person ? m->parties->nPerson : m->parties->nEntity;
  int *used = person ? &m->nBrokePerson : &m->nBrokeEntity;
  if (!breaker) return a[rng_below(r, (uint32_t)(n - n / 2))];
  if (*used >= n / 2) return NULL;
  return a[n - 1 - (*used)++];
}

/* The cases filed last are drawn to be open now, one of each kind in turn,
** so every queue has something to show whatever the day: */
enum {
  TAIL_TO_ACCEPT,   /* filed online on the last working day, not yet taken in */
  TAIL_DUE_SOON,    /* accepted so its deadline is the next working day's end */
  TAIL_OVERDUE,     /* accepted so its deadline passed two working days ago */
  TAIL_CORRECTION,  /* told to correct on the last working day */
  TAIL_RONGQUE,     /* accepted under 容缺 on the last working day, still missing */
  TAIL_RECTIFY,     /* the demo enterprise's case, rated 2 two working days ago: 整改 open */
  TAIL_VERIFY,      /* decided on a 告知承诺 two working days ago: its check open */
  TAIL_REFUSED,     /* refused at intake on the last working day, not yet archived */
  TAIL_KINDS
};

/* tail_item() is an item for a tail case of kind k (from a random start),
** or -1 when the catalogue has none. */
static int tail_item(const Sim *m, Rng *r, int k) {
  int start = (int)rng_below(r, (uint32_t)m->nItem);
  for (int j = 0; j < m->nItem; j++) {
    int i = (start + j) % m->nItem;
    const Item *it = m->aItem[i];
    bool manual = it->handling == HANDLING_PROMISE && !(it->rule && it->rule[0]) && strcmp(it->parties, "person") != 0;
    bool long_limit = it->limit_unit == LIMIT_WORKDAYS && it->promised_limit >= 4;
    bool instant = it->handling == HANDLING_INSTANT && !(it->rule && it->rule[0]) && strcmp(it->parties, "person") != 0;
    bool promise = it->allow_promise && !it->safety && has_material(it, PROMISE_MATERIAL) && it->ch_window &&
                   strcmp(it->parties, "person") != 0;
    bool ok = k == TAIL_TO_ACCEPT    ? manual && it->ch_online
              : k == TAIL_RECTIFY    ? instant && it->ch_online
              : k == TAIL_VERIFY     ? promise
              : k == TAIL_CORRECTION || k == TAIL_REFUSED ? manual && it->ch_window
              : k == TAIL_RONGQUE    ? manual && it->ch_window && long_limit && may_miss_material(it, r)[0]
                                     : manual && it->ch_window && long_limit;
    if (ok) return i;
  }
  return -1;
}

/* working_day_back() is the working day n working days before day. */
static int working_day_back(const Sim *m, int day, int n) {
  while (n > 0)
    if (cal_is_workday(m->cal, --day)) n--;
  return day;
}

/* draw_tail() draws tail case c of kind k; returns the instant it is
** filed, or 0 when no item fits (the case is drawn as any other). */
static int64_t draw_tail(Sim *m, Hcase *c, int k) {
  Rng *r = &c->r;
  int i = tail_item(m, r, k);
  if (i < 0) return 0;
  const Item *it = m->aItem[i];
  c->item = i;
  /* The working day whose end is the next deadline still ahead. */
  int next = cal_day_of_ms(m->until);
  while (!cal_is_workday(m->cal, next) || later(m, cal_day_start_ms(next), workday_ms(m)) <= m->until) next++;
  int day = k == TAIL_DUE_SOON                      ? working_day_back(m, next, it->promised_limit)
            : k == TAIL_OVERDUE                     ? working_day_back(m, next, it->promised_limit + 2)
            : k == TAIL_RECTIFY || k == TAIL_VERIFY ? working_day_back(m, cal_day_of_ms(m->until), 2)
                                                    : working_day_back(m, cal_day_of_ms(m->until), 1);
  if (k == TAIL_TO_ACCEPT || k == TAIL_RECTIFY) {
    c->owner = c->filer = &m->ent;
    c->party = m->ent.party;
    c->channel = "online";
  } else {
    c->filer = &m->clerk[rng_below(r, 2)];
    c->channel = "window";
    c->breaks = k == TAIL_RONGQUE;
    c->party = window_party(m, r, false, c->breaks);
    if (!c->party) return 0;
  }
  c->fate = k == TAIL_CORRECTION ? F_CORRECT
            : k == TAIL_RONGQUE  ? F_LAPSE
            : k == TAIL_VERIFY   ? F_PROMISE
            : k == TAIL_REFUSED  ? F_REFUSE
                                 : F_NORMAL;
  c->keep_end = k == TAIL_REFUSED;
  /* These two go through their steps within minutes and leave the task open. */
  c->hurry = c->keep_task = k == TAIL_RECTIFY || k == TAIL_VERIFY;
  c->rating = k == TAIL_RECTIFY ? 2 : 0;
  if (k == TAIL_RONGQUE) snprintf(c->missing, sizeof c->missing, "%s", may_miss_material(it, r));
  c->stuck = !c->hurry;
  c->tail_waits = k == TAIL_TO_ACCEPT;
  c->next = S_FILE;
  return later(m, cal_day_start_ms(day), between(r, 0, 2 * HOUR_MS));
}

/* draw() draws case i's plan and returns the instant it is filed. */
static int64_t draw(Sim *m, uint64_t seed, int i) {
  Hcase *c = &m->aCase[i];
  c->r.s = mix64(seed ^ mix64((uint64_t)i + 0x9e37u));
  Rng *r = &c->r;
  /* Filed on a working day of the past year, in working hours. */
  int64_t t = 0;
  int first = cal_day_of_ms(m->until - YEAR_MS), last = cal_day_of_ms(m->until);
  for (;;) {
    int day = first + (int)rng_below(r, (uint32_t)(last - first + 1));
    if (!cal_is_workday(m->cal, day)) continue;
    t = later(m, cal_day_start_ms(day), between(r, 0, workday_ms(m)));
    if (cal_day_of_ms(t) == day && t < m->until) break;
  }
  bool recent = t > m->until - 30LL * CAL_MS_PER_DAY;
  c->item = pick_item(m, r);
  const Item *it = m->aItem[c->item];
  bool person_item = strcmp(it->parties, "person") == 0, entity_item = strcmp(it->parties, "entity") == 0;
  bool as_person = person_item || (!entity_item && pct(r, 30));
  /* A quarter of the filings are the demo applicants' own, online or at a
  ** kiosk where the item offers them; the rest a clerk takes at the window. */
  bool own = (pct(r, 25) || !it->ch_window) && (it->ch_online || it->ch_kiosk);
  if (own) {
    c->owner = c->filer = as_person ? &m->person : &m->ent;
    c->party = c->owner->party;
    c->channel = it->ch_kiosk && (!it->ch_online || pct(r, 15)) ? "kiosk" : "online";
  } else {
    c->filer = &m->clerk[rng_below(r, 2)];
    c->channel = "window";
  }
  /* The fate: what an applicant or a clerk could do at each step. */
  int x = (int)rng_below(r, 100);
  const char *miss = may_miss_material(it, r);
  bool promise = it->allow_promise && !it->safety && has_material(it, PROMISE_MATERIAL);
  c->fate = F_NORMAL;
  if (it->handling == HANDLING_INSTANT) {
    if (x < 3) c->fate = F_REFUSE;
  } else if (promise && x < 35) {
    c->fate = F_PROMISE;
    c->breaks = !c->owner && pct(r, 5);
  } else if (x < 3) {
    c->fate = F_REFUSE;
  } else if (x < 6 && c->owner) {
    c->fate = F_WITHDRAW;
  } else if (x < 13 && (c->owner || recent)) {
    /* A party at the window cannot resubmit online: its case waits in 补正,
    ** so only a recent one does. */
    c->fate = F_CORRECT;
  } else if (x < 30 && miss[0]) {
    /* The demo applicants keep their promises; a party at the window now
    ** and then does not. */
    c->fate = F_RONGQUE;
    c->breaks = !c->owner && pct(r, 35);
    snprintf(c->missing, sizeof c->missing, "%s", miss);
  }
  if (!c->owner) {
    c->party = window_party(m, r, as_person, c->breaks);
    if (!c->party) { /* no breaker left: this one keeps its promise, and files as anyone */
      c->breaks = false;
      c->party = window_party(m, r, as_person, false);
    }
    if (c->fate == F_RONGQUE && c->breaks) c->fate = F_LAPSE;
    if (c->fate == F_RONGQUE) c->fate = F_NORMAL, c->missing[0] = 0; /* only the applicant supplements */
  }
  c->late = pct(r, 9);
  c->deny = pct(r, 7);
  c->special = pct(r, 3);
  c->stuck = recent && pct(r, 10);
  if (c->owner && pct(r, 75)) {
    static const int score[] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 3, 2, 1};
    c->rating = score[rng_below(r, XQ_COUNT(score))];
  }
  c->next = S_FILE;
  return t;
}

/* draw_case() draws case i of nCase: the last few are tail cases. */
static int64_t draw_case(Sim *m, uint64_t seed, int i) {
  int nTail = TAIL_KINDS * (m->nCase / 200 > 2 ? m->nCase / 200 : 2);
  int64_t t = draw(m, seed, i);
  if (i >= m->nCase - nTail) {
    Hcase *c = &m->aCase[i];
    Hcase keep = *c;
    memset(c, 0, sizeof *c);
    c->r = keep.r;
    int64_t tt = draw_tail(m, c, (i - (m->nCase - nTail)) % TAIL_KINDS);
    if (tt) return tt;
    *c = keep;
  }
  return t;
}

/* --- the steps ---------------------------------------------------------------- */

/* fail() says which case and step the engine refused, keeping its code. */
static int fail(const Hcase *c, const char *what, Err *e) {
  Buf b = {0};
  buf_appendf(&b, "演示办件 %s（%s）：%s", c->no[0] ? c->no : "-", what, e->message);
  snprintf(e->message, sizeof e->message, "%s", b.a);
  buf_reset(&b);
  buf_appendf(&b, "demo case %s (%s): %s", c->no[0] ? c->no : "-", what, e->message_en);
  snprintf(e->message_en, sizeof e->message_en, "%s", b.a);
  buf_free(&b);
  return -1;
}

/* state_of() copies the state the engine answered into out and frees v. */
static void state_of(json_t *v, char out[24]) {
  snprintf(out, 24, "%s", json_string_value(json_object_get(v, "state")) ? json_string_value(json_object_get(v, "state")) : "");
  json_decref(v);
}

/* act() takes move action on c as u with args (consumed; NULL for none). */
static int act(Sim *m, Hcase *c, const User *u, const char *action, json_t *args, char state[24], Err *e) {
  json_t *v = cases_act(m->s, u, c->no, action, args, e);
  json_decref(args);
  if (!v) return fail(c, action, e);
  m->rep->moves++;
  state_of(v, state);
  return 0;
}

/* materials() is the case's uploads: every material of the item but the
** one it leaves out (new object). */
static json_t *materials(const Sim *m, const Hcase *c) {
  const Item *it = m->aItem[c->item];
  json_t *o = json_object();
  for (int i = 0; i < it->nMaterial; i++)
    if (strcmp(it->aMaterial[i].key, c->missing) != 0)
      json_object_set_new(o, it->aMaterial[i].key, json_string(m->pdf[i % N_PDF]));
  return o;
}

/* form() fills the item's form: each field a value within its limits. */
static json_t *form(const Item *it, Rng *r) {
  json_t *o = json_object();
  size_t i;
  json_t *f;
  json_array_foreach(it->form, i, f) {
    const char *name = json_string_value(json_object_get(f, "name")), *t = json_string_value(json_object_get(f, "type"));
    if (strcmp(t, "boolean") == 0) {
      json_object_set_new(o, name, json_true());
    } else if (strcmp(t, "choice") == 0) {
      json_t *ch = json_object_get(f, "choices");
      json_t *first = json_array_get(ch, 0);
      if (json_is_object(first)) first = json_object_get(first, "value");
      if (first) json_object_set(o, name, first);
    } else {
      json_int_t lo = json_is_number(json_object_get(f, "min")) ? (json_int_t)json_number_value(json_object_get(f, "min")) : 0;
      json_int_t hi = json_is_number(json_object_get(f, "max")) ? (json_int_t)json_number_value(json_object_get(f, "max")) : lo + 100;
      /* Amounts in fen: between 1,000 and 200,000 yuan, within the limits. */
      json_int_t want = strcmp(t, "money_fen") == 0 ? (json_int_t)between(r, 100000, 20000000) : (json_int_t)between(r, 1, 100);
      if (want < lo) want = lo;
      if (want > hi) want = hi;
      json_object_set_new(o, name, json_integer(want));
    }
  }
  return o;
}

/* approver_of() is who decides c: the department's own approver where it
** has one (half the time), else the central approver. */
static const User *approver_of(Sim *m, Hcase *c) {
  return m->aItem[c->item]->dept_id == m->scjg_dept && pct(&c->r, 50) ? &m->scjg_approver : &m->approver;
}

/* after_decision() plans what follows a case that reached state: issue an
** approval, close a decision and rate it, complete its task. */
static void plan_after(Sim *m, Hcase *c, const char *state, int64_t now, int64_t *at) {
  Rng *r = &c->r;
  if (strcmp(state, "approved") == 0) {
    c->next = S_ISSUE;
    *at = later(m, now, between(r, 10 * MINUTE_MS, 2 * HOUR_MS));
  } else if (strcmp(state, "issued") == 0 || strcmp(state, "denied") == 0 || strcmp(state, "refused") == 0) {
    c->next = !c->keep_end && (pct(r, 80) || c->hurry) ? S_CLOSE : S_DONE;
    *at = later(m, now, between(r, workday_ms(m) / 2, 8 * workday_ms(m)));
  } else {
    c->next = S_DONE;
  }
}

/* plan_decision() plans the decision of a case under review: in the
** second half of the time left, or after its deadline for a late one; a
** stuck case is never decided (it turns overdue). */
static void plan_decision(Sim *m, Hcase *c, int64_t now, int64_t *at) {
  const Item *it = m->aItem[c->item];
  Rng *r = &c->r;
  int64_t limit_ms = 0, deadline = sla_deadline(m->cal, c->accepted_at, it->promised_limit, it->limit_unit, &limit_ms);
  if (c->stuck) {
    c->next = S_DONE;
    return;
  }
  if (limit_ms <= 0) {
    *at = later(m, now, between(r, HOUR_MS, workday_ms(m)));
  } else if (c->late) {
    *at = later(m, deadline, between(r, HOUR_MS, 4 * workday_ms(m)));
  } else {
    int64_t left = cal_worktime_between(m->cal, now, deadline, NULL, 0);
    *at = left > 0 ? later(m, now, left / 2 + between(r, 0, left / 2 - left / 20 + 1)) : now;
  }
  if (*at < now) *at = now;
  c->next = S_DECIDE;
}

/* step() runs the next step of case c at instant now and queues the one
** after it. */
static int step(Sim *m, Hcase *c, int idx, int64_t now, Err *e) {
  Rng *r = &c->r;
  const Item *it = m->aItem[c->item];
  char state[24] = "";
  int64_t at = 0, day = workday_ms(m);
  const User *clerk = &m->clerk[rng_below(r, 2)];
  switch (c->next) {
  case S_FILE: {
    json_t *in = json_pack("{s:s,s:s,s:s,s:o,s:o,s:b}", "item", it->code, "party", c->party, "channel", c->channel,
                           "form", form(it, r), "materials", materials(m, c), "submit", 1);
    if (c->fate == F_PROMISE) json_object_set_new(in, "commitment", json_true());
    if (c->missing[0] && c->owner) json_object_set_new(in, "rongque_promise", json_true());
    json_t *v = cases_create(m->s, c->filer, in, e);
    json_decref(in);
    if (!v) return fail(c, it->code, e);
    snprintf(c->no, sizeof c->no, "%s", json_string_value(json_object_get(v, "no")));
    bool postcheck = json_is_true(json_object_get(v, "postcheck"));
    state_of(v, state);
    m->rep->cases++;
    if (strcmp(state, "submitted") == 0) {
      c->next = c->tail_waits ? S_DONE : S_INTAKE;
      at = strcmp(c->channel, "window") == 0 ? later(m, now, between(r, 2 * MINUTE_MS, 20 * MINUTE_MS))
                                               : later(m, now, between(r, HOUR_MS / 2, 2 * day));
      if (c->fate == F_WITHDRAW) at = later(m, now, between(r, 10 * MINUTE_MS, HOUR_MS));
      break;
    }
    /* 告知承诺 and 秒批 decided at once; a task may follow. */
    if (strcmp(state, "issued") == 0 && (c->fate == F_PROMISE || postcheck)) {
      snprintf(c->task_kind, sizeof c->task_kind, "%s", c->fate == F_PROMISE ? "verify" : "postcheck");
      c->next = S_TASK;
      at = later(m, now, between(r, 5 * day, 18 * day));
      break;
    }
    plan_after(m, c, state, now, &at);
    break;
  }
  case S_INTAKE:
    if (c->fate == F_WITHDRAW) {
      if (act(m, c, c->owner, "withdraw", NULL, state, e)) return -1;
      c->next = S_DONE;
      break;
    }
    if (c->fate == F_REFUSE) {
      if (act(m, c, clerk, "refuse", json_pack("{s:s}", "reason", "申请事项不属于本机关职权范围，请向有关机关申请。"), state, e))
        return -1;
      plan_after(m, c, state, now, &at);
      break;
    }
    if (it->handling == HANDLING_INSTANT) {
      if (act(m, c, clerk, "decide_now", NULL, state, e)) return -1;
      plan_after(m, c, state, now, &at);
      break;
    }
    if (c->fate == F_CORRECT) {
      if (act(m, c, clerk, "request_correction",
              json_pack("{s:[s,s]}", "deficiencies", "申请表未加盖公章，请补正后重新提交。", "身份证明复印件不清晰，请重新上传。"),
              state, e))
        return -1;
      c->fate = F_NORMAL;
      /* The demo applicants come back in a few days; a party at the window
      ** brings the papers to the window, where the clerk cannot resubmit
      ** for it: its case waits in 补正. */
      c->next = c->owner ? S_RESUBMIT : S_DONE;
      at = later(m, now, between(r, day / 2, 3 * day));
      break;
    }
    if (c->missing[0]) {
      json_t *args = json_pack("{s:b}", "promise_signed", 1);
      if (act(m, c, clerk, "accept_rongque", args, state, e)) return -1;
      c->accepted_at = now;
      c->next = c->fate == F_RONGQUE ? S_SUPPLEMENT : S_REVIEW;
      at = later(m, now, between(r, HOUR_MS, 2 * HOUR_MS));
      break;
    }
    if (act(m, c, clerk, "accept", NULL, state, e)) return -1;
    c->accepted_at = now;
    c->next = S_REVIEW;
    at = later(m, now, between(r, HOUR_MS / 2, day));
    break;
  case S_RESUBMIT:
    if (act(m, c, c->owner, "resubmit", json_pack("{s:o}", "materials", materials(m, c)), state, e)) return -1;
    c->next = S_INTAKE;
    at = later(m, now, between(r, HOUR_MS / 2, day));
    break;
  case S_SUPPLEMENT: {
    json_t *mats = json_pack("{s:s}", c->missing, m->pdf[0]);
    if (act(m, c, c->owner, "supplement", json_pack("{s:o}", "materials", mats), state, e)) return -1;
    c->missing[0] = 0;
    c->next = S_REVIEW;
    at = later(m, now, between(r, MINUTE_MS * 10, HOUR_MS));
    break;
  }
  case S_REVIEW: {
    const User *ap = approver_of(m, c);
    if (act(m, c, ap, "start_review", NULL, state, e)) return -1;
    if (c->fate == F_LAPSE) { /* the scan ends it when the supplement deadline passes */
      c->next = S_DONE;
      break;
    }
    if (c->special) {
      if (act(m, c, ap, "start_special", json_pack("{s:s}", "procedure", "site_inspection"), state, e)) return -1;
      c->next = S_SPECIAL_END;
      at = later(m, now, between(r, 2 * day, 5 * day));
      break;
    }
    plan_decision(m, c, now, &at);
    break;
  }
  case S_SPECIAL_END:
    if (act(m, c, approver_of(m, c), "end_special", NULL, state, e)) return -1;
    plan_decision(m, c, now, &at);
    break;
  case S_DECIDE:
    if (c->deny) {
      if (act(m, c, approver_of(m, c), "deny", json_pack("{s:s}", "reason", "经审查，申请不符合法定条件。"), state, e))
        return -1;
    } else if (act(m, c, approver_of(m, c), "approve", NULL, state, e)) {
      return -1;
    }
    plan_after(m, c, state, now, &at);
    break;
  case S_ISSUE:
    if (act(m, c, pct(r, 50) ? clerk : approver_of(m, c), "issue", NULL, state, e)) return -1;
    plan_after(m, c, state, now, &at);
    break;
  case S_CLOSE:
    if (act(m, c, c->owner && pct(r, 50) ? c->owner : clerk, "close", NULL, state, e)) return -1;
    if (c->owner && c->rating && strcmp(c->task_kind, "") == 0) {
      c->next = S_RATE;
      at = later(m, now, between(r, HOUR_MS, 2 * day));
    } else {
      c->next = S_DONE;
    }
    break;
  case S_RATE: {
    static const char *const comment[] = {"", "办事体验很差，等了很久。", "材料反复提交，不够方便。", "一般。",
                                          "办理顺利，效率高。", "非常满意，服务热情，一次办好。"};
    json_t *v = cases_rate(m->s, c->owner, c->no, c->rating, comment[c->rating], e);
    if (!v) return fail(c, "rate", e);
    json_decref(v);
    m->rep->ratings++;
    if (c->rating <= 2) {
      snprintf(c->task_kind, sizeof c->task_kind, "rectify");
      c->next = S_TASK;
      at = later(m, now, between(r, day, 4 * day));
    } else {
      c->next = S_DONE;
    }
    break;
  }
  case S_TASK: {
    bool revokes = false;
    int64_t id = task_find_open(store_reader(m->s), c->task_kind, "case", c->no, e);
    if (id < 0) return fail(c, c->task_kind, e);
    if (id > 0) {
      /* A post-check now and then finds a problem; a promise found false
      ** bars the party, so only a window party's. */
      const char *result = strcmp(c->task_kind, "rectify") == 0 ? "done"
                           : strcmp(c->task_kind, "postcheck") == 0 ? (pct(r, 5) ? "problem" : "ok")
                           : c->breaks ? "false_promise" : "ok";
      revokes = strcmp(result, "problem") == 0 || strcmp(result, "false_promise") == 0;
      json_t *v = task_complete(m->s, &m->approver, id, result, "演示：按期办结", e);
      if (!v) return fail(c, c->task_kind, e);
      json_decref(v);
      m->rep->tasks++;
    }
    bool rectify = strcmp(c->task_kind, "rectify") == 0, revoked = id > 0 && revokes;
    c->task_kind[0] = 0;
    c->next = S_DONE;
    if (!rectify && !revoked && pct(r, 60)) { /* an issued case is archived after its check */
      c->next = S_CLOSE;
      at = later(m, now, between(r, HOUR_MS, 2 * day));
    }
    break;
  }
  case S_DONE:
    break;
  }
  if (c->next == S_TASK && c->keep_task) c->next = S_DONE;
  if (c->hurry && at > now) at = later(m, now, between(r, 5 * MINUTE_MS, 15 * MINUTE_MS));
  if (c->next != S_DONE && at > 0 && at <= m->until) heap_push(&m->heap, at, idx);
  return 0;
}

/* scan() runs the deadline scan at instant now. */
static int scan(Sim *m, int64_t now, Err *e) {
  ScanReport sr;
  if (cases_scan(m->s, now, &sr, e)) return -1;
  m->rep->scans++;
  return 0;
}

/* --- the whole run ---------------------------------------------------------- */

static int users(Sim *m, Err *e) {
  Db *db = store_reader(m->s);
  if (accounts_user_get(db, "clerk", &m->clerk[0], e) || accounts_user_get(db, "clerk2", &m->clerk[1], e) ||
      accounts_user_get(db, "approver", &m->approver, e) ||
      accounts_user_get(db, "scjg_approver", &m->scjg_approver, e) || accounts_user_get(db, "ent", &m->ent, e) ||
      accounts_user_get(db, "person", &m->person, e))
    return -1;
  if (!accounts_dept_central(db, m->clerk[0].dept_id) || !accounts_dept_central(db, m->clerk[1].dept_id) ||
      !accounts_dept_central(db, m->approver.dept_id))
    return err_set(e, E_INTERNAL, "history.not_central", NULL, "演示办件需要集中审批部门的窗口和审批人员",
                   "The demo history needs the clerks and approver of a central department");
  m->scjg_dept = m->scjg_approver.dept_id;
  return 0;
}

int history_make(Store *s, uint64_t seed, int nCase, int64_t until, const HistoryParties *parties,
                 HistoryReport *rep, Err *e) {
  Sim m = {0};
  int rc = -1;
  memset(rep, 0, sizeof *rep);
  if (nCase <= 0) return 0;
  if (parties->nEntity < 2 || parties->nPerson < 2)
    return err_set(e, E_INTERNAL, "history.no_parties", NULL, "演示办件需要至少两个市场主体和两名自然人",
                   "The demo history needs at least two entities and two persons");
  m.s = s;
  m.until = until;
  m.parties = parties;
  m.rep = rep;
  Rng r = {mix64(seed)};
  clock_pin(until - YEAR_MS);
  /* its own calendar: the history runs for minutes, longer than the one
  ** sla_calendar() keeps for a thread */
  Cal *cal = workcal_load(s, e);
  if (!(m.cal = cal) || users(&m, e) || upload(&m, e) || load_items(&m, &r, e)) goto out;
  m.nCase = nCase;
  m.aCase = xcalloc((size_t)nCase, sizeof *m.aCase);
  for (int i = 0; i < nCase; i++) heap_push(&m.heap, draw_case(&m, seed, i), i);
  /* The deadline scan at the end of every day (18:00), and once at the end. */
  for (int day = cal_day_of_ms(until - YEAR_MS); day <= cal_day_of_ms(until); day++) {
    int64_t at = cal_day_start_ms(day) + 18 * HOUR_MS;
    if (at < until) heap_push(&m.heap, at, -1);
  }
  heap_push(&m.heap, until, -1);
  while (m.heap.n) {
    Ev ev = heap_pop(&m.heap);
    clock_pin(ev.at);
    if (ev.idx < 0 ? scan(&m, ev.at, e) : step(&m, &m.aCase[ev.idx], ev.idx, ev.at, e)) goto out;
  }
  rc = 0;
out:
  clock_pin(0);
  cal_free(cal);
  for (int i = 0; i < m.nItem; i++) {
    catalog_item_free(m.aItem[i]);
    free(m.aItem[i]);
  }
  free(m.aItem);
  free(m.cumItem);
  free(m.aCase);
  free(m.heap.a);
  return rc;
}
