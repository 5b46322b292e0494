/* runner: driven=mount_fsstress */
/*
 * fsstress.c: many tasks and threads change one file system at once
 * (tests/cases_mount.py, mount_fsstress; docs/files.md, "Tests of the
 * mounted disk").
 *   fsstress DIR SECONDS SEED [halt | mN]
 * TASKS tasks of THREADS threads each work for SECONDS on DIR. Every
 * thread owns a private directory, DIR/pN, whose contents it knows
 * exactly (a model: which file names exist, where, with what content),
 * and works in the shared directories DIR/s0..s2 as all the others do.
 * It creates, writes (sizes that reach the indirect blocks), rewrites,
 * reads back, renames (within and across directories, over existing
 * files), links, unlinks, fsyncs, makes and removes directories and
 * moves them into others. A file's bytes follow from its owner and
 * generation (content()), so that whoever reads it, here or on the
 * host, can check it. A shared file is only ever made whole in a
 * private directory and then renamed into place, so every reader must
 * find one whole file. Errors that a race allows (-ENOENT when another
 * thread removed the name first, say) are expected; any other fails.
 *
 * At the end every thread checks its private directory against its
 * model, and prints a manifest line for each name it leaves,
 *   FSS F path owner gen size     a file and its content
 *   FSS D path                    a directory
 * and the first task, once all have ended, checks and lists what the
 * shared directories hold. The host then checks the disk with e2fsck
 * and reads every file of the manifest back with debugfs; a name on
 * the disk that the manifest does not have, or the reverse, fails.
 * Last line: FSSTRESS PASS or FSSTRESS FAIL.
 *
 * With "halt", the first thread stops the machine (halt) after SECONDS
 * while all the others are still at work (mount_halt_writers): the disk
 * must then be left clean all the same. With mN the run is made under
 * misbehave mode N (more, and other, interleavings).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thread.h>
#include <unistd.h>
#include "testlib.h"

#define TASKS	8
#define THREADS	4
#define SLOTS	12		/* private file names f0..f11 */
#define EDIRS	3		/* private empty directories e0..e2 */
#define SHARED	3		/* shared directories s0..s2 */
#define SNAMES	4		/* shared files n0..n3 and directories d0..d3 */
#define BUF	8192
#define CHUNK	64		/* content() repeats a 64-byte record */
#define HEAD	16		/* of which the first 16 bytes are the header */
#define PATHLEN	160
#define STACK	16384

static const char *dir;		/* the directory the test works in */
static unsigned seconds, seed;
static int halting;		/* the first thread halts, the others never stop */

/* A private file name's state: present, in which directory, and the
 * content of the inode it names. Two names with the same gen are links
 * to one inode. */
struct slot {
	int present;
	int in_x;		/* in pN/x (else in pN) */
	unsigned gen, size;
};

struct worker {
	int id;			/* 0 .. TASKS * THREADS - 1: owner of what it writes */
	unsigned rng;
	unsigned gen;		/* the last generation written */
	int x_in_y;		/* pN/x is at pN/y/x */
	int edir[EDIRS];	/* pN/eK exists */
	struct slot slot[SLOTS];
	int failed;
	unsigned ops;
	unsigned char buf[BUF];
	char a[PATHLEN], b[PATHLEN];
};

static struct worker workers[THREADS];	/* this task's threads */

static unsigned rnd(struct worker *w, unsigned n)
{
	w->rng = w->rng * 1103515245u + 12345u;
	return (w->rng >> 8) % n;
}

/* Byte i of the file of owner and gen that is size bytes long: a 64-byte
 * record repeated, each holding its index, the owner, the generation and
 * the size, then 48 bytes of a pattern of owner and gen. A block in the
 * wrong place or from another file does not pass. The host computes the
 * same (tests/cases_mount.py, fsstress_content). */
static unsigned char content(unsigned owner, unsigned gen, unsigned size, unsigned i)
{
	unsigned k = i / CHUNK, j = i % CHUNK, word;
	if (j >= HEAD)
		return (unsigned char)(owner * 31 + gen * 17 + j * 7 + (gen >> 8));
	word = j < 4 ? k : j < 8 ? owner : j < 12 ? gen : size;
	return (unsigned char)(word >> (8 * (j % 4)));
}

static void fail(struct worker *w, const char *what, const char *path, int got)
{
	tprintf("FSSTRESS FAIL w%d: %s %s: %d\n", w->id, what, path, got);
	w->failed = 1;
}

/* An error a race between threads may give: anything in allowed, a
 * zero-terminated list. Anything else fails w. */
static int expected(struct worker *w, const char *what, const char *path, int got,
		    const int *allowed)
{
	if (got >= 0)
		return 1;
	for (; *allowed; allowed++)
		if (got == -*allowed)
			return 1;
	fail(w, what, path, got);
	return 0;
}

static const int GONE[] = { ENOENT, 0 };
static const int GONE_OR_THERE[] = { ENOENT, EEXIST, 0 };
static const int DIR_RACES[] = { ENOENT, EEXIST, ENOTEMPTY, EINVAL, 0 };

/* Write a new file at path with the content of (w->id, gen, size), in
 * pieces of random length; fsync sometimes. flags: O_EXCL for a name
 * that must not exist, O_TRUNC to rewrite one that does. */
static int write_file(struct worker *w, const char *path, int flags, unsigned gen,
		      unsigned size)
{
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
	if (fd < 0) {
		fail(w, "open to write", path, fd);
		return fd;
	}
	for (unsigned off = 0; off < size;) {
		unsigned n = 1 + rnd(w, BUF);
		if (n > size - off)
			n = size - off;
		for (unsigned i = 0; i < n; i++)
			w->buf[i] = content((unsigned)w->id, gen, size, off + i);
		int got = write(fd, w->buf, (int)n);
		if (got != (int)n) {
			fail(w, "write", path, got);
			close(fd);
			return -1;
		}
		off += n;
	}
	int err = rnd(w, 8) == 0 ? fsync(fd) : 0;
	if (err < 0)
		fail(w, "fsync", path, err);
	close(fd);
	return err;
}

/* Read the file open at fd whole and check it against its own header
 * (owner, gen, size) and, if want_gen is not 0, the owner and generation
 * wanted. The header's values in *owner, *gen, *size. */
static int check_fd(struct worker *w, int fd, const char *path, unsigned want_owner,
		    unsigned want_gen, unsigned want_size, unsigned *owner, unsigned *gen,
		    unsigned *size)
{
	unsigned char *b = w->buf;
	unsigned off = 0;
	int n;
	*owner = *gen = *size = 0;
	while ((n = read(fd, b, BUF)) > 0) {
		for (int i = 0; i < n; i++, off++) {
			if (off >= 4 && off < HEAD) {	/* the header's words */
				unsigned *word = off < 8 ? owner : off < 12 ? gen : size;
				*word |= (unsigned)b[i] << (8 * (off % 4));
				continue;
			}
			if (b[i] != content(*owner, *gen, *size, off)) {
				tprintf("FSSTRESS FAIL w%d: %s: byte %u is %u, not %u (owner %u gen %u size %u)\n",
					w->id, path, off, b[i], content(*owner, *gen, *size, off),
					*owner, *gen, *size);
				w->failed = 1;
				return -1;
			}
		}
	}
	if (n < 0) {
		fail(w, "read", path, n);
		return -1;
	}
	if (off < HEAD || off != *size) {
		tprintf("FSSTRESS FAIL w%d: %s: %u bytes, its header says owner %u gen %u size %u\n",
			w->id, path, off, *owner, *gen, *size);
		w->failed = 1;
		return -1;
	}
	if (want_gen && (*owner != want_owner || *gen != want_gen || *size != want_size)) {
		tprintf("FSSTRESS FAIL w%d: %s holds owner %u gen %u size %u, not %u %u %u\n",
			w->id, path, *owner, *gen, *size, want_owner, want_gen, want_size);
		w->failed = 1;
		return -1;
	}
	return 0;
}

/* ---- the private directory ------------------------------------------------ */

static void xdir(struct worker *w, char *out)
{
	snprintf(out, PATHLEN, "%s/p%d/%s", dir, w->id, w->x_in_y ? "y/x" : "x");
}

static void slot_path(struct worker *w, int i, int in_x, char *out)
{
	char x[PATHLEN];
	if (in_x) {
		xdir(w, x);
		snprintf(out, PATHLEN, "%s/f%d", x, i);
	} else {
		snprintf(out, PATHLEN, "%s/p%d/f%d", dir, w->id, i);
	}
}

static unsigned pick_size(struct worker *w)
{
	switch (rnd(w, 4)) {
	case 0:
		return HEAD + rnd(w, 2000);
	case 1:
		return HEAD + rnd(w, 20000);
	case 2:
		return 50000 + rnd(w, 60000);	/* past 12 blocks of 4 KiB */
	default:
		return HEAD + rnd(w, 300000) * (rnd(w, 8) == 0);
	}
}

/* Make slot i hold a new generation: a new file if it is absent, else
 * rewritten in place (every link to it changes too) or replaced by a
 * whole file renamed over it. */
static void op_write(struct worker *w, int i)
{
	struct slot *s = &w->slot[i];
	unsigned gen = ++w->gen, size = pick_size(w), old = s->gen;
	if (!s->present) {
		s->in_x = rnd(w, 2);
		slot_path(w, i, s->in_x, w->a);
		if (write_file(w, w->a, O_EXCL, gen, size) < 0)
			return;
		*s = (struct slot){ 1, s->in_x, gen, size };
		return;
	}
	slot_path(w, i, s->in_x, w->a);
	if (rnd(w, 2)) {
		if (write_file(w, w->a, O_TRUNC, gen, size) < 0)
			return;
		for (int j = 0; j < SLOTS; j++)
			if (w->slot[j].present && w->slot[j].gen == old)
				w->slot[j].gen = gen, w->slot[j].size = size;
		return;
	}
	snprintf(w->b, PATHLEN, "%s/p%d/tmp", dir, w->id);
	if (write_file(w, w->b, O_EXCL, gen, size) < 0)
		return;
	int err = rename(w->b, w->a);
	if (err < 0)
		fail(w, "rename over", w->a, err);
	s->gen = gen, s->size = size;
}

static void op_verify(struct worker *w, int i)
{
	struct slot *s = &w->slot[i];
	unsigned o, g, z;
	if (!s->present) {
		slot_path(w, i, rnd(w, 2), w->a);
		int fd = open(w->a, O_RDONLY, 0);
		if (fd != -ENOENT)
			fail(w, "open of a removed file", w->a, fd);
		if (fd >= 0)
			close(fd);
		return;
	}
	slot_path(w, i, s->in_x, w->a);
	int fd = open(w->a, O_RDONLY, 0);
	if (fd < 0) {
		fail(w, "open to read", w->a, fd);
		return;
	}
	check_fd(w, fd, w->a, (unsigned)w->id, s->gen, s->size, &o, &g, &z);
	close(fd);
}

/* Rename slot i to slot j, in either directory, over j if it exists. */
static void op_rename(struct worker *w, int i, int j)
{
	struct slot *s = &w->slot[i], *t = &w->slot[j];
	if (!s->present || i == j || (t->present && t->gen == s->gen))
		return;		/* two links to one inode: rename does nothing */
	int in_x = t->present ? t->in_x : (int)rnd(w, 2);
	slot_path(w, i, s->in_x, w->a);
	slot_path(w, j, in_x, w->b);
	int err = rename(w->a, w->b);
	if (err < 0) {
		fail(w, "rename", w->a, err);
		return;
	}
	*t = (struct slot){ 1, in_x, s->gen, s->size };
	s->present = 0;
}

static void op_unlink(struct worker *w, int i)
{
	struct slot *s = &w->slot[i];
	slot_path(w, i, s->present ? s->in_x : (int)rnd(w, 2), w->a);
	int err = unlink(w->a);
	if (err != (s->present ? 0 : -ENOENT))
		fail(w, "unlink", w->a, err);
	s->present = 0;
}

static void op_link(struct worker *w, int i, int j)
{
	struct slot *s = &w->slot[i], *t = &w->slot[j];
	if (!s->present || i == j)
		return;
	int in_x = t->present ? t->in_x : (int)rnd(w, 2);
	slot_path(w, i, s->in_x, w->a);
	slot_path(w, j, in_x, w->b);
	int err = link(w->a, w->b);
	if (err != (t->present ? -EEXIST : 0)) {
		fail(w, "link", w->b, err);
		return;
	}
	if (!t->present)
		*t = (struct slot){ 1, in_x, s->gen, s->size };
}

/* Move pN/x, with the files in it, into pN/y or back; try to remove y
 * while x is in it, and make or remove an empty directory eK. */
static void op_dirs(struct worker *w)
{
	int err, k = (int)rnd(w, EDIRS);
	xdir(w, w->a);
	w->x_in_y = !w->x_in_y;
	xdir(w, w->b);
	if ((err = rename(w->a, w->b)) < 0) {
		fail(w, "rename of a directory", w->a, err);
		w->x_in_y = !w->x_in_y;
		return;
	}
	snprintf(w->a, PATHLEN, "%s/p%d/y", dir, w->id);
	if (w->x_in_y && (err = rmdir(w->a)) != -ENOTEMPTY)
		fail(w, "rmdir of a full directory", w->a, err);
	snprintf(w->a, PATHLEN, "%s/p%d/e%d", dir, w->id, k);
	if (w->edir[k] && (err = mkdir(w->a, 0755)) != -EEXIST)
		fail(w, "mkdir of an existing directory", w->a, err);
	err = w->edir[k] ? rmdir(w->a) : mkdir(w->a, 0755);
	if (err < 0)
		fail(w, w->edir[k] ? "rmdir" : "mkdir", w->a, err);
	else
		w->edir[k] = !w->edir[k];
}

/* ---- the shared directories ------------------------------------------------ */

/* A shared file's path: DIR/sA/nB or DIR/sA/dC/nB. */
static void shared_file(struct worker *w, char *out)
{
	int a = (int)rnd(w, SHARED), b = (int)rnd(w, SNAMES);
	if (rnd(w, 3) == 0)
		snprintf(out, PATHLEN, "%s/s%d/d%d/n%d", dir, a, (int)rnd(w, SNAMES), b);
	else
		snprintf(out, PATHLEN, "%s/s%d/n%d", dir, a, b);
}

/* A shared directory's path: DIR/sA/dC or DIR/sA/dC/dE. */
static void shared_dir(struct worker *w, char *out)
{
	int a = (int)rnd(w, SHARED), c = (int)rnd(w, SNAMES);
	if (rnd(w, 2) == 0)
		snprintf(out, PATHLEN, "%s/s%d/d%d/d%d", dir, a, c, (int)rnd(w, SNAMES));
	else
		snprintf(out, PATHLEN, "%s/s%d/d%d", dir, a, c);
}

/* Make a whole file privately, then rename it into a shared name. */
static void op_publish(struct worker *w)
{
	unsigned gen = ++w->gen;
	snprintf(w->a, PATHLEN, "%s/p%d/tmp", dir, w->id);
	if (write_file(w, w->a, O_EXCL, gen, pick_size(w)) < 0)
		return;
	shared_file(w, w->b);
	int err = rename(w->a, w->b);
	if (expected(w, "publish", w->b, err, GONE) && err < 0 &&
	    (err = unlink(w->a)) < 0)
		fail(w, "unlink", w->a, err);
}

static void op_shared_read(struct worker *w)
{
	unsigned o, g, z;
	shared_file(w, w->a);
	int fd = open(w->a, O_RDONLY, 0);
	if (!expected(w, "open shared", w->a, fd, GONE) || fd < 0)
		return;
	check_fd(w, fd, w->a, 0, 0, 0, &o, &g, &z);
	close(fd);
}

static void op_shared_change(struct worker *w)
{
	int err;
	switch (rnd(w, 8)) {
	case 0:
	case 1:
		shared_file(w, w->a);
		shared_file(w, w->b);
		err = rename(w->a, w->b);
		expected(w, "rename shared", w->a, err, GONE);
		break;
	case 2:
		shared_file(w, w->a);
		shared_file(w, w->b);
		err = link(w->a, w->b);
		expected(w, "link shared", w->a, err, GONE_OR_THERE);
		break;
	case 3:
		shared_file(w, w->a);
		err = unlink(w->a);
		expected(w, "unlink shared", w->a, err, GONE);
		break;
	case 4:
		shared_dir(w, w->a);
		err = mkdir(w->a, 0755);
		expected(w, "mkdir shared", w->a, err, GONE_OR_THERE);
		break;
	case 5:
		shared_dir(w, w->a);
		err = rmdir(w->a);
		expected(w, "rmdir shared", w->a, err, DIR_RACES);
		break;
	default:
		shared_dir(w, w->a);
		shared_dir(w, w->b);
		err = rename(w->a, w->b);
		expected(w, "rename shared directory", w->a, err, DIR_RACES);
		break;
	}
}

/* ---- the end: listings and the manifest ------------------------------------ */

/* The names in directory path (but . and ..) must be exactly those in
 * want, a blank-separated list. */
static void check_listing(struct worker *w, const char *path, const char *want)
{
	static fable_dirent_t ents[THREADS];
	fable_dirent_t *e = &ents[w - workers];
	int fd = open(path, O_RDONLY | O_DIRECTORY, 0), found = 0, wanted = 0, n;
	char name[16];
	if (fd < 0) {
		fail(w, "open directory", path, fd);
		return;
	}
	while ((n = readdir(fd, e)) > 0) {
		if (!strcmp(e->name, ".") || !strcmp(e->name, ".."))
			continue;
		snprintf(name, sizeof name, " %s ", e->name);
		found++;
		if (e->namelen > 8 || !strstr(want, name)) {
			tprintf("FSSTRESS FAIL w%d: %s holds %s, which it should not\n",
				w->id, path, e->name);
			w->failed = 1;
		}
	}
	if (n < 0)
		fail(w, "readdir", path, n);
	close(fd);
	for (const char *p = want; *p; p++)
		wanted += *p != ' ' && p[-1] == ' ';
	if (found != wanted) {
		tprintf("FSSTRESS FAIL w%d: %s holds %d names, not %d:%s\n", w->id, path,
			found, wanted, want);
		w->failed = 1;
	}
}

/* pN and its x against the model: names, then every file's bytes. */
static void check_private(struct worker *w)
{
	char top[256] = " y ", inx[256] = " ", x[PATHLEN];
	size_t t = strlen(top), i = strlen(inx);
	for (int k = 0; k < SLOTS; k++) {
		if (!w->slot[k].present)
			continue;
		if (w->slot[k].in_x)
			i += (size_t)snprintf(inx + i, sizeof inx - i, "f%d ", k);
		else
			t += (size_t)snprintf(top + t, sizeof top - t, "f%d ", k);
	}
	for (int k = 0; k < EDIRS; k++)
		if (w->edir[k])
			t += (size_t)snprintf(top + t, sizeof top - t, "e%d ", k);
	if (!w->x_in_y)
		snprintf(top + t, sizeof top - t, "x ");
	snprintf(w->a, PATHLEN, "%s/p%d", dir, w->id);
	check_listing(w, w->a, top);
	snprintf(w->a, PATHLEN, "%s/p%d/y", dir, w->id);
	check_listing(w, w->a, w->x_in_y ? " x " : " ");
	xdir(w, x);
	check_listing(w, x, inx);
	for (int k = 0; k < SLOTS; k++)
		op_verify(w, k);
}

static void manifest(struct worker *w)
{
	tprintf("FSS D %s/p%d\nFSS D %s/p%d/y\n", dir, w->id, dir, w->id);
	xdir(w, w->a);
	tprintf("FSS D %s\n", w->a);
	for (int k = 0; k < EDIRS; k++)
		if (w->edir[k])
			tprintf("FSS D %s/p%d/e%d\n", dir, w->id, k);
	for (int k = 0; k < SLOTS; k++) {
		struct slot *s = &w->slot[k];
		if (!s->present)
			continue;
		slot_path(w, k, s->in_x, w->a);
		tprintf("FSS F %s %d %u %u\n", w->a, w->id, s->gen, s->size);
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;
	unsigned end = halting && w->id ? ~0u : get_ticks() + seconds * 100;
	char path[PATHLEN];
	int err;
	snprintf(path, sizeof path, "%s/p%d", dir, w->id);
	if ((err = mkdir(path, 0755)) < 0)
		fail(w, "mkdir", path, err);
	snprintf(path, sizeof path, "%s/p%d/x", dir, w->id);
	if ((err = mkdir(path, 0755)) < 0)
		fail(w, "mkdir", path, err);
	snprintf(path, sizeof path, "%s/p%d/y", dir, w->id);
	if ((err = mkdir(path, 0755)) < 0)
		fail(w, "mkdir", path, err);
	while (!w->failed && get_ticks() < end) {
		int i = (int)rnd(w, SLOTS), j = (int)rnd(w, SLOTS);
		unsigned r = rnd(w, 100);
		w->ops++;
		if (r < 20)
			op_write(w, i);
		else if (r < 34)
			op_verify(w, i);
		else if (r < 44)
			op_rename(w, i, j);
		else if (r < 50)
			op_unlink(w, i);
		else if (r < 55)
			op_link(w, i, j);
		else if (r < 59)
			op_dirs(w);
		else if (r < 69)
			op_publish(w);
		else if (r < 80)
			op_shared_read(w);
		else if (r < 99)
			op_shared_change(w);
		else
			check_private(w);
	}
	if (halting) {		/* the others fail with -EROFS from now on */
		if (w->id == 0) {
			tprintf("FSSTRESS halting w%d\n", w->id);
			halt();
		}
		return NULL;
	}
	if (!w->failed)
		check_private(w);
	if (!w->failed)
		manifest(w);
	return NULL;
}

/* One task: THREADS workers; its exit status is how many failed. */
static void task(int t)
{
	int tids[THREADS], failed = 0;
	if (thr_init(STACK) < 0) {
		tprintf("FSSTRESS FAIL task %d: thr_init\n", t);
		exit(1);
	}
	for (int k = 0; k < THREADS; k++) {
		struct worker *w = &workers[k];
		w->id = t * THREADS + k;
		w->rng = seed * 7919u + (unsigned)w->id * 104729u + 1;
		if ((tids[k] = thr_create(work, w)) < 0) {
			tprintf("FSSTRESS FAIL task %d: thr_create %d\n", t, tids[k]);
			exit(1);
		}
	}
	for (int k = 0; k < THREADS; k++) {
		thr_join(tids[k], NULL);
		failed += workers[k].failed;
		tprintf("FSS ops w%d %u\n", workers[k].id, workers[k].ops);
	}
	exit(failed);
}

/* Check every file under path (a shared directory, after the run) and
 * list what it holds. */
static void walk(struct worker *w, const char *path, int depth)
{
	fable_dirent_t e, *ents = NULL;
	char sub[PATHLEN];
	unsigned o, g, z;
	int fd = open(path, O_RDONLY | O_DIRECTORY, 0), n, count = 0;
	tprintf("FSS D %s\n", path);
	if (fd < 0 || depth > 40) {
		if (fd >= 0)
			close(fd);
		fail(w, "open shared directory", path, fd);
		return;
	}
	/* The entries are read first and the directory closed before going
	 * down: one descriptor a level would run out of them (FS_FD_MAX) in
	 * the deep trees the nested renames build. */
	while ((n = readdir(fd, &e)) > 0) {
		if (!strcmp(e.name, ".") || !strcmp(e.name, ".."))
			continue;
		fable_dirent_t *more = realloc(ents, (count + 1) * sizeof *ents);
		if (!more) {
			fail(w, "realloc", path, -ENOMEM);
			break;
		}
		ents = more;
		ents[count++] = e;
	}
	if (n < 0)
		fail(w, "readdir", path, n);
	close(fd);
	for (int i = 0; i < count; i++) {
		snprintf(sub, sizeof sub, "%s/%s", path, ents[i].name);
		if (ents[i].type == FT_DIR) {
			walk(w, sub, depth + 1);
			continue;
		}
		int f = open(sub, O_RDONLY, 0);
		if (f < 0) {
			fail(w, "open shared", sub, f);
			continue;
		}
		if (check_fd(w, f, sub, 0, 0, 0, &o, &g, &z) == 0)
			tprintf("FSS F %s %u %u %u\n", sub, o, g, z);
		close(f);
	}
	free(ents);
}

int main(int argc, char *argv[])
{
	static struct worker end;
	char path[PATHLEN];
	int status, failed = 0, err;
	if (argc != 4 && !(argc == 5 && (!strcmp(argv[4], "halt") || argv[4][0] == 'm'))) {
		printf("usage: fsstress DIR SECONDS SEED [halt | mN]\n");
		return 2;
	}
	dir = argv[1];
	seconds = (unsigned)strtoul(argv[2], NULL, 10);
	seed = (unsigned)strtoul(argv[3], NULL, 10);
	halting = argc == 5 && argv[4][0] == 'h';
	if (argc == 5 && argv[4][0] == 'm')
		misbehave(atoi(argv[4] + 1));
	end.id = -1;
	if ((err = mkdir(dir, 0755)) < 0)
		fail(&end, "mkdir", dir, err);
	for (int a = 0; a < SHARED; a++) {
		snprintf(path, sizeof path, "%s/s%d", dir, a);
		if ((err = mkdir(path, 0755)) < 0)
			fail(&end, "mkdir", path, err);
	}
	if (end.failed) {
		printf("FSSTRESS FAIL\n");
		return 1;
	}
	for (int t = 0; t < TASKS; t++) {
		int pid = fork();
		if (pid == 0)
			task(t);
		if (pid < 0) {
			fail(&end, "fork", dir, pid);
			break;
		}
	}
	while (wait(&status) > 0)
		failed += status != 0;
	tprintf("FSS D %s\n", dir);
	for (int a = 0; a < SHARED; a++) {
		snprintf(path, sizeof path, "%s/s%d", dir, a);
		walk(&end, path, 0);
	}
	misbehave(0);
	failed += end.failed;
	tprintf("FSSTRESS %s\n", failed ? "FAIL" : "PASS");
	printf("FSSTRESS %s\n", failed ? "FAIL" : "PASS");
	return failed != 0;
}
