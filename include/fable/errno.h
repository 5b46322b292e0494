/*
 * fable/errno.h: the error codes system calls return, negated
 * (docs/abi/README.md §3). Programs may rely only on "< 0"; these
 * distinct values exist so that a failure can be told apart. Shared by
 * the kernel (lib/errno.h) and user programs (<errno.h>).
 */
#ifndef FABLE_ERRNO_H
#define FABLE_ERRNO_H

#define EFAULT   1	/* bad user pointer */
#define EINVAL   2	/* bad argument value */
#define ENOMEM   3	/* out of frames or kernel memory */
#define ENOENT   4	/* no such file */
#define ENOEXEC  5	/* not a valid executable */
#define E2BIG    6	/* argument list or name too long */
#define ESRCH    7	/* no such thread */
#define ECHILD   8	/* no child to wait for */
#define EEXIST   9	/* overlaps something that exists */
#define EBUSY   10	/* the operation is refused in the current state */
#define ENOSYS  11	/* not a system call */
#define EPERM   12	/* not allowed */
#define EINTR   13	/* the thread is being killed */
/* Files, devices and pipes (docs/abi/fable.md §6). */
#define EIO     14	/* the device failed, or the data on it is damaged */
#define ENOSPC  15	/* no free block or inode */
#define ENOTDIR 16	/* a path component is not a directory */
#define EISDIR  17	/* a directory where a file is needed */
#define ENOTEMPTY 18	/* rmdir of a directory with entries */
#define ENAMETOOLONG 19	/* a name or a path too long */
#define EBADF   20	/* not an open descriptor, or not open for that */
#define EMFILE  21	/* the task's descriptor table is full */
#define EPIPE   22	/* write to a pipe with no reader */
#define EROFS   23	/* the file system is read-only */
#define EXDEV   24	/* rename or link across file systems */
#define ELOOP   25	/* too many symbolic links in a path */
#define EFBIG   26	/* the file would grow past its limit */
#define EMLINK  27	/* too many hard links */
#define ESPIPE  28	/* seek on a pipe */
#define EEOF    29	/* getchar: the redirected input is at its end */
#define ETIMEDOUT 30	/* no answer in time (the network) */
#define ENETDOWN  31	/* no network card, or no address yet */
/* Secure boot (docs/secure-boot.md). */
#define EUNTRUSTED 32	/* exec with secure=1: the program's hash is not in the manifest */
/* Sockets (docs/abi/fable.md §10). */
#define ENOTSOCK  33	/* a descriptor that is not a socket */
#define EPROTONOSUPPORT 34	/* a socket type other than TCP's */
#define EAFNOSUPPORT 35	/* an address family other than IPv4's */
#define EADDRINUSE 36	/* the port is taken */
#define ECONNREFUSED 37	/* nobody listens at the address */
#define ECONNRESET 38	/* the peer reset the connection */
#define ECONNABORTED 39	/* the connection ended locally (timeout, memory) */
#define ENOTCONN  40	/* the socket is not connected */
#define EISCONN   41	/* connect on a connected socket */
#define ENETUNREACH 42	/* no route to the address */

#endif /* FABLE_ERRNO_H */
