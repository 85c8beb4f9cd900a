/*
 * milter-drive: one SMTP transaction played through lib/milter against
 * the filters of a configuration file, for the milter tests.  It connects
 * (as the client -c host/-a address), says HELO, MAIL, each RCPT, DATA,
 * reads the message file into a df the way collect does, runs the end of
 * message, applies the filters' changes to the envelope and the df with
 * milter_apply, and prints every stage's verdict and SMTP reply, the
 * resulting envelope and message, and the log lines the engine returned.
 *
 *   milter-drive -C file.cf [-M name=value]... [-c host] [-a ip:port]
 *                [-H helo] -f from [-r rcpt]... [-u line] message-file
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "cf/cf.h"
#include "cf/header.h"
#include "cf/readcf.h"
#include "milter/milter.h"
#include "milter/modify.h"
#include "msg/collect.h"
#include "msg/envelope.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

struct macros {
	char **kv; /* "name=value" */
	size_t n;
};

static const char *lookup(void *arg, const char *name)
{
	const struct macros *m = arg;
	size_t len = strlen(name);

	for (size_t i = m->n; i-- > 0;) /* the last -M of a name counts */
		if (strncmp(m->kv[i], name, len) == 0 && m->kv[i][len] == '=')
			return m->kv[i] + len + 1;
	return NULL;
}

static struct strbuf logbuf = STRBUF_INIT;

static void log_line(void *arg, int prio, const char *text)
{
	(void)arg;
	(void)prio;
	sb_printf(&logbuf, "log: %s\n", text);
}

static bool show(struct milter_session *s, const char *what, enum milter_verdict v,
                 struct milter_result *r, enum milter_stage stage, const char *addr)
{
	struct strbuf reply = STRBUF_INIT;

	milter_smtp_reply(s, r, stage, addr, &reply);
	printf("%s: %s%s%s%s%s\n", what, milter_verdict_name(v), reply.len ? " " : "",
	       reply.len ? sb_str(&reply) : "", r->filter ? " by " : "",
	       r->filter ? r->filter : "");
	sb_free(&reply);
	milter_result_clear(r);
	return v == MILTER_CONTINUE || v == MILTER_ACCEPT;
}

static void print_message(const struct envelope *e, FILE *df)
{
	char buf[4096];
	size_t n;

	printf("sender: %s\n", e->sender ? e->sender : "");
	for (const struct env_rcpt *r = e->rcpts; r; r = r->next)
		printf("rcpt: %s flags=%s%s%s\n", r->addr, r->flags, r->orcpt ? " orcpt=" : "",
		       r->orcpt ? r->orcpt : "");
	if (e->quarantine)
		printf("quarantine: %s\n", e->quarantine);
	printf("--- message\n");
	for (const struct env_header *h = e->headers; h; h = h->next)
		printf("%s:%s\n", h->name, h->value);
	printf("\n");
	fflush(stdout);
	rewind(df);
	while ((n = fread(buf, 1, sizeof(buf), df)) > 0)
		fwrite(buf, 1, n, stdout);
	printf("--- end\n");
}

static int usage(void)
{
	fprintf(stderr, "usage: milter-drive -C cf [-M name=value] [-c host] [-a ip:port] "
	                "[-H helo] -f from [-r rcpt]... [-u line] message\n");
	return EX_USAGE;
}

static socklen_t parse_addr(const char *s, struct sockaddr_storage *ss)
{
	char *host = xstrdup(s), *colon = strrchr(host, ':');
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	socklen_t len = 0;

	memset(ss, 0, sizeof(*ss));
	if (colon != NULL) {
		*colon = '\0';
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)atoi(colon + 1));
		if (inet_pton(AF_INET, host, &in4->sin_addr) == 1)
			len = sizeof(*in4);
	}
	free(host);
	return len;
}

struct args {
	const char *cf, *client, *helo, *from, *unknown, *addr;
	char **rcpts;
	size_t nrcpts;
	struct macros macros;
	const struct header_def *defaults; /* the configuration's H lines */
};

static int transaction(struct milter_session *s, const struct args *a, FILE *msg);

int main(int argc, char **argv)
{
	struct args a = {.client = "localhost", .helo = "localhost"};
	struct cf *cf;
	int opt, rc;

	while ((opt = getopt(argc, argv, "C:M:c:a:H:f:r:u:")) != -1) {
		switch (opt) {
		case 'C':
			a.cf = optarg;
			break;
		case 'M':
			a.macros.kv = xrealloc(a.macros.kv, (a.macros.n + 1) * sizeof(char *));
			a.macros.kv[a.macros.n++] = optarg;
			break;
		case 'c':
			a.client = optarg;
			break;
		case 'a':
			a.addr = optarg;
			break;
		case 'H':
			a.helo = optarg;
			break;
		case 'f':
			a.from = optarg;
			break;
		case 'r':
			a.rcpts = xrealloc(a.rcpts, (a.nrcpts + 1) * sizeof(char *));
			a.rcpts[a.nrcpts++] = optarg;
			break;
		case 'u':
			a.unknown = optarg;
			break;
		default:
			return usage();
		}
	}
	if (a.cf == NULL || a.from == NULL || optind + 1 != argc)
		return usage();
	FILE *msg = fopen(argv[optind], "r");
	if (msg == NULL) {
		perror(argv[optind]);
		return EX_NOINPUT;
	}
	cf = cf_new(stderr);
	if ((rc = cf_read_file(cf, a.cf)) != 0 || (rc = cf_finish(cf, false)) != 0)
		return rc;
	struct milter_config mc = {.macro = lookup, .macro_arg = &a.macros, .log = log_line};
	a.defaults = cf->headers;
	struct milter_session *s = milter_session_new(cf, &mc);
	if (s == NULL) {
		printf("no filters\n");
		return 0;
	}
	rc = transaction(s, &a, msg);
	milter_session_free(s);
	fputs(sb_str(&logbuf), stdout);
	sb_free(&logbuf);
	fclose(msg);
	cf_free(cf);
	free(a.macros.kv);
	free(a.rcpts);
	return rc;
}

/*
 * In front of the message, one hidden header (NULL value) per H line of
 * the configuration: the entries of sendmail's header list that a
 * filter's insert index counts.  Returns their number.
 */
static size_t hidden_defaults(struct envelope *e, const struct header_def *d)
{
	struct env_header *user = e->headers, **pp = &e->headers;
	size_t n = 0;

	e->headers = NULL;
	for (; d != NULL; d = d->next) {
		if (d->value == NULL)
			continue;
		struct env_header *h = envelope_add_header(e, d->name, NULL, NULL);
		free(h->value);
		h->value = NULL;
		n++;
	}
	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = user;
	return n;
}

/* Collect the message, run the end of message, apply and print. */
static int message(struct milter_session *s, const struct args *a, struct envelope *e, FILE *msg)
{
	size_t own;
	struct collect_file_source fs;
	struct collect_source src;
	struct collect_opts o = {.ignore_dots = true};
	struct collect_result cr;
	struct milter_result r;
	struct milter_mods mods;
	FILE *df = tmpfile();
	enum milter_verdict v;
	int rc = 0;

	collect_file_source_init(&fs, msg, &src);
	if (df == NULL || collect_message(&src, df, e, &o, &cr) != 0) {
		perror("collect");
		return EX_IOERR;
	}
	collect_file_source_free(&fs);
	fflush(df);
	own = hidden_defaults(e, a->defaults);
	v = milter_eom(s, e, own, fileno(df), &mods, &r);
	if (show(s, "eom", v, &r, MILTER_STAGE_EOM, NULL)) {
		if (milter_apply(&mods, e, own, fileno(df)) < 0)
			rc = EX_IOERR;
		print_message(e, df);
	} else if (v == MILTER_DISCARD) {
		printf("message discarded\n");
	}
	milter_mods_free(&mods);
	fclose(df);
	return rc;
}

static int transaction(struct milter_session *s, const struct args *a, FILE *msg)
{
	struct sockaddr_storage ss;
	socklen_t sl = a->addr ? parse_addr(a->addr, &ss) : 0;
	struct milter_result r;
	struct envelope e;
	size_t accepted = 0;
	int rc = 0;

	if (!show(s, "connect",
	          milter_connect(s, a->client, sl ? (struct sockaddr *)&ss : NULL, sl, &r), &r,
	          MILTER_STAGE_CONNECT, NULL))
		return 0;
	if (!show(s, "helo", milter_helo(s, a->helo, &r), &r, MILTER_STAGE_HELO, NULL))
		return 0;
	if (a->unknown != NULL)
		show(s, "unknown", milter_unknown(s, a->unknown, &r), &r, MILTER_STAGE_UNKNOWN,
		     NULL);
	/* "<a@b> SIZE=10": the address, then its ESMTP parameters */
	char *from = xstrdup(a->from), *fargv[16], *save = NULL;
	size_t n = 0;
	for (char *w = strtok_r(from, " ", &save); w && n < 15; w = strtok_r(NULL, " ", &save))
		fargv[n++] = w;
	fargv[n] = NULL;
	envelope_init(&e);
	envelope_set(&e.sender, fargv[0]);
	if (!show(s, "mail", milter_envfrom(s, fargv, &r), &r, MILTER_STAGE_MAIL, fargv[0])) {
		milter_abort(s);
		goto out;
	}
	for (size_t i = 0; i < a->nrcpts; i++) {
		char *rargv[] = {a->rcpts[i], NULL};
		if (show(s, "rcpt", milter_envrcpt(s, rargv, &r), &r, MILTER_STAGE_RCPT,
		         a->rcpts[i])) {
			envelope_add_rcpt(&e, a->rcpts[i], "P");
			accepted++;
		}
	}
	if (accepted == 0 || !show(s, "data", milter_data(s, &r), &r, MILTER_STAGE_DATA, NULL)) {
		milter_abort(s);
		goto out;
	}
	rc = message(s, a, &e, msg);
out:
	envelope_free(&e);
	free(from);
	return rc;
}
