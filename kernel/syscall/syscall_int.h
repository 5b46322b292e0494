/*
 * syscall_int.h - system-call vector numbers (kernel copy; user/include has
 * the same file for programs).
 *
 * Normative text: pebbles-abi.md, sections 1.6 and 12. Fable's user library
 * ships a header of this name with these exact macro names and values; it
 * must stay usable from both C and assembly (macros only, no declarations).
 */
#ifndef _SYSCALL_INT_H
#define _SYSCALL_INT_H

/* Pebbles system calls: one software-interrupt vector each. */
#define FORK_INT            0x41
#define EXEC_INT            0x42
/*                          0x43   retired (old exit): not a system call */
#define WAIT_INT            0x44
#define YIELD_INT           0x45
#define DESCHEDULE_INT      0x46
#define MAKE_RUNNABLE_INT   0x47
#define GETTID_INT          0x48
#define NEW_PAGES_INT       0x49
#define REMOVE_PAGES_INT    0x4A
#define SLEEP_INT           0x4B
#define GETCHAR_INT         0x4C
#define READLINE_INT        0x4D
#define PRINT_INT           0x4E
#define SET_TERM_COLOR_INT  0x4F
#define SET_CURSOR_POS_INT  0x50
#define GET_CURSOR_POS_INT  0x51
#define THREAD_FORK_INT     0x52
#define GET_TICKS_INT       0x53
#define MISBEHAVE_INT       0x54
#define HALT_INT            0x55
/*                          0x56   retired (old ls): not a system call */
#define TASK_VANISH_INT     0x57
/*                          0x58   new_console in some variants: not in Fable */
#define SET_STATUS_INT      0x59
#define VANISH_INT          0x60
/*                          0x61   retired (old cas2i_runflag): not in Fable */
#define READFILE_INT        0x62
/*                          0x65-0x6B  driver calls in some variants: not in Fable */
#define SWEXN_INT           0x74

/* 0x80-0x8F: never used by Pebbles programs; owned by Fable. */
#define SYSCALL_RESERVED_START  0x80
#define SYSCALL_RESERVED_0      0x80
#define SYSCALL_RESERVED_1      0x81
#define SYSCALL_RESERVED_2      0x82
#define SYSCALL_RESERVED_3      0x83
#define SYSCALL_RESERVED_4      0x84
#define SYSCALL_RESERVED_5      0x85
#define SYSCALL_RESERVED_6      0x86
#define SYSCALL_RESERVED_7      0x87
#define SYSCALL_RESERVED_8      0x88
#define SYSCALL_RESERVED_9      0x89
#define SYSCALL_RESERVED_10     0x8A
#define SYSCALL_RESERVED_11     0x8B
#define SYSCALL_RESERVED_12     0x8C
#define SYSCALL_RESERVED_13     0x8D
#define SYSCALL_RESERVED_14     0x8E
#define SYSCALL_RESERVED_15     0x8F
#define SYSCALL_RESERVED_END    0x8F

/* Fable extensions (pebbles-abi.md section 12); 0x84-0x8F not yet assigned. */
#define DEBUG_PRINT_INT     SYSCALL_RESERVED_0      /* 0x80 */
#define KSTAT_INT           SYSCALL_RESERVED_1      /* 0x81 */
#define POWEROFF_INT        SYSCALL_RESERVED_2      /* 0x82 */
#define TASKLIST_INT        SYSCALL_RESERVED_3      /* 0x83: for ps */

#endif /* _SYSCALL_INT_H */
