/*
 * include: the files a recipient list may name — ":include:" files of
 * aliases and users' .forward files — opened with sendmail's safety
 * checks and read line by line.  A file must be a regular file; an
 * :include: file may not be world writable ("World writable file"), nor
 * group writable unless DontBlameSendmail has GroupWritableIncludeFile
 * or GroupWritableIncludeFileSafe; a .forward file must belong to its
 * user or to root and may be neither world nor group writable unless
 * DontBlameSendmail allows it (WorldWritableForwardfile,
 * GroupWritableForwardFile, GroupWritableForwardFileSafe).  While a file
 * is read, cf->input_file and cf->input_line name it so that messages
 * are prefixed "FILE: line N: " as sendmail's are.  Empty lines and
 * lines starting with '#' are skipped.  A .forward the process may not
 * open itself (a home directory of mode 0700) is opened by a child that
 * takes the user's ids, when the process may (the MTA's CAP_SETUID).
 */
#ifndef SDMAIL_ALIASES_INCLUDE_H
#define SDMAIL_ALIASES_INCLUDE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "cf/cf.h"

enum include_kind {
	INCLUDE_LIST,    /* :include:FILE in an alias */
	INCLUDE_FORWARD, /* a user's .forward; `owner` is the user's uid */
};

/*
 * Open `path` for reading after the safety checks.  On failure returns
 * NULL and sets *why to sendmail's reason (strerror text, "World
 * writable file", "Group writable file", "Bad file owner", "Not a
 * regular file") and errno (ENOENT for a file that is not there).
 */
FILE *include_open(struct cf *cf, const char *path, enum include_kind kind, uid_t owner,
                   const char **why);

/*
 * Call fn for every line of f that names recipients, with the input
 * location set; restores the previous location afterwards.  Returns the
 * sum of what fn returned.  Closes f.
 */
int include_read(struct cf *cf, FILE *f, const char *path, int (*fn)(void *arg, const char *line),
                 void *arg);

#endif
