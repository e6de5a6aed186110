/*
** ladder_bench.c — the qualification ladder (issue 15) on one thread, for
** `make bench`: every enterprise's facts of a JSONL file (one JSON object a
** line) loaded first, then three timed passes over all of them:
**
**   1. ladder_check() on day ON — every rung's rule in force that day (six),
**      with its criteria, messages and verdict built as JSON, as `xinqu ladder
**      check` does;
**   2. 高企 alone: rules_eval_shared() of the book's prelude
**      (ladder_prelude()) and 高企's version 1 (ladder_rule_text()), over the same facts
**      with facts.on set to ON (set once before the pass: ladder_check()
**      copies the facts to add it, this pass does not).
**   3. the shared helpers alone: the prelude and a rule that only calls
**      decide(nil), over the same facts — what ladder check spends once
**      for all six rungs before their criteria.
**   4. the floor: for each enterprise six rules run together (one a rung, as
**      ladder check runs them) that read no fact, run no helper and build no
**      JSON, and only report as many
**      criteria as that rung reported on average in pass 1, each with a
**      message made as the rungs make theirs (a few pieces joined, two
**      figures through fixed()); then again without the messages. What the
**      sandbox costs for the least that `ladder check` must report — the
**      bound of pass 1 on this machine, however lean the rules.
**
** Prints "key value" lines (read by tests/bench/ladder.mjs): enterprises,
** rungs (rung evaluations in pass 1), not_in_force (rungs with no version
** that day), all_rungs_s, enterprises_per_s, rung_evals_per_s, gaoqi_s,
** gaoqi_evals_per_s, helpers_s, floor_criteria (criteria per enterprise
** in pass 1), floor_s, floor_nomsg_s, then the 高企 verdicts of each pass ("ladder_gaoqi" and
** "gaoqi": eligible, not, unknown, failed — a rule that failed is a manual
** verdict with a code) and "disagree N", the enterprises whose 高企 verdict
** differs between the passes. With VERDICTS.txt it also writes pass 2's
** verdict of each enterprise as one character a line: y (eligible), n
** (not), ? (unknown), ! (the rule failed).
**
** usage: ladder_bench FACTS.jsonl ON [VERDICTS.txt]
*/
#include "base/base.h"
#include "domain/ladder.h"
#include "base/buf.h"
#include "domain/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Tally: verdicts counted by kind. */
typedef struct Tally {
  long eligible; /* every criterion met */
  long no;       /* some criterion not met */
  long unknown;  /* none failed, some could not be judged */
  long failed;   /* the rule itself failed (error, limit, malformed result) */
} Tally;

/* verdict_char() is the one-character verdict of a rules_eval() result. */
static char verdict_char(const RuleResult *r) {
  if (r->code[0]) return '!';
  return r->verdict == VERDICT_APPROVE ? 'y' : r->verdict == VERDICT_DENY ? 'n' : '?';
}

/* rung_char() is the one-character verdict of a rung of ladder_check()'s
** answer: eligible true/false/null, and '!' when the rule ran but reported
** no criteria (it failed; ladder.c puts its error in why_not). */
static char rung_char(const json_t *rung) {
  const json_t *el = json_object_get(rung, "eligible");
  if (json_is_true(el)) return 'y';
  if (json_is_false(el)) return 'n';
  return json_array_size(json_object_get(rung, "criteria")) == 0 ? '!' : '?';
}

/* tally_add() counts one verdict character (verdict_char(), rung_char()). */
static void tally_add(Tally *t, char c) {
  if (c == 'y') t->eligible++;
  else if (c == 'n') t->no++;
  else if (c == '?') t->unknown++;
  else t->failed++;
}

/* load() reads every line of path as a JSON object into *aFacts (new,
** owned: json_decref each, free the array); returns how many, or -1 with a
** message on stderr. */
static long load(const char *path, json_t ***aFacts) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    return -1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  long n = 0, alloc = 0, lineno = 0;
  bool bad = false;
  json_t **a = NULL;
  while ((len = getline(&line, &cap, f)) > 0) {
    lineno++;
    if (len == 1 && line[0] == '\n') continue;
    json_error_t je;
    json_t *o = json_loadb(line, (size_t)len, 0, &je);
    if (!json_is_object(o)) {
      fprintf(stderr, "%s:%ld: not a JSON object: %s\n", path, lineno, je.text);
      json_decref(o);
      bad = true;
      break;
    }
    if (n == alloc) a = xrealloc(a, (size_t)(alloc = alloc ? 2 * alloc : 1024) * sizeof *a);
    a[n++] = o;
  }
  free(line);
  fclose(f);
  if (bad) {
    for (long i = 0; i < n; i++) json_decref(a[i]);
    free(a);
    return -1;
  }
  *aFacts = a;
  return n;
}

int main(int argc, char **argv) {
  if (argc != 3 && argc != 4) {
    fprintf(stderr, "usage: ladder_bench FACTS.jsonl ON [VERDICTS.txt]\n");
    return 2;
  }
  const char *on = argv[2];
  json_t **aFacts = NULL;
  long nFacts = load(argv[1], &aFacts);
  if (nFacts <= 0) {
    fprintf(stderr, "ladder_bench: no facts in %s\n", argv[1]);
    return 1;
  }
  const char *prelude = ladder_prelude();
  char *gaoqi = ladder_rule_text("gaoqi", 1);
  if (!prelude || !gaoqi) {
    fprintf(stderr, "ladder_bench: rules/common.lua, ladder/lib.lua or ladder/gaoqi-1.lua is not embedded\n");
    free(gaoqi);
    return 1;
  }
  char *aLadder = xmalloc((size_t)nFacts), *aGaoqi = xmalloc((size_t)nFacts);
  Tally tLadder = {0}, tGaoqi = {0};
  long nRung = 0, nNotInForce = 0, nDisagree = 0, aCrit[6] = {0};
  int rc = 1;

  /* Warm up: the first call loads and compiles the rungs' rules. */
  Err e = {0};
  json_t *first = ladder_check(aFacts[0], on, &e);
  if (!first) {
    fprintf(stderr, "ladder_bench: %s / %s\n", e.message, e.message_en);
    goto out;
  }
  json_decref(first);

  /* Pass 1: every rung, with the answer built as JSON. */
  int64_t t0 = mono_ms();
  for (long i = 0; i < nFacts; i++) {
    json_t *res = ladder_check(aFacts[i], on, &e), *rung;
    if (!res) {
      fprintf(stderr, "ladder_bench: line %ld: %s / %s\n", i + 1, e.message, e.message_en);
      goto out;
    }
    size_t k;
    json_array_foreach(json_object_get(res, "rungs"), k, rung) {
      nRung++;
      if (k < XQ_COUNT(aCrit)) aCrit[k] += (long)json_array_size(json_object_get(rung, "criteria"));
      if (json_is_null(json_object_get(rung, "rule_version"))) nNotInForce++;
      if (strcmp(json_string_value(json_object_get(rung, "rung")), "gaoqi") == 0) aLadder[i] = rung_char(rung);
    }
    json_decref(res);
  }
  int64_t t1 = mono_ms();

  /* Pass 2: 高企 alone, facts.on set beforehand. */
  for (long i = 0; i < nFacts; i++) json_object_set_new(aFacts[i], "on", json_string(on));
  RuleResult r;
  int64_t t2 = mono_ms();
  for (long i = 0; i < nFacts; i++) {
    rules_eval_shared(prelude, (const char *const *)&gaoqi, 1, aFacts[i], &r);
    aGaoqi[i] = verdict_char(&r);
    rules_result_clear(&r);
  }
  int64_t t3 = mono_ms();

  /* Pass 3: the shared helpers alone (the prelude, which ladder check runs
  ** once before the rungs' criteria) and a decision without criteria. */
  const char *helpers = "decide(nil)";
  int64_t t4 = mono_ms();
  for (long i = 0; i < nFacts; i++) {
    rules_eval_shared(prelude, &helpers, 1, aFacts[i], &r);
    if (r.code[0]) {
      fprintf(stderr, "ladder_bench: the helpers alone failed: %s\n", r.error);
      rules_result_clear(&r);
      goto out;
    }
    rules_result_clear(&r);
  }
  int64_t t5 = mono_ms();

  /* Pass 4: the floor, with messages and without. */
  char *aFloor[2][XQ_COUNT(aCrit)];
  long nCrit = 0;
  for (size_t k = 0; k < XQ_COUNT(aCrit); k++) {
    long m = (aCrit[k] + nFacts / 2) / nFacts;
    nCrit += m;
    for (int withMsg = 0; withMsg < 2; withMsg++) {
      Buf b = {0};
      buf_puts(&b, "local x, t = 0.0273, 0.03\n");
      for (long c = 0; c < m; c++)
        buf_appendf(&b, "condition('criterion_%ld', x >= t, x, t, %s)\n", c,
                   withMsg ? "'近三年研发费用占销售收入 ' .. fixed(x * 100, 2) .. '%，低于 ' .. fixed(t * 100, 2) .. '%'" : "nil");
      buf_puts(&b, "deny('不符合条件')\n");
      aFloor[withMsg][k] = buf_detach(&b);
    }
  }
  int64_t tFloor[2];
  RuleResult r6[XQ_COUNT(aCrit)];
  for (int withMsg = 1; withMsg >= 0; withMsg--) {
    int64_t t6 = mono_ms();
    for (long i = 0; i < nFacts; i++) {
      /* run together as ladder check runs the rungs, after an empty prelude */
      rules_eval_shared("", (const char *const *)aFloor[withMsg], (int)XQ_COUNT(aCrit), aFacts[i], r6);
      bool failed = false;
      for (size_t k = 0; k < XQ_COUNT(aCrit); k++) {
        if (r6[k].code[0] && !failed) fprintf(stderr, "ladder_bench: the floor rule failed: %s\n", r6[k].error);
        failed = failed || r6[k].code[0];
        rules_result_clear(&r6[k]);
      }
      if (failed) goto out;
    }
    tFloor[withMsg] = mono_ms() - t6;
  }
  for (size_t k = 0; k < XQ_COUNT(aCrit); k++) free(aFloor[0][k]), free(aFloor[1][k]);

  for (long i = 0; i < nFacts; i++) {
    tally_add(&tLadder, aLadder[i]);
    tally_add(&tGaoqi, aGaoqi[i]);
    nDisagree += aLadder[i] != aGaoqi[i];
  }
  double sAll = (double)(t1 - t0) / 1000.0, sGaoqi = (double)(t3 - t2) / 1000.0;
  if (sAll <= 0) sAll = 0.001;
  if (sGaoqi <= 0) sGaoqi = 0.001;
  printf("enterprises %ld\nrungs %ld\nnot_in_force %ld\n", nFacts, nRung, nNotInForce);
  printf("all_rungs_s %.3f\nenterprises_per_s %.1f\nrung_evals_per_s %.1f\n", sAll, (double)nFacts / sAll,
         (double)nRung / sAll);
  printf("gaoqi_s %.3f\ngaoqi_evals_per_s %.1f\n", sGaoqi, (double)nFacts / sGaoqi);
  printf("helpers_s %.3f\n", (double)(t5 - t4) / 1000.0);
  printf("floor_criteria %ld\nfloor_s %.3f\nfloor_nomsg_s %.3f\n", nCrit, (double)tFloor[1] / 1000.0,
         (double)tFloor[0] / 1000.0);
  printf("ladder_gaoqi eligible %ld not %ld unknown %ld failed %ld\n", tLadder.eligible, tLadder.no, tLadder.unknown,
         tLadder.failed);
  printf("gaoqi eligible %ld not %ld unknown %ld failed %ld\n", tGaoqi.eligible, tGaoqi.no, tGaoqi.unknown,
         tGaoqi.failed);
  printf("disagree %ld\n", nDisagree);
  if (argc == 4) {
    FILE *v = fopen(argv[3], "w");
    if (!v) {
      perror(argv[3]);
      goto out;
    }
    for (long i = 0; i < nFacts; i++) fprintf(v, "%c\n", aGaoqi[i]);
    if (fclose(v) != 0) {
      perror(argv[3]);
      goto out;
    }
  }
  rc = 0;
out:
  for (long i = 0; i < nFacts; i++) json_decref(aFacts[i]);
  free(aFacts);
  free(aLadder);
  free(aGaoqi);
  free(gaoqi);
  return rc;
}
