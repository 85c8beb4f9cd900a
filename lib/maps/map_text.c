/*
 * map_text: the text map class — a flat file searched line by line, with
 * key and value columns (-k, -v) split on -z or on blanks, '#' comments.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>

#include "maps/map.h"
#include "util/pool.h"

#define MAX_COLUMNS 64

static bool text_open(struct cf *cf, struct map *m)
{
	FILE *f = fopen(m->file, "r");
	if (f == NULL) {
		if (!(m->flags & MF_OPTIONAL))
			fprintf(cf->out, "text map \"%s\": cannot open %s: %s\n", m->name, m->file,
				strerror(errno));
		return false;
	}
	fclose(f);
	return map_file_is_safe(cf, m, m->file);
}

/* Split a line into columns; returns the count. */
static int split_columns(char *line, char delim, char **cols)
{
	int n = 0;
	char *p = line;

	if (delim == '\0') {
		while (*p && n < MAX_COLUMNS) {
			while (isspace((unsigned char)*p))
				p++;
			if (*p == '\0')
				break;
			cols[n++] = p;
			while (*p && !isspace((unsigned char)*p))
				p++;
			if (*p)
				*p++ = '\0';
		}
		return n;
	}
	cols[n++] = p;
	while (*p && n < MAX_COLUMNS) {
		if (*p == delim) {
			*p = '\0';
			cols[n++] = p + 1;
		}
		p++;
	}
	return n;
}

static char *text_lookup(struct cf *cf, struct macro_env *env, struct map *m,
			 const char *key, char **args, int *status, struct pool *pool)
{
	FILE *f = fopen(m->file, "r");
	char line[4096];
	int keycol = m->keycol >= 0 ? m->keycol : 0;
	int valcol = m->valcol >= 0 ? m->valcol : 1;
	char *r = NULL;
	(void)cf;
	(void)env;

	if (f == NULL) {
		*status = EX_UNAVAILABLE;
		return NULL;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *cols[MAX_COLUMNS];
		size_t l = strlen(line);
		int n;
		while (l > 0 && (line[l - 1] == '\n' || line[l - 1] == '\r'))
			line[--l] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		n = split_columns(line, m->coldelim, cols);
		if (keycol >= n)
			continue;
		if ((m->flags & MF_NOFOLDCASE) ? strcmp(cols[keycol], key) != 0
					       : strcasecmp(cols[keycol], key) != 0)
			continue;
		if (m->flags & MF_MATCHONLY)
			r = map_rewrite(m, key, args, pool);
		else
			r = map_rewrite(m, valcol < n ? cols[valcol] : "", args, pool);
		break;
	}
	fclose(f);
	return r;
}

const struct map_class map_class_text = {"text", true, NULL, text_open, text_lookup, NULL};
