/*
** metrics.c — how long the server takes to answer, per route, measured
** inside the server: from the moment the request line has been read to the
** moment the whole answer has been handed to the kernel. It leaves out the
** time a request waits in the network or in a client, so it is the figure
** to hold against a server-side target (issue 3: 秒批 p99 ≤ 10 ms).
**
** Each route keeps a histogram with eight buckets per doubling (each bucket
** at most 12.5% wider than its lower edge), counted with relaxed atomics so
** recording costs a few nanoseconds and no lock. A percentile is reported
** as the upper edge of the bucket it falls in: never below the truth.
*/
#include "http.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKET 200 /* up to 2^26 µs, about 67 s; longer goes in the last */

typedef struct Hist {
  _Atomic int64_t n[NBUCKET];
  _Atomic int64_t max_us;
} Hist;

static Hist *hist;         /* one per route, by router_index() */
static int nRoute;
static int64_t sinceMs;

/* bucket() of a duration in µs: exact below 16 µs, then 8 per doubling. */
static int bucket(int64_t us) {
  if (us < 16) return us < 0 ? 0 : (int)us;
  int e = 63 - __builtin_clzll((unsigned long long)us);
  int b = 8 * (e - 2) + (int)((us >> (e - 3)) & 7);
  return b < NBUCKET ? b : NBUCKET - 1;
}

/* upper_us() is the largest duration bucket b holds. */
static int64_t upper_us(int b) {
  if (b < 16) return b;
  int e = b / 8 + 2, m = b % 8;
  return ((int64_t)(9 + m) << (e - 3)) - 1;
}

void metrics_init(void) {
  if (hist) return;
  nRoute = router_count();
  hist = calloc((size_t)(nRoute ? nRoute : 1), sizeof *hist);
  if (!hist) panic("metrics: out of memory");
  sinceMs = now_ms();
}

void metrics_record(const Route *rt, int64_t us) {
  int i;
  if (!hist || !rt || (i = router_index(rt)) < 0 || i >= nRoute) return; /* a route added later */
  Hist *h = &hist[i];
  atomic_fetch_add_explicit(&h->n[bucket(us)], 1, memory_order_relaxed);
  int64_t m = atomic_load_explicit(&h->max_us, memory_order_relaxed);
  while (us > m && !atomic_compare_exchange_weak_explicit(&h->max_us, &m, us, memory_order_relaxed,
                                                          memory_order_relaxed)) {
  }
}

typedef struct Out {
  json_t *items;
  int i;
} Out;

static double pct_ms(const int64_t *n, int64_t total, double q) {
  int64_t want = (int64_t)(q * (double)total + 0.999999), acc = 0;
  for (int b = 0; b < NBUCKET; b++)
    if ((acc += n[b]) >= want) return (double)upper_us(b) / 1000.0;
  return (double)upper_us(NBUCKET - 1) / 1000.0;
}

static void add_route(const Route *rt, const char *tag, void *arg) {
  Out *o = arg;
  int64_t n[NBUCKET], total = 0;
  (void)tag;
  if (o->i >= nRoute) return;
  Hist *h = &hist[o->i++];
  for (int b = 0; b < NBUCKET; b++) total += n[b] = atomic_load_explicit(&h->n[b], memory_order_relaxed);
  if (total == 0) return;
  json_t *buckets = json_array();
  for (int b = 0; b < NBUCKET; b++)
    if (n[b]) json_array_append_new(buckets, json_pack("[f,I]", (double)upper_us(b) / 1000.0, (json_int_t)n[b]));
  json_array_append_new(
      o->items,
      json_pack("{s:s, s:s, s:I, s:f, s:f, s:f, s:f, s:o}", "method", rt->method, "path", rt->path, "count",
                (json_int_t)total, "p50_ms", pct_ms(n, total, 0.50), "p90_ms", pct_ms(n, total, 0.90),
                "p99_ms", pct_ms(n, total, 0.99), "max_ms",
                (double)atomic_load_explicit(&h->max_us, memory_order_relaxed) / 1000.0, "buckets", buckets));
}

json_t *metrics_json(void) {
  Out o = {json_array(), 0};
  char since[32];
  if (hist) router_each(add_route, &o);
  time_iso(sinceMs, since);
  return json_pack("{s:s, s:o}", "since", since, "routes", o.items);
}
