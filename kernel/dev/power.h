/*
 * power.h: stopping the machine. Under QEMU the isa-debug-exit device at
 * port 0xf4 ends QEMU with exit code ((status << 1) | 1) & 0xff
 * (docs/abi/fable.md §4); on a PC the write does nothing and we halt.
 */
#ifndef DEV_POWER_H
#define DEV_POWER_H

/* Statuses the test runner understands (QEMU exit 33, 35, 37). */
#define FABLE_EXIT_PASS  0x10
#define FABLE_EXIT_FAIL  0x11
#define FABLE_EXIT_PANIC 0x12

void machine_poweroff(int status) __attribute__((noreturn));
void machine_halt(void) __attribute__((noreturn));

#endif
