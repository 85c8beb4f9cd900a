/*
 * helpfile: HELP text from sendmail's help file (helpfile.h).
 */
#include "smtp/helpfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "util/strbuf.h"

int helpfile_topic(struct cf *cf, const struct macro_env *env, const char *path,
		   const char *topic, struct strbuf *out)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, tlen = strlen(topic);
	ssize_t n;
	int found = 0;

	if (f == NULL)
		return -errno;
	while ((n = getline(&line, &cap, f)) >= 0) {
		char *text;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (line[0] == '#' || strncmp(line, topic, tlen) != 0 || line[tlen] != '\t')
			continue;
		/* "\#" keeps a '#' from starting a comment */
		for (char *h = strstr(line, "\\#"); h; h = strstr(h, "\\#"))
			memmove(h, h + 1, strlen(h));
		text = macro_translate(cf, line + tlen + 1);
		if (found)
			sb_putc(out, '\n');
		macro_expand(cf, env, text, out);
		free(text);
		found = 1;
	}
	free(line);
	fclose(f);
	return found;
}
