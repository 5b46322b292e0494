/*
 * crt0.c: where every program starts (docs/abi/image.md §4, docs/abi/userlib.md §5). The
 * kernel enters _main with argc, argv and the bounds of the initial stack
 * as cdecl arguments, under a return address that is never used.
 */
#include <stdlib.h>
#include <thr_internals.h>

int main(int argc, char *argv[]);
void _main(int argc, char *argv[], void *stack_high, void *stack_low);

void _main(int argc, char *argv[], void *stack_high, void *stack_low)
{
	install_autostack(stack_high, stack_low);
	exit(main(argc, argv));
}
