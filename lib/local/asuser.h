/*
 * asuser: the privileges of mail.local.  mail.local needs exactly two
 * capabilities, CAP_SETUID and CAP_SETGID, to become a recipient; root
 * has them, and sdmail's daemon passes them as ambient capabilities to a
 * local mailer it runs as its own unprivileged user.  At start-up every
 * other capability is given up.  Each delivery then runs in a child
 * process that takes the recipient's uid, gid and groups (plus the group
 * of a group-writable mail spool, to create the mailbox and its dot-lock
 * there, which is what setgid-mail delivery agents have always done),
 * drops all capabilities for good and sets no_new_privs: mailbox files are
 * opened, created and written only with the rights of their owner, so no
 * symbolic link or race can make mail.local write where the user could
 * not.  Without the two capabilities, or when started set-user-ID or with
 * file capabilities by someone other than root, mail.local delivers only
 * to the invoking user's own mailbox.
 */
#ifndef SDMAIL_LOCAL_ASUSER_H
#define SDMAIL_LOCAL_ASUSER_H

#include <stdbool.h>
#include <sys/types.h>

struct passwd;
struct local_result;

struct local_privs {
	bool privileged; /* may become any user */
	uid_t ruid;
};

/*
 * Find out what the process may do and give up the rest: a privileged
 * process keeps only CAP_SETUID and CAP_SETGID; one started set-ID by an
 * ordinary user returns to that user's ids.  Returns 0 or -errno.
 */
int local_privs_init(struct local_privs *p);

/* May a delivery for `uid` happen at all? */
bool local_may_deliver_to(const struct local_privs *p, uid_t uid);

typedef void (*local_job)(void *arg, struct local_result *r);

/*
 * Run job(arg, r) in a child process with the rights of pw (and the extra
 * group extra_gid, unless it is (gid_t)-1); its result comes back in r.
 * A child that dies reports "451 4.3.0".
 */
void local_run_as(const struct local_privs *p, const struct passwd *pw, gid_t extra_gid,
		  local_job job, void *arg, struct local_result *r);

#endif
