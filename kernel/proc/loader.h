/*
 * loader.h: build a new program image from a RAM-disk file, or from the
 * bytes of a program that the caller read (a file on the disk).
 */
#ifndef PROC_LOADER_H
#define PROC_LOADER_H

#include <stdint.h>

struct vm;
struct trapframe;

#define USER_MEM_START 0x01000000u
#define USER_STACK_HIGH 0xFFFFEFFFu	/* highest byte of the initial stack */
#define EXEC_MAX_ARGS 512
#define EXEC_MAX_ARGBYTES 8192	/* sum of strlen + 1 */
#define EXEC_MAX_NAME 255

/*
 * Build a complete address space for program name with arguments argv
 * (argc strings in kernel memory) and set *tf to its initial registers.
 * Everything is checked and every frame reserved before *vmp is set, so
 * a failure (negative errno) leaves the caller's own image untouched.
 */
int loader_load(const char *name, int argc, char *const argv[], struct vm **vmp,
		struct trapframe *tf);
/* The same from the ELF file's size bytes at data (kernel memory). */
int loader_load_image(const uint8_t *data, uint32_t size, int argc, char *const argv[],
		      struct vm **vmp, struct trapframe *tf);

#endif
