/*
 * privs: the privilege rules of the setgid `sendmail` command.  sdmail's
 * sendmail is setgid smmsp (never setuid): the group lets it write the
 * client queue and nothing else.  At start-up the environment is reduced
 * to a safe minimum, core dumps are disabled and stray descriptors closed;
 * the group privilege is given up — for good — as soon as the caller asks
 * for something sendmail only allows to trusted users: another
 * configuration (-C), a traffic log (-X), debugging, or an option that is
 * not on sendmail's safe list.  "Trusted" means root, the TrustedUser or
 * a member of class t (T lines, the trusted-users file).
 */
#ifndef SDMAIL_SUBMIT_PRIVS_H
#define SDMAIL_SUBMIT_PRIVS_H

#include <stdbool.h>
#include <sys/types.h>

struct cf;

struct privs {
	uid_t ruid;
	gid_t rgid;
	gid_t egid;      /* at start */
	bool setgid;     /* started with egid != rgid */
	bool dropped;
};

/* The environment of a privileged run: PATH set to the system's
 * directories, TZ kept when short (glibc refuses file names in it for
 * privileged programs), nothing else. */
void privs_clean_environment(void);
/* Record the ids; when privileged, sanitize the process. */
void privs_init(struct privs *p);
/* Give up the setgid group (idempotent). Returns 0 or -errno. */
int privs_drop(struct privs *p);
/* Is the invoking user trusted by this configuration? */
bool privs_trusted(const struct privs *p, const struct cf *cf);

#endif
