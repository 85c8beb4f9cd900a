/*
 * debug: parsing of -d specifications (see debug.h).
 */
#include "util/debug.h"

#include <ctype.h>
#include <stddef.h>

static int read_number(const char **pp)
{
	const char *p = *pp;
	int n = 0;
	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		if (n < 100000)
			n = n * 10 + (*p - '0');
		p++;
	}
	*pp = p;
	return n;
}

int debug_parse(struct debug_flags *d, const char *spec)
{
	const char *p = spec;
	int applied = 0;

	if (*p == '\0') {
		for (int i = 0; i < DEBUG_CATEGORIES; i++)
			if (d->level[i] < 1)
				d->level[i] = 1;
		return 1;
	}
	while (*p != '\0') {
		int first = read_number(&p), last, level = 1;
		if (first < 0) {
			/* named (non-numeric) categories: skip the item */
			while (*p != '\0' && *p != ',')
				p++;
			if (*p == ',')
				p++;
			continue;
		}
		last = first;
		if (*p == '-') {
			p++;
			last = read_number(&p);
			if (last < 0)
				last = DEBUG_CATEGORIES - 1;
		}
		if (*p == '.') {
			p++;
			level = read_number(&p);
			if (level < 0)
				level = 1;
		}
		if (level > 255)
			level = 255;
		for (int c = first; c <= last && c < DEBUG_CATEGORIES; c++)
			d->level[c] = (unsigned char)level;
		applied++;
		while (*p != '\0' && *p != ',')
			p++;
		if (*p == ',')
			p++;
	}
	return applied;
}
