/*
 * mailq: sendmail's queue listing (mailq.h).
 */
#include "queue/mailq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "queue/loadlimit.h"
#include "queue/queue.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Column widths sendmail truncates to (plain, -v). */
struct widths {
	int sender, message, quarantine, rcpt, ctladdr;
};
static const struct widths plain_widths = {39, 60, 60, 38, 64};
static const struct widths verbose_widths = {78, 100, 100, 71, 64};

/* What the lines of a qf read so far say (sendmail's listing state). */
struct entry_state {
	char *message;    /* M */
	char *bodytype;   /* B */
	char *quarantine; /* q */
};

void mailq_options_init(struct mailq_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->kind = QUEUE_ACTIVE;
	opt->queue_la = 8;
	opt->queue_factor = 600000;
}

bool mailq_should_queue(const struct mailq_options *opt, long pri)
{
	return load_queues(opt->load_average, opt->queue_la, opt->queue_factor, pri);
}

static void print_header(FILE *out, const char *name, int n, bool verbose)
{
	if (n == 0) {
		fprintf(out, "%s is empty\n", name);
		return;
	}
	fprintf(out, "\t\t%s (%d request%s)\n", name, n, n == 1 ? "" : "s");
	if (verbose)
		fputs("-----Q-ID----- --Size-- -Priority- ---Q-Time--- "
		      "--------Sender/Recipient--------\n",
		      out);
	else
		fputs("-----Q-ID----- --Size-- -----Q-Time----- "
		      "------------Sender/Recipient-----------\n",
		      out);
}

/* The mark after the ID: locked, lost, too expensive at this load, none. */
static char entry_mark(FILE *f, const struct queue_item *it, const struct mailq_options *opt)
{
	/* a shared lock is refused only while someone works on the entry */
	if (flock(fileno(f), LOCK_SH | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			return '*';
	} else {
		flock(fileno(f), LOCK_UN);
	}
	if (opt->kind == QUEUE_LOST)
		return '?';
	if (mailq_should_queue(opt, it->priority))
		return 'X';
	return ' ';
}

/* The df size, or -1 with sendmail's complaint when there is no df. */
static long long df_size(FILE *out, const struct queue *q, const char *id)
{
	struct strbuf name = STRBUF_INIT;
	char *path;
	struct stat st;
	long long size = -1;

	sb_printf(&name, "df%s", id);
	path = queue_path(q, sb_str(&name));
	if (stat(path, &st) == 0)
		size = st.st_size;
	else
		fprintf(out, "readqf: cannot open %s/%s: %s\n",
			strcmp(q->df_dir, q->dir) == 0 ? "." : "df", sb_str(&name),
			strerror(errno));
	free(path);
	sb_free(&name);
	return size;
}

static void print_sender(FILE *out, const char *sender, long long size,
			 const struct queue_item *it, const struct entry_state *st,
			 const struct mailq_options *opt, const struct widths *w)
{
	char date[64];
	struct tm tm;

	if (localtime_r(&it->ctime, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	strftime(date, sizeof(date), "%a %b %e %H:%M", &tm);
	if (opt->verbose)
		fprintf(out, "%8lld %10ld %.12s %.*s", size, it->priority, date + 4, w->sender,
			sender);
	else
		fprintf(out, "%8lld %.16s %.*s", size, date, w->sender, sender);
	if (st->quarantine != NULL && st->quarantine[0] != '\0')
		fprintf(out, "\n     QUARANTINE: %.*s", w->quarantine, st->quarantine);
	if ((st->bodytype != NULL && st->bodytype[0] != '\0') ||
	    (st->message != NULL && st->message[0] != '\0')) {
		fprintf(out, "\n    %10.10s", st->bodytype ? st->bodytype : "");
		if (st->message != NULL && st->message[0] != '\0')
			fprintf(out, "   (%.*s)", w->message, st->message);
	}
}

static void print_lines(FILE *out, FILE *f, long long size, const struct queue_item *it,
			const struct mailq_options *opt)
{
	const struct widths *w = opt->verbose ? &verbose_widths : &plain_widths;
	struct entry_state st = {0};
	char *line = NULL, *colon;
	size_t cap = 0;
	ssize_t n;

	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		switch (line[0]) {
		case 'M':
			envelope_set(&st.message, line + 1);
			break;
		case 'B':
			envelope_set(&st.bodytype, line + 1);
			break;
		case 'q':
			envelope_set(&st.quarantine, line + 1);
			break;
		case 'S':
			print_sender(out, line + 1, size, it, &st, opt, w);
			break;
		case 'R':
			colon = strchr(line, ':');
			if (colon == NULL)
				break;
			if (opt->verbose)
				fprintf(out, "\n\t\t\t\t\t\t%.*s", w->rcpt, colon + 1);
			else
				fprintf(out, "\n\t\t\t\t\t %.*s", w->rcpt, colon + 1);
			break;
		case 'C':
			if (opt->verbose)
				fprintf(out, "\n\t\t\t\t\t\t(---%.*s---)", w->ctladdr, line + 1);
			break;
		}
	}
	if (it->ctime == 0)
		fputs(" (no control file)", out);
	fputc('\n', out);
	free(line);
	free(st.message);
	free(st.bodytype);
	free(st.quarantine);
}

static void print_entry(FILE *out, const struct queue *q, const struct queue_item *it,
			const struct mailq_options *opt)
{
	const char *id = it->name + 2;
	char *path = queue_path(q, it->name);
	FILE *f = fopen(path, "r");
	long long size;
	char mark;

	free(path);
	if (f == NULL) {
		if (errno == ENOENT)
			fprintf(out, "%13s (job completed)\n", id);
		else
			fprintf(out, "%13s (%s)\n", id, strerror(errno));
		return;
	}
	mark = entry_mark(f, it, opt);
	fprintf(out, "%13s", id);
	size = df_size(out, q, id);
	fputc(mark, out);
	print_lines(out, f, size, it, opt);
	fclose(f);
}

int mailq_print(FILE *out, const struct queue *q, const struct mailq_options *opt)
{
	struct queue_item *items;
	const char *name = strcmp(q->df_dir, q->dir) != 0 ? q->df_dir : q->dir;
	int n = queue_list(q, opt->kind, opt->verbose ? out : NULL, out, &items);

	if (n < 0)
		return n;
	print_header(out, name, n, opt->verbose);
	for (int i = 0; i < n; i++)
		print_entry(out, q, &items[i], opt);
	fprintf(out, "\t\tTotal requests: %d\n", n);
	free(items);
	return n;
}
