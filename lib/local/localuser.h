/*
 * localuser: delivery of a spooled message to one local user by name, the
 * part both modes of mail.local share.  The name is looked up in the
 * password database (mail.local's "pw" mailbox database), the mailbox is
 * the user's file in the mail spool, or -h's file in their home
 * directory, and the delivery itself runs in a child process with the
 * user's rights (asuser, mailbox).  After a delivery to the spool the biff
 * service is told, as mail.local does, when /etc/services names one.
 */
#ifndef SDMAIL_LOCAL_LOCALUSER_H
#define SDMAIL_LOCAL_LOCALUSER_H

#include <stdbool.h>

struct local_privs;
struct local_result;
struct mboxfmt;

#define LOCAL_SPOOL_DIR "/var/mail"
/* mail.local waits for a busy mailbox; this bounds the wait */
#define LOCAL_LOCK_TIMEOUT_MS (10 * 60 * 1000)

struct local_opts {
	const struct local_privs *privs;
	const char *spool_dir;  /* LOCAL_SPOOL_DIR */
	const char *home_file;  /* -h FILE: the mailbox is ~user/FILE */
	bool quota_permanent;   /* -b */
	int lock_timeout_ms;
};

enum local_lookup { LOCAL_FOUND, LOCAL_UNKNOWN, LOCAL_DBFAIL };

/*
 * A new spool file for one message: unlinked (O_TMPFILE, or mail.local's
 * /tmp/local.XXXXXX removed at once), read and write.  -1 on failure.
 */
int localuser_spool_open(void);

/* Is there such a user?  (LMTP's RCPT check.) */
enum local_lookup localuser_lookup(const char *name);

/* Deliver msg to user `name`; r says how it went, in mail.local's words. */
void localuser_deliver(const struct local_opts *o, const char *name, const struct mboxfmt *msg,
		       struct local_result *r);

#endif
