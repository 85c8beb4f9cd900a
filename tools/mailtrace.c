/*
 * mailtrace: the whole path of a message, from the journal.  Given a
 * queue ID, or a Message-Id (whose from= lines give the queue IDs it had),
 * it prints every entry logged under that queue ID (the QUEUE_ID field),
 * then follows each to= line whose stat=Sent names the next MTA's queue ID
 * (trace.h) to that hop's entries, and so on, across the MSP, the MTA and
 * further hops logging to the same journal; a bounce (a "DSN:" line) is
 * followed as a hop of its own.  One line per entry (time,
 * identifier[pid], text), grouped per hop.  Exit status: 0, EX_USAGE,
 * EX_NOINPUT when nothing is found, EX_OSERR when the journal cannot be
 * opened.  See mailtrace(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <systemd/sd-journal.h>
#include <time.h>

#include "log/trace.h"
#include "util/xalloc.h"

#define MAX_HOPS 64

struct hop {
	char qid[TRACE_QID_MAX + 1];
	int from;    /* index of the hop that handed the message on, -1: a start */
	bool bounce; /* a DSN about hop `from` rather than the message itself */
};

struct trace {
	sd_journal *j;
	uint64_t since; /* realtime usec, 0: the whole journal */
	struct hop hops[MAX_HOPS];
	int nhops;
	int entries;
};

static void usage(void)
{
	fputs("usage: mailtrace [-D directory] [--since time] queue-id | '<message-id>'\n", stderr);
}

/* The value of field `name` of the current entry, NULL: none. */
static const char *field(sd_journal *j, const char *name, char *buf, size_t size)
{
	const void *d;
	size_t len, nl = strlen(name);

	if (sd_journal_get_data(j, name, &d, &len) < 0 || len <= nl)
		return NULL;
	len -= nl + 1;
	if (len >= size)
		len = size - 1;
	memcpy(buf, (const char *)d + nl + 1, len);
	buf[len] = '\0';
	return buf;
}

static void start_reading(struct trace *t, const char *match)
{
	sd_journal_flush_matches(t->j);
	sd_journal_add_match(t->j, match, 0);
	if (t->since > 0)
		sd_journal_seek_realtime_usec(t->j, t->since);
	else
		sd_journal_seek_head(t->j);
}

static bool known(const struct trace *t, const char *qid)
{
	for (int i = 0; i < t->nhops; i++)
		if (strcmp(t->hops[i].qid, qid) == 0)
			return true;
	return false;
}

static void add_hop(struct trace *t, const char *qid, int from, bool bounce)
{
	if (t->nhops == MAX_HOPS || known(t, qid) || !trace_valid_qid(qid, strlen(qid)))
		return;
	snprintf(t->hops[t->nhops].qid, sizeof(t->hops[0].qid), "%s", qid);
	t->hops[t->nhops].from = from;
	t->hops[t->nhops].bounce = bounce;
	t->nhops++;
}

/* "Dec 07 01:25:10 sm-mta[123]: text" */
static void print_entry(sd_journal *j, const char *text)
{
	char ident[64], pid[32], stamp[32];
	uint64_t usec = 0;
	time_t secs;
	struct tm tm;

	sd_journal_get_realtime_usec(j, &usec);
	secs = (time_t)(usec / 1000000);
	localtime_r(&secs, &tm);
	strftime(stamp, sizeof(stamp), "%b %d %H:%M:%S", &tm);
	if (field(j, "SYSLOG_IDENTIFIER", ident, sizeof(ident)) == NULL)
		snprintf(ident, sizeof(ident), "?");
	if (field(j, "SYSLOG_PID", pid, sizeof(pid)) == NULL &&
	    field(j, "_PID", pid, sizeof(pid)) == NULL)
		snprintf(pid, sizeof(pid), "?");
	printf("  %s %s[%s]: %s\n", stamp, ident, pid, text);
}

static void hop_header(const struct trace *t, int h)
{
	const struct hop *hp = &t->hops[h];

	if (hp->from < 0)
		printf("hop %d: %s\n", h + 1, hp->qid);
	else
		printf("hop %d: %s (%s %s)\n", h + 1, hp->qid, hp->bounce ? "bounce of" : "from",
		       t->hops[hp->from].qid);
}

/*
 * Every entry of hop `h`; the hops its to= lines lead to are added, and
 * the DSNs it caused (SDMAIL_DSN_QUEUE_ID of its "DSN:" lines).  A
 * hop found in a to= line but not in this journal is shown as such; a
 * starting queue ID without entries is not shown.
 */
static void show_hop(struct trace *t, int h)
{
	char match[sizeof("QUEUE_ID=") + TRACE_QID_MAX], next[TRACE_QID_MAX + 1];
	static char text[8192];
	int n = 0;

	snprintf(match, sizeof(match), "QUEUE_ID=%s", t->hops[h].qid);
	start_reading(t, match);
	while (sd_journal_next(t->j) > 0) {
		if (field(t->j, "MESSAGE", text, sizeof(text)) == NULL)
			continue;
		if (n++ == 0)
			hop_header(t, h);
		print_entry(t->j, text);
		if (trace_relayed_qid(text, next))
			add_hop(t, next, h, false);
		if (field(t->j, "SDMAIL_DSN_QUEUE_ID", next, sizeof(next)) != NULL)
			add_hop(t, next, h, true);
	}
	t->entries += n;
	if (n == 0 && t->hops[h].from >= 0) {
		hop_header(t, h);
		printf("  (no entries in this journal)\n");
	}
}

/* The queue IDs of the from= lines with msgid=`msgid`: the starts. */
static void find_msgid(struct trace *t, const char *msgid)
{
	char qid[TRACE_QID_MAX + 1];
	static char text[8192];

	start_reading(t, "SDMAIL_EVENT=from");
	while (sd_journal_next(t->j) > 0) {
		if (field(t->j, "MESSAGE", text, sizeof(text)) == NULL ||
		    !trace_from_msgid(text, msgid))
			continue;
		if (field(t->j, "QUEUE_ID", qid, sizeof(qid)) != NULL)
			add_hop(t, qid, -1, false);
	}
}

/* "@EPOCH", "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" (local time). */
static int parse_since(const char *s, uint64_t *usec)
{
	static const char *const formats[] = {"%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"};
	struct tm tm;
	char *end;

	if (s[0] == '@') {
		long long v = strtoll(s + 1, &end, 10);
		if (end == s + 1 || *end != '\0' || v < 0)
			return -EINVAL;
		*usec = (uint64_t)v * 1000000;
		return 0;
	}
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(s, formats[i], &tm);
		if (end != NULL && *end == '\0') {
			time_t secs;
			tm.tm_isdst = -1;
			secs = mktime(&tm);
			if (secs < 0)
				return -EINVAL;
			*usec = (uint64_t)secs * 1000000;
			return 0;
		}
	}
	return -EINVAL;
}

static int open_journal(struct trace *t, const char *dir)
{
	int rc = dir ? sd_journal_open_directory(&t->j, dir, 0)
	             : sd_journal_open(&t->j, SD_JOURNAL_LOCAL_ONLY);
	if (rc < 0) {
		fprintf(stderr, "mailtrace: cannot open the journal%s%s: %s\n", dir ? " in " : "",
		        dir ? dir : "", strerror(-rc));
		return dir && rc == -ENOENT ? EX_NOINPUT : EX_OSERR;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"directory", required_argument, NULL, 'D'},
	    {"since", required_argument, NULL, 'S'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct trace t = {0};
	const char *dir = NULL, *what;
	int c, rc;

	while ((c = getopt_long(argc, argv, "D:S:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'D':
			dir = optarg;
			break;
		case 'S':
			if (parse_since(optarg, &t.since) != 0) {
				fprintf(stderr, "mailtrace: bad time for --since: %s\n", optarg);
				return EX_USAGE;
			}
			break;
		case 'h':
			usage();
			return 0;
		default:
			usage();
			return EX_USAGE;
		}
	}
	if (optind + 1 != argc) {
		usage();
		return EX_USAGE;
	}
	what = argv[optind];
	if (what[0] != '<' && !trace_valid_qid(what, strlen(what))) {
		fprintf(stderr, "mailtrace: not a queue ID or a <message-id>: %s\n", what);
		return EX_USAGE;
	}
	rc = open_journal(&t, dir);
	if (rc != 0)
		return rc;
	if (what[0] == '<')
		find_msgid(&t, what);
	else
		add_hop(&t, what, -1, false);
	for (int h = 0; h < t.nhops; h++)
		show_hop(&t, h);
	sd_journal_close(t.j);
	if (t.entries == 0) {
		fprintf(stderr, "mailtrace: no log entries for %s\n", what);
		return EX_NOINPUT;
	}
	return fflush(stdout) == 0 ? 0 : EX_IOERR;
}
