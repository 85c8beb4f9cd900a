/*
 * envelope: construction and destruction of struct envelope (envelope.h).
 */
#include "msg/envelope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void envelope_init(struct envelope *e)
{
	memset(e, 0, sizeof(*e));
	e->version = 8;
}

void envelope_set(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

void envelope_rcpt_free(struct env_rcpt *r)
{
	free(r->addr);
	free(r->final);
	free(r->orcpt);
	free(r->ctladdr);
	free(r->statmsg);
	free(r->host);
	free(r->owner);
	free(r->owner_list);
	free(r->mailer);
	rcpt_result_clear(&r->result);
	free(r);
}

void envelope_rcpt_free_list(struct env_rcpt *r)
{
	while (r != NULL) {
		struct env_rcpt *next = r->next;
		envelope_rcpt_free(r);
		r = next;
	}
}

void envelope_header_free(struct env_header *h)
{
	free(h->name);
	free(h->value);
	free(h->cond);
	free(h);
}

void envelope_free(struct envelope *e)
{
	struct env_rcpt *r = e->rcpts;
	struct env_header *h = e->headers;
	struct env_macro *m = e->macros;

	envelope_rcpt_free_list(r);
	while (h != NULL) {
		struct env_header *n = h->next;
		envelope_header_free(h);
		h = n;
	}
	while (m != NULL) {
		struct env_macro *n = m->next;
		free(m->name);
		free(m->value);
		free(m);
		m = n;
	}
	free(e->bodytype);
	free(e->message);
	free(e->flags);
	free(e->sender);
	free(e->envid);
	free(e->auth);
	free(e->ctladdr);
	free(e->errors_to);
	free(e->quarantine);
	free(e->data_dir);
	sb_free(&e->transcript);
	envelope_init(e);
}

static char *copy_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

void envelope_copy_message(struct envelope *to, const struct envelope *from)
{
	to->version = from->version;
	to->ctime = from->ctime;
	to->last_try = from->last_try;
	to->ntries = from->ntries;
	to->priority = from->priority;
	to->bodytype = copy_or_null(from->bodytype);
	to->message = copy_or_null(from->message);
	to->flags = copy_or_null(from->flags);
	to->sender = copy_or_null(from->sender);
	to->envid = copy_or_null(from->envid);
	to->auth = copy_or_null(from->auth);
	to->ctladdr = copy_or_null(from->ctladdr);
	to->errors_to = copy_or_null(from->errors_to);
	to->quarantine = copy_or_null(from->quarantine);
	to->deliver_by = from->deliver_by;
	to->deliver_by_mode = from->deliver_by_mode;
	to->deliver_by_trace = from->deliver_by_trace;
	to->body_size = from->body_size;
	for (const struct env_macro *m = from->macros; m != NULL; m = m->next)
		envelope_set_macro(to, m->name, m->value);
	for (const struct env_header *h = from->headers; h != NULL; h = h->next)
		envelope_add_header(to, h->name, h->value, h->cond)->filter_added =
		    h->filter_added;
	if (from->transcript.len > 0)
		sb_put(&to->transcript, from->transcript.s, from->transcript.len);
}

struct env_rcpt *envelope_add_rcpt(struct envelope *e, const char *addr, const char *flags)
{
	struct env_rcpt *r = xcalloc(1, sizeof(*r)), **pp = &e->rcpts;
	r->addr = xstrdup(addr);
	snprintf(r->flags, sizeof(r->flags), "%s", flags ? flags : "");
	while (*pp)
		pp = &(*pp)->next;
	*pp = r;
	return r;
}

struct env_header *envelope_add_header(struct envelope *e, const char *name, const char *value,
				       const char *cond)
{
	struct env_header *h = xcalloc(1, sizeof(*h)), **pp = &e->headers;
	h->name = xstrdup(name);
	h->value = xstrdup(value ? value : "");
	h->cond = cond ? xstrdup(cond) : NULL;
	while (*pp)
		pp = &(*pp)->next;
	*pp = h;
	return h;
}

struct env_header *envelope_insert_header(struct envelope *e, struct env_header *after,
					  const char *name, const char *value, const char *cond)
{
	struct env_header *h = xcalloc(1, sizeof(*h));
	h->name = xstrdup(name);
	h->value = xstrdup(value ? value : "");
	h->cond = cond ? xstrdup(cond) : NULL;
	if (after == NULL) {
		h->next = e->headers;
		e->headers = h;
	} else {
		h->next = after->next;
		after->next = h;
	}
	return h;
}

void envelope_set_macro(struct envelope *e, const char *name, const char *value)
{
	struct env_macro *m, **pp = &e->macros;
	for (m = e->macros; m; m = m->next) {
		if (strcmp(m->name, name) == 0) {
			envelope_set(&m->value, value);
			return;
		}
	}
	m = xcalloc(1, sizeof(*m));
	m->name = xstrdup(name);
	m->value = xstrdup(value ? value : "");
	while (*pp)
		pp = &(*pp)->next;
	*pp = m;
}

const char *envelope_get_macro(const struct envelope *e, const char *name)
{
	for (const struct env_macro *m = e->macros; m; m = m->next)
		if (strcmp(m->name, name) == 0)
			return m->value;
	return NULL;
}

void rcpt_result_clear(struct rcpt_result *r)
{
	free(r->reason);
	free(r->diagnostic);
	free(r->remote_mta);
	free(r->actual);
	free(r->expansion);
	free(r->parent);
	memset(r, 0, sizeof(*r));
}

bool envelope_has_flag(const struct envelope *e, char flag)
{
	return e->flags != NULL && strchr(e->flags, flag) != NULL;
}

bool envelope_null_sender(const struct envelope *e)
{
	return e->sender == NULL || *e->sender == '\0' || strcmp(e->sender, "<>") == 0 ||
	       envelope_has_flag(e, 'r');
}

void envelope_add_flag(struct envelope *e, char flag)
{
	/* the order sendmail 8.17 writes the letters in */
	static const char order[] = "wr8bdns";
	struct strbuf sb = STRBUF_INIT;
	const char *old = e->flags ? e->flags : "";

	if (strchr(old, flag) != NULL)
		return;
	for (const char *o = order; *o; o++)
		if (*o == flag || strchr(old, *o) != NULL)
			sb_putc(&sb, *o);
	/* letters of unknown place keep theirs, after the known ones */
	for (const char *p = old; *p; p++)
		if (strchr(order, *p) == NULL)
			sb_putc(&sb, *p);
	if (strchr(order, flag) == NULL)
		sb_putc(&sb, flag);
	free(e->flags);
	e->flags = sb_detach(&sb);
}
