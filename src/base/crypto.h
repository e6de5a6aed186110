/*
** crypto.h — the wrappers around libsodium that xinqu uses: random tokens,
** SHA-256, and argon2id password hashes. crypto_init() must run first.
*/
#ifndef XINQU_CRYPTO_H
#define XINQU_CRYPTO_H

#include "base.h"

void crypto_init(void);
/* Fills p with n cryptographically random bytes. */
void crypto_random(void *p, size_t n);
/* Writes a random token of nbytes random bytes as lowercase hex into out,
** which must hold 2*nbytes+1 bytes. */
void crypto_token_hex(char *out, size_t nbytes);
/* SHA-256 of p[0..n) as 64 lowercase hex characters into out[65]. */
void crypto_sha256_hex(const void *p, size_t n, char out[65]);
/* argon2id hash of password in libsodium's string form (out: 128 bytes),
** 19 MiB and 2 passes; at most one hash (or verify) per core runs at once,
** the others wait. Returns 0, or -1 when out of memory for the hash. */
int crypto_password_hash(const char *password, char out[128]);
/* true when password matches the stored argon2id string. */
bool crypto_password_verify(const char *stored, const char *password);

#endif
