/*
 * power.h: stopping the machine. Under QEMU the isa-debug-exit device at
 * port 0xf4 ends QEMU with exit code ((status << 1) | 1) & 0xff
 * (docs/abi/fable.md §4); on a PC the write does nothing and we halt.
 */
#ifndef DEV_POWER_H
#define DEV_POWER_H

/* machine_poweroff(status), machine_halt(), machine_shutdown(status)
 * (the orderly end, which writes the file systems back first) and the
 * statuses the test runner understands, FABLE_EXIT_* (QEMU exit 33, 35,
 * 37), are declared in upcall.h: a panic (lib/) and init's exit (proc/)
 * call them from below. */
#include "upcall.h"

#endif
