/*
 * mv.c: rename a file or directory.   mv FROM TO
 * A directory TO receives FROM under its last name. Only within one file
 * system: across two, rename fails (-EXDEV) and mv says to copy instead.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	fable_stat_t st;
	char to[FS_PATH_MAX];
	if (argc != 3) {
		printf("usage: mv FROM TO\n");
		return 1;
	}
	const char *base = strrchr(argv[1], '/');
	if (stat(argv[2], &st) == 0 && st.type == FT_DIR)
		snprintf(to, sizeof to, "%s/%s", argv[2], base ? base + 1 : argv[1]);
	else
		snprintf(to, sizeof to, "%s", argv[2]);
	int err = rename(argv[1], to);
	if (err == -EXDEV)
		dprintf(2, "mv: %s and %s are on different file systems (cp, then rm)\n",
			argv[1], to);
	else if (err < 0)
		dprintf(2, "mv: %s: cannot rename it (error %d)\n", argv[1], err);
	return err < 0;
}
