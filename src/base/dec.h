/*
** dec.h — exact decimal figures (an indicator's value, a growth rate, a
** share, a target), never floating point.
**
** A Dec is an int64 count of 10^-DEC_DIGITS units: "2576.3" is
** 2576300000. Text is read exactly (at most DEC_DIGITS decimals, an
** optional sign, commas between groups of three), written exactly
** (dec_text(): no trailing zeros) or rounded once, half away from zero, to
** a number of decimals (dec_fixed()). Ratios are computed in 128 bits and
** rounded once. Whatever would pass ±(2^63−1) units is refused, never
** wrapped.
*/
#ifndef XINQU_DEC_H
#define XINQU_DEC_H

#include <stdbool.h>
#include <stdint.h>
#include "base.h"
#include "buf.h"

#define DEC_DIGITS 6
#define DEC_ONE 1000000LL /* 10^DEC_DIGITS */

typedef int64_t Dec;

/* dec_parse() reads text into *v: [blanks][sign]digits[,ddd…][.digits]
** [blanks] with at most max_decimals (0…DEC_DIGITS) decimals that are not
** trailing zeros. Refusals naming field: dec.bad_number (not a number),
** dec.too_precise (more decimals than max_decimals), dec.too_large
** (beyond the range). Returns 0, or -1 with *e. */
int dec_parse(const char *text, int max_decimals, const char *field, Dec *v, Err *e);

/* dec_text() appends v exactly, without trailing zeros ("2576.3", "12",
** "-0.05"). */
void dec_text(Buf *b, Dec v);

/* dec_fixed() appends v rounded half away from zero to decimals
** (0…DEC_DIGITS) decimals, always with exactly that many ("9.0"). */
void dec_fixed(Buf *b, Dec v, int decimals);

/* dec_round() is v rounded half away from zero to decimals decimals (still
** a Dec). */
Dec dec_round(Dec v, int decimals);

/* dec_add() and dec_sub() set *out to a + b and a − b: 0, or -1 when the
** result would overflow (*out untouched). */
int dec_add(Dec a, Dec b, Dec *out);
int dec_sub(Dec a, Dec b, Dec *out);

/* dec_ratio_pct() sets *out to num ÷ den × 100 − minus100 × 100, rounded
** half away from zero to decimals decimals: the share num is of den in per
** cent (minus100 false), or the growth from den to num in per cent (true:
** 2576.3 over 2363.6 is 9.0). 0; -1 when den is 0 (no ratio) or the
** result would overflow. */
int dec_ratio_pct(Dec num, Dec den, bool minus100, int decimals, Dec *out);

/* dec_mul_pct() sets *out to v × (100 + pct) ÷ 100 rounded half away from
** zero to DEC_DIGITS: the level a growth of pct per cent on v reaches. 0,
** or -1 on overflow. */
int dec_mul_pct(Dec v, Dec pct, Dec *out);

#endif
