/*
** money.h — exact amounts of money, for every domain that counts it (招商's
** planned investment and funds in place, the talent ledger's payments …).
**
** An amount is an integer count of its currency's minor unit (分 for CNY,
** cents for USD, whole yen for JPY), never a floating-point number. The
** currencies are ISO 4217's, each with its number of minor-unit digits.
** A conversion takes its rate as exact decimal text, as a bank publishes
** it ("6.4512" yuan per dollar), kept scaled by MONEY_RATE_SCALE, and
** rounds once, half away from zero. Sums and conversions refuse to
** overflow instead of wrapping.
*/
#ifndef XINQU_MONEY_H
#define XINQU_MONEY_H

#include <stdbool.h>
#include <stdint.h>
#include "base.h"
#include "buf.h"

typedef struct Currency {
  const char *code;    /* ISO 4217 alphabetic code, "CNY" */
  const char *name;    /* Chinese name, "人民币" */
  const char *name_en; /* English name, "Renminbi" */
  int digits;          /* minor-unit digits: 2 for CNY and USD, 0 for JPY and KRW */
} Currency;

/* A rate is a count of 10^-8 units: "6.4512" is 645120000. */
#define MONEY_RATE_SCALE 100000000LL
#define MONEY_RATE_DIGITS 8

/* money_currency() is the currency of code (upper case, exactly three
** letters), or NULL when it is not one xinqu knows. */
const Currency *money_currency(const char *code);

/* money_currencies() is the table of known currencies, *n of them (static). */
const Currency *money_currencies(int *n);

/* money_parse() reads text as an amount of currency c into *minor: an
** optional sign, digits (optionally grouped by commas in threes), and at
** most c->digits decimals after a point; blanks around it are ignored.
** "1,234.5" in CNY is 123450. Refusals, naming field (may be NULL):
** money.bad_amount (not such a number), money.too_precise (more decimals
** than the currency has), money.too_large (beyond ±(2^63−1) minor units).
** Returns 0, or -1 with *e. */
int money_parse(const char *text, const Currency *c, const char *field, int64_t *minor, Err *e);

/* money_format() appends minor units of c as decimal text with exactly
** c->digits decimals ("1234.50"), with commas between groups of three
** integer digits when group is true ("1,234.50"). */
void money_format(Buf *b, int64_t minor, const Currency *c, bool group);

/* money_format_scaled() appends the amount in units of 10^power major
** units (4: 万, 8: 亿) with decimals decimals, rounded half away from
** zero: 1030000000000000 分 of CNY at power 8, decimals 1 is "10300.0". */
void money_format_scaled(Buf *b, int64_t minor, const Currency *c, int power, int decimals);

/* money_rate_parse() reads a positive exchange rate with at most
** MONEY_RATE_DIGITS decimals into *rate (scaled). Refusals:
** money.bad_rate (not a positive decimal number, or too precise),
** money.too_large. Returns 0, or -1 with *e naming field. */
int money_rate_parse(const char *text, const char *field, int64_t *rate, Err *e);

/* money_rate_format() appends a scaled rate as decimal text without
** trailing zeros ("6.4512"). */
void money_rate_format(Buf *b, int64_t rate);

/* money_convert() converts minor units of from into minor units of to at
** rate (units of to per one unit of from, scaled), rounding half away
** from zero once: 1,000.00 USD at 6.4512 is 6,451.20 CNY. Returns 0, or
** -1 with money.too_large when the result does not fit. */
int money_convert(int64_t minor, const Currency *from, int64_t rate, const Currency *to, int64_t *out, Err *e);

/* money_add() sets *sum to a + b: 0, or -1 (and *sum untouched) when the
** sum would overflow. */
int money_add(int64_t a, int64_t b, int64_t *sum);

#endif
