/*
 * mailstats: print the statistics file (StatusFile) that sm-mta and
 * sendmail keep per mailer — messages and kilobytes taken in and
 * delivered, refused, discarded, quarantined, and the connection counts —
 * in sendmail 8.17's layout, byte for byte.  The configuration (-C, -c
 * for submit.cf, default sendmail.cf) is only scanned for the StatusFile
 * option and the M lines, which give the mailers' names in sendmail's
 * slots (0 prog, 1 *file*, 2 *include*, 3 local, then in order).  -p and
 * -P print for programs, -p also clears the file; the file itself is
 * lib/stats's format, not sendmail's (man/mailstats.8).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "cf/options.h"
#include "stats/stats.h"
#include "version.h"

struct names {
	char *v[STATS_MAILERS];
	int n; /* slots in use */
};

static void usage(void)
{
	fputs("usage: mailstats [-C cffile] [-c] [-P] [-f stfile] [-o] [-p]\n", stderr);
}


/* An M line's mailer into its slot, as sendmail numbers them. */
static void add_mailer(struct names *nm, const char *line)
{
	size_t len = strcspn(line + 1, ", \t");
	char *name = strndup(line + 1, len);
	int slot = -1;

	if (name == NULL || len == 0) {
		free(name);
		return;
	}
	if (strcmp(name, "prog") == 0)
		slot = 0;
	else if (strcmp(name, "local") == 0)
		slot = 3;
	else if (nm->n < STATS_MAILERS)
		slot = nm->n++;
	if (slot < 0) {
		free(name);
		return;
	}
	free(nm->v[slot]);
	nm->v[slot] = name;
}

struct cf_scan {
	struct names *nm;
	char **statfile;
};

static void scan_line(void *arg, char *line)
{
	struct cf_scan *sc = arg;
	const char *v;

	if (line[0] == 'M') {
		add_mailer(sc->nm, line);
	} else if ((v = option_line_value(line, 'S', "StatusFile")) != NULL && *v != '\0') {
		free(*sc->statfile);
		*sc->statfile = strdup(v);
	}
}

/* Scan the configuration; 0 or a sysexits status (the message printed). */
static int scan_cf(const char *cfpath, struct names *nm, char **statfile)
{
	struct cf_scan sc = {nm, statfile};
	int rc = option_each_cf_line(cfpath, scan_line, &sc);

	if (rc < 0) {
		fprintf(stderr, "mailstats: %s: %s\n", cfpath, strerror(-rc));
		return EX_NOINPUT;
	}
	return 0;
}

static bool row_used(const struct stats *st, int i)
{
	return st->msgs_from[i] || st->kb_from[i] || st->msgs_to[i] || st->kb_to[i] ||
	       st->rejected[i] || st->discarded[i] || st->quarantined[i];
}

/* Every used mailer's line, then the T and C lines; `k` "K" or "". */
static void print_rows(const struct stats *st, const struct names *nm, bool names, const char *k)
{
	uint64_t t[7] = {0};

	for (int i = 0; i < STATS_MAILERS; i++) {
		if (!row_used(st, i))
			continue;
		printf("%2d %8" PRIu64 " %10" PRIu64 "%s %8" PRIu64 " %10" PRIu64 "%s %8" PRIu64
		       " %7" PRIu64 " %7" PRIu64,
		       i, st->msgs_from[i], st->kb_from[i], k, st->msgs_to[i], st->kb_to[i], k,
		       st->rejected[i], st->discarded[i], st->quarantined[i]);
		if (names && nm->v[i] != NULL)
			printf("  %s", nm->v[i]);
		putchar('\n');
		t[0] += st->msgs_from[i];
		t[1] += st->kb_from[i];
		t[2] += st->msgs_to[i];
		t[3] += st->kb_to[i];
		t[4] += st->rejected[i];
		t[5] += st->discarded[i];
		t[6] += st->quarantined[i];
	}
	if (*k != '\0')
		puts("=====================================================================");
	printf(" T %8" PRIu64 " %10" PRIu64 "%s %8" PRIu64 " %10" PRIu64 "%s %8" PRIu64 " %7" PRIu64
	       " %7" PRIu64 "\n",
	       t[0], t[1], k, t[2], t[3], k, t[4], t[5], t[6]);
	if (*k != '\0')
		printf(" C %8" PRIu64 " %20" PRIu64 " %20" PRIu64 "\n", st->conn_from, st->conn_to,
		       st->conn_rejected);
	else
		printf(" C %8" PRIu64 " %8" PRIu64 " %6" PRIu64 "\n", st->conn_from, st->conn_to,
		       st->conn_rejected);
}

static void print_stats(const struct stats *st, const struct names *nm, bool names, bool program)
{
	time_t now = time(NULL);
	time_t itime = st->itime != 0 ? (time_t)st->itime : now;

	if (program) {
		printf("%lld %lld\n", (long long)itime, (long long)now);
		print_rows(st, nm, names, "");
		return;
	}
	printf("Statistics from %s", ctime(&itime));
	printf(" M   msgsfr  bytes_from   msgsto    bytes_to  msgsrej msgsdis msgsqur%s\n",
	       names ? "  Mailer" : "");
	print_rows(st, nm, names, "K");
}

/* Read (and with `clear` empty) the file; -p on a file we may only read
 * prints it without clearing, as sendmail's does. */
static int read_file(const char *path, struct stats *st, bool clear)
{
	int rc = stats_read(path, st, clear);

	if (clear && (rc == -EACCES || rc == -EPERM || rc == -EROFS))
		rc = stats_read(path, st, false);
	if (rc == -EINVAL) {
		fprintf(stderr, "mailstats: incorrect magic number in %s\n", path);
		return EX_OSERR;
	}
	if (rc < 0) {
		fprintf(stderr, "mailstats: %s: %s\n", path, strerror(-rc));
		return EX_NOINPUT;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *cfpath = SDMAIL_CONFDIR "/sendmail.cf";
	char *statfile = NULL;
	const char *file = NULL;
	bool names = true, program = false, clear = false;
	struct names nm = {{NULL}, 4};
	struct stats st;
	int c, rc;

	while ((c = getopt(argc, argv, "C:cf:opP")) != -1) {
		switch (c) {
		case 'C':
			cfpath = optarg;
			break;
		case 'c':
			cfpath = SDMAIL_CONFDIR "/submit.cf";
			break;
		case 'f':
			file = optarg;
			break;
		case 'o':
			names = false;
			break;
		case 'p':
			program = clear = true;
			break;
		case 'P':
			program = true;
			break;
		default:
			usage();
			return EX_USAGE;
		}
	}
	if (optind != argc) {
		usage();
		return EX_USAGE;
	}
	nm.v[0] = strdup("prog");
	nm.v[1] = strdup("*file*");
	nm.v[2] = strdup("*include*");
	rc = scan_cf(cfpath, &nm, &statfile);
	if (rc == 0 && file == NULL && statfile == NULL) {
		fputs("mailstats: no statistics file located\n", stderr);
		rc = EX_OSFILE;
	}
	if (rc == 0)
		rc = read_file(file != NULL ? file : statfile, &st, clear);
	if (rc == 0)
		print_stats(&st, &nm, names, program);
	for (int i = 0; i < STATS_MAILERS; i++)
		free(nm.v[i]);
	free(statfile);
	return rc;
}
