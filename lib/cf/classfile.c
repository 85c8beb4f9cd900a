/*
 * classfile: F line processing (classfile.h).
 */
#include "cf/classfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/class.h"
#include "cf/macro.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Does c belong to the %[...] set starting at *set (after '[')? */
static bool in_scanset(const char *set, size_t setlen, bool negate, unsigned char c)
{
	bool found = false;
	for (size_t i = 0; i < setlen; i++) {
		if (i + 2 < setlen && set[i + 1] == '-') {
			if (c >= (unsigned char)set[i] && c <= (unsigned char)set[i + 2])
				found = true;
			i += 2;
		} else if ((unsigned char)set[i] == c) {
			found = true;
		}
	}
	return negate ? !found : found;
}

char *classfile_scan(const char *fmt, const char *line)
{
	const char *f = fmt, *l = line;
	struct strbuf out = STRBUF_INIT;

	/* literal prefix (blanks in the format match any run of blanks) */
	while (*f && *f != '%') {
		if (isspace((unsigned char)*f)) {
			while (isspace((unsigned char)*l))
				l++;
			f++;
			continue;
		}
		if (*f != *l)
			return NULL;
		f++;
		l++;
	}
	if (*f != '%')
		return NULL;
	f++;
	if (*f == 's') {
		while (isspace((unsigned char)*l))
			l++;
		while (*l && !isspace((unsigned char)*l))
			sb_putc(&out, *l++);
	} else if (*f == '[') {
		bool negate = false;
		const char *set, *end;
		f++;
		if (*f == '^') {
			negate = true;
			f++;
		}
		set = f;
		end = (*f == ']') ? strchr(f + 1, ']') : strchr(f, ']');
		if (end == NULL)
			return NULL;
		while (*l && in_scanset(set, (size_t)(end - set), negate, (unsigned char)*l))
			sb_putc(&out, *l++);
	} else {
		return NULL;
	}
	if (out.len == 0) {
		sb_free(&out);
		return NULL;
	}
	return sb_detach(&out);
}

static void add_line(struct cf *cf, int id, const char *fmt, char *line)
{
	size_t n = strlen(line);
	char *match;
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	if (line[0] == '#' || line[0] == '\0')
		return;
	match = classfile_scan(fmt ? fmt : "%s", line);
	if (match != NULL) {
		class_add_words(cf->classes, id, match);
		free(match);
	}
}

static void read_program(struct cf *cf, int id, const char *cmd, const char *fmt)
{
	FILE *p;
	char *line = NULL;
	size_t cap = 0;
	int st;

	fflush(NULL);
	p = popen(cmd, "r");
	if (p == NULL) {
		cf_error(cf, EX_OSERR, "fileclass: cannot exec '%s': %s", cmd, strerror(errno));
		return;
	}
	while (getline(&line, &cap, p) >= 0)
		add_line(cf, id, fmt, line);
	free(line);
	st = pclose(p);
	if (st != 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		cf_error(cf, EX_SOFTWARE, "fileclass: program '%s' failed", cmd);
}

void classfile_read(struct cf *cf, const char *body)
{
	const char *p = body;
	int id = macro_parse_id(cf, &p);
	bool optional = false;
	char *file, *fmt = NULL;
	FILE *f;
	char *line = NULL;
	size_t cap = 0;

	if (id <= 0)
		return;
	while (isspace((unsigned char)*p))
		p++;
	if (p[0] == '-' && p[1] == 'o' && (isspace((unsigned char)p[2]) || p[2] == '\0')) {
		optional = true;
		p += 2;
		while (isspace((unsigned char)*p))
			p++;
	}
	if (*p == '\0') {
		cf_error(cf, EX_SOFTWARE, "fileclass: missing file name");
		return;
	}
	if (*p == '|') {
		read_program(cf, id, p + 1, NULL);
		return;
	}
	{
		size_t n = strcspn(p, " \t");
		file = xstrndup(p, n);
		p += n;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '\0')
			fmt = xstrdup(p);
	}
	f = fopen(file, "r");
	if (f == NULL) {
		if (!optional)
			cf_error(cf, EX_OSERR, "fileclass: cannot open '%s': %s", file, strerror(errno));
		free(file);
		free(fmt);
		return;
	}
	while (getline(&line, &cap, f) >= 0)
		add_line(cf, id, fmt, line);
	free(line);
	fclose(f);
	free(file);
	free(fmt);
}
