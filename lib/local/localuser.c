/*
 * localuser: one local recipient, from name to mailbox (see localuser.h).
 */
#include "local/localuser.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "local/asuser.h"
#include "local/mailbox.h"
#include "local/mboxfmt.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static struct passwd *lookup(const char *name, enum local_lookup *how)
{
	errno = 0;
	struct passwd *pw = getpwnam(name);
	if (pw != NULL)
		*how = LOCAL_FOUND;
	else if (errno == 0 || errno == ENOENT || errno == ESRCH || errno == EBADF ||
		 errno == EPERM)
		*how = LOCAL_UNKNOWN;
	else
		*how = LOCAL_DBFAIL;
	return pw;
}

enum local_lookup localuser_lookup(const char *name)
{
	enum local_lookup how;
	if (*name == '\0')
		return LOCAL_UNKNOWN;
	lookup(name, &how);
	return how;
}

struct job {
	struct mailbox_target target;
	const struct mboxfmt *msg;
};

static void run_job(void *arg, struct local_result *r)
{
	struct job *j = arg;
	mailbox_deliver(&j->target, j->msg, r);
}

/* Tell biff (comsat) where the new message starts, as mail.local does. */
static void notify_biff(const char *user, long long offset)
{
	struct servent *sp = getservbyname("biff", "udp");
	if (sp == NULL)
		return;
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = (in_port_t)sp->s_port};
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return;
	char msg[300];
	int n = snprintf(msg, sizeof(msg), "%s@%lld\n", user, offset);
	if (n > 0 && (size_t)n < sizeof(msg))
		sendto(fd, msg, (size_t)n + 1, 0, (struct sockaddr *)&sin, sizeof(sin));
	close(fd);
}

int localuser_spool_open(void)
{
	int fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	char name[] = "/tmp/local.XXXXXX";
	fd = mkostemp(name, O_CLOEXEC);
	if (fd >= 0)
		unlink(name);
	return fd;
}

static bool valid_spool_name(const char *name)
{
	return *name != '\0' && strchr(name, '/') == NULL && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

/* The group that may write the spool directory, or (gid_t)-1. */
static gid_t spool_group(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) == 0 && (st.st_mode & S_IWGRP))
		return st.st_gid;
	return (gid_t)-1;
}

void localuser_deliver(const struct local_opts *o, const char *name, const struct mboxfmt *msg,
		       struct local_result *r)
{
	enum local_lookup how;
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	struct job j = {.msg = msg};
	gid_t extra = (gid_t)-1;
	memset(r, 0, sizeof(*r));
	struct passwd *pw = *name ? lookup(name, &how) : NULL;
	if (*name == '\0')
		how = LOCAL_UNKNOWN;
	if (how == LOCAL_UNKNOWN) {
		local_result_set(r, "550 5.1.1", "%s: User unknown", name);
		return;
	}
	if (how == LOCAL_DBFAIL) {
		local_result_set(r, "451 4.3.0", "%s: User database failure; retry later", name);
		return;
	}
	if (!local_may_deliver_to(o->privs, pw->pw_uid)) {
		local_result_set(r, "550 5.7.1", "%s: Permission denied", name);
		return;
	}
	if (o->home_file != NULL) {
		if (pw->pw_dir == NULL || *pw->pw_dir == '\0') {
			local_result_set(r, "550 5.2.0", "%s: User missing home directory", name);
			return;
		}
		sb_printf(&path, "%s/%s", pw->pw_dir, o->home_file);
		const char *slash = strrchr(path.s, '/');
		sb_put(&dir, path.s, (size_t)(slash - path.s));
		if (dir.len == 0)
			sb_putc(&dir, '/');
		j.target.name = slash + 1;
	} else {
		if (!valid_spool_name(name)) {
			local_result_set(r, "550 5.1.3", "%s: Invalid mailbox path", name);
			return;
		}
		sb_puts(&dir, o->spool_dir);
		sb_printf(&path, "%s/%s", o->spool_dir, name);
		j.target.name = name;
		extra = spool_group(o->spool_dir);
	}
	j.target.dir = dir.s;
	j.target.path = path.s;
	j.target.user = name;
	j.target.uid = pw->pw_uid;
	j.target.gid = pw->pw_gid;
	j.target.quota_permanent = o->quota_permanent;
	j.target.lock_timeout_ms = o->lock_timeout_ms;
	local_run_as(o->privs, pw, extra, run_job, &j, r);
	if (local_result_ok(r) && o->home_file == NULL)
		notify_biff(name, r->offset);
	sb_free(&dir);
	sb_free(&path);
}
