/*
 * sync.c: write every file system's changes back to its device.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int err = sync();
	if (err < 0)
		dprintf(2, "sync: failed (error %d)\n", err);
	return err < 0;
}
