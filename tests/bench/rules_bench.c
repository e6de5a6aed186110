/*
** rules_bench.c — rule evaluations per second on one thread, for `make
** bench`: the rule and facts files given, evaluated over and over through
** rules_eval() for a fixed time (a fresh environment and a fresh facts
** conversion every time, as for real cases). Prints the decision of the
** first evaluation, then "evals_per_s N".
**
** usage: rules_bench RULE.lua FACTS.json SECONDS
*/
#include "base/base.h"
#include "base/buf.h"
#include "domain/rules.h"

#include <stdio.h>
#include <stdlib.h>

/* slurp() reads a whole file into a new string (free() it), or NULL. */
static char *slurp(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  Buf b = {0};
  char chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, got);
  fclose(f);
  return buf_detach(&b);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: rules_bench RULE.lua FACTS.json SECONDS\n");
    return 2;
  }
  char *src = slurp(argv[1]);
  json_error_t je;
  json_t *facts = json_load_file(argv[2], 0, &je);
  double secs = atof(argv[3]);
  if (!src || !facts) {
    fprintf(stderr, "rules_bench: cannot read %s or %s\n", argv[1], argv[2]);
    return 1;
  }
  RuleResult r;
  rules_eval(src, facts, &r);
  json_t *j = rules_result_json(&r);
  char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
  printf("first %s\n", s);
  free(s);
  json_decref(j);
  rules_result_clear(&r);
  long n = 0;
  int64_t t0 = mono_ms(), t;
  do {
    for (int i = 0; i < 1000; i++) {
      rules_eval(src, facts, &r);
      if (r.verdict != VERDICT_APPROVE) return 1;
      rules_result_clear(&r);
    }
    n += 1000;
    t = mono_ms();
  } while ((double)(t - t0) < secs * 1000);
  printf("evals_per_s %.1f\n", (double)n * 1000.0 / (double)(t - t0));
  json_decref(facts);
  free(src);
  return 0;
}
