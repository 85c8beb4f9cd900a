/*
 * hoststat: persistent host status (hoststat.h).
 */
#include "deliver/hoststat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <strings.h>
#include <sysexits.h>

#include "cf/cf.h"
#include "deliver/mxroute.h"
#include "log/events.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct host_down {
	char *host;
	int err; /* what connecting to it gave, a negative errno */
	time_t when;
};

struct hoststat_mem {
	struct host_down *down;
	int n;
};

static bool base_dir(const struct cf *cf, char *out, size_t size)
{
	const char *d = cf->opt.str[OPT_HostStatusDirectory];
	const char *q = cf->opt.str[OPT_QueueDirectory];

	if (d == NULL || *d == '\0')
		return false;
	if (d[0] == '/')
		snprintf(out, size, "%s", d);
	else
		snprintf(out, size, "%s/%s", q ? q : "/var/spool/mqueue", d);
	return true;
}

bool hoststat_enabled(const struct cf *cf)
{
	char dir[PATH_MAX];
	struct stat st;

	return base_dir(cf, dir, sizeof(dir)) && stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The file of `host`: its labels last first, each directory with a dot
 * ("test./mx./mx1").  With `make`, the directories are created.  False for
 * a host that cannot be a file name (empty labels, "/", literals).
 */
static bool host_path(const struct cf *cf, const char *host, bool make, char *out, size_t size)
{
	char name[256], *labels[64];
	int n = 0;
	size_t len;

	if (!base_dir(cf, out, size) || host[0] == '[' || strchr(host, '/') != NULL)
		return false;
	snprintf(name, sizeof(name), "%s", host);
	len = strlen(name);
	if (len > 0 && name[len - 1] == '.')
		name[--len] = '\0';
	if (len == 0 || name[0] == '.' || strstr(name, "..") != NULL)
		return false;
	for (char *p = name, *save = NULL; n < 64 && (p = strtok_r(p, ".", &save)) != NULL;
	     p = NULL)
		labels[n++] = p;
	for (int i = n - 1; i >= 0; i--) {
		size_t l = strlen(out);
		snprintf(out + l, size - l, "/%s%s", labels[i], i > 0 ? "." : "");
		if (make && i > 0 && mkdir(out, 0700) < 0 && errno != EEXIST)
			return false;
	}
	return true;
}

void hoststat_parse(FILE *f, struct host_status *st)
{
	char line[512];

	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		switch (line[0]) {
		case 'E':
			st->err = atoi(line + 1);
			break;
		case 'H':
			st->herr = atoi(line + 1);
			break;
		case 'S':
			st->exitstat = atoi(line + 1);
			break;
		case 'D':
			snprintf(st->dsn, sizeof(st->dsn), "%.15s", line + 1);
			break;
		case 'R':
			snprintf(st->reply, sizeof(st->reply), "%.255s", line + 1);
			break;
		case 'U':
			st->updated = (time_t)atoll(line + 1);
			break;
		}
	}
}

/* Read a status file (its time the file's when it has no U line). */
static int read_path(const char *path, struct host_status *st)
{
	struct stat sb;
	FILE *f;

	memset(st, 0, sizeof(*st));
	if ((f = fopen(path, "r")) == NULL)
		return -errno;
	if (fstat(fileno(f), &sb) == 0)
		st->updated = sb.st_mtime;
	hoststat_parse(f, st);
	fclose(f);
	return 0;
}

int hoststat_read(const struct cf *cf, const char *host, struct host_status *st)
{
	char path[PATH_MAX];

	memset(st, 0, sizeof(*st));
	if (!host_path(cf, host, false, path, sizeof(path)))
		return -ENOENT;
	return read_path(path, st);
}

int hoststat_write(const struct cf *cf, const char *host, const struct host_status *st)
{
	char path[PATH_MAX], tmp[PATH_MAX + 32];
	FILE *f;
	int rc = 0;

	if (!hoststat_enabled(cf) || !host_path(cf, host, true, path, sizeof(path)))
		return -ENOENT;
	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL)
		return -errno;
	fprintf(f, "V0\nE%d\nH%d\nS%d\n", st->err, st->herr, st->exitstat);
	if (st->dsn[0] != '\0')
		fprintf(f, "D%s\n", st->dsn);
	if (st->reply[0] != '\0')
		fprintf(f, "R%s\n", st->reply);
	fprintf(f, "U%lld\n.\n", (long long)st->updated);
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		rc = -errno;
		unlink(tmp);
	}
	return rc;
}

/* What -bh shows of a status: the reply, or sendmail's words for the error. */
static void result_text(const char *host, const struct host_status *st, char *out, size_t size)
{
	char text[600];
	const char *dsn;
	int status;

	if (st->reply[0] != '\0') {
		snprintf(out, size, "%s", st->reply);
		return;
	}
	if (st->err == 0) {
		snprintf(out, size, "%s", st->exitstat == 0 ? "OK" : "Deferred");
		return;
	}
	mxroute_connect_error(-st->err, host, text, sizeof(text), &status, &dsn);
	snprintf(out, size, "Deferred: %.*s", (int)(size > 11 ? size - 11 : 0), text);
}

/* One line of -bh: the host, how long ago its status was written, the result. */
static void print_entry(const char *path, const char *label, const char *suffix, time_t mtime,
                        time_t now, FILE *out, bool *header)
{
	struct strbuf ago = STRBUF_INIT, host = STRBUF_INIT;
	struct host_status st;
	char res[400];

	sb_printf(&host, "%s%s%s", label, *suffix ? "." : "", suffix);
	if (read_path(path, &st) < 0)
		goto out;
	if (!*header) {
		fputs(" -------------- Hostname --------------- How long ago "
		      "---------Results---------\n",
		      out);
		*header = true;
	}
	log_format_delay(&ago, (long)(now - mtime));
	sb_putc(&host, '.');
	result_text(sb_str(&host), &st, res, sizeof(res));
	host.s[--host.len] = '\0';
	fprintf(out, " %-39s %12s %.25s\n", sb_str(&host), sb_str(&ago), res);
out:
	sb_free(&ago);
	sb_free(&host);
}

/* Every status file below `dir`, its host name built from `suffix`. */
static void print_tree(const char *dir, const char *suffix, time_t now, FILE *out, bool *header)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX + 256], host[1024];
		size_t n = strlen(e->d_name);
		struct stat sb;

		if (e->d_name[0] == '.' ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
			continue;
		if (stat(path, &sb) < 0)
			continue;
		if (S_ISDIR(sb.st_mode) && n > 1 && e->d_name[n - 1] == '.') {
			snprintf(host, sizeof(host), "%.*s%s%s", (int)(n - 1), e->d_name,
			         *suffix ? "." : "", suffix);
			print_tree(path, host, now, out, header);
		} else if (S_ISREG(sb.st_mode) && strchr(e->d_name, '.') == NULL) {
			print_entry(path, e->d_name, suffix, sb.st_mtime, now, out, header);
		}
	}
	closedir(d);
}

int hoststat_print(const struct cf *cf, FILE *out)
{
	char dir[PATH_MAX];
	bool header = false;

	if (!hoststat_enabled(cf) || !base_dir(cf, dir, sizeof(dir)))
		return 0;
	print_tree(dir, "", time(NULL), out, &header);
	fflush(out);
	return 0;
}

static void purge_tree(const char *dir, time_t oldest)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		char path[PATH_MAX + 256];
		struct stat sb;

		if (e->d_name[0] == '.' ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= sizeof(path))
			continue;
		if (lstat(path, &sb) < 0)
			continue;
		if (S_ISDIR(sb.st_mode))
			purge_tree(path, oldest); /* directories stay, as sendmail's do */
		else if (S_ISREG(sb.st_mode) && sb.st_mtime < oldest)
			unlink(path);
	}
	closedir(d);
}

int hoststat_purge(const struct cf *cf)
{
	char dir[PATH_MAX];

	if (!hoststat_enabled(cf) || !base_dir(cf, dir, sizeof(dir)))
		return 0;
	purge_tree(dir, time(NULL) - (time_t)cf->opt.timeout[TO_hoststatus]);
	return 0;
}

void hoststat_mem_free(struct hoststat_mem *m)
{
	if (m == NULL)
		return;
	for (int i = 0; i < m->n; i++)
		free(m->down[i].host);
	free(m->down);
	free(m);
}

int hoststat_known_down(const struct cf *cf, const struct hoststat_mem *m, const char *host)
{
	long long keep = cf->opt.timeout[TO_hoststatus];
	struct host_status st;

	if (keep <= 0)
		return 0;
	for (int i = 0; m != NULL && i < m->n; i++)
		if (strcasecmp(m->down[i].host, host) == 0)
			return time(NULL) - m->down[i].when < keep ? m->down[i].err : 0;
	/* what other processes found */
	if (hoststat_read(cf, host, &st) == 0 && st.exitstat == EX_TEMPFAIL && st.err > 0 &&
	    time(NULL) - st.updated < keep)
		return -st.err;
	return 0;
}

static void remember(struct hoststat_mem **mp, const char *host, int err)
{
	struct hoststat_mem *m;
	int i;

	if (*mp == NULL)
		*mp = xcalloc(1, sizeof(**mp));
	m = *mp;
	for (i = 0; i < m->n && strcasecmp(m->down[i].host, host) != 0; i++)
		;
	if (err == 0) {
		if (i < m->n) {
			free(m->down[i].host);
			m->down[i] = m->down[--m->n];
		}
		return;
	}
	if (i == m->n) {
		m->down = xrealloc(m->down, (size_t)(m->n + 1) * sizeof(*m->down));
		m->down[m->n++].host = xstrdup(host);
	}
	m->down[i].err = err;
	m->down[i].when = time(NULL);
}

void hoststat_note(const struct cf *cf, struct hoststat_mem **m, const char *host, int err,
                   const char *reply)
{
	struct host_status st = {.updated = time(NULL)};
	const char *dsn = "2.0.0";
	char text[512];

	if (m != NULL)
		remember(m, host, err);
	/* a host that answered is written once its transaction is done */
	if (!hoststat_enabled(cf) || (err == 0 && reply == NULL))
		return;
	if (err < 0) {
		mxroute_connect_error(err, host, text, sizeof(text), &st.exitstat, &dsn);
		st.err = -err;
	}
	snprintf(st.dsn, sizeof(st.dsn), "%s", dsn);
	snprintf(st.reply, sizeof(st.reply), "%s", reply ? reply : "");
	hoststat_write(cf, host, &st);
}

void hoststat_answered(const struct cf *cf, const char *host, int exitstat, const char *dsn,
                       const char *reply)
{
	struct host_status st = {.updated = time(NULL), .exitstat = exitstat};

	if (!hoststat_enabled(cf))
		return;
	snprintf(st.dsn, sizeof(st.dsn), "%s", dsn ? dsn : "");
	snprintf(st.reply, sizeof(st.reply), "%s", reply ? reply : "");
	hoststat_write(cf, host, &st);
}
