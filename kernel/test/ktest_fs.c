/*
 * ktest_fs.c: the file layer with no kernel memory left: every call that
 * needs some fails with an error (tmpfs: -ENOSPC, a walk through a link:
 * -ENOMEM, a pipe: none made), changes nothing, and works again once
 * memory is back; nothing is left behind.
 */
#include "debug/ktest.h"
#include "fs/path.h"
#include "fs/pipe.h"
#include "fs/tmpfs.h"
#include "lib/errno.h"
#include "mm/kmalloc.h"
#include "mm/mm.h"

/* Every kernel page and slab object kmalloc can give, linked through
 * their first words. */
static void **heap_exhaust(void)
{
	void **list = NULL;
	for (unsigned size = 16384; size >= 16; size /= 2)
		for (void **p; (p = kmalloc(size)); list = p)
			*p = list;
	return list;
}

static void heap_release(void **list)
{
	while (list) {
		void **next = *list;
		kfree(list);
		list = next;
	}
}

static int write_at(struct vnode *v, uint32_t off, char *data, uint32_t len)
{
	struct uio u = { data, len, false };
	return v->fs->ops->write(v, off, &u);
}

KTEST(fs_no_memory)
{
	static char data[64] = "some bytes";
	struct fs *fs = tmpfs_create();
	KCHECK(fs != NULL);
	if (!fs)
		return;
	const struct fs_ops *ops = fs->ops;
	struct vnode *root = fs->root, *f = NULL, *g, *v;
	struct vattr a;
	KCHECK(ops->create(root, "keep", 4, 0644, &f) == 0 && write_at(f, 0, data, 64) == 64);
	KCHECK(ops->symlink(root, "link", 4, "keep", 4) == 0);
	uint32_t pages = tmpfs_pages();
	void **list = heap_exhaust();
	KCHECK(kmalloc(16) == NULL);
	KCHECK(ops->create(root, "new", 3, 0644, &g) == -ENOSPC);
	KCHECK(ops->mkdir(root, "dir", 3, 0755) == -ENOSPC);
	KCHECK(ops->symlink(root, "l2", 2, "keep", 4) == -ENOSPC);
	KCHECK(write_at(f, 3 * 4096, data, 64) == -ENOSPC);
	KCHECK(write_at(f, 10, data, 10) == 10);	/* its page is there */
	KCHECK(ops->link(root, "again", 5, f) == -ENOSPC);
	KCHECK(vfs_namei(root, "link", true, &v, NULL) == -ENOMEM);
	KCHECK(vfs_namei(root, "keep", true, &v, NULL) == 0 && v == f);
	vnode_put(v);
	KCHECK(pipe_new() == NULL);
	KCHECK(ops->getattr(f, &a) == 0 && a.size == 64 && a.nlink == 1);
	KCHECK(tmpfs_pages() == pages);
	heap_release(list);
	KCHECK(ops->create(root, "new", 3, 0644, &g) == 0);
	vnode_put(g);
	KCHECK(vfs_namei(root, "link", true, &v, NULL) == 0 && v == f);
	vnode_put(v);
	KCHECK(ops->unlink(root, "new", 3) == 0 && ops->unlink(root, "link", 4) == 0);
	KCHECK(ops->unlink(root, "keep", 4) == 0);
	vnode_put(f);	/* the last reference: its page goes */
	KCHECK(tmpfs_pages() == 0);
	KCHECK(mm_check());
}
