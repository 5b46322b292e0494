/*
 * pipe.h: a bounded buffer between a reading and a writing end
 * (docs/files.md). Reads block while it is empty and some writer is
 * left, writes while it is full and some reader is left; a read finds
 * the end (0) once it is empty and the last writer has gone, and a write
 * with no reader left gets -EPIPE. A thread killed while it waits
 * (task_vanish) gets -EINTR.
 */
#ifndef FS_PIPE_H
#define FS_PIPE_H

#include <stdbool.h>
#include <stdint.h>
#include "fs/vfs.h"

struct pipe;

/* A pipe with one reader and one writer, or NULL (out of memory). */
struct pipe *pipe_new(void);
/* Move up to u->len bytes out: their count, 0 at the end, or an error.
 * With line, wait for a whole line (or a full buffer, or the end) and
 * take nothing past its '\n' (readline). */
int pipe_read(struct pipe *p, struct uio *u, bool line);
/* Move all of u in (blocking as needed): the count, or -EPIPE, -EINTR
 * or -EFAULT if that came before any byte went in. Writes of at most
 * FS_PIPE_BUF bytes are never split by another writer's. */
int pipe_write(struct pipe *p, struct uio *u);
/* One end goes; the pipe is freed with the last. */
void pipe_close(struct pipe *p, bool writer);
/* Bytes waiting in p (fstat). */
uint32_t pipe_bytes(struct pipe *p);
/* Pipes that exist, for kstat. */
uint32_t pipe_count(void);

#endif
