/*
 * ext2_int.h: what the parts of ext2 share (super.c: mount, allocation;
 * inode.c: inodes, block maps, file data; dir.c: directory entries;
 * ops.c: the vnode operations). docs/files.md describes the format.
 *
 * Locks, outermost first: the rename lock of a file system (held by
 * rename and rmdir, the only operations that hold two directory locks);
 * directory vnodes' locks (an ancestor's before its descendant's);
 * other vnodes' locks; the inode cache's lock; the buffers of files
 * (indirect blocks parents first, directory blocks, inode-table
 * blocks); the allocation lock; the buffers of bitmaps, descriptors
 * and the superblock; the block cache's lock. The name cache's lock
 * (dir.c) is taken under directory locks and directory blocks' buffers,
 * and nothing is taken under it.
 *
 * Lock tags (docs/sync.md): [c] constant, [m] the mutex named in the
 * field's comment.
 */
#ifndef FS_EXT2_EXT2_INT_H
#define FS_EXT2_EXT2_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "fs/bcache.h"
#include "fs/ext2/ext2.h"
#include "fs/kdep.h"
#include "fs/vfs.h"
#include "lib/list.h"

/* The superblock: 1024 bytes at byte 1024 of the device. */
#define SB_OFFSET		1024
#define SB_INODES_COUNT		0
#define SB_BLOCKS_COUNT		4
#define SB_R_BLOCKS_COUNT	8
#define SB_FREE_BLOCKS		12
#define SB_FREE_INODES		16
#define SB_FIRST_DATA_BLOCK	20
#define SB_LOG_BLOCK_SIZE	24
#define SB_LOG_FRAG_SIZE	28
#define SB_BLOCKS_PER_GROUP	32
#define SB_INODES_PER_GROUP	40
#define SB_MTIME		44
#define SB_WTIME		48
#define SB_MNT_COUNT		52	/* 16 bits */
#define SB_MAGIC		56	/* 16 bits */
#define SB_STATE		58	/* 16 bits */
#define SB_REV_LEVEL		76
#define SB_FIRST_INO		84
#define SB_INODE_SIZE		88	/* 16 bits */
#define SB_FEATURE_COMPAT	92
#define SB_FEATURE_INCOMPAT	96
#define SB_FEATURE_RO_COMPAT	100

#define EXT2_MAGIC		0xEF53
#define EXT2_STATE_CLEAN	1
#define EXT2_STATE_ERRORS	2
#define EXT2_DYNAMIC_REV	1

#define INCOMPAT_FILETYPE	0x0002	/* directory entries have a type */
#define INCOMPAT_KNOWN		INCOMPAT_FILETYPE
#define RO_COMPAT_SPARSE_SUPER	0x0001	/* backup superblocks in few groups */
#define RO_COMPAT_LARGE_FILE	0x0002	/* files past 2 GiB may exist */
#define RO_COMPAT_KNOWN		(RO_COMPAT_SPARSE_SUPER | RO_COMPAT_LARGE_FILE)

/* A group descriptor: 32 bytes, in the blocks after the superblock's. */
#define GD_SIZE			32
#define GD_BLOCK_BITMAP		0
#define GD_INODE_BITMAP		4
#define GD_INODE_TABLE		8
#define GD_FREE_BLOCKS		12	/* 16 bits */
#define GD_FREE_INODES		14	/* 16 bits */
#define GD_USED_DIRS		16	/* 16 bits */

/* An inode: the first 128 bytes of each s_inode_size slot. */
#define DI_MODE			0	/* 16 bits */
#define DI_SIZE			4
#define DI_ATIME		8
#define DI_CTIME		12
#define DI_MTIME		16
#define DI_DTIME		20
#define DI_LINKS		26	/* 16 bits */
#define DI_BLOCKS		28	/* 512-byte units, indirect blocks too */
#define DI_FLAGS		32
#define DI_BLOCK		40	/* 15 block numbers */
#define DI_FILE_ACL		104
#define DI_SIZE_HIGH		108

#define S_IFMT			0xF000
#define S_IFREG			0x8000
#define S_IFDIR			0x4000
#define S_IFLNK			0xA000

#define FL_INDEX		0x00001000	/* hashed directory (dir_index) */
#define FL_EXTENTS		0x00080000	/* ext4 extents: not ours */

/* An extended-attribute block (ext_attr), shared by inodes it counts. */
#define XATTR_MAGIC		0xEA020000
#define XATTR_REFCOUNT		4

#define NDIR			12	/* direct blocks; then 1, 2, 3 levels */
#define NBLOCK			15
#define FAST_SYMLINK_MAX	60	/* bytes kept in the block pointers */

#define ROOT_INO		2
#define GOOD_OLD_FIRST_INO	11

/* A directory entry: 8-byte header, then the name, padded to 4. */
#define DE_INODE		0
#define DE_REC_LEN		4	/* 16 bits */
#define DE_NAME_LEN		6	/* 8 bits */
#define DE_TYPE			7	/* 8 bits, with INCOMPAT_FILETYPE */
#define DE_NAME			8
#define DE_SIZE(namelen)	((8 + (namelen) + 3) & ~3u)
#define FT_REG			1
#define FT_DIR			2
#define FT_SYMLINK		7

/* Directory walks give up after this many blocks: no loop of indirect
 * blocks can make one endless (and no directory is legitimately this
 * large here). */
#define DIR_BLOCKS_MAX		(1u << 16)
/* In-memory inodes a mount keeps room for: an iget of an inode nobody
 * holds (a stat, a lookup of each name of a path) takes one of these
 * instead of the heap's, whose poisoning costs more than the rest of
 * the iget; more at once come from the heap. */
#define E2_POOL			32

/* A mount's cache of directory entries, name to inode (dir.c): sets of
 * ways, a set chosen by a hash of the directory and the name. */
#define E2_NAME_SETS		64
#define E2_NAME_WAYS		4
#define E2_NAME_LEN		23	/* longer names are not cached */

struct e2name {
	uint32_t dir, ino;		/* dir 0: unused */
	uint8_t len;
	char name[E2_NAME_LEN];
};

/* Walks up through ".." (rename's ancestry check) give up here. */
#define DEPTH_MAX		4096

struct e2fs {
	struct fs fs;			/* [c] fs.priv is this */
	struct blkdev *dev;		/* [c] */
	uint32_t bsize;			/* [c] 1024 or 4096 */
	uint32_t ptrs;			/* [c] block numbers per block */
	uint32_t blocks_count;		/* [c] */
	uint32_t inodes_count;		/* [c] */
	uint32_t first_data_block;	/* [c] */
	uint32_t blocks_per_group;	/* [c] */
	uint32_t inodes_per_group;	/* [c] */
	uint32_t ngroups;		/* [c] */
	uint32_t inode_size;		/* [c] */
	uint32_t first_ino;		/* [c] the first inode files may use */
	bool filetype;			/* [c] entries carry a type */
	uint32_t sb_block, sb_off;	/* [c] where the superblock is cached */
	uint32_t gdt_block;		/* [c] the first group-descriptor block */
	uint32_t meta_end;		/* [c] the block after the primary descriptors */
	struct e2group *groups;		/* [c] validated locations */
	uint32_t itb;			/* [c] inode-table blocks per group */

	struct mutex alloc_lock;	/* bitmaps, free counts */
	struct mutex icache_lock;
	struct cond icache_gone;	/* [m] icache_lock: an inode left the cache */
	struct list icache;		/* [m] icache_lock: every e2ino */
	struct e2ino *pool;		/* [c] E2_POOL inodes' memory (or NULL),
					 * taken at mount, freed at unmount */
	uint32_t pool_free;		/* [m] icache_lock: a bit per unused one */
	struct mutex names_lock;
	struct e2name *names;		/* [c] E2_NAME_SETS * E2_NAME_WAYS entries
					 * (or NULL), taken at mount, freed at
					 * unmount; the entries [m] names_lock */
	uint8_t names_next[E2_NAME_SETS];	/* [m] names_lock: the way each
						 * set replaces next */
	struct mutex rename_lock;	/* renames and rmdirs, one at a time: the
					 * only holders of two directory locks */
	struct mutex gate_lock;		/* changes in progress, and the stop */
	uint32_t changing;		/* [m] gate_lock: changes in progress */
	bool stopping;			/* [m] gate_lock: no change may start */
	struct cond gate_idle;		/* [m] gate_lock: changing fell to 0 */
};

/* Where one group's metadata is (checked at mount). */
struct e2group {
	uint32_t block_bitmap, inode_bitmap, inode_table;	/* [c] */
	uint32_t clear, nclear;	/* [c] [clear, clear + nclear): file blocks only */
};

/* An inode in memory: the vnode and the fields of the disk inode that
 * this code uses; iupdate writes them back into the inode table. */
struct e2ino {
	struct vnode v;			/* [c] v.priv is this */
	struct list_node link;		/* [m] icache_lock */
	uint16_t mode;			/* [m] v.lock, for all below */
	uint16_t links;
	uint32_t size;
	uint32_t atime, mtime, ctime;
	uint32_t nblocks;		/* 512-byte units */
	uint32_t flags;
	uint32_t file_acl;
	uint32_t block[NBLOCK];
	bool deleted;			/* freed on the disk by ext2_reap() */
};

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline struct e2fs *E2FS(struct fs *fs)
{
	return fs->priv;
}

static inline struct e2ino *E2INO(struct vnode *v)
{
	return v->priv;
}

static inline struct e2fs *ifs(struct e2ino *ip)
{
	return E2FS(ip->v.fs);
}


/* super.c */
/* Can b be a file's block (indirect, data, directory)? It must be in
 * the file system and none of the superblock's, descriptors', bitmaps'
 * or inode tables' (a pointer to those is damage). */
static inline bool block_ok(const struct e2fs *f, uint32_t b)
{
	if (b < f->meta_end || b >= f->blocks_count)
		return false;
	if (!f->groups)		/* mounting: the groups are being checked */
		return true;
	const struct e2group *gr = &f->groups[(b - f->first_data_block) / f->blocks_per_group];
	return b != gr->block_bitmap && b != gr->inode_bitmap &&
	       (b < gr->inode_table || b - gr->inode_table >= f->itb);
}
/* A run of blocks that all pass block_ok, for a caller checking many
 * near each other: b's group's [clear, clear + nclear) if b passes (the
 * run may be empty), else -EIO. */
static inline int ok_run(const struct e2fs *f, uint32_t b, uint32_t *lo, uint32_t *n)
{
	if (!block_ok(f, b))
		return -EIO;
	if (f->groups) {
		const struct e2group *gr = &f->groups[(b - f->first_data_block) / f->blocks_per_group];
		*lo = gr->clear, *n = gr->nclear;
	}
	return 0;
}
int ext2_bread(struct e2fs *f, uint32_t b, struct buf **out);
int ext2_balloc(struct e2fs *f, uint32_t goal, uint32_t *out);
int ext2_bfree(struct e2fs *f, uint32_t b);
int ext2_ialloc(struct e2fs *f, uint32_t near, bool dir, uint32_t *out);
int ext2_ifree(struct e2fs *f, uint32_t ino, bool dir);
uint32_t ext2_now(void);
/* Every change to the disk runs between these two: begin gives 0, or
 * -EROFS once ext2_shutdown() has stopped changes (and then end is not
 * called). */
int ext2_change_begin(struct e2fs *f);
void ext2_change_end(struct e2fs *f);

/* inode.c */
int ext2_iget(struct e2fs *f, uint32_t ino, struct e2ino **out);
void ext2_iput(struct e2ino *ip);
int ext2_iupdate(struct e2ino *ip, bool now);
int ext2_ibuf(struct e2ino *ip, struct buf **out, uint8_t **raw);
int ext2_bmap(struct e2ino *ip, uint32_t lbn, bool alloc, uint32_t *out);
/* The disk blocks of blocks lbn, lbn + 1, ... of ip (0 for a hole), as
 * many as one walk down the block map finds under one pointer block, at
 * most max (1 or more): that count, or -EFBIG or -EIO as ext2_bmap, for
 * reads. Caller holds ip's lock. */
int ext2_bmap_run(struct e2ino *ip, uint32_t lbn, uint32_t max, uint32_t *out);
int ext2_itrunc(struct e2ino *ip, uint32_t size);
/* Is ip a symbolic link whose target is kept in its block pointers? */
bool ext2_fast_link(struct e2ino *ip);
int ext2_rdwr(struct e2ino *ip, uint32_t off, struct uio *u, bool write);
int ext2_inew(struct e2fs *f, struct e2ino *near, uint16_t mode, struct e2ino **out);
void ext2_release(struct vnode *v);
/* Frees on the disk every inode whose last link went but which is still
 * open, or was released after changes stopped. Caller: ext2_shutdown(),
 * once changes have stopped. */
void ext2_reap(struct e2fs *f);

/* dir.c */
struct dirloc {
	uint32_t lbn, off, prev;	/* prev: offset of the entry before, or off */
	uint32_t ino;
};
int ext2_dir_find(struct e2ino *dp, const char *name, size_t len, struct dirloc *loc);
/* The inode (name, len) of dp names: ext2_dir_find's answer, from the
 * mount's name cache when it has it. 0 with *ino, or an error. */
int ext2_dir_lookup(struct e2ino *dp, const char *name, size_t len, uint32_t *ino);
/* Forgets every cached name in directory ino, whose number is about to
 * be free for reuse. (A file's names went with its entries.) */
void ext2_names_forget(struct e2fs *f, uint32_t ino);
int ext2_dir_add(struct e2ino *dp, const char *name, size_t len, uint32_t ino, uint16_t mode);
int ext2_dir_remove(struct e2ino *dp, const struct dirloc *loc);
int ext2_dir_retarget(struct e2ino *dp, const struct dirloc *loc, uint32_t ino, uint16_t mode);
/* Renames the entry at loc in place, if its record has room for the
 * new name: one block write, so no crash sees two names or none. 0, or
 * -ENOSPC if it has no room (nothing done). */
int ext2_dir_rename(struct e2ino *dp, const struct dirloc *loc, const char *name, size_t len);
int ext2_dir_empty(struct e2ino *dp);
int ext2_dir_init(struct e2ino *dp, uint32_t parent);
int ext2_dir_next(struct e2ino *dp, uint32_t *cookie, struct vdirent *d);

/* ops.c */
extern const struct fs_ops ext2_ops;

#endif
