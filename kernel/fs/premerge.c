/*
 * premerge.c: stand-ins for what ext2 uses of fs/vfs.c (vnode
 * references, uio_move) and dev/rtc.c (the clock), which the descriptor
 * and driver work write in parallel. They are weak: the real
 * definitions replace them when linked in, and this file goes at the
 * merge. This uio_move moves kernel memory only; this clock says 0.
 */
#include "dev/rtc.h"
#include "fs/vfs.h"
#include "lib/errno.h"
#include "lib/string.h"

__attribute__((weak)) struct vnode *vnode_get(struct vnode *v)
{
	__atomic_add_fetch(&v->refs, 1, __ATOMIC_RELAXED);
	return v;
}

__attribute__((weak)) void vnode_put(struct vnode *v)
{
	if (__atomic_sub_fetch(&v->refs, 1, __ATOMIC_ACQ_REL) == 0 && v->fs->ops->release)
		v->fs->ops->release(v);
}

__attribute__((weak)) int uio_move(struct uio *u, void *kbuf, uint32_t n, bool to_uio)
{
	if (n > u->len || u->user)
		return u->user ? -EFAULT : -EINVAL;
	memcpy(to_uio ? (void *)u->base : kbuf, to_uio ? kbuf : u->base, n);
	u->base += n;
	u->len -= n;
	return 0;
}

__attribute__((weak)) uint32_t rtc_now(void)
{
	return 0;
}
