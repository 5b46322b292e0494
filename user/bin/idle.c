/*
 * idle.c: the Pebbles idle program (docs/abi/boot.md §2). Fable idles in a
 * kernel loop instead, but ships this for programs that exec it.
 */
int main(void)
{
	for (;;)
		continue;
}
