/*
 * syscall.h: the Pebbles system calls (docs/abi/README.md §7.1 and docs/abi/userlib.md §2).
 *
 * thread_fork (0x52) is deliberately not declared here: a thread that
 * returns into C on its parent's stack corrupts it. The thread library
 * has its own entry (thr_internals.h).
 */
#ifndef _SYSCALL_H
#define _SYSCALL_H

#include <ureg.h>

#ifndef NORETURN
#define NORETURN __attribute__((__noreturn__))
#endif

#ifndef PAGE_SIZE
#include <fable/page.h>
#endif

/* Console colours for set_term_color: one foreground | one background. */
#include <fable/colors.h>

/* A software exception handler (swexn): runs on its own stack. */
typedef void (*swexn_handler_t)(void *arg, ureg_t *ureg);

/* Life cycle */
int fork(void);
int exec(char *execname, char *argvec[]);
void set_status(int status);
void vanish(void) NORETURN;
int wait(int *status_ptr);
void task_vanish(int status) NORETURN;

/* Thread management */
int gettid(void);
int yield(int pid);
int deschedule(int *flag);
int make_runnable(int pid);
unsigned int get_ticks(void);
int sleep(int ticks);
int swexn(void *esp3, swexn_handler_t eip, void *arg, ureg_t *newureg);

/* Memory management */
int new_pages(void * addr, int len);
int remove_pages(void * addr);

/* Console I/O */
int getchar(void);
int readline(int size, char *buf);
int print(int size, char *buf);
int set_term_color(int color);
int set_cursor_pos(int row, int col);
int get_cursor_pos(int *row, int *col);

/* Miscellaneous */
void halt(void);
int readfile(char *filename, char *buf, int count, int offset);
void misbehave(int mode);

#endif /* _SYSCALL_H */
