/*
** rate.h — the one rate limiter: a token bucket per (kind, key), kept in
** this process's memory. A kind names what is limited ("upload",
** "cert.pdf"); the key says whose bucket it is (an account id). Each bucket
** holds at most Rate.burst tokens and gains Rate.per_min of them a minute;
** every limited action takes one. Buckets that have filled up again are
** forgotten, so the table holds only callers active lately.
**
** The buckets are not shared between servers on one database: behind a
** load balancer each server allows the rate on its own.
*/
#ifndef XINQU_RATE_H
#define XINQU_RATE_H

#include "base.h"

typedef struct Rate {
  int per_min;  /* tokens gained a minute; 0 or less: not limited */
  int burst;    /* tokens a bucket holds at most (at least 1) */
} Rate;

/* rate_take_at() takes a token from the bucket (kind, key) under rate *r
** at time now (milliseconds of mono_ms()). kind must be a string that
** lives as long as the process (a literal). Returns 0 when a token was
** taken (always, for a rate that does not limit); otherwise takes nothing
** and returns the whole seconds (≥ 1) until a token will be there. */
int rate_take_at(const char *kind, int64_t key, const Rate *r, int64_t now);

/* rate_check() is rate_take_at() now, as an error: 0 when a token was
** taken, else -1 with *e set to E_LIMIT "rate.limited" (429) and
** e->retry_after the seconds to wait. what (Chinese) and what_en name the
** action in the message ("上传文件", "uploads"). */
int rate_check(const char *kind, int64_t key, const Rate *r, const char *what,
               const char *what_en, Err *e);

/* rate_reset() forgets every bucket (for tests). */
void rate_reset(void);

#endif
