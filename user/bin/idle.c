/*
 * idle.c: the Pebbles idle program (pebbles-abi.md 10). Fable idles in a
 * kernel loop instead, but ships this for programs that exec it.
 */
int main(void)
{
	for (;;)
		continue;
}
