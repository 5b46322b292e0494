/*
 * sha256.h: SHA-256 (FIPS 180-4, sections 4.1.2, 4.2.2, 5 and 6.2), for
 * the signed manifest of trusted programs (docs/secure-boot.md).
 * Pure code: also built natively for unit tests (tests/unit/test_sha256.c).
 */
#ifndef LIB_SHA256_H
#define LIB_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32

struct sha256 {
	uint32_t h[8];		/* the hash value H(i) so far */
	uint64_t len;		/* bytes hashed so far */
	uint8_t block[64];	/* a partial block, len % 64 bytes of it */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* Pads the message (FIPS 180-4 section 5.1.1) and writes the digest. */
void sha256_final(struct sha256 *s, uint8_t out[SHA256_BYTES]);
/* The digest of n bytes at data, in one call. */
void sha256(const void *data, size_t n, uint8_t out[SHA256_BYTES]);

#endif
