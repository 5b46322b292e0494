/*
 * trust.c: the manifest of trusted programs and exec's check against it
 * (see trust.h, docs/secure-boot.md).
 *
 * The manifest is text, one program a line, as sha256sum prints it: 64
 * hexadecimal digits, blanks, the program's name (for people: the kernel
 * keeps only the digests). Empty lines and lines starting with '#' are
 * skipped; any other line makes the whole manifest invalid, so that a
 * malformed manifest trusts nothing rather than part of itself.
 */
#include "fs/trust.h"
#include "dev/ramdisk.h"
#include "lib/errno.h"
#include "lib/format.h"
#include "lib/kprintf.h"
#include "lib/string.h"
#include "mm/kmalloc.h"
#include "mm/kmap.h"
#include "mm/layout.h"
#include "sync/mutex.h"

#define MANIFEST_MAX (256u << 10)	/* bytes: a few thousand programs */

/* Lock tags (docs/sync.md): [b] boot, [a] atomic, [m] rd_lock. */
static bool enforce;				/* [b] */
static uint8_t (*digests)[SHA256_BYTES];	/* [b] sorted, ndigests of them */
static uint32_t ndigests;			/* [b] */

/* The RAM disk's digests, by index in ramdisk_files, and the verdicts:
 * neither the files nor the manifest change, so a program once found in
 * the manifest is trusted for good, and exec then checks one flag (the
 * cost of exec with secure=1 is a row of make bench). */
static struct mutex rd_lock = MUTEX_INIT(rd_lock, "trust_rd");
static struct rd_hash {
	bool trusted;				/* [a] set once, never cleared */
	bool done;				/* [m] */
	uint8_t digest[SHA256_BYTES];		/* [m] */
} *rd_hashes;					/* [b] the array itself */

bool trust_enforced(void)
{
	return enforce;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The digest at the start of line s (of n bytes) into out: 0 or -1. */
static int parse_line(const char *s, uint32_t n, uint8_t out[SHA256_BYTES])
{
	if (n < 2 * SHA256_BYTES + 2 || (s[2 * SHA256_BYTES] != ' ' && s[2 * SHA256_BYTES] != '\t'))
		return -1;
	for (int i = 0; i < SHA256_BYTES; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

static int cmp_digest(const void *a, const void *b)
{
	return memcmp(a, b, SHA256_BYTES);
}

/* Insertion sort: the manifest is read once, at boot. */
static void sort_digests(void)
{
	for (uint32_t i = 1; i < ndigests; i++)
		for (uint32_t j = i; j > 0 && cmp_digest(digests[j - 1], digests[j]) > 0; j--) {
			uint8_t t[SHA256_BYTES];
			memcpy(t, digests[j], SHA256_BYTES);
			memcpy(digests[j], digests[j - 1], SHA256_BYTES);
			memcpy(digests[j - 1], t, SHA256_BYTES);
		}
}

/* Every line of the n bytes at text into digests: 0, or -1 and nothing
 * trusted if a line is not a manifest line. */
static int parse_manifest(const char *text, uint32_t n)
{
	/* A digest's line takes at least 66 bytes and a newline: room for
	 * every one, however many empty lines there are. */
	uint32_t most = n / (2 * SHA256_BYTES + 3) + 1;
	digests = kmalloc(most * SHA256_BYTES);
	if (!digests)
		return -1;
	for (uint32_t at = 0; at < n;) {
		uint32_t end = at;
		while (end < n && text[end] != '\n')
			end++;
		if (end > at && text[at] != '#' &&
		    (ndigests == most ||
		     parse_line(text + at, end - at, digests[ndigests++]) < 0)) {
			kfree(digests);
			digests = NULL;
			ndigests = 0;
			return -1;
		}
		at = end + 1;
	}
	sort_digests();
	return 0;
}

/* The module's bytes, [start, end) in physical memory that mm_init kept
 * out of every pool: GRUB puts it below 16 MiB, where the kernel's
 * identity map reaches it, QEMU's -initrd above, where it is copied a
 * page at a time through KM_SRC. */
static char *copy_module(const struct boot_module *m)
{
	uint32_t n = m->end - m->start;
	char *buf = kmalloc(n ? n : 1);
	if (!buf)
		return NULL;
	for (uint32_t done = 0; done < n;) {
		uint32_t pa = m->start + done, in = pa & PAGE_MASK;
		uint32_t take = PAGE_SIZE - in < n - done ? PAGE_SIZE - in : n - done;
		if (pa < USER_MEM_START) {
			memcpy(buf + done, (const char *)pa, take);
			done += take;
			continue;
		}
		uint32_t flags = kmap_begin();
		memcpy(buf + done, (const char *)kmap(KM_SRC, pa - in) + in, take);
		kmap_end(flags);
		done += take;
	}
	return buf;
}

void trust_init(const struct mem_map *map, bool enforce_it)
{
	enforce = enforce_it;
	if (!enforce)
		return;
	rd_hashes = kzalloc(ramdisk_nfiles * sizeof *rd_hashes);
	const struct boot_module *m = map->nmod ? &map->mod[0] : NULL;
	char *text = NULL;
	if (m && m->end > m->start && m->end - m->start <= MANIFEST_MAX)
		text = copy_module(m);
	if (!rd_hashes || !text || parse_manifest(text, m->end - m->start) < 0)
		klog(LOG_WARN, "secure: no valid manifest: exec will refuse every program");
	else
		klog(LOG_INFO, "secure: the manifest trusts %u programs", ndigests);
	kfree(text);
}

/* The SHA-256 of RAM-disk file f into out, from rd_hashes once known. */
static void ramdisk_hash(const struct rd_file *f, uint8_t out[SHA256_BYTES])
{
	struct rd_hash *h = rd_hashes ? &rd_hashes[f - ramdisk_files] : NULL;
	mutex_lock(&rd_lock);
	if (!h || !h->done) {
		struct sha256 s;
		uint8_t chunk[RAMDISK_BOUNCE];
		sha256_init(&s);
		for (uint32_t off = 0; off < f->size; off += sizeof chunk) {
			uint32_t n = f->size - off < sizeof chunk ? f->size - off : sizeof chunk;
			ramdisk_copy(f, off, n, chunk);
			sha256_update(&s, chunk, n);
		}
		sha256_final(&s, out);
		if (h) {
			memcpy(h->digest, out, SHA256_BYTES);
			h->done = true;
		}
	} else {
		memcpy(out, h->digest, SHA256_BYTES);
	}
	mutex_unlock(&rd_lock);
}

int trust_ramdisk(const char *name, const struct rd_file *f)
{
	struct rd_hash *h = rd_hashes ? &rd_hashes[f - ramdisk_files] : NULL;
	if (h && __atomic_load_n(&h->trusted, __ATOMIC_ACQUIRE))
		return 0;
	uint8_t digest[SHA256_BYTES];
	ramdisk_hash(f, digest);
	int err = trust_check(name, digest);
	if (err == 0 && h)
		__atomic_store_n(&h->trusted, true, __ATOMIC_RELEASE);
	return err;
}

int trust_check(const char *name, const uint8_t digest[SHA256_BYTES])
{
	uint32_t lo = 0, hi = ndigests;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = cmp_digest(digest, digests[mid]);
		if (c == 0)
			return 0;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	char hex[2 * SHA256_BYTES + 1];
	for (int i = 0; i < SHA256_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	kprintf("secure: exec of %s refused: its SHA-256 %s is not in the manifest\n", name, hex);
	return -EUNTRUSTED;
}
