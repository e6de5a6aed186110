/*
** codes.h — the identifiers of parties: the Unified Social Credit Code of a
** market entity or other organisation (统一社会信用代码, GB 32100-2015), the
** citizen identity number (公民身份号码, GB 11643-1999) and, for foreigners,
** a passport number with its nationality. Checkers say whether a code is
** well formed and, when it is not, why, in Chinese and English; generators
** make codes that the checkers accept (for the demo pack and for new
** registrations).
**
** Reasons are written as "中文 / English" into a caller's buffer (reason,
** cap), truncated to fit and always NUL-terminated; reason may be NULL.
**
** Upper case. A USCC and a passport number are refused when they contain
** lower-case letters (the reason says to use upper case): they are keys
** of the registry and must be stored in one spelling, and silently folding
** case would hide typing errors such as a lower-case "l" for "1". A caller
** that wants to be lenient may upper-case the input first. The ID number's
** lower-case "x" is the exception the standard's users expect: it is
** accepted and normalised to "X" in the 18-character form written out.
*/
#ifndef XINQU_CODES_H
#define XINQU_CODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One row of the GB 32100-2015 table of registration departments (第1位
** 登记管理部门代码) and the categories each may register (第2位 机构类别代码),
** with the amendments that added 外交 … 农业. */
typedef struct CodesUsccCategory {
  char dept;           /* position 1: '1'…'9', 'A', 'N', 'Y' */
  char cat;            /* position 2: '1'…'9' */
  const char *dept_zh; /* 登记管理部门, e.g. "工商" */
  const char *dept_en; /* e.g. "market regulation (industry and commerce)" */
  const char *cat_zh;  /* 机构类别, e.g. "个体工商户" */
  const char *cat_en;  /* e.g. "individual business" */
} CodesUsccCategory;

/* codes_uscc_check() checks that s is a Unified Social Credit Code: exactly
** 18 characters of "0123456789ABCDEFGHJKLMNPQRTUWXY" (I, O, Z, S, V are
** never used; lower case is refused); positions 1–2 a department and
** category pair of the standard's table; positions 3–8 six digits (the
** administrative division of the registering authority — not looked up in
** GB/T 2260, since authorities of functional zones use codes outside it);
** positions 9–17 an organisation code whose check character (position 17)
** satisfies GB 11714; position 18 the GB 32100 mod-31 check character.
** The first failing rule, in that order, is reported. s may be NULL.
** Allocates nothing. Returns 0 when s is valid, -1 with the reason written
** otherwise. */
int codes_uscc_check(const char *s, char *reason, size_t cap);

/* codes_uscc_category() looks up the department and category of the first
** two characters of s (which need not be a valid code otherwise). Returns
** a pointer into a static table, or NULL when s is NULL, shorter than 2 or
** the pair is not in the table. */
const CodesUsccCategory *codes_uscc_category(const char *s);

/* codes_uscc_check_char() computes the position-18 check character of the
** first 17 characters of s, which must all be in the USCC alphabet.
** Returns the character, or 0 when s is shorter than 17 or has a character
** outside the alphabet. */
char codes_uscc_check_char(const char *s);

/* codes_org_check_char() computes the GB 11714 check character (position
** 9 of an organisation code: '0'–'9' or 'X') of the 8 body characters at
** s, each in 0-9A-Z. Returns the character, or 0 when a body character is
** outside 0-9A-Z or s is shorter than 8. */
char codes_org_check_char(const char *s);

/* codes_uscc_make() writes into out (NUL-terminated) the USCC with
** department dept, category cat, division division6 (six digits) and an
** organisation code derived from serial: "MA" (the prefix market
** regulators use for codes they assign) followed by six characters that
** are a fixed permutation of serial mod 31^6, so codes look scattered but
** are unique; serials of 31^6 and above step the second prefix character
** (MB, MC, …). Distinct serials below 31^8 give distinct codes for the same
** dept, cat and division. Both check characters are computed, so
** codes_uscc_check() accepts the result. Allocates nothing. Returns 0, or
** -1 (and out = "") when dept/cat is not in the table or division6 is not
** six digits. */
int codes_uscc_make(char out[19], char dept, char cat, const char *division6, uint64_t serial);
/* codes_uscc_make_ordered() is codes_uscc_make() without the permutation:
** a larger serial gives a code that sorts after (for serials below
** 300 · 31^6, the codes from MA000000 to YYYYYYYY), as when a registry
** hands codes out one after another — new codes then go to the end of the
** code index instead of to a random page of it. */
int codes_uscc_make_ordered(char out[19], char dept, char cat, const char *division6, uint64_t serial);

/* codes_id_check() checks that s is a citizen identity number: 18
** characters, the first 17 digits and the last a digit or X (x is accepted
** and normalised), positions 1–2 a province-level code (11–15, 21–23,
** 31–37, 41–46, 50–54, 61–65, 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证,
** and 91–96 for the 2023 外国人永久居留身份证, whose first digit is 9
** followed by the issuing province), positions 7–14 a real date (Gregorian,
** year 0001 on; GB 11643 sets no earliest year) not after today
** (Asia/Shanghai), and the ISO 7064 MOD 11-2 check
** character. A 15-digit number of the first generation (birth year in two
** digits, no check character) is accepted and converted: "19" is inserted
** before the year and the check computed. out18 (may be NULL) receives
** the normalised 18-character form when s is valid, "" otherwise.
** Allocates nothing. Returns 0 when valid, -1 with the reason otherwise. */
int codes_id_check(const char *s, char out18[19], char *reason, size_t cap);

/* codes_id_check_asof(): codes_id_check() with "today" given as
** "YYYY-MM-DD" instead of read from the clock (for tests and for checking
** a number as of a past date). today NULL means the clock. */
int codes_id_check_asof(const char *s, const char *today, char out18[19], char *reason,
                        size_t cap);

/* codes_id_check_char() computes the MOD 11-2 check character ('0'–'9' or
** 'X') of the 17 digits at s. Returns 0 when s has fewer than 17 digits. */
char codes_id_check_char(const char *s);

/* codes_id_birth() writes the birth date of a normalised 18-character ID
** number (as codes_id_check() writes) as "YYYY-MM-DD" into out. Returns
** out, or NULL when id is not 18 characters with digits at positions 7–14. */
char *codes_id_birth(const char *id18, char out[11]);

/* codes_id_male() says whether the holder is male (the 17th digit is odd).
** Returns 1 male, 0 female, -1 when id18 is not 18 characters with a digit
** at position 17. */
int codes_id_male(const char *id18);

/* codes_id_make() writes into out the 18-character ID number with area
** area6 (six digits, a province code codes_id_check() accepts), birth date
** y-m-d (a real date, year 0001–9999) and sequence code 2*seq + (male ? 1 : 0)
** (seq 0–499, so the 17th digit carries the sex), with its check character.
** Allocates nothing. Returns 0, or -1 (and out = "") when an argument is
** out of range. Whether the date is in the future is not checked here. */
int codes_id_make(char out[19], const char *area6, int y, int m, int d, int seq, bool male);

/* codes_passport_check() checks the shape of a foreigner's passport:
** number 5–20 characters of A–Z and 0–9 (lower case refused, see above);
** nationality three upper-case letters and not CHN (a Chinese citizen uses
** the ID number) nor HKG, MAC or TWN (residents of Hong Kong, Macao and
** Taiwan are Chinese citizens and use their permits). This is a shape
** check only: the nationality is not looked up in ISO 3166 and no
** country's passport number format is enforced. Allocates nothing. Returns
** 0 when both are acceptable, -1 with the reason otherwise. */
int codes_passport_check(const char *number, const char *nationality, char *reason, size_t cap);

/* codes_party_mask() writes party masked for those who need not know it
** into out (40 bytes): a USCC is public and kept; a person's number keeps
** its first 6 and last 4 characters (an ID number's region and check
** digits), a shorter one its first 2 and last 2. */
void codes_party_mask(const char *party, char out[40]);

/* codes_province() is the Chinese name of province-level division code
** (GB/T 2260's first two digits, "21" 辽宁省), or NULL when there is none. */
const char *codes_province(const char *code);

/* codes_country() looks up ISO 3166-1 alpha-2 code ("DE") in the table
** data/iso/countries.csv carries (Debian iso-codes): 1 with its Chinese
** name in name (cap bytes; may be NULL), 0 when no country has the code. */
int codes_country(const char *code, char *name, size_t cap);

/* codes_province_find() writes into code[3] the province that s names: its
** two digits ("21"), its full name (辽宁省) or its name without 省, 市 or
** 自治区 and the rest (辽宁, 广西, 内蒙古). Returns 1, or 0 when none. */
int codes_province_find(const char *s, char code[3]);

/* codes_country_find() writes into code[3] the country that s names: its
** ISO 3166-1 alpha-2 code (either case), or its Chinese or English name as
** data/iso/countries.csv gives them. Returns 1, or 0 when none. */
int codes_country_find(const char *s, char code[3]);

#endif
