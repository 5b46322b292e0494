/*
 * test_sha256.c: SHA-256 (kernel/lib/sha256.c) against the examples NIST
 * publishes for FIPS 180-4 ("abc", the 448-bit two-block message, the
 * 896-bit message, a million 'a's), the empty message and the padding's
 * edge cases, whole and fed in pieces of every size from 1 to 130 bytes.
 */
#include <stdio.h>
#include <string.h>
#include "kernel/lib/sha256.c"

static int failures;

static void hex(const uint8_t d[SHA256_BYTES], char out[2 * SHA256_BYTES + 1])
{
	for (int i = 0; i < SHA256_BYTES; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void expect(const char *what, const uint8_t d[SHA256_BYTES], const char *want)
{
	char got[2 * SHA256_BYTES + 1];
	hex(d, got);
	if (strcmp(got, want)) {
		failures++;
		printf("%s: got %s, want %s\n", what, got, want);
	}
}

/* The message whole, then in pieces of each size. */
static void vector(const char *msg, const char *want)
{
	uint8_t d[SHA256_BYTES];
	size_t n = strlen(msg);
	sha256(msg, n, d);
	expect(msg, d, want);
	for (size_t piece = 1; piece <= 130; piece++) {
		struct sha256 s;
		sha256_init(&s);
		for (size_t off = 0; off < n; off += piece)
			sha256_update(&s, msg + off, n - off < piece ? n - off : piece);
		sha256_final(&s, d);
		char what[64];
		snprintf(what, sizeof what, "in pieces of %zu", piece);
		expect(what, d, want);
	}
}

int main(void)
{
	vector("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	vector("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	vector("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	vector("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
	       "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	/* 55, 56 and 64 bytes, the padding's edge cases (the length fits in
	 * the last block, or needs one more): digests from the host's sha256sum. */
	vector("0123456789012345678901234567890123456789012345678901234",
	       "f34d5a0f80c0cbf84c8c0b90218c22637abd199965249da736a20143c8c9c9d9");
	vector("01234567890123456789012345678901234567890123456789012345",
	       "83aa034bda83e458a0dc9cbce0d4e354716aa0ff770ed37ac0ed2b292052e4af");
	vector("0123456789012345678901234567890123456789012345678901234567890123",
	       "9674d9e078535b7cec43284387a6ee39956188e735a85452b0050b55341cda56");
	static char million[1000000];
	memset(million, 'a', sizeof million);
	uint8_t d[SHA256_BYTES];
	sha256(million, sizeof million, d);
	expect("a million 'a'", d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	if (failures)
		printf("%d failures\n", failures);
	return failures != 0;
}
