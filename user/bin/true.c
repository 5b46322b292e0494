/*
 * true.c: do nothing, successfully. The trivial program that the
 * fork + exec benchmark runs (user/bin/bench.c), and the shell's `true`.
 */
int main(void)
{
	return 0;
}
