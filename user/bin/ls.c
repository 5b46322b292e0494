/*
 * ls.c: list directories (the current one if none is named); a file
 * named is listed as itself.
 *   ls [-l] [PATH...]
 * -l shows each entry's type, link count, size and inode number, and
 * where a symbolic link leads.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int longform;

static char type_char(unsigned type)
{
	return type == FT_DIR ? 'd' : type == FT_SYMLINK ? 'l' : type == FT_PIPE ? 'p' :
	       type == FT_CONSOLE ? 'c' : '-';
}

/* One entry: name, and with -l what lstat says of path. */
static void entry(const char *path, const char *name)
{
	fable_stat_t st;
	char target[FS_PATH_MAX];
	if (!longform) {
		printf("%s\n", name);
		return;
	}
	if (lstat(path, &st) < 0) {
		printf("?          %s\n", name);
		return;
	}
	printf("%c%03o %3u %8u %5u %s", type_char(st.type), st.mode & 0777, st.nlink, st.size,
	       st.ino, name);
	int n = st.type == FT_SYMLINK ? readlink(path, target, sizeof target - 1) : -1;
	if (n >= 0) {
		target[n] = 0;
		printf(" -> %s", target);
	}
	printf("\n");
}

static int list(const char *path)
{
	fable_stat_t st;
	fable_dirent_t d;
	char full[FS_PATH_MAX];
	int err = stat(path, &st);
	if (err < 0) {
		dprintf(2, "ls: %s: %s\n", path, err == -ENOENT ? "no such file" : "cannot see it");
		return 1;
	}
	if (st.type != FT_DIR) {
		entry(path, path);
		return 0;
	}
	int fd = open(path, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0)
		return 1;
	while (readdir(fd, &d) == 1) {
		snprintf(full, sizeof full, "%s/%s", path, d.name);
		entry(full, d.name);
	}
	close(fd);
	return 0;
}

int main(int argc, char *argv[])
{
	int arg = 1, status = 0;
	if (arg < argc && strcmp(argv[arg], "-l") == 0) {
		longform = 1;
		arg++;
	}
	if (arg == argc)
		return list(".");
	for (int i = arg; i < argc; i++) {
		if (argc - arg > 1)
			printf("%s:\n", argv[i]);
		status |= list(argv[i]);
	}
	return status;
}
