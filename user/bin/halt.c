/*
 * halt.c: stop the machine. The kernel writes every file system back
 * and marks the disk clean first, so that what was written is kept
 * (docs/files.md, "Halt and poweroff").
 */
#include <syscall.h>

int main(void)
{
	halt();
	return 1;	/* halt never returns */
}
