/*
 * queuedir: checks on the queue directory (queuedir.h).
 */
#include "queuedir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <stdlib.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "privs.h"
#include "util/strbuf.h"

char *queuedir_path(struct cf *cf)
{
	struct strbuf q = STRBUF_INIT;
	const char *dir = cf->opt.str[OPT_QueueDirectory];

	macro_expand(cf, &cf->macros, dir ? dir : "", &q);
	return sb_detach(&q);
}

int queuedir_check(struct cf *cf, const struct privs *pv, bool report)
{
	char *dir = queuedir_path(cf);
	struct stat st;
	int err = 0;

	if (stat(dir, &st) != 0)
		err = errno;
	else if (!S_ISDIR(st.st_mode))
		err = ENOTDIR;
	else if (faccessat(AT_FDCWD, dir, X_OK, AT_EACCESS) != 0)
		err = errno;
	if (err != 0 && report) {
		fprintf(cf->out, "can not chdir(%s/): %s\n", dir, strerror(err));
		if (pv->ruid != 0)
			fputs("Program mode requires special privileges, e.g., root or "
			      "TrustedUser.\n",
			      cf->out);
	}
	free(dir);
	return err == 0 ? 0 : EX_CONFIG;
}

int queuedir_owner(struct cf *cf, uid_t *uid, gid_t *gid)
{
	char *dir = queuedir_path(cf);
	struct stat st;
	int rc = stat(dir, &st) == 0 ? 0 : -errno;

	free(dir);
	if (rc == 0) {
		*uid = st.st_uid;
		*gid = st.st_gid;
	}
	return rc;
}
