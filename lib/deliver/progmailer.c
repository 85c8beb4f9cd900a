/*
 * progmailer: local, prog and *file* deliveries (progmailer.h).
 */
#include "deliver/progmailer.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/macro.h"
#include "cf/mailer.h"
#include "msg/envelope.h"
#include "msg/mime7to8.h"
#include "msg/putheader.h"
#include "rules/parseaddr.h"
#include "rules/recipient.h"
#include "smtp/data.h"
#include "smtp/io.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/fdio.h"

#define OUTPUT_MAX 4096
#define LMTP_TIMEOUT_MS (5 * 60 * 1000)

/* ---- sysexits as sendmail words them ------------------------------------ */

/* sendmail's reply, status (logged) and words for each sysexits status */
struct exit_text {
	int status;
	int code;
	const char *dsn;
	const char *words;
};

static const struct exit_text exit_texts[] = {
    {EX_USAGE, 500, "5.0.0", "Bad usage"},
    {EX_DATAERR, 501, "5.6.0", "Data format error"},
    {EX_NOINPUT, 550, "5.3.0", "Cannot open input"},
    {EX_NOUSER, 550, "5.1.1", "User unknown"},
    {EX_NOHOST, 550, "5.1.2", "Host unknown"},
    {EX_UNAVAILABLE, 554, "5.0.0", "Service unavailable"},
    {EX_SOFTWARE, 554, "5.3.0", "Internal error"},
    {EX_OSERR, 451, "4.0.0", "Operating system error"},
    {EX_OSFILE, 554, "5.3.5", "System file missing"},
    {EX_CANTCREAT, 550, "5.0.0", "Can't create output"},
    {EX_IOERR, 451, "4.0.0", "I/O error"},
    {EX_TEMPFAIL, 250, "4.0.0", "Deferred"},
    {EX_PROTOCOL, 554, "5.5.0", "Remote protocol error"},
    {EX_NOPERM, 550, "5.0.0", "Insufficient permission"},
    {EX_CONFIG, 554, "5.3.5", "Local configuration error"},
    {0, 0, NULL, NULL},
};

/* The status a DSN gives a recipient that failed with a sysexits status. */
static const char *dsn_status_of(int status)
{
	switch (status) {
	case EX_OK:
		return "2.0.0";
	case EX_USAGE:
		return "5.5.4";
	case EX_DATAERR:
		return "5.5.2";
	case EX_NOUSER:
		return "5.1.1";
	case EX_NOHOST:
		return "5.1.2";
	case EX_NOINPUT:
	case EX_CANTCREAT:
	case EX_NOPERM:
		return "5.3.0";
	default:
		return progmailer_exit_transient(status) ? "4.0.0" : "5.0.0";
	}
}

static const struct exit_text *exit_entry(int status)
{
	for (const struct exit_text *t = exit_texts; t->words != NULL; t++)
		if (t->status == status)
			return t;
	return NULL;
}

void progmailer_failure_line(int status, const char *addr, struct strbuf *out)
{
	const struct exit_text *t = exit_entry(status);

	if (t == NULL)
		sb_printf(out, "554 5.3.0 unknown mailer error %d", status);
	else
		sb_printf(out, "%d %s %s... %s", t->code, t->dsn, addr, t->words);
}

const char *progmailer_exit_words(int status)
{
	const struct exit_text *t = exit_entry(status);
	return t ? t->words : NULL;
}

const char *progmailer_exit_dsn(int status)
{
	const struct exit_text *t = exit_entry(status);
	if (status == EX_OK)
		return "2.0.0";
	return t ? t->dsn : "5.3.0";
}

int progmailer_exit_transient(int status)
{
	return status == EX_TEMPFAIL || status == EX_OSERR || status == EX_IOERR;
}

static void set_exit(const struct pm_job *j, struct pm_rcpt *p, int status)
{
	struct strbuf sb = STRBUF_INIT;
	const char *w = progmailer_exit_words(status);

	p->exit = status;
	snprintf(p->dsn, sizeof(p->dsn), "%s", progmailer_exit_dsn(status));
	snprintf(p->dsn_status, sizeof(p->dsn_status), "%s", dsn_status_of(status));
	free(p->stat);
	if (status == EX_OK)
		sb_puts(&sb, "Sent");
	else if (status == EX_TEMPFAIL)
		sb_printf(&sb, "%s mailer (%s) exited with EX_TEMPFAIL", j->m->name, j->m->path);
	else if (w != NULL)
		sb_puts(&sb, w);
	else
		sb_printf(&sb, "unknown mailer error %d", status);
	p->stat = sb_detach(&sb);
}

void progmailer_results_free(struct pm_rcpt *r, int n)
{
	for (int i = 0; i < n; i++) {
		free(r[i].stat);
		free(r[i].reply);
		free(r[i].output);
		free(r[i].ctladdr);
		r[i].stat = r[i].reply = r[i].output = r[i].ctladdr = NULL;
	}
}

/* ---- who runs it ---------------------------------------------------------- */

struct ident {
	uid_t uid;
	gid_t gid;
	char name[64];
	char home[256];
	bool keep_caps; /* the local mailer: it becomes each recipient itself */
};

static bool ident_from_pw(struct ident *id, const struct passwd *pw)
{
	if (pw == NULL)
		return false;
	id->uid = pw->pw_uid;
	id->gid = pw->pw_gid;
	snprintf(id->name, sizeof(id->name), "%s", pw->pw_name);
	snprintf(id->home, sizeof(id->home), "%s", pw->pw_dir ? pw->pw_dir : "/");
	return true;
}

/* DefaultUser: "user", "user:group", "uid:gid"; mailnull, else 1:1. */
static void default_user(const struct cf *cf, struct ident *id)
{
	const char *du = cf->opt.str[OPT_DefaultUser];
	char buf[128];
	char *colon;

	snprintf(buf, sizeof(buf), "%s", du && *du ? du : "mailnull");
	colon = strchr(buf, ':');
	if (colon != NULL)
		*colon++ = '\0';
	if (!ident_from_pw(id, getpwnam(buf))) {
		uid_t uid = buf[0] >= '0' && buf[0] <= '9' ? (uid_t)atoi(buf) : 1;
		if (!ident_from_pw(id, getpwuid(uid))) {
			id->uid = id->gid = uid;
			snprintf(id->home, sizeof(id->home), "/");
		}
		if (!(buf[0] >= '0' && buf[0] <= '9'))
			id->gid = 1;
	}
	if (colon != NULL && *colon != '\0') {
		struct group *gr = getgrnam(colon);
		id->gid = gr ? gr->gr_gid : (gid_t)atoi(colon);
	}
}

/*
 * The controlling user of a recipient: the user whose .forward named it,
 * or the owner (not root) of the :include: file that did; NULL: none.
 */
static const struct passwd *controlling_user(const struct recipient *r)
{
	for (const struct recipient *p = r->alias_of; p != NULL; p = p->alias_of) {
		struct stat st;
		if (p->forwarded)
			return getpwnam(p->a.user);
		if (p->a.is_include && stat(p->a.user, &st) == 0 && st.st_uid != 0)
			return getpwuid(st.st_uid);
	}
	return NULL;
}

static bool is_local_mailer(const struct mailer *m)
{
	return strcmp(m->name, "local") == 0;
}

static void identity_of(const struct pm_job *j, const struct recipient *r, struct ident *id);

/*
 * Who runs the mailer for r.  Never root: sendmail runs root's .forward
 * programs and files as root; sdmail runs them as DefaultUser, and when
 * that is root too, as nobody (sm-mta(8), COMPATIBILITY).
 */
static void identity(const struct pm_job *j, const struct recipient *r, struct ident *id)
{
	identity_of(j, r, id);
	if (id->keep_caps || id->uid != 0)
		return;
	default_user(j->ctx->cf, id);
	if (id->uid == 0) {
		const struct passwd *nobody = getpwnam("nobody");
		id->uid = nobody ? nobody->pw_uid : 65534;
		id->gid = nobody ? nobody->pw_gid : 65534;
		snprintf(id->name, sizeof(id->name), "nobody");
		snprintf(id->home, sizeof(id->home), "/");
	}
}

/*
 * sendmail runs a local mailer with F=S as root, so that the program
 * (mail.local, procmail -d) becomes the recipient itself, and one without
 * F=S as DefaultUser.  sdmail never takes root: a program that gets several
 * recipients in one call (F=m, or F=z's LMTP) gets CAP_SETUID and
 * CAP_SETGID and becomes each of them itself; a program called once per
 * recipient runs as that recipient with no capability, which is what
 * procmail -d asks of a caller that is not root.
 */
static bool local_runs_as_root(const struct mailer *m)
{
	return is_local_mailer(m) && mailer_has_flag(m, 'S');
}

static bool local_as_recipient(const struct recipient *r, struct ident *id)
{
	const struct passwd *pw = getpwnam(r->a.user);

	return pw != NULL && pw->pw_uid != 0 && ident_from_pw(id, pw);
}

static void identity_of(const struct pm_job *j, const struct recipient *r, struct ident *id)
{
	const struct passwd *pw;

	memset(id, 0, sizeof(*id));
	if (local_runs_as_root(j->m)) {
		bool several = mailer_has_flag(j->m, 'm') || mailer_has_flag(j->m, 'z');
		if (!several && local_as_recipient(r, id))
			return;
		id->uid = getuid();
		id->gid = getgid();
		id->keep_caps = true;
		pw = getpwnam(r->a.user);
		snprintf(id->home, sizeof(id->home), "%s", pw && pw->pw_dir ? pw->pw_dir : "/");
		return;
	}
	if (ident_from_pw(id, controlling_user(r)))
		return;
	if (j->m->uid != 0 && j->m->uid != (uid_t)-1) {
		if (!ident_from_pw(id, getpwuid(j->m->uid))) {
			id->uid = j->m->uid;
			snprintf(id->home, sizeof(id->home), "/");
		}
		id->gid = j->m->gid != (gid_t)-1 && j->m->gid != 0 ? j->m->gid : id->gid;
		return;
	}
	default_user(j->ctx->cf, id);
}

/* Keep CAP_SETUID/CAP_SETGID across exec (ambient), or give up everything. */
static int set_caps(bool keep)
{
	static const cap_value_t two[] = {CAP_SETUID, CAP_SETGID};
	cap_t c = cap_get_proc();
	cap_flag_value_t v1 = CAP_CLEAR, v2 = CAP_CLEAR;
	int rc = 0;

	if (c == NULL)
		return -errno;
	cap_get_flag(c, CAP_SETUID, CAP_PERMITTED, &v1);
	cap_get_flag(c, CAP_SETGID, CAP_PERMITTED, &v2);
	cap_clear(c);
	if (keep && v1 == CAP_SET && v2 == CAP_SET) {
		cap_set_flag(c, CAP_PERMITTED, 2, two, CAP_SET);
		cap_set_flag(c, CAP_EFFECTIVE, 2, two, CAP_SET);
		cap_set_flag(c, CAP_INHERITABLE, 2, two, CAP_SET);
	} else {
		keep = false;
	}
	if (cap_set_proc(c) != 0)
		rc = -errno;
	cap_free(c);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (rc == 0 && keep && getuid() != 0)
		for (int i = 0; i < 2; i++)
			if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, two[i], 0, 0) != 0)
				rc = -errno;
	return rc;
}

/* In the child: become id (unless it keeps the caller's), drop the rest. */
static int become(const struct ident *id)
{
	/* as sendmail.service's NoNewPrivileges=: no set-ID program gains anything */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -errno;
	if (id->keep_caps)
		return set_caps(true);
	if (getuid() != id->uid || geteuid() != id->uid) {
		if (initgroups(id->name[0] ? id->name : "nobody", id->gid) != 0 &&
		    setgroups(1, &id->gid) != 0)
			return -errno;
		if (setresgid(id->gid, id->gid, id->gid) != 0 ||
		    setresuid(id->uid, id->uid, id->uid) != 0)
			return -errno;
	} else if (setresgid(id->gid, id->gid, id->gid) != 0) {
		/* the same user: still no group of a set-group-ID caller */
		return -errno;
	}
	return set_caps(false);
}

/* ---- the message as the mailer gets it ----------------------------------- */

static void define(struct rw_ctx *ctx, const char *name, const char *value)
{
	macro_define(ctx->env, macro_id(ctx->cf, name, true), value ? value : "");
}

/* $u for recipient r: a program's command without its '|', quotes removed. */
static void user_of(const struct recipient *r, struct strbuf *out)
{
	const char *u = r->a.user;
	size_t n = strlen(u);

	if (n >= 2 && u[0] == '"' && u[n - 1] == '"') {
		u++;
		n -= 2;
	}
	if (r->a.is_prog && n > 0 && *u == '|') {
		u++;
		n--;
	}
	sb_put(out, u, n);
}

/* The UNIX From_ line (UnixFromLine, "From $g $d"). */
static void from_line(const struct pm_job *j, struct strbuf *out)
{
	const char *fmt = j->ctx->cf->opt.str[OPT_UnixFromLine];
	char d[64];
	time_t now = time(NULL);
	struct strbuf sb = STRBUF_INIT;

	ctime_r(&now, d);
	d[strcspn(d, "\n")] = '\0';
	define(j->ctx, "d", d);
	if (fmt == NULL || *fmt == '\0') {
		sb_printf(out, "From %s %s\n", macro_get(j->ctx->env, 'g'), d);
		return;
	}
	macro_expand(j->ctx->cf, j->ctx->env, fmt, &sb);
	sb_printf(out, "%s\n", sb_str(&sb));
	sb_free(&sb);
}

/* Is the message decoded for this mailer (F=9 without F=7, mime7to8.h)? */
static enum mime7to8_encoding conversion(const struct pm_job *j, const struct env_header **cte)
{
	if (!mailer_has_flag(j->m, '9') || mailer_has_flag(j->m, '7'))
		return MIME7TO8_NONE;
	return mime7to8_check(j->e, cte);
}

/* Headers (after a From_ line when `from`; F=6: 7 bits), then the empty line. */
static void head(const struct pm_job *j, bool from, struct strbuf *out)
{
	const struct env_header *cte = NULL;
	const char *eol = j->m->eol ? j->m->eol : "\n";

	if (from)
		from_line(j, out);
	if (conversion(j, &cte) != MIME7TO8_NONE) {
		putheaders_except(j->ctx, j->e, j->m, cte, out);
		mime7to8_headers(cte, macro_get(j->ctx->env, 'j'), j->e->id, eol, out);
	} else {
		putheaders(j->ctx, j->e, j->m, out);
	}
	putheaders_seven_bit(j->m, out);
	sb_puts(out, eol);
}

/* The body as the mailer gets it: the df, decoded for F=9. */
struct body_reader {
	int fd;
	off_t off;
	bool decode, done;
	struct mime7to8 dec;
	struct strbuf out;
	char raw[8192];
};

static void body_open(struct body_reader *b, const struct pm_job *j)
{
	const struct env_header *cte = NULL;
	enum mime7to8_encoding enc = conversion(j, &cte);

	b->fd = j->dffd;
	b->off = 0;
	b->decode = enc != MIME7TO8_NONE;
	b->done = false;
	mime7to8_init(&b->dec, enc);
	sb_init(&b->out);
}

/* The next piece (*p valid until the next call): its length, 0 at the end, or -errno. */
static ssize_t body_read(struct body_reader *b, const char **p)
{
	while (!b->done) {
		ssize_t n = pread(b->fd, b->raw, sizeof(b->raw), b->off);
		if (n < 0)
			return -errno;
		b->off += n;
		if (!b->decode) {
			*p = b->raw;
			b->done = n == 0;
			return n;
		}
		sb_reset(&b->out);
		if (n == 0) {
			mime7to8_finish(&b->dec, &b->out);
			b->done = true;
		} else {
			mime7to8_feed(&b->dec, b->raw, (size_t)n, &b->out);
		}
		if (b->out.len > 0) {
			*p = b->out.s;
			return (ssize_t)b->out.len;
		}
	}
	return 0;
}

static void body_close(struct body_reader *b)
{
	sb_free(&b->out);
}

/*
 * The body to fd as the mailer's flags shape it: F=E puts a '>' before a
 * line that begins "From ", F=X a second '.' before a line that begins
 * with '.' (the hidden dot algorithm), F=b a blank line after the last
 * line, even one that is blank already (as sendmail 8.17.1 does).  The
 * beginning of a line that may still become "From " is held back (it can
 * straddle two reads) and written from the constant.
 */
static int write_body(const struct pm_job *j, int fd)
{
	static const char from[] = "From ";
	const bool escape = mailer_has_flag(j->m, 'E'), dot = mailer_has_flag(j->m, 'X');
	struct body_reader br;
	const char *p;
	size_t matched = 0; /* the held back part of "From " */
	bool bol = true;
	ssize_t n;
	int rc = 0;

	body_open(&br, j);
	while (rc == 0 && (n = body_read(&br, &p)) > 0) {
		size_t start = 0;
		for (size_t i = 0; i < (size_t)n && (escape || dot) && rc == 0; i++) {
			if (!bol) {
				bol = p[i] == '\n';
				continue;
			}
			if (dot && matched == 0 && p[i] == '.') {
				rc = fd_write_all(fd, p + start, i - start);
				if (rc == 0)
					rc = fd_write_all(fd, ".", 1);
				start = i;
				bol = false;
				continue;
			}
			if (escape && p[i] == from[matched]) {
				if (matched == 0)
					rc = fd_write_all(fd, p + start, i - start);
				start = i + 1;
				if (++matched == sizeof(from) - 1) {
					if (rc == 0)
						rc = fd_write_all(fd, ">From ", 6);
					matched = 0;
					bol = false;
				}
				continue;
			}
			if (matched > 0)
				rc = fd_write_all(fd, from, matched);
			matched = 0;
			bol = p[i] == '\n';
		}
		if (rc == 0)
			rc = fd_write_all(fd, p + start, (size_t)n - start);
	}
	if (rc == 0 && n < 0)
		rc = (int)n;
	if (rc == 0 && matched > 0) /* the body ended inside a possible "From " */
		rc = fd_write_all(fd, from, matched);
	if (rc == 0 && mailer_has_flag(j->m, 'b'))
		rc = fd_write_all(fd, "\n", 1);
	body_close(&br);
	return rc;
}

/* ---- running a program --------------------------------------------------- */

struct child {
	pid_t pid;
	int in;  /* its standard input */
	int out; /* its standard output, with F=z */
	int err; /* a memfd: what it printed (both outputs unless F=z) */
};

static void child_env(void)
{
	const char *tz = getenv("TZ");
	char *keep = tz ? xstrdup(tz) : NULL;

	clearenv();
	setenv("AGENT", "sendmail", 1);
	if (keep != NULL)
		setenv("TZ", keep, 1);
	free(keep);
}

/* D=: the first directory of the list the child can change to. */
static void child_dir(const struct pm_job *j, const struct ident *id)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	define(j->ctx, "z", id->home);
	if (j->m->execdir == NULL) {
		if (chdir("/") != 0)
			_exit(EX_OSERR);
		return;
	}
	macro_expand(j->ctx->cf, j->ctx->env, j->m->execdir, &sb);
	p = sb_str(&sb);
	while (*p != '\0') {
		size_t n = strcspn(p, ":");
		char *d = xstrndup(p, n);
		int rc = chdir(d);
		free(d);
		if (rc == 0)
			return;
		p += n + (p[n] == ':');
	}
	if (chdir("/") != 0)
		_exit(EX_OSERR);
}

static int spawn(const struct pm_job *j, char **argv, const struct ident *id, bool lmtp,
                 struct child *c)
{
	int in[2], out[2] = {-1, -1};

	c->err = memfd_create("mailer-output", MFD_CLOEXEC);
	if (c->err < 0 || pipe2(in, O_CLOEXEC) != 0)
		return -errno;
	if (lmtp && pipe2(out, O_CLOEXEC) != 0) {
		int e = errno;
		close(in[0]);
		close(in[1]);
		return -e;
	}
	c->pid = fork();
	if (c->pid < 0) {
		int e = errno;
		close(in[0]);
		close(in[1]);
		if (lmtp) {
			close(out[0]);
			close(out[1]);
		}
		return -e;
	}
	if (c->pid == 0) {
		dup2(in[0], 0);
		dup2(lmtp ? out[1] : c->err, 1);
		dup2(c->err, 2);
		if (become(id) < 0)
			_exit(EX_TEMPFAIL);
		child_dir(j, id);
		child_env();
		signal(SIGPIPE, SIG_DFL);
		execv(j->m->path, argv);
		_exit(EX_UNAVAILABLE);
	}
	close(in[0]);
	c->in = in[1];
	c->out = -1;
	if (lmtp) {
		close(out[1]);
		c->out = out[0];
	}
	return 0;
}

/* Wait for the child: its sysexits status (a signal: try again). */
static int reap(struct child *c)
{
	int st;

	while (waitpid(c->pid, &st, 0) < 0)
		if (errno != EINTR)
			return EX_TEMPFAIL;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return EX_TEMPFAIL;
}

static char *child_output(int fd)
{
	char buf[OUTPUT_MAX + 1];
	ssize_t n = pread(fd, buf, OUTPUT_MAX, 0);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return n > 0 ? xstrdup(buf) : NULL;
}

/* Does the argument use $u (is it repeated per recipient)? */
static bool refers_to_u(const struct pm_job *j, const char *arg)
{
	struct strbuf sb = STRBUF_INIT;
	bool yes;

	define(j->ctx, "u", "\001");
	macro_expand(j->ctx->cf, j->ctx->env, arg, &sb);
	yes = strchr(sb_str(&sb), '\001') != NULL;
	sb_free(&sb);
	return yes;
}

/*
 * F=f and F=r: "-f $g" (or "-r $g") after the program's name.  sendmail
 * 8.17.1 gives it for every sender but the user it runs as (root) when
 * that user sent the message: so does sdmail, for a sender that is root
 * here, unqualified or at $j.
 */
static const char *sender_flag(const struct pm_job *j)
{
	const char *g = macro_get(j->ctx->env, 'g');
	const char *j_name = macro_get(j->ctx->env, 'j');
	size_t jn = j_name ? strlen(j_name) : 0;

	if (!mailer_has_flag(j->m, 'f') && !mailer_has_flag(j->m, 'r'))
		return NULL;
	if (g == NULL || strcmp(g, "root") == 0 ||
	    (strncmp(g, "root@", 5) == 0 && jn > 0 && strcasecmp(g + 5, j_name) == 0))
		return NULL;
	return mailer_has_flag(j->m, 'f') ? "-f" : "-r";
}

static void argv_push(char ***argv, size_t *len, size_t *cap, char *arg)
{
	if (*len + 2 > *cap)
		*argv = xrealloc(*argv, (*cap *= 2) * sizeof(**argv));
	(*argv)[(*len)++] = arg;
	(*argv)[*len] = NULL;
}

/* A= expanded: arguments with $u once per recipient of rcpts[0..n). */
static char **expand_argv(const struct pm_job *j, struct pm_rcpt *rcpts, int n)
{
	struct cf *cf = j->ctx->cf;
	size_t cap = 8, len = 0;
	char **argv = xcalloc(cap, sizeof(*argv));
	const char *flag = sender_flag(j);

	for (char **a = j->m->argv; a != NULL && *a != NULL; a++) {
		if (a == j->m->argv + 1 && flag != NULL) {
			argv_push(&argv, &len, &cap, xstrdup(flag));
			argv_push(&argv, &len, &cap, xstrdup(macro_get(j->ctx->env, 'g')));
		}
		bool has_u = refers_to_u(j, *a);
		for (int i = 0; i < (has_u ? n : 1); i++) {
			struct strbuf sb = STRBUF_INIT, us = STRBUF_INIT;
			user_of(rcpts[i].r, &us);
			define(j->ctx, "u", sb_str(&us));
			macro_expand(cf, j->ctx->env, *a, &sb);
			argv_push(&argv, &len, &cap, sb_detach(&sb));
			sb_free(&us);
		}
	}
	return argv;
}

static void free_argv(char **argv)
{
	for (char **a = argv; *a != NULL; a++)
		free(*a);
	free(argv);
}

/* "NAMES... WHAT MAILER..." on the -v transcript. */
static void note(const struct pm_job *j, const char *what)
{
	if (j->transcript == NULL || j->names == NULL)
		return;
	fprintf(j->transcript, "%s... %s %s...\n", j->names, what, j->m->name);
	fflush(j->transcript);
}

/* One process for rcpts[0..n): message on its input, status for all. */
static void run_program(const struct pm_job *j, struct pm_rcpt *rcpts, int n)
{
	struct ident id;
	struct child c = {0};
	struct strbuf h = STRBUF_INIT;
	char **argv = expand_argv(j, rcpts, n);
	int status;

	note(j, "Connecting to");
	identity(j, rcpts[0].r, &id);
	head(j, !mailer_has_flag(j->m, 'n'), &h);
	if (spawn(j, argv, &id, false, &c) < 0) {
		status = EX_OSERR;
	} else {
		if (fd_write_all(c.in, h.s, h.len) == 0)
			(void)write_body(j, c.in);
		close(c.in);
		status = reap(&c);
	}
	for (int i = 0; i < n; i++) {
		set_exit(j, &rcpts[i], status);
		if (status != EX_OK && c.err >= 0)
			rcpts[i].output = child_output(c.err);
	}
	if (c.err >= 0)
		close(c.err);
	free_argv(argv);
	sb_free(&h);
}

/* ---- LMTP (F=z) ---------------------------------------------------------------- */

struct lmtp {
	struct smtp_io io;
	FILE *transcript;
	struct strbuf reply; /* the last reply, its last line */
	int code;
};

static int lmtp_reply(struct lmtp *l)
{
	struct io_line line;

	for (;;) {
		int rc = io_read_line(&l->io, LMTP_TIMEOUT_MS, &line);
		if (rc < 0)
			return rc;
		if (l->transcript != NULL) {
			fprintf(l->transcript, "%s\n", line.s);
			fflush(l->transcript);
		}
		if (line.len < 3)
			return -EPROTO;
		if (line.len > 3 && line.s[3] == '-')
			continue;
		sb_reset(&l->reply);
		sb_puts(&l->reply, line.s);
		l->code = atoi(line.s);
		return l->code;
	}
}

/* Queue a command (shown on the -v transcript). */
static int lmtp_send(struct lmtp *l, const char *cmd)
{
	int rc;

	if (l->transcript != NULL) {
		fprintf(l->transcript, ">>> %s\n", cmd);
		fflush(l->transcript);
	}
	rc = io_write(&l->io, cmd, strlen(cmd), LMTP_TIMEOUT_MS);
	return rc < 0 ? rc : io_write(&l->io, "\r\n", 2, LMTP_TIMEOUT_MS);
}

static int lmtp_cmd(struct lmtp *l, const char *cmd)
{
	int rc = lmtp_send(l, cmd);

	if (rc == 0)
		rc = io_flush(&l->io, LMTP_TIMEOUT_MS);
	return rc < 0 ? rc : lmtp_reply(l);
}

static int lmtp_data(struct lmtp *l, const struct pm_job *j)
{
	struct strbuf h = STRBUF_INIT, wire = STRBUF_INIT;
	struct data_enc enc;
	struct body_reader br;
	const char *p;
	ssize_t n;
	int rc;

	head(j, false, &h);
	body_open(&br, j);
	data_enc_init(&enc);
	data_enc_put(&enc, h.s, h.len, &wire);
	while ((n = body_read(&br, &p)) > 0) {
		data_enc_put(&enc, p, (size_t)n, &wire);
		if (wire.len >= 65536) {
			if ((rc = io_write(&l->io, wire.s, wire.len, LMTP_TIMEOUT_MS)) < 0)
				goto out;
			sb_reset(&wire);
		}
	}
	if (n < 0) {
		/* no final dot: a message cut short must not be delivered */
		rc = (int)n;
		goto out;
	}
	data_enc_finish(&enc, &wire);
	rc = io_write(&l->io, wire.s, wire.len, LMTP_TIMEOUT_MS);
	if (rc == 0)
		rc = io_flush(&l->io, LMTP_TIMEOUT_MS);
	if (l->transcript != NULL)
		fprintf(l->transcript, ">>> .\n");
out:
	body_close(&br);
	sb_free(&h);
	sb_free(&wire);
	return rc;
}

void progmailer_lmtp_result(struct pm_rcpt *p, const char *text, bool rcpt_phase)
{
	size_t len = strlen(text);
	const char *enh = text + (len > 4 ? 4 : len);
	size_t el = strspn(enh, "0123456789.");
	int code = atoi(text);
	char cls = code >= 200 && code < 600 ? (char)('0' + code / 100) : '4';

	free(p->reply);
	free(p->stat);
	p->reply = xstrdup(text);
	if (cls == '2') {
		p->exit = EX_OK;
		p->stat = xstrdup("Sent");
	} else if (cls == '5') {
		p->exit = rcpt_phase && (code == 550 || code == 551 || code == 553)
		              ? EX_NOUSER
		              : EX_UNAVAILABLE;
		p->stat = xstrdup(progmailer_exit_words(p->exit));
	} else {
		cls = '4';
		p->exit = EX_TEMPFAIL;
		p->stat = xstrdup(text);
	}
	if (el >= 5 && el < sizeof(p->dsn) && enh[1] == '.' && enh[0] == cls)
		snprintf(p->dsn, sizeof(p->dsn), "%.*s", (int)el, enh);
	else
		snprintf(p->dsn, sizeof(p->dsn), "%c.0.0", cls);
	snprintf(p->dsn_status, sizeof(p->dsn_status), "%s", p->dsn);
}

static void lmtp_all(struct pm_rcpt *rcpts, int n, int status, const char *why)
{
	for (int i = 0; i < n; i++) {
		if (rcpts[i].stat != NULL)
			continue;
		rcpts[i].exit = status;
		snprintf(rcpts[i].dsn, sizeof(rcpts[i].dsn), "%s", progmailer_exit_dsn(status));
		snprintf(rcpts[i].dsn_status, sizeof(rcpts[i].dsn_status), "%s",
		         dsn_status_of(status));
		rcpts[i].stat = xstrdup(why);
	}
}

/* MAIL, the RCPTs, DATA: false when the session cannot go on. */
static bool lmtp_transaction(struct lmtp *l, const struct pm_job *j, struct pm_rcpt *rcpts, int n)
{
	struct strbuf cmd = STRBUF_INIT;
	bool *ok = xcalloc((size_t)n, sizeof(*ok));
	int accepted = 0;
	bool usable = false;

	sb_printf(&cmd, "MAIL From:<%s>",
	          envelope_null_sender(j->e) ? "" : macro_get(j->ctx->env, 'g'));
	if (lmtp_cmd(l, sb_str(&cmd)) / 100 != 2)
		goto out;
	/* the RCPTs and DATA in one write, as sendmail pipelines them */
	for (int i = 0; i < n; i++) {
		sb_reset(&cmd);
		sb_printf(&cmd, "RCPT To:<%s>", rcpts[i].r->a.user);
		if (lmtp_send(l, sb_str(&cmd)) < 0)
			goto out;
	}
	if (lmtp_send(l, "DATA") < 0 || io_flush(&l->io, LMTP_TIMEOUT_MS) < 0)
		goto out;
	for (int i = 0; i < n; i++) {
		if (lmtp_reply(l) < 0)
			goto out;
		ok[i] = l->code / 100 == 2;
		accepted += ok[i];
		if (!ok[i])
			progmailer_lmtp_result(&rcpts[i], sb_str(&l->reply), true);
	}
	if (lmtp_reply(l) < 0)
		goto out;
	if (accepted > 0) {
		if (l->code != 354 || lmtp_data(l, j) < 0)
			goto out;
		for (int i = 0; i < n; i++) {
			if (!ok[i])
				continue;
			if (lmtp_reply(l) < 0)
				goto out;
			progmailer_lmtp_result(&rcpts[i], sb_str(&l->reply), false);
		}
	}
	usable = true;
out:
	if (!usable)
		lmtp_all(rcpts, n, EX_TEMPFAIL, "local mailer protocol error");
	free(ok);
	sb_free(&cmd);
	return usable;
}

/* A running LMTP mailer: its process and the session with it. */
struct pm_conn {
	const struct mailer *m;
	char *host;
	struct child c;
	struct lmtp l;
};

struct pm_cache {
	struct pm_conn *conn; /* at most one, the last used */
};

struct pm_cache *progmailer_cache_new(void)
{
	return xcalloc(1, sizeof(struct pm_cache));
}

/* QUIT (when `quit`), close, wait: the mailer's exit status. */
static int conn_end(struct pm_conn *k, bool quit, FILE *transcript)
{
	int status;

	k->l.transcript = transcript;
	if (quit)
		(void)lmtp_cmd(&k->l, "QUIT");
	io_release(&k->l.io);
	close(k->c.in);
	close(k->c.out);
	status = reap(&k->c);
	sb_free(&k->l.reply);
	return status;
}

static void conn_free(struct pm_conn *k)
{
	if (k->c.err >= 0)
		close(k->c.err);
	free(k->host);
	free(k);
}

void progmailer_cache_close(struct pm_cache *pc, FILE *transcript)
{
	if (pc == NULL)
		return;
	if (pc->conn != NULL) {
		if (transcript != NULL) {
			fprintf(transcript, "Closing connection to %s\n", pc->conn->m->name);
			fflush(transcript);
		}
		(void)conn_end(pc->conn, true, transcript);
		conn_free(pc->conn);
	}
	free(pc);
}

static bool cached(const struct pm_cache *pc, const struct mailer *m, const char *host)
{
	return pc != NULL && pc->conn != NULL && pc->conn->m == m &&
	       strcmp(pc->conn->host, host ? host : "") == 0;
}

/* The cached session for the job's mailer after an RSET, or NULL. */
static struct pm_conn *conn_reuse(const struct pm_job *j)
{
	struct pm_conn *k;

	if (!cached(j->cache, j->m, j->host)) {
		if (j->cache != NULL && j->cache->conn != NULL) {
			(void)conn_end(j->cache->conn, true, NULL);
			conn_free(j->cache->conn);
			j->cache->conn = NULL;
		}
		return NULL;
	}
	k = j->cache->conn;
	j->cache->conn = NULL;
	k->l.transcript = j->transcript;
	if (lmtp_cmd(&k->l, "RSET") / 100 == 2) {
		note(j, "Using cached LMTP connection for");
		return k;
	}
	(void)conn_end(k, false, NULL);
	conn_free(k);
	return NULL;
}

/* Start the mailer: its greeting and LHLO. */
static struct pm_conn *conn_open(const struct pm_job *j, struct pm_rcpt *rcpts)
{
	struct pm_conn *k = xcalloc(1, sizeof(*k));
	struct strbuf cmd = STRBUF_INIT;
	char **argv = expand_argv(j, rcpts, 1);
	struct ident id;
	bool up;

	note(j, "Connecting to");
	identity(j, rcpts[0].r, &id);
	k->m = j->m;
	k->host = xstrdup(j->host ? j->host : "");
	k->c.err = -1;
	k->l.transcript = j->transcript;
	if (spawn(j, argv, &id, true, &k->c) < 0) {
		free_argv(argv);
		conn_free(k);
		return NULL;
	}
	free_argv(argv);
	io_init(&k->l.io, k->c.out, k->c.in, 4096);
	sb_printf(&cmd, "LHLO %s", macro_get(j->ctx->env, 'j'));
	up = lmtp_reply(&k->l) / 100 == 2 && lmtp_cmd(&k->l, sb_str(&cmd)) / 100 == 2;
	sb_free(&cmd);
	if (up)
		return k;
	(void)conn_end(k, true, j->transcript);
	conn_free(k);
	return NULL;
}

/* What the mailer printed on its error output, for the bounce. */
static void conn_output(struct pm_conn *k, struct pm_rcpt *rcpts, int n, int status)
{
	if (status == EX_OK || k->c.err < 0)
		return;
	for (int i = 0; i < n; i++)
		if (rcpts[i].output == NULL)
			rcpts[i].output = child_output(k->c.err);
}

static void run_lmtp(const struct pm_job *j, struct pm_rcpt *rcpts, int n)
{
	struct pm_conn *k = conn_reuse(j);
	bool usable;

	if (k == NULL)
		k = conn_open(j, rcpts);
	if (k == NULL) {
		lmtp_all(rcpts, n, EX_TEMPFAIL, "local mailer protocol error");
		return;
	}
	usable = lmtp_transaction(&k->l, j, rcpts, n);
	if (usable && j->cache != NULL) {
		j->cache->conn = k; /* the next group may use it (RSET first) */
		return;
	}
	conn_output(k, rcpts, n, conn_end(k, usable, j->transcript));
	conn_free(k);
}

/* ---- files ------------------------------------------------------------------ */

/* The path under SafeFileEnvironment (sendmail chroots there first). */
static void safe_path(const struct cf *cf, const char *file, struct strbuf *out)
{
	const char *sfe = cf->opt.str[OPT_SafeFileEnvironment];
	size_t n = sfe ? strlen(sfe) : 0;

	while (n > 1 && sfe[n - 1] == '/')
		n--;
	if (sfe == NULL || n <= 1 || (strncmp(file, sfe, n) == 0 && file[n] == '/')) {
		sb_puts(out, file);
		return;
	}
	sb_put(out, sfe, n);
	sb_puts(out, file);
}

/* In the child, as the controlling user: the append itself. */
static int append_file(const struct pm_job *j, const char *path, const char *given, int errfd)
{
	struct strbuf h = STRBUF_INIT;
	struct stat st;
	int fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	int rc = EX_OK;

	if (fd < 0 && errno == ENOENT)
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		          0600);
	if (fd < 0) {
		/* sendmail's -v note, passed to the parent */
		if (errfd >= 0)
			dprintf(errfd, "cannot open %s: %s", given, strerror(errno));
		return EX_CANTCREAT;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 0111) != 0) {
		close(fd);
		return EX_CANTCREAT;
	}
	head(j, !mailer_has_flag(j->m, 'n'), &h);
	if (fd_write_all(fd, h.s, h.len) < 0 || write_body(j, fd) < 0 ||
	    fd_write_all(fd, "\n", 1) < 0 || fsync(fd) != 0) {
		rc = errno == ENOSPC || errno == EDQUOT ? EX_TEMPFAIL : EX_IOERR;
		if (ftruncate(fd, st.st_size) != 0)
			rc = EX_IOERR;
	}
	close(fd);
	sb_free(&h);
	return rc;
}

static void run_file(const struct pm_job *j, struct pm_rcpt *p)
{
	struct ident id;
	struct strbuf u = STRBUF_INIT, path = STRBUF_INIT;
	struct child c = {0};
	int status;

	identity(j, p->r, &id);
	user_of(p->r, &u);
	safe_path(j->ctx->cf, sb_str(&u), &path);
	c.err = memfd_create("file-errors", MFD_CLOEXEC);
	c.pid = fork();
	if (c.pid == 0) {
		if (become(&id) < 0)
			_exit(EX_TEMPFAIL);
		_exit(append_file(j, sb_str(&path), sb_str(&u), c.err));
	}
	status = c.pid < 0 ? EX_OSERR : reap(&c);
	set_exit(j, p, status);
	if (c.err >= 0) {
		char *why = status != EX_OK ? child_output(c.err) : NULL;
		if (why != NULL && j->transcript != NULL) {
			fprintf(j->transcript, "%s\n", why);
			fflush(j->transcript);
		}
		free(why);
		close(c.err);
	}
	sb_free(&u);
	sb_free(&path);
}

/*
 * The ctladdr= of a to= line, as sendmail logs it: for a program or file,
 * the address that named it and the ids it runs with (no controlling
 * user: DefaultUser's uid and group 0); otherwise the sender, when it is
 * a local user.
 */
static char *ctladdr_of(const struct pm_job *j, const struct recipient *r)
{
	struct strbuf sb = STRBUF_INIT;
	const struct passwd *pw;

	if (r->a.is_prog || r->a.is_file) {
		struct ident id;
		bool ctl;
		if (r->alias_of == NULL)
			return NULL;
		ctl = controlling_user(r) != NULL;
		identity(j, r, &id);
		sb_printf(&sb, "%s (%lu/%lu)", r->alias_of->printed, (unsigned long)id.uid,
		          ctl ? (unsigned long)id.gid : 0UL);
		return sb_detach(&sb);
	}
	if (j->sender == NULL || j->sender->mailer == NULL ||
	    !mailer_has_flag(j->sender->mailer, 'w') || j->sender->user == NULL ||
	    (pw = getpwnam(j->sender->user)) == NULL)
		return NULL;
	/* the sender as given: "<bob@host>" from SMTP, "carol" as a list's owner */
	sb_printf(&sb, "%s (%lu/%lu)", j->e->sender, (unsigned long)pw->pw_uid,
	          (unsigned long)pw->pw_gid);
	return sb_detach(&sb);
}

void progmailer_member_ids(const struct cf *cf, const struct recipient *r, unsigned long *uid,
                           unsigned long *gid)
{
	struct ident id;
	bool ctl = ident_from_pw(&id, controlling_user(r));

	if (!ctl)
		default_user(cf, &id);
	*uid = (unsigned long)id.uid;
	*gid = ctl ? (unsigned long)id.gid : 0UL;
}

char *progmailer_member_ctladdr(const struct cf *cf, const struct recipient *r)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned long uid, gid;

	if (r->alias_of == NULL)
		return NULL;
	progmailer_member_ids(cf, r, &uid, &gid);
	sb_printf(&sb, "%s (%lu/%lu)", r->alias_of->printed, uid, gid);
	return sb_detach(&sb);
}

/* ---- the group ---------------------------------------------------------------- */

void progmailer_deliver(struct pm_job *j)
{
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	char *from = NULL;

	sigaction(SIGPIPE, &ign, &old);
	remote_name(j->ctx, j->e->sender ? j->e->sender : "", j->m, RF_SENDERADDR | RF_CANONICAL,
	            &from);
	define(j->ctx, "g", from);
	define(j->ctx, "h", j->host);
	if (j->m->path != NULL && strcmp(j->m->path, "[FILE]") == 0)
		for (int i = 0; i < j->n; i++)
			run_file(j, &j->rcpts[i]);
	else if (mailer_has_flag(j->m, 'z'))
		run_lmtp(j, j->rcpts, j->n);
	else if (mailer_has_flag(j->m, 'm'))
		run_program(j, j->rcpts, j->n);
	else
		for (int i = 0; i < j->n; i++)
			run_program(j, &j->rcpts[i], 1);
	for (int i = 0; i < j->n; i++) {
		if (j->rcpts[i].stat == NULL)
			set_exit(j, &j->rcpts[i], EX_SOFTWARE);
		j->rcpts[i].ctladdr = ctladdr_of(j, j->rcpts[i].r);
	}
	sigaction(SIGPIPE, &old, NULL);
}
