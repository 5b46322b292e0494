/*
 * sys_fable.c: Fable's extensions - debug_print, kstat, poweroff,
 * tasklist, devices, trace (docs/abi/fable.md).
 */
#include "syscall/syscall.h"
#include "arch/x86/pit.h"
#include "dev/e1000.h"
#include "dev/pci.h"
#include "dev/power.h"
#include "dev/serial.h"
#include "fs/bcache.h"
#include "fs/file.h"
#include "fs/pipe.h"
#include "fs/tmpfs.h"
#include "lib/errno.h"
#include "mm/kmalloc.h"
#include "mm/usercopy.h"
#include "mm/vm.h"
#include "net/net.h"
#include "net/sock.h"
#include "upcall.h"
#include "proc/proc.h"
#include "proc/sched.h"
#include "sync/mutex.h"
#include "debug/trace.h"
#include <fable/kstat.h>

int sys_debug_print(struct trapframe *tf)
{
	return syscall_output(tf, serial_write);
}

_Static_assert(KSTAT_CPUS == MAX_CPUS, "kstat_t has a record for each CPU");

/* Each CPU's own counters into k->cpu[], and their sums into the fields
 * that came before them (docs/abi/fable.md §3): added up from the very
 * values reported, so they always agree. */
static void kstat_cpus(struct kstat *k)
{
	struct sched_cpu_stats st[MAX_CPUS];
	uint64_t idle = 0;
	k->cpus = sched_cpu_stats(st);
	for (unsigned i = 0; i < k->cpus; i++) {
		struct kstat_cpu *c = &k->cpu[i];
		unsigned tlb_ipis;
		vm_tlb_counts(i, &tlb_ipis, &c->tlb_shootdowns);
		c->context_switches = st[i].switches;
		c->ipis = st[i].ipis + tlb_ipis;
		c->idle_tsc_lo = (uint32_t)st[i].idle_tsc;
		c->idle_tsc_hi = (uint32_t)(st[i].idle_tsc >> 32);
		k->context_switches += c->context_switches;
		k->ipis += c->ipis;
		k->tlb_shootdowns += c->tlb_shootdowns;
		idle += st[i].idle_tsc;
	}
	k->idle_tsc_lo = (uint32_t)idle;
	k->idle_tsc_hi = (uint32_t)(idle >> 32);
}

int sys_kstat(struct trapframe *tf)
{
	uint32_t size;
	if (copy_from_user(&size, tf->esi, 4) < 0)
		return -EFAULT;
	if (size < 4 || size % 4)
		return -EINVAL;
	if (!vm_range_ok(curtask()->vm, tf->esi, size, VM_WRITE))
		return -EFAULT;
	struct mm_stats m;
	struct kstat k = { 0 };	/* reserved fields read as 0, no stack bytes leak */
	mm_stats(&m);
	proc_counts(&k.tasks, &k.threads);
	k.size = size < sizeof k ? size : sizeof k;
	k.total_frames = m.total_frames;
	k.free_frames = m.free_frames;
	k.kernel_heap_bytes_in_use = m.heap_bytes_in_use;
	k.ticks = pit_ticks();
	k.page_faults = m.page_faults;
	k.syscalls = syscall_count();
	k.page_table_frames = m.page_tables;
	k.open_files = file_count();
	k.pipes = pipe_count();
	k.fs_pages = tmpfs_pages();
	struct bcache_stats b;
	bcache_stats(&b);
	k.bcache_hits = (uint32_t)b.hits;	/* wraps, as every counter */
	k.bcache_misses = (uint32_t)b.misses;
	kstat_cpus(&k);
	struct e1000_stats e;
	e1000_stats(&e);
	k.net_rx_packets = e.rx_packets;
	k.net_rx_bytes = e.rx_bytes;
	k.net_tx_packets = e.tx_packets;
	k.net_tx_bytes = e.tx_bytes;
	k.net_drops = e.rx_drops;
	k.net_errors = e.errors;
	return copy_to_user(tf->esi, &k, k.size);
}

int sys_poweroff(struct trapframe *tf)
{
	machine_shutdown((int)tf->esi);
}

/* tasklist(buf, max): a snapshot of every task, for ps (fable/taskinfo.h). */
int sys_tasklist(struct trapframe *tf)
{
	uint32_t a[2];
	if (syscall_args(tf, a, 2) < 0)
		return -EFAULT;
	int max = (int)a[1];
	if (max < 0 || (unsigned)max > 0x10000000u / sizeof(struct task_info))
		return -EINVAL;
	size_t bytes = max * sizeof(struct task_info);
	if (!vm_range_ok(curtask()->vm, a[0], bytes, VM_WRITE))
		return -EFAULT;
	int room = proc_tasklist(NULL, 0) + 16;	/* tasks that may appear meanwhile */
	if (max > room)
		max = room;	/* the result still counts every task */
	struct task_info *buf = max ? kmalloc(max * sizeof *buf) : NULL;
	if (max && !buf)
		return -ENOMEM;
	int n = proc_tasklist(buf, max);
	/* max == 0 only counts: copy_to_user would refuse any address, even
	 * for no bytes, and fable.h promises buf is not looked at. */
	size_t copied = (n < max ? n : max) * sizeof *buf;
	int err = copied ? copy_to_user(a[0], buf, copied) : 0;
	kfree(buf);
	return err < 0 ? err : n;
}

/* devices {DEVICES_PCI_LIST, buf, max}: the PCI functions found at boot,
 * for lspci. The list never changes after boot: no lock, no snapshot. */
static int pci_list(const struct trapframe *tf)
{
	uint32_t a[3];
	if (syscall_args(tf, a, 3) < 0)
		return -EFAULT;
	int max = (int)a[2], n = pci_count();
	if (max < 0)
		return -EINVAL;
	size_t bytes = (max < n ? max : n) * sizeof(struct pci_info);
	if (!bytes)
		return n;	/* nothing to write: buf is not looked at */
	if (!vm_range_ok(curtask()->vm, a[1], bytes, VM_WRITE))
		return -EFAULT;
	int err = copy_to_user(a[1], pci_get(0), bytes);
	return err < 0 ? err : n;
}

/* The devices call: an operation word, then its arguments
 * (docs/abi/fable.md §8). */
int sys_devices(struct trapframe *tf)
{
	uint32_t op;
	if (copy_from_user(&op, tf->esi, sizeof op) < 0)
		return -EFAULT;
	switch (op) {
	case DEVICES_PCI_LIST:
		return pci_list(tf);
	default:
		return -EINVAL;
	}
}

/* Held from a change of the trace's mask to the matching system-call
 * entry (below). */
static struct mutex trace_set_lock = MUTEX_INIT(trace_set_lock, "trace set");

/* {op, mask}, or {op, mask, events} if sized: the mask and the system-call entry change together (under
 * trace_set_lock, or two callers could leave the entry of one with the
 * mask of the other). A trace that starts recording tasks also learns
 * the names of those that exist (the exec events that named them are
 * gone). */
static int trace_op_set(uint32_t uargs, bool sized)
{
	uint32_t a[2];
	if (copy_from_user(a, uargs + 4, sized ? 8 : 4) < 0)
		return -EFAULT;
	uint32_t mask = a[0];
	mutex_lock(&trace_set_lock);
	int old = sized ? trace_set_size(mask, a[1]) : trace_set(mask);
	if (old >= 0)
		syscall_trace_sync();
	mutex_unlock(&trace_set_lock);
	if (old >= 0 && (mask & TRACE_PROC) && !(old & TRACE_PROC))
		proc_trace_names();
	return old;
}

/* {op, buf, max}: events go out a chunk at a time, through the kernel
 * stack: user memory is never touched with a ring's lock held. buf was
 * checked first, so only a thread unmapping it meanwhile loses events. */
#define TRACE_CHUNK 16

static int trace_op_read(uint32_t uargs)
{
	uint32_t a[2];
	if (copy_from_user(a, uargs + 4, sizeof a) < 0)
		return -EFAULT;
	int max = (int)a[1];
	if (max < 0 || max > TRACE_READ_MAX)
		return -EINVAL;
	if (!vm_range_ok(curtask()->vm, a[0], max * sizeof(trace_event_t), VM_WRITE))
		return -EFAULT;
	int n = 0;
	while (n < max) {
		trace_event_t chunk[TRACE_CHUNK];
		int k = trace_take(chunk, max - n < TRACE_CHUNK ? max - n : TRACE_CHUNK);
		if (k == 0)
			break;
		if (copy_to_user(a[0] + n * sizeof chunk[0], chunk, k * sizeof chunk[0]) < 0)
			return -EFAULT;
		n += k;
	}
	return n;
}

/* {op, out} */
static int trace_op_stat(uint32_t uargs)
{
	uint32_t out;
	if (copy_from_user(&out, uargs + 4, 4) < 0)
		return -EFAULT;
	trace_stat_t st;
	trace_stat(&st);
	return copy_to_user(out, &st, sizeof st);
}

/* The trace (fable/trace.h): the first word of the packet says what. */
int sys_trace(struct trapframe *tf)
{
	uint32_t op;
	if (copy_from_user(&op, tf->esi, 4) < 0)
		return -EFAULT;
	switch (op) {
	case TRACE_OP_SET:
		return trace_op_set(tf->esi, false);
	case TRACE_OP_SET_SIZE:
		return trace_op_set(tf->esi, true);
	case TRACE_OP_READ:
		return trace_op_read(tf->esi);
	case TRACE_OP_CLEAR:
		trace_clear();
		return 0;
	case TRACE_OP_STAT:
		return trace_op_stat(tf->esi);
	}
	return -EINVAL;
}

/* The socket at descriptor fd, its file referenced in *fp; -EBADF or
 * -ENOTSOCK. */
static int sock_of(uint32_t fd, struct file **fp, struct sock **sp)
{
	struct file *f = file_get((int)fd);
	if (!f)
		return -EBADF;
	if (!file_sock(f)) {
		file_put(f);
		return -ENOTSOCK;
	}
	*fp = f;
	*sp = file_sock(f);
	return 0;
}

static int net_socket(uint32_t type)
{
	if (type != NET_SOCK_STREAM)
		return -EPROTONOSUPPORT;
	struct sock *s;
	int err = sock_new(&s);
	return err < 0 ? err : fs_sock_install(s);
}

/* accept: the peer's address is written before the descriptor is
 * installed, so that a bad pointer leaves no descriptor behind. */
static int net_accept(struct sock *s, uint32_t uaddr)
{
	struct sock *c;
	struct net_sockaddr peer;
	int err = sock_accept(s, &c, &peer);
	if (err < 0)
		return err;
	if (uaddr && (err = copy_to_user(uaddr, &peer, sizeof peer)) < 0) {
		sock_close(c);
		return err;
	}
	return fs_sock_install(c);
}

/* The socket calls that name a descriptor: a = {op, fd, arg}. */
static int net_sockop(const uint32_t *a)
{
	struct file *f;
	struct sock *s;
	struct net_sockaddr sa;
	int err = sock_of(a[1], &f, &s);
	if (err < 0)
		return err;
	switch (a[0]) {
	case NET_BIND:
	case NET_CONNECT:
		err = copy_from_user(&sa, a[2], sizeof sa);
		if (err == 0)
			err = a[0] == NET_BIND ? sock_bind(s, &sa) : sock_connect(s, &sa);
		break;
	case NET_LISTEN:
		err = sock_listen(s, (int)a[2]);
		break;
	case NET_ACCEPT:
		err = net_accept(s, a[2]);
		break;
	case NET_SHUTDOWN:
		err = sock_shutdown(s, (int)a[2]);
		break;
	case NET_RCVTIMEO:
	case NET_SNDTIMEO:
		err = sock_set_timeout(s, a[0] == NET_SNDTIMEO, a[2]);
		break;
	case NET_NODELAY:
		err = a[2] > 1 ? -EINVAL : sock_set_nodelay(s, a[2] == 1);
		break;
	default:	/* NET_SOCKNAME, NET_PEERNAME */
		err = sock_name(s, a[0] == NET_PEERNAME, &sa);
		if (err == 0)
			err = copy_to_user(a[2], &sa, sizeof sa);
		break;
	}
	file_put(f);
	return err;
}

/* NET_SOCKS {op, buf, max}: every socket, for netstat; like tasklist,
 * the result counts them all and the first max are copied. */
static int net_socks(uint32_t ubuf, uint32_t umax)
{
	int max = (int)umax;
	if (max < 0 || max > NET_SOCKS_MAX)
		return -EINVAL;
	if (max && !vm_range_ok(curtask()->vm, ubuf, max * sizeof(struct net_sockinfo), VM_WRITE))
		return -EFAULT;
	if (!net_up())
		return -ENETDOWN;
	struct net_sockinfo *buf = max ? kmalloc(max * sizeof *buf) : NULL;
	if (max && !buf)
		return -ENOMEM;
	int n = sock_list(buf, max);
	size_t copied = (n < max ? n : max) * sizeof *buf;
	int err = copied ? copy_to_user(ubuf, buf, copied) : 0;
	kfree(buf);
	return err < 0 ? err : n;
}

/* The network call: an operation word, then its arguments
 * (docs/abi/fable.md §10). */
int sys_net(struct trapframe *tf)
{
	uint32_t a[3];
	if (copy_from_user(a, tf->esi, 4) < 0)
		return -EFAULT;
	switch (a[0]) {
	case NET_INFO: {
		struct net_info i;
		if (copy_from_user(a, tf->esi, 8) < 0)
			return -EFAULT;
		int err = net_info(&i);
		return err < 0 ? err : copy_to_user(a[1], &i, sizeof i);
	}
	case NET_PING:
		if (copy_from_user(a, tf->esi, 12) < 0)
			return -EFAULT;
		return net_ping(a[1], a[2]);
	case NET_SOCKET:
		if (copy_from_user(a, tf->esi, 8) < 0)
			return -EFAULT;
		return net_socket(a[1]);
	case NET_SOCKS:
		if (copy_from_user(a, tf->esi, 12) < 0)
			return -EFAULT;
		return net_socks(a[1], a[2]);
	default:
		if (a[0] > NET_OP_LAST)
			return -EINVAL;
		if (copy_from_user(a, tf->esi, 12) < 0)
			return -EFAULT;
		return net_sockop(a);
	}
}
