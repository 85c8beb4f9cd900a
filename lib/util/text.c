/*
 * text: string helpers (text.h).
 */
#include "util/text.h"

#include <pwd.h>
#include <unistd.h>

void text_strip_quotes(char *s)
{
	char *q = s;
	for (char *p = s; *p; p++) {
		if (*p == '\\' && p[1] != '\0') {
			*q++ = *++p;
			continue;
		}
		if (*p == '"')
			continue;
		*q++ = *p;
	}
	*q = '\0';
}

const char *text_invoking_user(void)
{
	struct passwd *pw = getpwuid(getuid());
	return pw ? pw->pw_name : "nobody";
}
