/*
** rate.c — token buckets per (kind, key) (see rate.h): a hash table of
** buckets under one mutex; a bucket that has filled up again is freed when
** its chain is next walked.
*/
#include "rate.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE_CHAINS 1024 /* hash chains of the bucket table */

/* One caller's bucket for one kind of action. */
typedef struct Bucket {
  const char *kind;    /* what is limited (a literal) */
  int64_t key;         /* whose bucket (an account id) */
  double tokens;       /* tokens at t_ms */
  int64_t t_ms;        /* when tokens was last brought up to date */
  Rate rate;           /* the rate it was last taken under */
  struct Bucket *next; /* hash chain */
} Bucket;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static Bucket *aChain[RATE_CHAINS];

/* refill() brings b's tokens up to now (never above its burst). */
static double refill(const Bucket *b, int64_t now) {
  double t = b->tokens + (double)(now - b->t_ms) * b->rate.per_min / 60000.0;
  return t > b->rate.burst ? b->rate.burst : t;
}

int rate_take_at(const char *kind, int64_t key, const Rate *r, int64_t now) {
  if (r->per_min <= 0) return 0;
  unsigned char h[12];
  uint32_t hk = fnv1a(kind, strlen(kind));
  memcpy(h, &key, 8);
  memcpy(h + 8, &hk, 4);
  Bucket **chain = &aChain[fnv1a(h, sizeof h) % RATE_CHAINS];
  int wait = 0;
  pthread_mutex_lock(&mu);
  Bucket **pp = chain, *b = NULL;
  while (*pp) {
    Bucket *x = *pp;
    if (x->key == key && strcmp(x->kind, kind) == 0) {
      b = x;
      pp = &x->next;
    } else if (refill(x, now) >= x->rate.burst) { /* full again: forget it */
      *pp = x->next;
      free(x);
    } else {
      pp = &x->next;
    }
  }
  if (!b) {
    b = xcalloc(1, sizeof *b);
    b->kind = kind;
    b->key = key;
    b->tokens = r->burst > 0 ? r->burst : 1;
    b->t_ms = now;
    b->next = *chain;
    *chain = b;
  }
  b->rate = *r;
  if (b->rate.burst < 1) b->rate.burst = 1;
  b->tokens = refill(b, now);
  b->t_ms = now;
  if (b->tokens >= 1) b->tokens -= 1;
  else wait = (int)ceil((1 - b->tokens) * 60.0 / r->per_min);
  pthread_mutex_unlock(&mu);
  return wait < 0 ? 1 : wait;
}

int rate_check(const char *kind, int64_t key, const Rate *r, const char *what,
               const char *what_en, Err *e) {
  int wait = rate_take_at(kind, key, r, mono_ms());
  if (wait == 0) return 0;
  char zh[192], en[192];
  snprintf(zh, sizeof zh, "%s过于频繁，请 %d 秒后再试（每分钟最多 %d 次）", what, wait, r->per_min);
  snprintf(en, sizeof en, "Too many %s; try again in %d s (at most %d a minute)", what_en, wait,
           r->per_min);
  err_set(e, E_LIMIT, "rate.limited", NULL, zh, en);
  if (e) e->retry_after = wait;
  return -1;
}

void rate_reset(void) {
  pthread_mutex_lock(&mu);
  for (int i = 0; i < RATE_CHAINS; i++) {
    while (aChain[i]) {
      Bucket *b = aChain[i];
      aChain[i] = b->next;
      free(b);
    }
  }
  pthread_mutex_unlock(&mu);
}
