/*
 * asuser: capabilities and per-delivery user switching (see asuser.h).
 */
#include "local/asuser.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "local/mailbox.h"
#include "util/xalloc.h"

static bool has_permitted(cap_t caps, cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	return cap_get_flag(caps, cap, CAP_PERMITTED, &v) == 0 && v == CAP_SET;
}

/* Keep only CAP_SETUID and CAP_SETGID, permitted and effective. */
static int keep_setid_caps(void)
{
	static const cap_value_t keep[] = {CAP_SETUID, CAP_SETGID};
	cap_t caps = cap_init();
	int e = 0;
	if (caps == NULL)
		return -errno;
	if (cap_set_flag(caps, CAP_PERMITTED, 2, keep, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_EFFECTIVE, 2, keep, CAP_SET) < 0 || cap_set_proc(caps) < 0)
		e = -errno;
	cap_free(caps);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return e;
}

static int drop_all_caps(void)
{
	cap_t caps = cap_init();
	int e = 0;
	if (caps == NULL)
		return -errno;
	if (cap_set_proc(caps) < 0)
		e = -errno;
	cap_free(caps);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return e;
}

int local_privs_init(struct local_privs *p)
{
	bool secure = getauxval(AT_SECURE) != 0;
	cap_t caps = cap_get_proc();
	bool setid = caps && has_permitted(caps, CAP_SETUID) && has_permitted(caps, CAP_SETGID);
	if (caps)
		cap_free(caps);
	p->ruid = getuid();
	p->privileged = setid && (!secure || p->ruid == 0);
	if (p->privileged)
		return keep_setid_caps();
	if (secure) {
		/* started set-ID by an ordinary user: be that user, nothing more */
		if (setresgid(getgid(), getgid(), getgid()) < 0 ||
		    setresuid(p->ruid, p->ruid, p->ruid) < 0)
			return -errno;
	}
	if (drop_all_caps() < 0 && secure)
		return -EPERM;
	return 0;
}

bool local_may_deliver_to(const struct local_privs *p, uid_t uid)
{
	return p->privileged || uid == p->ruid;
}

static int become(const struct passwd *pw, gid_t extra_gid)
{
	int n = 64;
	gid_t *groups = xmalloc(sizeof(gid_t) * (size_t)(n + 1));
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) < 0) {
		groups = xrealloc(groups, sizeof(gid_t) * (size_t)(n + 1));
		if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) < 0)
			n = 0;
	}
	if (n == 0)
		groups[n++] = pw->pw_gid;
	if (extra_gid != (gid_t)-1)
		groups[n++] = extra_gid;
	int e = 0;
	if (setgroups((size_t)n, groups) < 0 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
		e = -errno;
	free(groups);
	return e;
}

static void child(const struct local_privs *p, const struct passwd *pw, gid_t extra_gid,
		  local_job job, void *arg, int out)
{
	struct local_result r;
	int e = 0;
	memset(&r, 0, sizeof(r));
	signal(SIGPIPE, SIG_DFL);
	if (p->privileged)
		e = become(pw, extra_gid);
	if (e < 0) {
		local_result_set(&r, "451 4.3.0", "setreuid(0, %u): %s", (unsigned)pw->pw_uid,
				 strerror(-e));
	} else if (drop_all_caps() < 0 && p->privileged) {
		local_result_set(&r, "451 4.3.0", "cannot drop capabilities: %s", strerror(errno));
	} else {
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		umask(077);
		job(arg, &r);
	}
	ssize_t w = write(out, &r, sizeof(r));
	_exit(w == (ssize_t)sizeof(r) ? 0 : 1);
}

void local_run_as(const struct local_privs *p, const struct passwd *pw, gid_t extra_gid,
		  local_job job, void *arg, struct local_result *r)
{
	int fds[2], status = 0;
	memset(r, 0, sizeof(*r));
	if (pipe2(fds, O_CLOEXEC) < 0) {
		local_result_set(r, "451 4.3.0", "pipe: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		local_result_set(r, "451 4.3.0", "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		child(p, pw, extra_gid, job, arg, fds[1]);
	}
	close(fds[1]);
	size_t got = 0;
	while (got < sizeof(*r)) {
		ssize_t n = read(fds[0], (char *)r + got, sizeof(*r) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != sizeof(*r) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		memset(r, 0, sizeof(*r));
		local_result_set(r, "451 4.3.0", "delivery for %s failed (status %d)", pw->pw_name,
				 status);
	}
	r->reply[sizeof(r->reply) - 1] = '\0';
	r->text[sizeof(r->text) - 1] = '\0';
}
