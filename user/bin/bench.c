/*
 * bench.c: guest instructions per operation (docs/performance.md).
 *
 *   bench [-q] [-p] [-w] [-d] [-s] [KEY...]
 *
 * -q: quick (fewer batches); -p: poweroff when done; -w: wall time
 * instead (below); -d: the disk's operations instead (below); -s: the
 * processors' operations instead (below); KEYs: only these operations
 * (for profiling one of them).
 *
 * Meant to run under QEMU's -icount shift=0 (tools/bench.py, `make
 * bench`), where rdtsc counts retired guest instructions exactly. Each
 * operation runs once to warm up (first-touch faults, COW breaks, kernel
 * free lists), then in batches of a fixed size; the cheapest batch is the
 * result, which leaves out the batches a timer tick fell into. The loop
 * and the call of the system-call stub count as part of the operation
 * (the `empty` row shows what the loop alone costs).
 *
 * One line per operation, on the console (and so on serial):
 *   BENCH <key> <instructions per op, one decimal> <ops per batch> <batches>
 * then `BENCH DONE`. Keys and targets are in tools/bench.py.
 *
 * -w is for plain TCG (no icount), where rdtsc follows the host's clock:
 * each operation runs WALL_BATCHES batches and reports the median batch,
 *   BENCHW <key> <rdtsc cycles per op, one decimal>
 * between two lines `BENCHW TSC <rdtsc>` at least a second apart, which
 * tools/bench.py stamps with the host's time to turn cycles into
 * nanoseconds.
 *
 * -d is for an ext2 disk at / that holds DISK_COLD, 16 MiB nobody has
 * read since the boot (tools/bench.py makes a fresh image each run). A
 * disk operation waits for the disk, and under -icount a halted CPU's
 * clock jumps to its next timer tick; so these rows count the
 * instructions of every thread but the idle one: rdtsc minus the idle
 * thread's share, which kstat reports (docs/performance.md).
 *
 * -s is for several CPUs under -icount (tools/bench_smp.py, make
 * bench-smp), where QEMU runs the CPUs in turn on one host thread and
 * rdtsc counts the instructions of all of them: what one CPU makes
 * another do counts too. Each operation's line is followed by
 *   BENCHIPI <key> <IPIs per op> <TLB shootdowns per op>
 * (one decimal each, from kstat, over the warm-up and the batches).
 */
#include <fable.h>
#include <fiber.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <thr_internals.h>
#include <thread.h>
#include <unistd.h>

#define PAGES_AT    ((void *)0x40000000)	/* the new_pages benchmark */
#define SCALE_AT    0x50000000u		/* stacks of the scale workers */
#define SCALE_STACK 1024			/* bytes each; they only yield */
#define SCALE_MAX   1000
#define PARTNER_STACK 4096

struct op {
	const char *key;	/* name in bench.json and bench/baseline.json */
	int n;			/* operations per batch */
	void (*start)(void);	/* NULL, or set up partners before the warm-up */
	void (*run)(int n);	/* do n operations */
	void (*stop)(void);	/* NULL, or undo start */
	int fibers;		/* 0, or run in a fiber, on this many kernel threads */
};

static int batches = 5;
static int off;		/* -p: poweroff when done (we are the first program) */
static int wall;	/* -w: median rdtsc cycles under plain TCG */
#define WALL_BATCHES 101
#define WALL_SPAN 100	/* ticks (1 s) at least between the TSC lines */

/* Instructions retired since reset (under -icount shift=0). */
static unsigned long long rdtsc(void)
{
	unsigned long long t;
	__asm__ volatile("rdtsc" : "=A"(t));
	return t;
}

/* A benchmark that cannot do what it measures has no result: stop. */
static void fail(const char *what)
{
	printf("BENCH FAIL %s\n", what);
	if (off)
		poweroff(POWEROFF_FAIL);
	exit(1);
}

/* ---- null system call, and the loop around every operation ------------ */

static void run_empty(int n)
{
	for (int i = 0; i < n; i++)
		__asm__ volatile("");
}

static void run_gettid(int n)
{
	for (int i = 0; i < n; i++)
		gettid();
}

/* ---- tasks ------------------------------------------------------------- */

/* Wait for one child and insist that it exited with 0. */
static void reap(void)
{
	int status = -1;
	if (wait(&status) < 0 || status != 0)
		fail("wait");
}

static void run_fork(int n)
{
	for (int i = 0; i < n; i++) {
		int pid = fork();
		if (pid == 0)
			exit(0);
		if (pid < 0)
			fail("fork");
		reap();
	}
}

static void run_exec(int n)
{
	static char *argv[] = { "true", NULL };
	for (int i = 0; i < n; i++) {
		int pid = fork();
		if (pid == 0) {
			exec(argv[0], argv);
			exit(1);
		}
		if (pid < 0)
			fail("fork");
		reap();
	}
}

/* ---- yield between two tasks ------------------------------------------- */

static int child;	/* the task that yields back */

/* The child yields straight back until the parent blocks in wait(). */
static void start_ping(void)
{
	int parent = gettid();
	child = fork();
	if (child == 0) {
		while (yield(parent) == 0)
			;
		exit(0);
	}
	if (child < 0)
		fail("fork");
}

static void run_ping(int n)
{
	for (int i = 0; i < n; i++)
		if (yield(child) < 0)
			fail("yield");
}

/* ---- deschedule / make_runnable between two threads -------------------- */

static volatile int a_go, b_go, b_stop, b_done;
static int main_tid, b_tid;
static char b_stack[PARTNER_STACK];

/* Sleep until *flag is set, then clear it. */
static void await(volatile int *flag)
{
	while (!*flag)
		deschedule((int *)flag);
	*flag = 0;
}

/* The partner: answer every go with a go back, until told to stop. */
static void partner(void *arg)
{
	(void)arg;
	for (;;) {
		await(&b_go);
		if (b_stop)
			break;
		a_go = 1;
		make_runnable(main_tid);
	}
	b_done = 1;
}

static void start_desched(void)
{
	main_tid = gettid();
	b_tid = thread_fork_on(b_stack + PARTNER_STACK, partner, NULL);
	if (b_tid < 0)
		fail("thread_fork");
}

/* make_runnable may find the partner not yet asleep: then it sees b_go
 * before it would sleep, so the failed wake-up loses nothing. */
static void run_desched(int n)
{
	for (int i = 0; i < n; i++) {
		b_go = 1;
		make_runnable(b_tid);
		await(&a_go);
	}
}

static void stop_desched(void)
{
	b_stop = b_go = 1;
	make_runnable(b_tid);
	while (!b_done)
		yield(b_tid);
}

/* ---- the thread library ------------------------------------------------- */

static void *nothing(void *arg)
{
	return arg;
}

/* thr_init, once for every operation that needs it. */
static void start_thr(void)
{
	static int done;
	if (!done && thr_init(4096) < 0)
		fail("thr_init");
	done = 1;
}

static void run_thr(int n)
{
	for (int i = 0; i < n; i++) {
		int tid = thr_create(nothing, NULL);
		if (tid < 0 || thr_join(tid, NULL) < 0)
			fail("thr_create/thr_join");
	}
}

/* ---- memory and console ------------------------------------------------- */

static void run_pages(int n)
{
	for (int i = 0; i < n; i++) {
		if (new_pages(PAGES_AT, PAGE_SIZE) < 0)
			fail("new_pages");
		*(volatile int *)PAGES_AT = i;
		remove_pages(PAGES_AT);
	}
}

/* 79 characters and a newline: one full line, so that each print also
 * scrolls the screen once it is full, as a program's output does. */
static void run_print(int n)
{
	static char line[80];
	for (int i = 0; i < 79; i++)
		line[i] = 'a' + i % 26;
	line[79] = '\n';
	for (int i = 0; i < n; i++)
		print(sizeof(line), line);
}

/* ---- pipes ---------------------------------------------------------------- */

#define PIPE_CHUNK 4096
#define MIB (1024 * 1024)

static int to_child[2], from_child[2];	/* the parent's ends stay open */
static int piper;			/* the partner task */

/* The child echoes each byte it reads until the end. */
static void start_pipe_echo(void)
{
	char c;
	if (pipe(to_child) < 0 || pipe(from_child) < 0)
		fail("pipe");
	piper = fork();
	if (piper == 0) {
		close(to_child[1]);	/* or it would never see the end */
		close(from_child[0]);
		while (read(to_child[0], &c, 1) == 1)
			write(from_child[1], &c, 1);
		exit(0);
	}
	if (piper < 0)
		fail("fork");
}

static void run_pipe_echo(int n)
{
	char c = 'x';
	for (int i = 0; i < n; i++)
		if (write(to_child[1], &c, 1) != 1 || read(from_child[0], &c, 1) != 1)
			fail("pipe round trip");
}

static void stop_pipe_echo(void)
{
	for (int i = 0; i < 2; i++) {
		close(to_child[i]);
		close(from_child[i]);
	}
	reap();
}

/* The child writes 4 KiB chunks until no reader is left. */
static void start_pipe_stream(void)
{
	static char chunk[PIPE_CHUNK];
	if (pipe(from_child) < 0)
		fail("pipe");
	piper = fork();
	if (piper == 0) {
		close(from_child[0]);
		while (write(from_child[1], chunk, sizeof chunk) == sizeof chunk)
			;
		exit(0);
	}
	if (piper < 0)
		fail("fork");
}

static void stop_pipe_stream(void)
{
	close(from_child[0]);	/* the writer gets -EPIPE and exits */
	close(from_child[1]);
	reap();
}

/* Read n MiB from the stream. */
static void run_pipe_stream(int n)
{
	static char buf[PIPE_CHUNK];
	for (int i = 0; i < n; i++) {
		for (int got = 0, r; got < MIB; got += r)
			if ((r = read(from_child[0], buf, sizeof buf)) <= 0)
				fail("pipe stream");
	}
}

/* ---- yield among many runnable threads ---------------------------------- */

static volatile int scale_stop, scale_alive;
static int nthreads;	/* runnable threads, this one included */

static void worker(void *arg)
{
	(void)arg;
	while (!scale_stop)
		yield(-1);
	__atomic_sub_fetch(&scale_alive, 1, __ATOMIC_SEQ_CST);
}

/* nthreads - 1 workers, each on its own stack in one new_pages region. */
static void start_scale(void)
{
	static int mapped;
	if (!mapped && new_pages((void *)SCALE_AT, SCALE_MAX * SCALE_STACK) < 0)
		fail("new_pages");
	mapped = 1;
	scale_stop = 0;
	scale_alive = nthreads - 1;
	for (int i = 1; i < nthreads; i++) {
		char *top = (char *)SCALE_AT + i * SCALE_STACK;
		if (thread_fork_on(top, worker, NULL) < 0)
			fail("thread_fork");
	}
}

static void start_scale2(void)
{
	nthreads = 2;
	start_scale();
}

static void start_scale1000(void)
{
	nthreads = SCALE_MAX;
	start_scale();
}

/* One yield of ours lets all others yield once: nthreads switches, that
 * is nthreads / 2 round trips. */
static void run_scale(int n)
{
	for (int i = 0; i < n * 2 / nthreads; i++)
		yield(-1);
}

static void stop_scale(void)
{
	scale_stop = 1;
	while (scale_alive)
		yield(-1);
}

/* ---- fibers and the kernel-thread switch they are compared to ---------- */

/* A thread-library thread that yields straight back to main_tid. */
static volatile int thr_stop;

static void *thr_partner(void *arg)
{
	(void)arg;
	while (!thr_stop)
		thr_yield(main_tid);
	return NULL;
}

static int thr_tid;

static void start_thr_pair(void)
{
	start_thr();
	main_tid = thr_getid();
	thr_stop = 0;
	if ((thr_tid = thr_create(thr_partner, NULL)) < 0)
		fail("thr_create");
}

/* thr_yield to the partner, which yields straight back: 2 switches. */
static void run_thr_pair(int n)
{
	for (int i = 0; i < n; i++)
		if (thr_yield(thr_tid) < 0)
			fail("thr_yield");
}

static void stop_thr_pair(void)
{
	thr_stop = 1;
	if (thr_join(thr_tid, NULL) < 0)
		fail("thr_join");
}

/* With the partner fibers below ready, one fiber_yield of ours is a
 * switch to a partner and the partner's fiber_yield back: 2 switches. */
static void run_fiber(int n)
{
	for (int i = 0; i < n; i++)
		fiber_yield();
}

/* M:N needs thread-library threads for its kernel threads. */
static void start_mn(void)
{
	start_thr();
}


/* ---- several CPUs (-s) ---------------------------------------------------- */

static volatile int spin_stop, spin_running, spin_done;
static char spin_stack[PARTNER_STACK];
static int spin_tid;

/* A thread of ours that runs until told to stop: while it runs on
 * another CPU, every remove_pages of ours must shoot that CPU's TLB down.
 * `pause` ends QEMU's turn on its CPU, so under -icount the CPUs take
 * turns at once instead of this one running for a whole time slice. */
static void spinner(void *arg)
{
	(void)arg;
	spin_running = 1;
	while (!spin_stop)
		__asm__ volatile("pause");
	spin_done = 1;
}

static void start_spinner(void)
{
	spin_stop = spin_running = spin_done = 0;
	spin_tid = thread_fork_on(spin_stack + PARTNER_STACK, spinner, NULL);
	if (spin_tid < 0)
		fail("thread_fork");
	while (!spin_running)
		yield(spin_tid);
}

static void stop_spinner(void)
{
	spin_stop = 1;
	while (!spin_done)
		yield(spin_tid);
}

/* kstat's IPIs and shootdowns since boot. */
static void ipi_counts(unsigned *ipis, unsigned *shootdowns)
{
	kstat_t k = { .size = sizeof k };
	if (kstat(&k) < 0)
		fail("kstat");
	*ipis = k.ipis;
	*shootdowns = k.tlb_shootdowns;
}

/* ---- the disk (-d) -------------------------------------------------------- */

#define DISK_COLD  "/cold"	/* 16 MiB on the fresh image, never read */
#define DISK_WRITE "/written"	/* grows by a MiB per write operation */
#define DISK_DIR   "/files"	/* the small files */
#define DISK_IO    (64 * 1024)	/* bytes per read or write call */
#define SMALL      1024		/* bytes of each small file */

static char *disk_buf;		/* DISK_IO bytes, allocated with -d only: in the
				 * image it would make every fork and exit dearer */
static int disk_fd;
static int disk_created, disk_statted, disk_unlinked;	/* small files so far */

/* The TSC cycles the idle thread has had the CPU since boot (kstat). */
static unsigned long long idle_tsc(void)
{
	kstat_t k = { .size = sizeof k };
	if (kstat(&k) < 0)
		fail("kstat");
	return k.idle_tsc_lo | (unsigned long long)k.idle_tsc_hi << 32;
}

static void disk_open(const char *path, int flags)
{
	if ((disk_fd = open(path, flags, 0644)) < 0)
		fail(path);
}

static void disk_close(void)
{
	close(disk_fd);
}

static void start_cold(void)
{
	disk_open(DISK_COLD, O_RDONLY);
}

/* Read n MiB on from where the last read stopped: blocks nobody read. */
static void run_read_on(int n)
{
	for (int i = 0; i < n * (MIB / DISK_IO); i++)
		if (read(disk_fd, disk_buf, DISK_IO) != DISK_IO)
			fail("read");
}

/* Read the first MiB of DISK_COLD n times: after the warm-up, from the
 * block cache. */
static void run_read_warm(int n)
{
	for (int i = 0; i < n; i++) {
		if (lseek(disk_fd, 0, SEEK_SET) != 0)
			fail("lseek");
		run_read_on(1);
	}
}

static void start_write(void)
{
	disk_open(DISK_WRITE, O_WRONLY | O_CREAT | O_TRUNC);
	for (int i = 0; i < DISK_IO; i++)
		disk_buf[i] = (char)(i * 7 + i / 4096);
}

/* n MiB more at the end of the file, 64 KiB a call, fsync after each. */
static void run_write(int n)
{
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < MIB / DISK_IO; j++)
			if (write(disk_fd, disk_buf, DISK_IO) != DISK_IO)
				fail("write");
		if (fsync(disk_fd) < 0)
			fail("fsync");
	}
}

/* 4 KiB at a random 4 KiB boundary of the first MiB (warm): one pread. */
static void run_pread(int n)
{
	static unsigned x = 2463534242u;
	for (int i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		int off = (int)(x % (MIB / 4096)) * 4096;
		if (pread(disk_fd, disk_buf, 4096, off) != 4096)
			fail("pread");
	}
}

/* The small files' paths, made before the clock starts: formatting one
 * costs about 700 instructions at -O0, which would hide the kernel's. */
#define SMALL_MAX 120		/* disk_create's 20 a batch, 6 batches */
static char small_names[SMALL_MAX][16];

static void start_files(void)
{
	static int made;
	if (!made && mkdir(DISK_DIR, 0755) < 0)
		fail("mkdir");
	for (int i = 0; i < SMALL_MAX && !made; i++)
		snprintf(small_names[i], sizeof small_names[i], DISK_DIR "/f%d", i);
	made = 1;
}

static const char *small_name(int i)
{
	if (i >= SMALL_MAX)
		fail("more small files than SMALL_MAX");
	return small_names[i];
}

static void run_create(int n)
{
	for (int i = 0; i < n; i++) {
		int fd = open(small_name(disk_created++), O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || write(fd, disk_buf, SMALL) != SMALL || close(fd) < 0)
			fail("create");
	}
}

/* The files run_create made, in turn (as many runs as it had). */
static void run_stat(int n)
{
	fable_stat_t st;
	if (!disk_created)
		fail("stat: no files (disk_create makes them)");
	for (int i = 0; i < n; i++) {
		if (stat(small_name(disk_statted++ % disk_created), &st) < 0 || st.size != SMALL)
			fail("stat");
	}
}

static void run_unlink(int n)
{
	for (int i = 0; i < n; i++) {
		if (unlink(small_name(disk_unlinked++)) < 0)
			fail("unlink");
	}
}

/* ---- the driver ---------------------------------------------------------- */

static const struct op ops[] = {
	{ "empty", 1000, NULL, run_empty, NULL, 0 },
	{ "gettid", 1000, NULL, run_gettid, NULL, 0 },
	{ "fork_exit_wait", 10, NULL, run_fork, NULL, 0 },
	{ "fork_exec_wait", 4, NULL, run_exec, NULL, 0 },
	{ "yield_tasks", 200, start_ping, run_ping, reap, 0 },
	{ "desched_threads", 200, start_desched, run_desched, stop_desched, 0 },
	{ "thr_create_join", 50, start_thr, run_thr, NULL, 0 },
	{ "new_pages_touch_remove", 200, NULL, run_pages, NULL, 0 },
	{ "print80", 100, NULL, run_print, NULL, 0 },
	{ "pipe_roundtrip", 200, start_pipe_echo, run_pipe_echo, stop_pipe_echo, 0 },
	{ "pipe_mib", 2, start_pipe_stream, run_pipe_stream, stop_pipe_stream, 0 },
	{ "yield_2", 1000, start_scale2, run_scale, stop_scale, 0 },
	{ "yield_1000", 1000, start_scale1000, run_scale, stop_scale, 0 },
	{ "thr_yield_2", 200, start_thr_pair, run_thr_pair, stop_thr_pair, 0 },
	{ "fiber_yield_2", 1000, NULL, run_fiber, NULL, 1 },
	{ "fiber_yield_mn", 1000, start_mn, run_fiber, NULL, 2 },
};

/* -d: cold reads first, before anything else brings blocks in; create,
 * stat and unlink run as often, so unlink finds every file. */
static const struct op disk_ops[] = {
	{ "disk_cold_mib", 1, start_cold, run_read_on, disk_close, 0 },
	{ "disk_warm_mib", 2, start_cold, run_read_warm, disk_close, 0 },
	{ "disk_pread_4k", 200, start_cold, run_pread, disk_close, 0 },
	{ "disk_write_mib", 2, start_write, run_write, disk_close, 0 },
	{ "disk_create", 20, start_files, run_create, NULL, 0 },
	{ "disk_stat", 20, NULL, run_stat, NULL, 0 },
	{ "disk_unlink", 20, NULL, run_unlink, NULL, 0 },
};
static int disk;	/* -d: run disk_ops, and leave the idle thread's time out */

/* -s: a hand-off between two threads, which on two CPUs wakes the other
 * CPU; new_pages/remove_pages alone (nobody to shoot down) and with a
 * thread of ours running, on another CPU if there is one. */
static const struct op smp_ops[] = {
	{ "desched_threads", 200, start_desched, run_desched, stop_desched, 0 },
	{ "new_pages_touch_remove", 200, NULL, run_pages, NULL, 0 },
	{ "pages_shootdown", 200, start_spinner, run_pages, stop_spinner, 0 },
};
static int smp;		/* -s: run smp_ops, and count their IPIs */

/* The instructions executed so far: the TSC, less the idle thread's
 * share with -d. The idle count is read before the TSC at a batch's start
 * and after it at its end, so no kstat call falls inside the batch. */
static unsigned long long work_begin(void)
{
	unsigned long long idle = disk ? idle_tsc() : 0;
	return rdtsc() - idle;
}

static unsigned long long work_end(void)
{
	unsigned long long t = rdtsc();
	return t - (disk ? idle_tsc() : 0);
}

/* The cheapest of the batches of op, in instructions, after a warm-up. */
static unsigned long long batches_of(const struct op *op)
{
	unsigned long long best = ~0ull;
	op->run(op->n);
	for (int b = 0; b < batches; b++) {
		unsigned long long t0 = work_begin();
		op->run(op->n);
		unsigned long long t = work_end() - t0;
		if (t < best)
			best = t;
	}
	return best;
}

/*
 * A fiber operation runs its batches in a fiber, with partner fibers (one
 * per kernel thread) that yield until it is done. In M:N mode a holder
 * fiber keeps every kernel thread but one asleep in a blocking call, and
 * the batches start once it does: the measurer and its partners then all
 * take turns on the one worker left, 3 fiber switches per turn, each
 * taking the run queue's lock, and nobody else wants the lock. Without
 * it, the count depended on where the timer's ticks fell: before the
 * second worker first ran, all three took turns on one worker (3
 * switches); after, it held a partner whenever it was preempted (2
 * switches), or held the lock (a convoy, docs/lie-fibers.md).
 */
static const struct op *fiber_op;
static unsigned long long fiber_best;
static volatile int fiber_done;
static volatile int held;	/* the holders are in their blocking calls */

static void *fiber_measurer(void *arg)
{
	(void)arg;
	while (held < fiber_op->fibers - 1)
		fiber_yield();
	fiber_best = batches_of(fiber_op);
	fiber_done = 1;
	return NULL;
}

static void *fiber_holder(void *arg)
{
	(void)arg;
	__atomic_add_fetch(&held, 1, __ATOMIC_SEQ_CST);
	while (!fiber_done)
		sleep(1);
	return NULL;
}

static void *fiber_partner(void *arg)
{
	(void)arg;
	while (!fiber_done)
		fiber_yield();
	return NULL;
}

static unsigned long long in_fibers(const struct op *op)
{
	fiber_op = op;
	fiber_done = held = 0;
	if (!fiber_create(fiber_measurer, NULL))
		fail("fiber_create");
	for (int i = 0; i < op->fibers; i++)
		if (!fiber_create(fiber_partner, NULL))
			fail("fiber_create");
	for (int i = 1; i < op->fibers; i++)
		if (!fiber_create(fiber_holder, NULL))
			fail("fiber_create");
	if (fiber_run(op->fibers) < 0)
		fail("fiber_run");
	return fiber_best;
}

/* Cost of the cheapest of the batches of op, in instructions; with -s,
 * its IPIs and shootdowns per operation in tenths (ipi[0], ipi[1]). */
static unsigned long long measure(const struct op *op, unsigned ipi[2])
{
	unsigned i0 = 0, s0 = 0, i1 = 0, s1 = 0;
	if (op->start)
		op->start();
	if (smp)
		ipi_counts(&i0, &s0);
	unsigned long long best = op->fibers ? in_fibers(op) : batches_of(op);
	if (smp)
		ipi_counts(&i1, &s1);
	if (op->stop)
		op->stop();
	unsigned ops = (unsigned)op->n * (unsigned)(batches + 1);
	ipi[0] = ((i1 - i0) * 10 + ops / 2) / ops;
	ipi[1] = ((s1 - s0) * 10 + ops / 2) / ops;
	return best;
}

/* Whether op is one of the KEYs on the command line, or there are none. */
static int chosen(const struct op *op, int argc, char *argv[])
{
	int any = 0;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		if (strcmp(argv[i], op->key) == 0)
			return 1;
		any = 1;
	}
	return !any;
}

/* Print op's line: cost per operation, rounded to a tenth. */
static void report(const char *tag, const struct op *op, unsigned long long cost)
{
	unsigned long long tenths = (cost * 10 + op->n / 2) / op->n;
	printf("%s %s %llu.%llu", tag, op->key, tenths / 10, tenths % 10);
	if (!wall)
		printf(" %d %d", op->n, batches);
	printf("\n");
}

/* The median of WALL_BATCHES batches of op, in rdtsc cycles: the
 * batches that a timer tick or the host's other work fell into lie on
 * either side of it. */
static unsigned long long measure_wall(const struct op *op)
{
	static unsigned long long t[WALL_BATCHES];
	if (op->start)
		op->start();
	op->run(op->n);
	for (int b = 0; b < WALL_BATCHES; b++) {
		unsigned long long t0 = rdtsc();
		op->run(op->n);
		t[b] = rdtsc() - t0;
	}
	if (op->stop)
		op->stop();
	for (int i = 1; i < WALL_BATCHES; i++)		/* insertion sort */
		for (int j = i; j > 0 && t[j - 1] > t[j]; j--) {
			unsigned long long x = t[j];
			t[j] = t[j - 1], t[j - 1] = x;
		}
	return t[WALL_BATCHES / 2];
}

/* -w: the operations tools/bench.py times (or KEYs), between two TSC
 * lines at least WALL_SPAN ticks apart. */
static void run_wall(int argc, char *argv[])
{
	static const char *const keys[] = { "gettid", "yield_tasks", "desched_threads" };
	unsigned start = get_ticks();
	printf("BENCHW TSC %llu\n", rdtsc());
	for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		for (unsigned k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strcmp(ops[i].key, keys[k]) == 0 && chosen(&ops[i], argc, argv))
				report("BENCHW", &ops[i], measure_wall(&ops[i]));
	while ((unsigned)get_ticks() - start < WALL_SPAN)
		;
	printf("BENCHW TSC %llu\n", rdtsc());
}


int main(int argc, char *argv[])
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-q") == 0)
			batches = 2;
		else if (strcmp(argv[i], "-p") == 0)
			off = 1;
		else if (strcmp(argv[i], "-w") == 0)
			wall = 1;
		else if (strcmp(argv[i], "-d") == 0)
			disk = 1;
		else if (strcmp(argv[i], "-s") == 0)
			smp = 1;
	}
	if (disk && !(disk_buf = malloc(DISK_IO)))
		fail("malloc");
	if (wall)
		run_wall(argc, argv);
	const struct op *table = disk ? disk_ops : smp ? smp_ops : ops;
	unsigned count = disk ? sizeof disk_ops / sizeof disk_ops[0]
		: smp ? sizeof smp_ops / sizeof smp_ops[0] : sizeof ops / sizeof ops[0];
	for (unsigned i = 0; i < count && !wall; i++) {
		unsigned ipi[2];
		if (!chosen(&table[i], argc, argv))
			continue;
		report("BENCH", &table[i], measure(&table[i], ipi));
		if (smp)
			printf("BENCHIPI %s %u.%u %u.%u\n", table[i].key,
			       ipi[0] / 10, ipi[0] % 10, ipi[1] / 10, ipi[1] % 10);
	}
	printf("BENCH DONE\n");
	if (off)
		poweroff(POWEROFF_PASS);
	return 0;
}
