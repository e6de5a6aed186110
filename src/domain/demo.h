/*
** demo.h — the Jinpu demo pack: deterministic market entities and persons
** for a demonstration database, generated from the name parts in
** the CSV files of data/jinpu/ (embedded in the binary).
**
** Both generators are pure functions of (seed, row index) and of the rows
** before it: the same seed always gives the same rows, and the first k rows
** of a run of n are the rows of a run of k. Rows are handed one at a time
** to a callback, so a caller may stream 210,000 entities straight into a
** store without holding them. Not thread-safe (the name parts are parsed
** into static tables on first use).
*/
#ifndef XINQU_DEMO_H
#define XINQU_DEMO_H

#include "registry.h"

/* DemoRng: xorshift64*, seeded, for the demo packs' own draws (招商, the
** ladder, talent): the same seed draws the same every run. */
typedef struct DemoRng {
  uint64_t s;
} DemoRng;

static inline uint64_t demo_next(DemoRng *r) {
  r->s ^= r->s >> 12, r->s ^= r->s << 25, r->s ^= r->s >> 27;
  return r->s * 0x2545F4914F6CDD1DULL;
}
/* demo_below() is in [0, n), n > 0; demo_unit() in [0, 1). */
static inline int demo_below(DemoRng *r, int n) { return (int)(demo_next(r) % (uint64_t)n); }
static inline double demo_unit(DemoRng *r) { return (double)(demo_next(r) >> 11) / 9007199254740992.0; }

/* demo_entities() generates n market entities of the Jinpu registry and
** calls emit(e, arg) for each, in order. Proportions follow China's
** registry: about 67.5% 个体工商户 (kind "individual", USCC 92…), 30.5%
** enterprises (26.5% "company" — a few 股份有限公司 —, 2% "branch", 1%
** "partnership", 1% "sole"), 2% 农民专业合作社 ("cooperative", 93…).
** Every USCC passes codes_uscc_check() (department 9, division mostly
** 210213, some 210242 and 210200) and is distinct from every other of the
** run; names are distinct within the run. Row 0 is always an active
** company whose legal representative is person 0 of demo_persons() with
** the same seed. *e is only valid during the call. Allocates one table of
** name hashes (about 16·n bytes) for the run and frees it before
** returning. Returns 0 when all n were emitted (or n <= 0), or the first
** nonzero value emit returned, at which point generation stops. */
int demo_entities(uint64_t seed, int n, int (*emit)(const Entity *e, void *arg), void *arg);

/* demo_persons() generates n persons and calls emit(p, arg) for each, in
** order: about 97% residents ("id", nationality "CHN", an 18-character ID
** number that passes codes_id_check(), born 1941–2008 in Jinpu, elsewhere
** in Liaoning or a neighbouring province) and about 3% foreigners
** ("passport", a number in the shape of their country's passports that
** passes codes_passport_check(), and a romanised name "SURNAME GIVEN").
** ID and passport numbers are distinct within the run; names need not be.
** Row 0 is always a resident. Allocation and return as demo_entities(). */
int demo_persons(uint64_t seed, int n, int (*emit)(const Person *p, void *arg), void *arg);

#endif
