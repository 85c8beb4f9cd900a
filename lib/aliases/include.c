/*
 * include: :include: and .forward files (include.h).
 */
#include "aliases/include.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cf/options.h"

static const char *unsafe(struct cf *cf, const struct stat *st, enum include_kind kind, uid_t owner)
{
	if (!S_ISREG(st->st_mode))
		return "Not a regular file";
	if (kind == INCLUDE_LIST) {
		if (st->st_mode & S_IWOTH)
			return "World writable file";
		if ((st->st_mode & S_IWGRP) && !option_dont_blame(cf, "groupwritableincludefile") &&
		    !option_dont_blame(cf, "groupwritableincludefilesafe"))
			return "Group writable file";
		return NULL;
	}
	if (st->st_uid != owner && st->st_uid != 0)
		return "Bad file owner";
	if ((st->st_mode & S_IWOTH) && !option_dont_blame(cf, "worldwritableforwardfile"))
		return "World writable file";
	if ((st->st_mode & S_IWGRP) && !option_dont_blame(cf, "groupwritableforwardfile") &&
	    !option_dont_blame(cf, "groupwritableforwardfilesafe"))
		return "Group writable file";
	return NULL;
}

FILE *include_open(struct cf *cf, const char *path, enum include_kind kind, uid_t owner,
                   const char **why)
{
	struct stat st;
	FILE *f;
	/* no blocking on a FIFO, no following into something else later */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		*why = strerror(errno);
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		*why = strerror(errno);
		close(fd);
		return NULL;
	}
	*why = unsafe(cf, &st, kind, owner);
	if (*why != NULL) {
		close(fd);
		errno = EPERM;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (f == NULL) {
		*why = strerror(errno);
		close(fd);
	}
	return f;
}

int include_read(struct cf *cf, FILE *f, const char *path, int (*fn)(void *arg, const char *line),
                 void *arg)
{
	const char *saved_file = cf->input_file;
	int saved_line = cf->input_line;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int line = 0, total = 0;

	cf->input_file = path;
	while ((n = getline(&buf, &cap, f)) >= 0) {
		line++;
		if (n > 0 && buf[n - 1] == '\n')
			buf[--n] = '\0';
		if (buf[0] == '\0' || buf[0] == '#')
			continue;
		cf->input_line = line;
		total += fn(arg, buf);
	}
	free(buf);
	fclose(f);
	cf->input_file = saved_file;
	cf->input_line = saved_line;
	return total;
}
