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
#define PAGE_SIZE 0x0001000
#endif

/* Console colours for set_term_color: one foreground | one background. */
#define FGND_BLACK 0x0
#define FGND_BLUE  0x1
#define FGND_GREEN 0x2
#define FGND_CYAN  0x3
#define FGND_RED   0x4
#define FGND_MAG   0x5
#define FGND_BRWN  0x6
#define FGND_LGRAY 0x7
#define FGND_DGRAY 0x8
#define FGND_BBLUE 0x9
#define FGND_BGRN  0xA
#define FGND_BCYAN 0xB
#define FGND_PINK  0xC
#define FGND_BMAG  0xD
#define FGND_YLLW  0xE
#define FGND_WHITE 0xF

#define BGND_BLACK 0x00
#define BGND_BLUE  0x10
#define BGND_GREEN 0x20
#define BGND_CYAN  0x30
#define BGND_RED   0x40
#define BGND_MAG   0x50
#define BGND_BRWN  0x60
#define BGND_LGRAY 0x70

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
