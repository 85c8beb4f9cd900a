/*
 * privs: privilege handling of the sendmail command (privs.h).
 */
#include "privs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/class.h"

extern char **environ;

void privs_clean_environment(void)
{
	const char *tz = getenv("TZ");
	char *keep_tz = tz ? strdup(tz) : NULL;

	clearenv();
	setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
	if (keep_tz != NULL && strlen(keep_tz) < 256)
		setenv("TZ", keep_tz, 1);
	free(keep_tz);
}

/* 0, 1 and 2 must be open (a closed stdout must not become a queue
 * file); everything above them is closed. */
static void tidy_descriptors(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) < 0)
			_exit(71);
	closefrom(3);
}

void privs_init(struct privs *p)
{
	p->ruid = getuid();
	p->rgid = getgid();
	p->egid = getegid();
	p->setgid = p->egid != p->rgid;
	p->dropped = false;
	tidy_descriptors();
	if (p->setgid) {
		struct rlimit none = {0, 0};
		privs_clean_environment();
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		setrlimit(RLIMIT_CORE, &none);
	}
}

int privs_drop(struct privs *p)
{
	if (p->dropped || !p->setgid)
		return 0;
	if (setresgid(p->rgid, p->rgid, p->rgid) != 0)
		return -errno;
	p->dropped = true;
	return 0;
}

bool privs_trusted(const struct privs *p, const struct cf *cf)
{
	struct passwd *pw;
	const char *tu = cf->opt.str[OPT_TrustedUser];

	if (p->ruid == 0)
		return true;
	pw = getpwuid(p->ruid);
	if (pw == NULL)
		return false;
	if (tu != NULL && *tu != '\0' && strcmp(tu, pw->pw_name) == 0)
		return true;
	return class_contains(cf->classes, 't', pw->pw_name);
}

#if defined(__SANITIZE_ADDRESS__)
#define SDMAIL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SDMAIL_ASAN 1
#endif
#endif
#ifdef SDMAIL_ASAN
/*
 * Sanitizer builds only: LeakSanitizer cannot inspect a process that is
 * not dumpable, as a setgid run is from its first instruction (and it
 * cannot read its options from /proc/self/environ then either).  Leaks
 * are checked in the runs that are not privileged.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return getauxval(AT_SECURE) ? "detect_leaks=0" : "";
}
#endif
