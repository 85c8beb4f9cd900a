/*
 * milter: X and Q line parsing (milter.h).
 */
#include "cf/milter.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <strings.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "cf/cf.h"
#include "cf/options.h"
#include "util/debug.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Walk "name, K=v, K=v": calls fn for each equate; returns the name. */
static char *parse_equates(const char *body, void (*fn)(void *obj, char code, const char *v),
			   void *obj)
{
	const char *p = body;
	size_t n = strcspn(p, ", \t");
	char *name = xstrndup(p, n);

	p += n;
	while (*p) {
		struct strbuf v = STRBUF_INIT;
		char code;
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		code = *p;
		while (*p && *p != '=' && *p != ',')
			p++;
		if (*p == '=')
			p++;
		while (isspace((unsigned char)*p))
			p++;
		while (*p && *p != ',')
			sb_putc(&v, *p++);
		while (v.len > 0 && isspace((unsigned char)v.s[v.len - 1]))
			v.s[--v.len] = '\0';
		fn(obj, code, sb_str(&v));
		sb_free(&v);
	}
	return name;
}

struct milter_parse {
	struct cf *cf;
	struct milter_def *m;
	const char *name;
	bool ok;
};

/* -d64.5: each T= timeout as sendmail reads it, in seconds ("Xf1: R=10") */
static void trace_timeout(const struct milter_parse *mp, const char *item)
{
	const char *colon = strchr(item, ':'), *end = strchr(item, ';');
	char value[64];

	if (!dbg_on(&mp->cf->dbg, 64, 5) || colon == NULL || (end != NULL && colon > end))
		return;
	snprintf(value, sizeof(value), "%.*s",
		 (int)(end ? (size_t)(end - colon - 1) : strlen(colon + 1)), colon + 1);
	fprintf(mp->cf->out, "X%s: %c=%lld\n", mp->name, *item,
		option_convtime(NULL, value, 's'));
}

static void milter_equate(void *obj, char code, const char *v)
{
	struct milter_parse *mp = obj;
	switch (code) {
	case 'S':
		free(mp->m->socket);
		mp->m->socket = xstrdup(v);
		break;
	case 'F':
		free(mp->m->flags);
		mp->m->flags = xstrdup(v);
		break;
	case 'T':
		free(mp->m->timeouts);
		mp->m->timeouts = xstrdup(v);
		for (const char *t = v; *t;) {
			while (*t == ';' || isspace((unsigned char)*t))
				t++;
			if (*t == '\0')
				break;
			if (strchr("CSREA", *t) == NULL)
				cf_error(mp->cf, EX_SOFTWARE, "X%s: unknown filter timeout %c",
					 mp->name, *t);
			else
				trace_timeout(mp, t);
			while (*t && *t != ';')
				t++;
		}
		break;
	default:
		cf_error(mp->cf, EX_SOFTWARE, "X%s: unknown filter equate %c=", mp->name, code);
		mp->ok = false;
		break;
	}
}

static bool valid_socket(struct cf *cf, const char *name, const char *s)
{
	const char *colon;
	if (s == NULL || *s == '\0') {
		cf_error(cf, EX_SOFTWARE, "%s: empty or missing socket information", name);
		return false;
	}
	colon = strchr(s, ':');
	if (colon == NULL)
		return true; /* a bare path is a unix socket */
	if (strncasecmp(s, "unix:", 5) == 0 || strncasecmp(s, "local:", 6) == 0 ||
	    strncasecmp(s, "inet:", 5) == 0 || strncasecmp(s, "inet6:", 6) == 0)
		return true;
	cf_error(cf, EX_SOFTWARE, "X%s: unknown socket type %.*s: Protocol not supported", name,
		 (int)(colon - s), s);
	return false;
}

/*
 * -d64.5: a unix socket that does not exist yet in a directory others may
 * write to (someone else could create it there) is "unsafe", as sendmail
 * says when it reads the X line.
 */
static void trace_unsafe_socket(struct cf *cf, const char *name, const char *socket)
{
	const char *path = socket;
	char dir[4096];
	const char *slash;
	struct stat st;

	if (!dbg_on(&cf->dbg, 64, 5))
		return;
	if (strncasecmp(path, "unix:", 5) == 0)
		path += 5;
	else if (strncasecmp(path, "local:", 6) == 0)
		path += 6;
	else if (strchr(path, ':') != NULL)
		return;
	slash = strrchr(path, '/');
	if (slash == NULL || lstat(path, &st) == 0)
		return;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash == path ? 1 : slash - path), path);
	if (stat(dir, &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)))
		fprintf(cf->out, "X%s: local socket name %s unsafe\n", name, path);
}

void milter_define(struct cf *cf, const char *body)
{
	struct milter_def *m = xcalloc(1, sizeof(*m));
	struct milter_parse mp = {cf, m, NULL, true};
	char *name;

	while (isspace((unsigned char)*body))
		body++;
	if (*body == '\0' || *body == ',') {
		cf_error(cf, EX_SOFTWARE, "name required for mail filter");
		free(m);
		return;
	}
	mp.name = xstrndup(body, strcspn(body, ", \t"));
	name = parse_equates(body, milter_equate, &mp);
	m->name = name;
	/* like sendmail, a definition with bad equates is still registered */
	mp.ok = true;
	if (m->socket == NULL) {
		cf_error(cf, EX_SOFTWARE, "X%s: empty or missing socket information", name);
		mp.ok = false;
	} else if (!valid_socket(cf, name, m->socket)) {
		mp.ok = false;
	} else {
		trace_unsafe_socket(cf, name, m->socket);
	}
	{
		for (struct milter_def *o = cf->milters; o; o = o->next) {
			if (strcmp(o->name, name) == 0) {
				cf_error(cf, EX_SOFTWARE,
					 "X%s: duplicate filter definition: No such file or directory",
					 name);
				mp.ok = false;
				break;
			}
		}
	}
	free((char *)mp.name);
	if (m->socket == NULL)
		mp.ok = false;
	if (!mp.ok) {
		free(m->name);
		free(m->socket);
		free(m->flags);
		free(m->timeouts);
		free(m);
		return;
	}
	struct milter_def **pp = &cf->milters;
	while (*pp)
		pp = &(*pp)->next;
	*pp = m;
}

struct queue_parse {
	struct cf *cf;
	struct queue_group_def *q;
	const char *name;
};

static void queue_equate(void *obj, char code, const char *v)
{
	struct queue_parse *qp = obj;
	switch (code) {
	case 'P': free(qp->q->path); qp->q->path = xstrdup(v); break;
	case 'F': free(qp->q->flags); qp->q->flags = xstrdup(v); break;
	case 'I': qp->q->interval = option_convtime(qp->cf, v, 'm'); break;
	case 'J': qp->q->jobs = atoi(v); break;
	case 'N': qp->q->nice = atoi(v); break;
	case 'R': qp->q->runners = atoi(v); break;
	case 'r': qp->q->rcpts = atoi(v); break;
	default:
		cf_error(qp->cf, EX_SOFTWARE, "Q%s: unknown queue equate %c=", qp->name, code);
		break;
	}
}

void queue_group_define(struct cf *cf, const char *body)
{
	struct queue_group_def *q = xcalloc(1, sizeof(*q));
	struct queue_parse qp = {cf, q, NULL};

	while (isspace((unsigned char)*body))
		body++;
	if (*body == '\0' || *body == ',') {
		cf_error(cf, EX_SOFTWARE, "name required for queue");
		free(q);
		return;
	}
	qp.name = xstrndup(body, strcspn(body, ", \t"));
	q->name = parse_equates(body, queue_equate, &qp);
	free((char *)qp.name);
	struct queue_group_def **pp = &cf->queue_groups;
	while (*pp)
		pp = &(*pp)->next;
	*pp = q;
}

void milter_defs_free(struct cf *cf)
{
	struct milter_def *m = cf->milters;
	while (m != NULL) {
		struct milter_def *next = m->next;
		free(m->name);
		free(m->socket);
		free(m->flags);
		free(m->timeouts);
		free(m);
		m = next;
	}
	struct queue_group_def *q = cf->queue_groups;
	while (q != NULL) {
		struct queue_group_def *next = q->next;
		free(q->name);
		free(q->path);
		free(q->flags);
		free(q);
		q = next;
	}
	cf->milters = NULL;
	cf->queue_groups = NULL;
}
