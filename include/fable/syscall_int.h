/*
 * fable/syscall_int.h: the software-interrupt vector of every system call
 * (docs/abi/README.md §7, docs/abi/fable.md §1). Macros only, so that
 * assembly can use it. The kernel and user programs (through
 * <syscall_int.h>) both include this file: the vectors are defined here
 * and nowhere else.
 */
#ifndef FABLE_SYSCALL_INT_H
#define FABLE_SYSCALL_INT_H

/* Pebbles system calls. Vectors not listed (0x43 old exit, 0x56 old ls,
 * 0x58 new_console, 0x61 cas2i_runflag, 0x65-0x6B driver calls) are not
 * system calls in Fable: `int` on them raises a general-protection fault. */
#define FORK_INT            0x41
#define EXEC_INT            0x42
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
#define TASK_VANISH_INT     0x57
#define SET_STATUS_INT      0x59
#define VANISH_INT          0x60
#define READFILE_INT        0x62
#define SWEXN_INT           0x74

/* 0x80-0x8F belong to Fable; Pebbles programs never use them. */
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

/* Fable extensions (docs/abi/fable.md); 0x88-0x8F are not assigned yet. */
#define DEBUG_PRINT_INT     SYSCALL_RESERVED_0
#define KSTAT_INT           SYSCALL_RESERVED_1
#define POWEROFF_INT        SYSCALL_RESERVED_2
#define TASKLIST_INT        SYSCALL_RESERVED_3
#define FS_INT              SYSCALL_RESERVED_4	/* op-word packet: fable/fs.h */
#define TRACE_INT           SYSCALL_RESERVED_5	/* op-word packet: fable/trace.h */
#define DEVICES_INT         SYSCALL_RESERVED_6	/* op-word packet: fable/pciinfo.h */
#define NET_INT             SYSCALL_RESERVED_7	/* op-word packet: fable/net.h */

#endif /* FABLE_SYSCALL_INT_H */
