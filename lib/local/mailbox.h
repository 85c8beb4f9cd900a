/*
 * mailbox: appending one spooled message to one mbox, run as the mailbox's
 * owner.  It refuses what mail.local refuses (a mailbox that is a symbolic
 * link, has other links, is not a regular file or belongs to someone
 * else), creates a missing mailbox 0600 owned by the user and their
 * primary group, opens without following links and checks that the file
 * opened is the file examined, locks it (mboxlock), appends, fsyncs, and
 * on any failure truncates the mailbox back to its old size so that no
 * half message stays behind.  The outcome is a local_result: the LMTP
 * reply code mail.local gives for the case and its text, from which the
 * command-line exit status follows.
 */
#ifndef SDMAIL_LOCAL_MAILBOX_H
#define SDMAIL_LOCAL_MAILBOX_H

#include <stdbool.h>
#include <sys/types.h>

struct mboxfmt;

struct local_result {
	char reply[12];   /* "250 2.1.5", "450 4.2.0", "550 5.2.0", ... */
	char text[480];   /* what follows the code; mail.local's stderr line */
	long long offset; /* success: where the message begins in the mailbox */
};

void local_result_set(struct local_result *r, const char *reply, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool local_result_ok(const struct local_result *r);
/* sysexits status of the command-line mode: 0, EX_TEMPFAIL (4xx) or EX_UNAVAILABLE (5xx). */
int local_result_exit(const struct local_result *r);

struct mailbox_target {
	const char *dir;      /* the mailbox's directory */
	const char *name;     /* its file name in dir */
	const char *path;     /* dir/name, for messages */
	const char *user;     /* login name, for messages */
	uid_t uid;
	gid_t gid;            /* owner group of a new mailbox */
	bool quota_permanent; /* -b: a full quota is a permanent failure */
	int lock_timeout_ms;
};

/* Deliver: r->reply is "250 2.1.5" on success.  Runs with the user's rights. */
void mailbox_deliver(const struct mailbox_target *t, const struct mboxfmt *msg,
		     struct local_result *r);

#endif
