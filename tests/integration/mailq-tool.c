/*
 * mailq-tool: builds the queue directories of the golden mailq cases from
 * fixed envelopes with lib/queue, and lists a queue directory with
 * mailq_print().  The same directories are listed by sendmail 8.17.1's
 * mailq (capture-mailq.sh) to make the golden files, and by this tool
 * (run-mailq-golden.sh) to compare with them.
 *
 *   mailq-tool build DIR CASE
 *   mailq-tool list DIR [-v] [-qQ|-qL] [-OQueueLA=N] [-OQueueFactor=N]
 *                       [--la=N] [--lock=ID]...
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "msg/envelope.h"
#include "queue/mailq.h"
#include "queue/queue.h"
#include "queue/sortorder.h"
#include "util/strbuf.h"

#define T0 1795313793 /* Sun Nov 22 02:16:33 2026 UTC */

static void die(const char *what, int err)
{
	fprintf(stderr, "mailq-tool: %s: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static void base_envelope(struct envelope *e, const char *sender, long pri, time_t t)
{
	char from[256];
	envelope_init(e);
	e->ctime = t;
	e->priority = pri;
	envelope_set(&e->flags, "bs");
	envelope_set(&e->sender, sender);
	envelope_set(&e->auth, sender);
	envelope_set_macro(e, "_", "root@localhost");
	envelope_set_macro(e, "{daemon_flags}", "c u");
	envelope_add_header(e, "Return-Path", " <\x91g>", "P");
	envelope_add_header(e, "Received",
			    " (from root@localhost)\n\tby oracle.example.org (8.17.1.9/8.17.1.9/Submit)"
			    " id 6AM2GXII000023;\n\tSun, 22 Nov 2026 02:16:33 GMT",
			    NULL);
	snprintf(from, sizeof(from), " %s", sender);
	envelope_add_header(e, "From", from, "F");
	envelope_add_header(e, "Subject", " t", NULL);
}

static struct env_rcpt *rcpt(struct envelope *e, const char *addr, const char *flags,
			     const char *ctl)
{
	struct env_rcpt *r = envelope_add_rcpt(e, addr, flags ? flags : "PFD");
	struct strbuf sb = STRBUF_INIT;
	sb_printf(&sb, "RFC822; %s", addr);
	r->final = sb_detach(&sb);
	if (ctl != NULL)
		envelope_set(&r->ctladdr, ctl);
	return r;
}

/* Queue `e` with `body`; returns the ID in `id`. */
static void commit(struct queue *q, struct envelope *e, const char *body, char *id)
{
	struct queue_entry qe;
	int rc = queue_new(q, &qe, e->ctime);

	if (rc != 0)
		die("queue_new", rc);
	fputs(body, qe.df);
	rc = queue_commit(q, &qe, e);
	if (rc != 0)
		die("queue_commit", rc);
	if (id != NULL)
		strcpy(id, qe.id);
	queue_release(&qe);
	envelope_free(e);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	struct strbuf path = STRBUF_INIT;
	FILE *f;

	sb_printf(&path, "%s/%s", dir, name);
	f = fopen(sb_str(&path), "w");
	if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0)
		die(sb_str(&path), errno);
	sb_free(&path);
}

static void rename_kind(const struct queue *q, const char *id, char was, char kind)
{
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;

	sb_printf(&from, "%s/%cf%s", q->qf_dir, was, id);
	sb_printf(&to, "%s/%cf%s", q->qf_dir, kind, id);
	if (rename(sb_str(&from), sb_str(&to)) != 0)
		die("rename", errno);
	sb_free(&from);
	sb_free(&to);
}

#define LONG                                                                      \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"   \
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

static void case_client(struct queue *q)
{
	struct envelope e;

	/* the client queue of sendmail(8)'s example: three entries */
	base_envelope(&e, "other@y", 30012, T0);
	envelope_set(&e.message, "host map: lookup (y): deferred");
	rcpt(&e, "root", NULL, ":root");
	commit(q, &e, "x\n", NULL);

	base_envelope(&e, "root", 60023, T0 + 1);
	envelope_set(&e.bodytype, "7BIT");
	envelope_set(&e.message, "host map: lookup (x.example): deferred");
	envelope_set(&e.envid, "envid123");
	rcpt(&e, "user@x.example", "PNSD", ":root");
	commit(q, &e, "hello, world!\n", NULL);

	base_envelope(&e, "sender@x.example", 120085, T0 + 60);
	rcpt(&e, "a@b.example", NULL, NULL);
	rcpt(&e, "Foo <e@f.example>", NULL, NULL);
	rcpt(&e, "done@x.example", NULL, NULL)->done = true;
	commit(q, &e, "line 1\nline 2\n", NULL);
}

static void case_single(struct queue *q)
{
	struct envelope e;

	base_envelope(&e, "root", 30017, T0);
	rcpt(&e, "root", NULL, ":root");
	commit(q, &e, "body\n", NULL);
}

static void case_long(struct queue *q)
{
	struct strbuf s = STRBUF_INIT, r = STRBUF_INIT, c = STRBUF_INIT;
	struct envelope e;

	sb_printf(&s, "s%s@sender.example", LONG);
	sb_printf(&r, "r%s@rcpt.example", LONG);
	sb_printf(&c, ":%s", LONG);
	base_envelope(&e, sb_str(&s), 40000, T0);
	envelope_set(&e.bodytype, "8BITMIME");
	envelope_set(&e.message, LONG);
	rcpt(&e, sb_str(&r), NULL, sb_str(&c));
	rcpt(&e, "short@b", NULL, NULL);
	commit(q, &e, "b\n", NULL);

	base_envelope(&e, "bt@x", 50000, T0);
	envelope_set(&e.bodytype, "A-VERY-LONG-BODY-TYPE");
	rcpt(&e, "r@x", NULL, NULL);
	commit(q, &e, "", NULL);
	sb_free(&s);
	sb_free(&r);
	sb_free(&c);
}

static void case_quarantine(struct queue *q)
{
	struct envelope e;
	char id[QUEUE_ID_MAX];

	base_envelope(&e, "q@x", 1000, T0);
	envelope_set(&e.quarantine, "spam suspicion " LONG);
	envelope_set(&e.message, "deferred");
	rcpt(&e, "a@b", NULL, NULL);
	commit(q, &e, "q\n", id);
	rename_kind(q, id, 'h', 'q'); /* a q line in a qf: mailq shows it too */

	base_envelope(&e, "held@x", 2000, T0);
	envelope_set(&e.quarantine, "held by milter");
	rcpt(&e, "a@b", NULL, NULL);
	commit(q, &e, "held\n", id); /* quarantined: an hf */

	base_envelope(&e, "lost@x", 3000, T0);
	rcpt(&e, "a@b", NULL, NULL);
	commit(q, &e, "lost\n", id);
	rename_kind(q, id, 'q', 'Q');

	base_envelope(&e, "plain@x", 4000, T0);
	rcpt(&e, "a@b", NULL, NULL);
	commit(q, &e, "plain\n", NULL);
}

static void case_marks(struct queue *q)
{
	struct envelope e;

	for (int i = 0; i < 3; i++) {
		base_envelope(&e, "m@x", 30000 + 1000 * i, T0 + i);
		rcpt(&e, "a@b", NULL, NULL);
		commit(q, &e, "m\n", NULL);
	}
}

/* QueueSortOrder: no two entries tie in priority, host, time, name or mtime */
static void case_sortorder(struct queue *q)
{
	static const struct {
		long pri;
		int t;
		const char *rcpt;
		int mtime;
	} v[] = {
		{50000, 300, "<u@zeta.example>", 20},  {10000, 100, "<u@Alpha.Example>", 50},
		{30000, 200, "<u@mid.example>", 10},   {20000, 50, "<u@sub.alpha.example>", 5},
		{40000, 400, "<u@[10.0.0.1]>", 30},    {60000, 250, "<u>", 40},
	};
	struct envelope e;
	struct strbuf path = STRBUF_INIT;
	char id[QUEUE_ID_MAX];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct timeval tv[2] = {{T0 + v[i].mtime, 0}, {T0 + v[i].mtime, 0}};
		base_envelope(&e, "s@x", v[i].pri, T0 + v[i].t);
		rcpt(&e, v[i].rcpt, NULL, NULL);
		commit(q, &e, "s\n", id);
		sb_reset(&path);
		sb_printf(&path, "%s/qf%s", q->qf_dir, id);
		if (utimes(sb_str(&path), tv) != 0)
			die(sb_str(&path), errno);
	}
	sb_free(&path);
}

static void case_dsn(struct queue *q)
{
	struct envelope e;
	struct env_rcpt *r;

	base_envelope(&e, "<s@[127.0.0.1]>", 60018, T0);
	envelope_set(&e.flags, "ds");
	envelope_set(&e.auth, NULL);
	envelope_set(&e.envid, "abc+2Bdef");
	envelope_set(&e.errors_to, "err@x.example");
	e.deliver_by = 7200;
	e.deliver_by_mode = 'N';
	e.deliver_by_trace = true;
	envelope_set_macro(&e, "r", "ESMTP");
	envelope_set_macro(&e, "s", "client.example");
	r = rcpt(&e, "<root>", "PNSD", ":<root>");
	envelope_set(&r->orcpt, "rfc822;orig@x.example");
	rcpt(&e, "<other@[127.0.0.1]>", "PNF", ":<other@[127.0.0.1]>");
	commit(q, &e, "body\n", NULL);

	base_envelope(&e, "nobody-left@x", 70000, T0);
	rcpt(&e, "done@x", NULL, NULL)->done = true;
	commit(q, &e, "gone\n", NULL);
}

/* Damaged files: written by hand, as a crash or an editor might leave them. */
static void case_bad(struct queue *q)
{
	struct envelope e;
	char id[QUEUE_ID_MAX];

	base_envelope(&e, "good@x", 10, T0);
	rcpt(&e, "a@b", NULL, NULL);
	commit(q, &e, "good\n", NULL);

	base_envelope(&e, "root", 20, T0);
	rcpt(&e, "root", NULL, NULL);
	commit(q, &e, "nodf\n", id);
	{
		struct strbuf df = STRBUF_INIT;
		sb_printf(&df, "%s/df%s", q->df_dir, id);
		unlink(sb_str(&df));
		sb_free(&df);
	}
	write_file(q->qf_dir, "qf6AM2GXII000901", "V8\nT1795313793\nP30\nRPFD:nosender@x\n.\n");
	write_file(q->qf_dir, "df6AM2GXII000901", "x\n");
	write_file(q->qf_dir, "qf6AM2GXII000902", "V8\nP40\nSnotime@x\nRPFD:a@b\nC:root\n.\n");
	write_file(q->qf_dir, "df6AM2GXII000902", "x\n");
	write_file(q->qf_dir, "qf6AM2GXII000903", "V8\nT1795313793\nP50\nStrunc@x\nRPFD:a@b\n");
	write_file(q->qf_dir, "df6AM2GXII000903", "xx\n");
	write_file(q->qf_dir, "qf6AM2GXII000904",
		   "V8\nT1795313793\nP60\nMfirst\nSone@x\nRPFD:a@b\nRnocolon@x\n"
		   "Msecond\nStwo@x\nBLATE\nYunknown\n.\n");
	write_file(q->qf_dir, "df6AM2GXII000904", "xxx\n");
	write_file(q->qf_dir, "qf6AM2GXII000905", "V8\nT1795313793\nP-5\nS\nRPFD:a@b\n.\n");
	write_file(q->qf_dir, "df6AM2GXII000905", "");
	write_file(q->qf_dir, "qfyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", "V8\n.\n");
	write_file(q->qf_dir, "tf6AM2GXII000906", "V8\nT1795313793\n");
	write_file(q->qf_dir, "df6AM2GXII000907", "orphan\n");
	write_file(q->qf_dir, "xf6AM2GXII000907", "transcript\n");
}

static void case_subdirs(struct queue *q, const char *dir)
{
	struct strbuf p = STRBUF_INIT;
	struct envelope e;

	queue_close(q);
	sb_printf(&p, "%s/qf", dir);
	mkdir(sb_str(&p), 0700);
	sb_reset(&p);
	sb_printf(&p, "%s/df", dir);
	mkdir(sb_str(&p), 0700);
	sb_free(&p);
	if (queue_open(q, dir, 0600) != 0)
		die(dir, errno);
	q->pid = 23;
	qid_init(&q->ids, 1000);
	base_envelope(&e, "sub@x", 30000, T0);
	rcpt(&e, "a@b", NULL, NULL);
	commit(q, &e, "in df/\n", NULL);
	/* a qf beside the subdirectories is not looked at */
	write_file(dir, "qf6AM2GXII000999", "V8\nT1795313793\nP1\nSignored@x\n.\n");
}

struct build_case {
	const char *name;
	void (*fn)(struct queue *q);
};

static const struct build_case cases[] = {
	{"client", case_client},   {"single", case_single}, {"long", case_long},
	{"quarantine", case_quarantine}, {"marks", case_marks}, {"dsn", case_dsn},
	{"bad", case_bad},         {"sortorder", case_sortorder},         {"empty", NULL},         {"subdirs", NULL},
};

static int build(const char *dir, const char *name)
{
	struct queue q;
	int rc;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		die(dir, errno);
	rc = queue_open(&q, dir, 0600);
	if (rc != 0)
		die(dir, rc);
	/* fixed IDs: 6AM2GX.. at T0, pid 23, sequence from 1000 ("GI") */
	q.pid = 23;
	qid_init(&q.ids, 1000);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(cases[i].name, name) != 0)
			continue;
		if (strcmp(name, "subdirs") == 0)
			case_subdirs(&q, dir);
		else if (cases[i].fn != NULL)
			cases[i].fn(&q);
		queue_close(&q);
		return 0;
	}
	fprintf(stderr, "mailq-tool: unknown case %s\n", name);
	queue_close(&q);
	return 1;
}

static void lock_entry(const char *dir, const char *id)
{
	struct strbuf p = STRBUF_INIT;
	int fd;

	sb_printf(&p, "%s/qf%s", dir, id);
	fd = open(sb_str(&p), O_RDONLY);
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0)
		die(sb_str(&p), errno);
	sb_free(&p);
	/* held (open) until the process exits */
}

static int list(const char *dir, int argc, char **argv)
{
	struct mailq_options opt;
	struct queue q;
	char sort = 'p';
	int rc;

	mailq_options_init(&opt);
	opt.queue_la = 1000000; /* no X marks unless asked for */
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-v") == 0)
			opt.verbose = true;
		else if (strcmp(a, "-qQ") == 0)
			opt.kind = QUEUE_QUARANTINED;
		else if (strcmp(a, "-qL") == 0)
			opt.kind = QUEUE_LOST;
		else if (strncmp(a, "-OQueueLA=", 10) == 0)
			opt.queue_la = atoi(a + 10);
		else if (strncmp(a, "-OQueueFactor=", 14) == 0)
			opt.queue_factor = atol(a + 14);
		else if (strncmp(a, "-OQueueSortOrder=", 17) == 0)
			sort = sortorder_from_option(tolower((unsigned char)a[17]));
		else if (strncmp(a, "--la=", 5) == 0)
			opt.load_average = atoi(a + 5);
		else if (strncmp(a, "--lock=", 7) == 0)
			lock_entry(dir, a + 7);
		else
			return fprintf(stderr, "mailq-tool: bad option %s\n", a), 1;
	}
	rc = queue_open(&q, dir, 0600);
	if (rc != 0)
		die(dir, rc);
	q.sort_order = sort;
	rc = mailq_print(stdout, &q, &opt);
	queue_close(&q);
	return rc < 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "build") == 0)
		return build(argv[2], argv[3]);
	if (argc >= 3 && strcmp(argv[1], "list") == 0)
		return list(argv[2], argc - 3, argv + 3);
	fprintf(stderr, "usage: mailq-tool build DIR CASE | list DIR [options]\n");
	return 2;
}
